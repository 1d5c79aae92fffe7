"""Budget (R20): the term's pay stays within income when it must, even if clubs go."""

from tests.solver.model.helpers import solve_variant


def test_tight_budget_balances():
    def change(raw):
        raw["policy"]["subsidy_per_term"] = 36500

    _, plan = solve_variant(change)
    assert plan.costs.balance_per_term >= 0
