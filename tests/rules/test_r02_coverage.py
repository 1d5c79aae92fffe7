"""R2: every registered student in exactly one activity in every registered slot, none elsewhere."""

from tests.conftest import activity_rules, find, plan_dict


def test_student_left_unsupervised(example, example_plan):
    p = plan_dict(example_plan)
    hw = find(p, lambda a: a["kind"] == "homework")
    hw["students"].pop()
    assert "R2" in activity_rules(example, p)


def test_student_in_two_activities_at_once(example, example_plan):
    p = plan_dict(example_plan)
    a = find(p, lambda a: a["kind"] == "elective")
    sid = a["students"][0]
    slot = a["slots"][0]
    other = find(p, lambda x: x["kind"] == "homework" and slot in x["slots"] and sid not in x["students"])
    other["students"].append(sid)
    assert "R2" in activity_rules(example, p)


def test_student_placed_on_a_day_not_registered(example, example_plan):
    p = plan_dict(example_plan)
    assert "mon" not in example.student["S005"].days
    hw = find(p, lambda a: a["kind"] == "homework" and a["slots"][0]["day"] == "mon" and a["class"] is None)
    hw["students"].append("S005")
    assert "R2" in activity_rules(example, p)
