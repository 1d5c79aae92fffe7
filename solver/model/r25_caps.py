"""R25 caps with R21 and R24, for both stages: a person is in one place at a time (R21), within
their weekly and daily caps (R25) and never in two slots the flexible-hours rule keeps apart
(R24, `r24_hours.forbid_pairs`). Stage 1 (`r12_staffing`) and stage 2 (`staffing`) both call
this with their own literals, so the caps are written once."""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from solver.model import r24_hours
from solver.model.data import ProblemData, SlotKey


def limit_people(data: ProblemData, model: cp_model.CpModel, busy: dict[tuple[str, SlotKey], list]) -> dict[str, list]:
    """busy[(staff, slot)]: the literals that put the person in that slot. Returns each person's
    literals over the week (their load)."""
    for lits in busy.values():
        if len(lits) > 1:
            model.add_at_most_one(lits)
    week: dict[str, list] = defaultdict(list)
    day: dict[tuple[str, str], list] = defaultdict(list)
    for (sid, t), lits in busy.items():
        week[sid].extend(lits)
        day[(sid, t[0])].extend(lits)
    for sid, lits in week.items():
        cap = data.loaded.staff[sid].max_periods_per_week
        if len(lits) > cap:
            model.add(sum(lits) <= cap)
    for (sid, _d), lits in day.items():
        cap = data.loaded.staff[sid].max_periods_per_day
        if len(lits) > cap:
            model.add(sum(lits) <= cap)
    r24_hours.forbid_pairs(data, model, busy)
    return week
