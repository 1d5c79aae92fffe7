"""R12: staff must be qualified; courses without a qualification are for the school's teachers;
external people must be certified and free of violations."""

from tests.conftest import activity_rules, find, plan_dict, with_instance


def test_staff_without_the_qualification(example, example_plan):
    p = plan_dict(example_plan)
    foot = find(p, lambda a: a["course"] == "FOOT")
    foot["staff"] = ["T07"]  # an English teacher, no football
    assert "R12" in activity_rules(example, p)


def test_external_person_on_a_teachers_course(example, example_plan):
    p = plan_dict(example_plan)
    hw = find(p, lambda a: a["kind"] == "homework" and {"day": "mon", "period": "P1"} in a["slots"])
    hw["staff"] = ["X02"]  # a heritage inheritor supervising homework
    assert "R12" in activity_rules(example, p)


def test_uncertified_external_person(example, example_plan):
    L = with_instance(lambda r: next(s for s in r["staff"] if s["id"] == "X03").update(certified=False))
    robot = next(a for a in example_plan.activities if a.course == "ROBOT")
    assert robot.staff == ["X03"]
    assert "R12" in activity_rules(L, example_plan)


def test_external_person_with_violation_record(example_plan):
    L = with_instance(lambda r: next(s for s in r["staff"] if s["id"] == "X03").update(violation_record=True))
    assert "R12" in activity_rules(L, example_plan)
