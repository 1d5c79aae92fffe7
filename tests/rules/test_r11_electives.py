"""R11: electives by grade and choice, at least min_size to run, one section per course per
student, sessions as the course says, at most max_sections."""

from models.plan import Activity
from solver.check import View, sessions
from tests.conftest import activity_rules, find, homework_at, move, plan_dict, with_instance


def test_course_outside_the_students_grade(example, example_plan):
    p = plan_dict(example_plan)
    sci = find(p, lambda a: a["course"] == "SCI")
    s = sci["slots"][0]
    sid = next(
        x
        for x in example.kept_choices
        if "SCI" not in example.kept_choices[x]
        and all(homework_at(p, example, x, d["day"], d["period"]) for d in sci["slots"])
    )
    move(p, sid, homework_at(p, example, sid, s["day"], s["period"]), sci)
    assert "R11" in activity_rules(example, p)


def test_course_not_chosen(example, example_plan):
    p = plan_dict(example_plan)
    calli = find(p, lambda a: a["course"] == "CALLI")
    s = calli["slots"][0]
    hw = find(
        p,
        lambda a: (
            a["kind"] == "homework"
            and s in a["slots"]
            and any("CALLI" not in example.kept_choices[x] for x in a["students"])
        ),
    )
    sid = next(x for x in hw["students"] if "CALLI" not in example.kept_choices[x])
    move(p, sid, hw, calli)
    assert "R11" in activity_rules(example, p)


def test_section_below_minimum_size(example, example_plan):
    p = plan_dict(example_plan)
    calli = find(p, lambda a: a["course"] == "CALLI")
    s = calli["slots"][0]
    while len(calli["students"]) >= 5:
        sid = calli["students"][0]
        move(p, sid, calli, homework_at(p, example, sid, s["day"], s["period"]))
    assert "R11" in activity_rules(example, p)


def test_sessions_on_wrong_days_and_count(example, example_plan):
    p = plan_dict(example_plan)
    foot = find(p, lambda a: a["course"] == "FOOT")  # 2 sessions a week
    foot["slots"] = foot["slots"][:1]
    assert "R11" in activity_rules(example, p)


def test_two_sessions_on_one_day(example):
    # FOOT meets on two distinct days, one period each: two periods on Monday is not that
    act = Activity(
        id="X",
        course="FOOT",
        kind="elective",
        class_=None,
        room="GYM",
        staff=["T06"],
        students=[],
        slots=[{"day": "mon", "period": "P1"}, {"day": "mon", "period": "P2"}],
    )
    assert {v.rule for v in sessions(View(example, [act]))} == {"R11"}


def test_too_many_sections(example_plan):
    L = with_instance(lambda r: next(c for c in r["courses"] if c["id"] == "FOOT").update(max_sections=0))
    assert "R11" in activity_rules(L, example_plan)


def test_student_in_two_sections_of_one_course(example, example_plan):
    p = plan_dict(example_plan)
    foot = find(p, lambda a: a["course"] == "FOOT")
    twin = {
        **foot,
        "id": "FOOT-twin",
        "slots": [{"day": "thu", "period": "P1"}, {"day": "tue", "period": "P2"}],
        "students": foot["students"][:1],
        "room": "GYM",
        "staff": ["X01"],
    }
    p["activities"].append(twin)
    assert "R11" in activity_rules(example, p)
