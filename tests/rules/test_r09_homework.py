"""R9: primary pupils get homework guidance each day they attend; merged groups stay in one grade."""

from tests.conftest import activity_rules, find, move, plan_dict, with_instance


def test_fewer_homework_periods_than_required(example_plan):
    # a pupil with an elective that day has one homework period; the policy now asks for two
    L = with_instance(lambda r: r["policy"].update(homework_min_periods_per_day=2))
    assert "R9" in activity_rules(L, example_plan)


def test_merged_group_mixing_grades(example, example_plan):
    p = plan_dict(example_plan)
    g4 = find(p, lambda a: a["kind"] == "homework" and a["class"] == "4-1")
    sid = g4["students"][0]
    g3 = find(p, lambda a: a["kind"] == "homework" and a["class"] is None and a["slots"] == g4["slots"])
    move(p, sid, g4, g3)
    assert "R9" in activity_rules(example, p)


def test_class_group_with_a_pupil_of_another_class(example, example_plan):
    p = plan_dict(example_plan)
    g4 = find(p, lambda a: a["kind"] == "homework" and a["class"] == "4-1")
    g3 = find(p, lambda a: a["kind"] == "homework" and a["class"] is None and a["slots"] == g4["slots"])
    move(p, g3["students"][0], g3, g4)
    assert "R9" in activity_rules(example, p)
