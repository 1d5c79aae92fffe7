"""R6: evening study for registered junior students; only in evening periods."""

from tests.conftest import activity_rules, find, plan_dict


def test_registered_evening_slot_unsupervised(junior, junior_plan):
    p = plan_dict(junior_plan)
    eve = find(p, lambda a: a["kind"] == "evening_study")
    eve["students"].pop()
    assert activity_rules(junior, p) == {"R6"}


def test_evening_group_outside_evening_periods(junior, junior_plan):
    p = plan_dict(junior_plan)
    eve = find(p, lambda a: a["kind"] == "evening_study")
    eve["slots"] = [{"day": eve["slots"][0]["day"], "period": "EXT"}]
    assert "R6" in activity_rules(junior, p)
