"""R20 (budget): when the budget must balance, the term's pay cannot exceed fees after waivers
plus subsidy. The sectioning model bounds the pay from below (section staff at their rates,
each supervision group at the lowest teacher rate); the staffing model then meets it exactly."""

from __future__ import annotations

import math

from ortools.sat.python import cp_model

from solver.check import payers
from solver.model.data import Problem
from solver.model.vars import SectionVars


def income(P: Problem) -> float:
    pol = P.L.policy
    return pol.fee_per_term * payers(P.L) + pol.subsidy_per_term


def build(P: Problem, m: cp_model.CpModel, V: SectionVars, slack: float = 0.0) -> None:
    pol = P.L.policy
    if not pol.budget_must_balance:
        return
    teachers = [st for st in P.L.instance.staff if st.kind == "teacher" and P.free_slots[st.id]]
    floor_pay = math.floor(min((st.pay_per_period for st in teachers), default=0))
    weekly = sum(math.floor(P.L.staff[sid].pay_per_period) * v for (_i, sid, _t), v in V.v.items())
    weekly += floor_pay * sum(V.groups.values())
    ct = m.add(pol.term_weeks * weekly <= math.floor(income(P) - slack))
    V.named["R20|budget"].append(ct)
