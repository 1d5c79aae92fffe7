"""R15: an online course (线上) needs a supervised room but no external staff on site: it is
planned like any other course, in a room of its kinds, with a school teacher responsible."""

from solver.baseline import baseline_plan
from tests.conftest import activity_rules, example_raw, load_raw, plan_dict


def online_school():
    """The example with robotics (given by institution staff) turned into an online course."""
    raw = example_raw()
    course = next(c for c in raw["courses"] if c["id"] == "ROBOT")
    course.update(category="online", room_kinds=["classroom"])
    course["qualification"] = None  # a screen needs no qualified person on site
    return load_raw(raw, "online")


def test_online_course_runs_in_a_room_with_a_school_teacher():
    loaded = online_school()
    plan, violations = baseline_plan(loaded)
    assert violations == [] and plan.status == "feasible"
    online = [a for a in plan.activities if a.course == "ROBOT"]
    assert online, "the online course was not planned"
    staff = {st.id: st for st in loaded.instance.staff}
    for a in online:
        assert a.room is not None and loaded.room[a.room].kind == "classroom"
        assert a.staff and all(staff[sid].kind == "teacher" for sid in a.staff)


def test_online_course_without_a_responsible_adult_is_rejected():
    loaded = online_school()
    plan, _ = baseline_plan(loaded)
    p = plan_dict(plan)
    next(a for a in p["activities"] if a["course"] == "ROBOT")["staff"] = []
    assert "R21" in activity_rules(loaded, p)
