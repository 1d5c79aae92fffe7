"""R20 (budget): when the budget must balance, the term's pay cannot exceed fees after waivers
plus subsidy. The sectioning model bounds the pay from below (section staff at their rates,
each supervision group at the lowest teacher rate); the staffing model then meets it exactly."""

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


def build(P: Problem, m: cp_model.CpModel, V: SectionVars, slack: float = 0.0) -> None:
    pol = P.L.policy
    if not pol.budget_must_balance:
        return
    weekly = sum(math.floor(P.L.staff[sid].pay_per_period) * v for (_i, sid, _t), v in V.v.items())
    for (t, _grade), g in V.groups.items():
        # each group at the lowest rate among the people who could supervise it then
        pays = [P.L.staff[sid].pay_per_period for sid in supervisors(P, t)]
        weekly += math.floor(min(pays, default=0)) * g
    ct = m.add(pol.term_weeks * weekly <= math.floor(income(P) - slack))
    V.named["R20|budget"].append(ct)
