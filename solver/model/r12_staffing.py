"""R12/R13/R10/R21/R25 (staffing and qualifications) for sections: each open section gets at
least its number of staff (R21; R14 escorts off campus) from the people qualified for its course
(R12; institutions approved and no subject training, R13; tutors teach the subject, R10), each
free in all its slots (R24 duties, R25 availability), never in two places at once (R21), within
weekly and daily caps (R25) and the flexible-hours pairs (R24)."""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from solver.model import r25_caps
from solver.model.data import ProblemData
from solver.model.vars import SectionVars

MAX_CANDIDATES = 12  # a course any teacher may run needs only a few names to choose from


def candidates(data: ProblemData, i: int):
    sec = data.sections[i]
    staff = [st for st in data.teachers_for[sec.course.id] if any(data.can_serve(st, o.slots) for o in sec.options)]
    if len(staff) > MAX_CANDIDATES:
        # the people a hint (a previous or baseline plan) uses first, then the cheapest and freest
        known = data.hint_staff.get(sec.course.id, set())
        staff.sort(key=lambda st: (st.id not in known, st.pay_per_period, -len(data.free_slots[st.id]), st.id))
        staff = staff[: max(MAX_CANDIDATES, len(known))]
    return staff


def build(data: ProblemData, model: cp_model.CpModel, variables: SectionVars) -> None:
    busy: dict[tuple[str, tuple], list] = defaultdict(list)
    for i, sec in enumerate(data.sections):
        staff = candidates(data, i)
        for st in staff:
            w = model.new_bool_var(f"w[{sec.name},{st.id}]")
            variables.serves[(i, st.id)] = w
            model.add(w <= variables.open(i))
            for o in sec.options:
                if not data.can_serve(st, o.slots):
                    model.add(w + variables.option[i][o.index] <= 1)
            for t in variables.slots_of(i):
                if t not in data.free_slots[st.id]:
                    continue
                v = model.new_bool_var(f"v[{sec.name},{st.id},{t}]")
                model.add(v >= w + variables.at(i, t) - 1)
                variables.serves_in[(i, st.id, t)] = v
                busy[(st.id, t)].append(v)
        model.add(
            sum(variables.serves[(i, st.id)] for st in staff)
            >= sum(o.staff_need * variables.option[i][o.index] for o in sec.options)
        )
    r25_caps.limit_people(data, model, busy)
