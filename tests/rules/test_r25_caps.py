"""R25: no one above their weekly or daily cap; nobody serves when they said they cannot."""

from tests.conftest import activity_rules, with_instance


def busiest(plan):
    loads = {c.staff: c.periods_per_week for c in plan.costs.per_staff}
    return max(loads, key=loads.get), max(loads.values())


def test_weekly_cap(example_plan):
    sid, n = busiest(example_plan)
    L = with_instance(lambda r: next(s for s in r["staff"] if s["id"] == sid).update(max_periods_per_week=n - 1))
    assert "R25" in activity_rules(L, example_plan)


def test_daily_cap(example_plan):
    sid = next(d.staff for d in example_plan.staff_days if d.service_periods >= 1)
    L = with_instance(lambda r: next(s for s in r["staff"] if s["id"] == sid).update(max_periods_per_day=0))
    assert "R25" in activity_rules(L, example_plan)


def test_unavailable_slot(example_plan):
    a = example_plan.activities[0]
    sid, slot = a.staff[0], a.slots[0]
    L = with_instance(
        lambda r: next(s for s in r["staff"] if s["id"] == sid)["unavailable"].append(
            {"day": slot.day, "period": slot.period}
        )
    )
    assert "R25" in activity_rules(L, example_plan)
