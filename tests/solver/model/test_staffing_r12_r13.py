"""Staffing and qualifications (R12, R13, R25): only qualified, approved people, within caps."""

from tests.solver.model.helpers import by_id, members, solve_variant


def test_unapproved_institution_never_runs_a_course():
    def change(raw):
        raw["staff"] = [s for s in raw["staff"] if s["id"] != "X03"]  # X04 (unapproved) is left for robotics

    _, plan = solve_variant(change)
    assert members(plan, "ROBOT") == []
    assert all("X04" not in a.staff for a in plan.activities)


def test_cheap_teacher_stays_within_cap():
    def change(raw):
        t = by_id(raw, "staff", "T03")
        t.update(pay_per_period=70, max_periods_per_week=2)  # the cheapest, but only 2 periods
        raw["policy"]["budget_must_balance"] = False  # cost alone pulls towards T03

    _, plan = solve_variant(change)
    assert sum(len(a.slots) for a in plan.activities if "T03" in a.staff) <= 2
