"""Flexible hours (R24): late groups only for staff whose on-site day stays within the limit,
even when someone cheaper would do."""

from tests.solver.model.helpers import by_id, solve_variant


def test_care_only_by_staff_who_may_stay_late():
    def change(raw):
        by_id(raw, "staff", "T04")["pay_per_period"] = 150
        by_id(raw, "staff", "T08")["pay_per_period"] = 150

    _, plan = solve_variant(change)
    care = {s for a in plan.activities if a.kind == "extended_care" for s in a.staff}
    assert care and care <= {"T04", "T08"}  # the 70-yuan early starters would break 600 minutes
