"""R20 (budget): when the budget must balance, the term's pay cannot exceed fees after waivers
plus subsidy; and the optimizer's own promise, when it has a baseline to compare with: a term
cost no higher than first-come-first-served's (`Problem.cost_cap`). The sectioning model bounds
the pay from below (section staff at their rates, each supervision group at the lowest rate of
those who could supervise it); the staffing model then meets the limit exactly."""

from __future__ import annotations

import math

from ortools.sat.python import cp_model

from solver.check import payers
from solver.model.data import Problem
from solver.model.r21_supervision import supervisors
from solver.model.vars import SectionVars


def income(P: Problem) -> float:
    pol = P.L.policy
    return pol.fee_per_term * payers(P.L) + pol.subsidy_per_term


def limit(P: Problem) -> float | None:
    """The most the term's pay may be: income when the budget must balance, the cost cap when
    one is set, the lower of the two; None for no limit."""
    caps = []
    if P.L.policy.budget_must_balance:
        caps.append(income(P))
    if P.cost_cap is not None:
        caps.append(P.cost_cap)
    return min(caps) if caps else None


def build(P: Problem, m: cp_model.CpModel, V: SectionVars, slack: float = 0.0) -> None:
    pol = P.L.policy
    cap = limit(P)
    if cap is None:
        return
    weekly = sum(math.floor(P.L.staff[sid].pay_per_period) * v for (_i, sid, _t), v in V.v.items())
    groups = sum(V.groups.values())
    # the groups' pay, bounded twice: each group at the lowest rate among those who could take it
    # then, and all of them filling the cheapest people's weekly caps first (a convex piecewise-
    # linear bound, as lines: rates rise along the sorted caps)
    rates = {key: math.floor(min((P.L.staff[sid].pay_per_period for sid in supervisors(P, key[0])), default=0))
             for key in V.groups}
    people = sorted({sid for t in P.slots for sid in supervisors(P, t)},
                    key=lambda sid: (P.L.staff[sid].pay_per_period, sid))
    lines = []  # (rate, constant): group_pay ≥ rate · groups + constant
    filled = spent = 0
    for sid in people:
        rate = math.floor(P.L.staff[sid].pay_per_period)
        lines.append((rate, spent - rate * filled))
        n = min(P.L.staff[sid].max_periods_per_week, len(P.free_slots[sid]))
        filled, spent = filled + n, spent + rate * n
    group_pay = m.new_int_var(0, max(1, spent) + 1, "group_pay")
    m.add(group_pay >= sum(rates[key] * g for key, g in V.groups.items()))
    for rate, const in lines:
        m.add(group_pay >= rate * groups + const)

    def value(counts: dict) -> int:
        """group_pay for given group counts (to hint it)."""
        total = sum(counts.values())
        return max([sum(rates[k] * n for k, n in counts.items()), *(r * total + c for r, c in lines), 0])

    V.group_pay = (group_pay, value)
    ct = m.add(pol.term_weeks * (weekly + group_pay) <= math.floor(cap - slack))
    V.named["R20|budget"].append(ct)
