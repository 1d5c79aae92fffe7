"""R12/R13/R10/R21/R25 (staffing and qualifications) for sections: each open section gets at
least its number of staff (R21; R14 escorts off campus) from the people qualified for its course
(R12; institutions approved and no subject training, R13; tutors teach the subject, R10), each
free in all its slots (R24 duties, R25 availability), never in two places at once (R21), within
weekly and daily caps (R25) and the flexible-hours pairs (R24)."""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from solver.model import r24_hours
from solver.model.data import Problem
from solver.model.vars import SectionVars

MAX_CANDIDATES = 12  # a course any teacher may run needs only a few names to choose from


def candidates(P: Problem, i: int):
    sec = P.sections[i]
    staff = [st for st in P.teachers_for[sec.course.id] if any(P.can_serve(st, o.slots) for o in sec.options)]
    if len(staff) > MAX_CANDIDATES:
        # the people a hint (a previous or baseline plan) uses first, then the cheapest and freest
        known = P.hint_staff.get(sec.course.id, set())
        staff.sort(key=lambda st: (st.id not in known, st.pay_per_period, -len(P.free_slots[st.id]), st.id))
        staff = staff[:max(MAX_CANDIDATES, len(known))]
    return staff


def build(P: Problem, m: cp_model.CpModel, V: SectionVars) -> None:
    busy: dict[tuple[str, tuple], list] = defaultdict(list)
    for i, sec in enumerate(P.sections):
        staff = candidates(P, i)
        for st in staff:
            w = m.new_bool_var(f"w[{sec.name},{st.id}]")
            V.w[(i, st.id)] = w
            m.add(w <= V.open(i))
            for o in sec.options:
                if not P.can_serve(st, o.slots):
                    m.add(w + V.z[i][o.index] <= 1)
            for t in V.slots_of(i):
                if t not in P.free_slots[st.id]:
                    continue
                v = m.new_bool_var(f"v[{sec.name},{st.id},{t}]")
                m.add(v >= w + V.at(i, t) - 1)
                V.v[(i, st.id, t)] = v
                busy[(st.id, t)].append(v)
        m.add(sum(V.w[(i, st.id)] for st in staff) >= sum(o.staff_need * V.z[i][o.index] for o in sec.options))
    for lits in busy.values():
        if len(lits) > 1:
            m.add_at_most_one(lits)
    week: dict[str, list] = defaultdict(list)
    day: dict[tuple[str, str], list] = defaultdict(list)
    for (sid, t), lits in busy.items():
        week[sid].extend(lits)
        day[(sid, t[0])].extend(lits)
    for sid, lits in week.items():
        cap = P.L.staff[sid].max_periods_per_week
        if len(lits) > cap:
            m.add(sum(lits) <= cap)
    for (sid, _d), lits in day.items():
        cap = P.L.staff[sid].max_periods_per_day
        if len(lits) > cap:
            m.add(sum(lits) <= cap)
    r24_hours.forbid_pairs(P, m, busy)
