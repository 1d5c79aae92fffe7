"""R24 flexible hours. With duties fixed, most of R24 is a property of single slots (see
`Problem.free_slots`: a slot that would make the on-site day too long or the rest too short is
never offered). What remains are pairs of slots a person cannot both serve."""

from __future__ import annotations

from ortools.sat.python import cp_model

from solver.model.data import ProblemData, SlotKey


def forbid_pairs(data: ProblemData, model: cp_model.CpModel, busy: dict[tuple[str, SlotKey], list]) -> int:
    """busy[(staff, slot)]: the literals that put the person in that slot. Returns how many pairs."""
    n = 0
    for st in data.loaded.instance.staff:
        for t1, t2 in data.conflicts(st.id):
            a, b = busy.get((st.id, t1), []), busy.get((st.id, t2), [])
            if a and b:
                model.add(sum(a) + sum(b) <= 1)
                n += 1
    return n
