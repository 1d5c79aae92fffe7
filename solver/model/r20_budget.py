"""R20 (budget): when the budget must balance, the term's pay cannot exceed fees after waivers
plus subsidy; and the optimizer's own promise, when it has a baseline to compare with: a term
cost no higher than first-come-first-served's (`Problem.cost_cap`). The sectioning model bounds
the pay from below (section staff at their rates, each supervision group at the lowest rate of
those who could supervise it); the staffing model then meets the limit exactly."""

from __future__ import annotations

import math

from ortools.sat.python import cp_model

from models.fees import term_income
from solver.model.data import ProblemData
from solver.model.r21_supervision import supervisors
from solver.model.vars import SectionVars


def income(data: ProblemData) -> float:
    return term_income(data.loaded.instance, data.loaded.policy)


def limit(data: ProblemData) -> float | None:
    """The most the term's pay may be: income when the budget must balance, the cost cap when
    one is set, the lower of the two; None for no limit."""
    caps = []
    if data.loaded.policy.budget_must_balance:
        caps.append(income(data))
    if data.cost_cap is not None:
        caps.append(data.cost_cap)
    return min(caps) if caps else None


def build(data: ProblemData, model: cp_model.CpModel, variables: SectionVars) -> None:
    """The term's pay bounded from below within the limit, less `variables.budget_slack` (what the
    staffing stage found the bound missed on an earlier try)."""
    pol = data.loaded.policy
    cap = limit(data)
    if cap is None:
        return
    weekly = sum(
        math.floor(data.loaded.staff[sid].pay_per_period) * v for (_i, sid, _t), v in variables.serves_in.items()
    )
    groups = sum(variables.groups.values())
    # the groups' pay, bounded twice: each group at the lowest rate among those who could take it
    # then, and all of them filling the cheapest people's weekly caps first (a convex piecewise-
    # linear bound, as lines: rates rise along the sorted caps)
    rates = {
        key: math.floor(min((data.loaded.staff[sid].pay_per_period for sid in supervisors(data, key[0])), default=0))
        for key in variables.groups
    }
    people = sorted(
        {sid for t in data.slots for sid in supervisors(data, t)},
        key=lambda sid: (data.loaded.staff[sid].pay_per_period, sid),
    )
    lines = []  # (rate, constant): group_pay ≥ rate · groups + constant
    filled = spent = 0
    for sid in people:
        rate = math.floor(data.loaded.staff[sid].pay_per_period)
        lines.append((rate, spent - rate * filled))
        n = min(data.loaded.staff[sid].max_periods_per_week, len(data.free_slots[sid]))
        filled, spent = filled + n, spent + rate * n
    group_pay = model.new_int_var(0, max(1, spent) + 1, "group_pay")
    model.add(group_pay >= sum(rates[key] * g for key, g in variables.groups.items()))
    for rate, const in lines:
        model.add(group_pay >= rate * groups + const)

    def value(counts: dict) -> int:
        """group_pay for given group counts (to hint it)."""
        total = sum(counts.values())
        return max([sum(rates[k] * n for k, n in counts.items()), *(r * total + c for r, c in lines), 0])

    variables.group_pay = (group_pay, value)
    ct = model.add(pol.term_weeks * (weekly + group_pay) <= math.floor(cap - variables.budget_slack))
    variables.named["R20|budget"].append(ct)
