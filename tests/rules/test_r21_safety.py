"""R21: every group has responsible staff; sizes within limits; rooms fit, free and unshared;
nobody in two places at once."""

from tests.conftest import activity_rules, find, plan_dict, with_instance


def test_group_without_staff(example, example_plan):
    p = plan_dict(example_plan)
    find(p, lambda a: a["kind"] == "extended_care")["staff"] = []
    assert "R21" in activity_rules(example, p)


def test_care_group_over_the_care_limit(example_plan):
    L = with_instance(lambda r: r["policy"].update(max_care_group_size=5))
    assert "R21" in activity_rules(L, example_plan)


def test_group_over_room_capacity(example_plan):
    L = with_instance(lambda r: next(x for x in r["rooms"] if x["id"] == "GYM").update(capacity=10))
    assert "R21" in activity_rules(L, example_plan)


def test_room_used_twice_at_once(example, example_plan):
    p = plan_dict(example_plan)
    a = find(p, lambda a: a["kind"] == "homework")
    b = find(p, lambda x: x["kind"] == "homework" and x["slots"] == a["slots"] and x["room"] != a["room"])
    b["room"] = a["room"]
    assert "R21" in activity_rules(example, p)


def test_room_of_a_kind_the_course_does_not_use(example, example_plan):
    p = plan_dict(example_plan)
    find(p, lambda a: a["course"] == "SCI")["room"] = "GYM"
    assert "R21" in activity_rules(example, p)


def test_room_closed_in_that_slot(example, example_plan):
    p = plan_dict(example_plan)
    foot = find(p, lambda a: a["course"] == "FOOT")
    foot["slots"][0] = {"day": "wed", "period": "P2"}  # the gym is closed on Wednesday P2
    assert "R21" in activity_rules(example, p)


def test_staff_in_two_places_at_once(example, example_plan):
    p = plan_dict(example_plan)
    a = find(p, lambda a: a["kind"] == "homework")
    b = find(p, lambda x: x["kind"] == "homework" and x["slots"] == a["slots"] and x["staff"] != a["staff"])
    b["staff"] = list(a["staff"])
    assert "R21" in activity_rules(example, p)
