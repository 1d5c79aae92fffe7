"""R19/R20/R23: the plan's costs are what the instance's rates give; the budget balances when
it must."""

from tests.conftest import plan_dict, rules_of, with_instance


def test_reported_pay_differs_from_rates(example, example_plan):
    p = plan_dict(example_plan)
    p["costs"]["staff_pay_per_week"] -= 80
    assert rules_of(example, p) == {"R19"}


def test_reported_per_staff_record_differs(example, example_plan):
    p = plan_dict(example_plan)
    p["costs"]["per_staff"][0]["periods_per_week"] += 1
    assert rules_of(example, p) == {"R23"}


def test_reported_income_differs(example, example_plan):
    p = plan_dict(example_plan)
    p["costs"]["fee_income_per_term"] += 300
    assert "R18" in rules_of(example, p)


def test_budget_must_balance(example_plan):
    L = with_instance(lambda r: r["policy"].update(subsidy_per_term=0))
    assert "R20" in {v for v in rules_of(L, example_plan)}


def test_unbalanced_budget_is_only_reported_when_not_required(example_plan):
    from solver.check import check_activities

    L = with_instance(lambda r: r["policy"].update(subsidy_per_term=0, budget_must_balance=False))
    assert "R20" not in {v.rule for v in check_activities(L, example_plan.activities)}


def test_costs_recomputed_from_rates(example, example_plan):
    c = example_plan.costs
    periods = {x.staff: x.periods_per_week for x in c.per_staff}
    pay = sum(n * example.staff[s].pay_per_period for s, n in periods.items())
    assert c.staff_pay_per_week == pay and c.staff_pay_per_term == pay * 18
    payers = sum(1 for s in example.instance.students if s.fee_waiver is None)
    assert c.fee_income_per_term == 300 * payers == 300 * 34
    assert c.balance_per_term == c.fee_income_per_term + 40000 - c.staff_pay_per_term
