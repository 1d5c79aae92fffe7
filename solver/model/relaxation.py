"""An upper bound on the preference objective from a relaxation that CP-SAT proves fast.

Keep only the students' side — kept choices whose sessions could fit their days, one section
per course, `electives_per_week`, at least-one-choice — and each course's total seats over all
its possible sections; drop times, rooms, staff, minimum sizes, clashes and tutoring. Every plan
of the sectioning model is a solution of this relaxation, so its optimum bounds the sectioning
objective from above. CP-SAT's own bound on the joint model is weak (its LP does not see the
students' side well once section sizes link it to the options: benchmarks/NOTES.md); adding
`objective ≤ this bound` to the joint model makes the reported gap honest and useful.
"""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from solver.model import objective, run
from solver.model.data import ProblemData
from solver.model.run import Settings


def bound(data: ProblemData, weights: objective.Weights, time_limit: float = 5.0, workers: int = 1) -> int | None:
    model = cp_model.CpModel()
    seats: dict[str, int] = defaultdict(int)
    fits: dict[str, list] = defaultdict(list)
    for sec in data.sections:
        if sec.kind == "elective":
            seats[sec.course.id] += max(o.cap for o in sec.options)
            fits[sec.course.id].append(sec)
    y: dict[tuple[str, str], cp_model.IntVar] = {}
    terms = []
    per_course: dict[str, list] = defaultdict(list)
    for s in data.active_students:
        kept = data.loaded.kept_choices[s.id]
        mine = []
        for rank, cid in enumerate(kept, 1):
            if not any(data.fits(s, o.slots) for sec in fits.get(cid, []) for o in sec.options):
                continue
            var = model.new_bool_var(f"y[{s.id},{cid}]")
            y[(s.id, cid)] = var
            mine.append(var)
            per_course[cid].append(var)
            terms.append(weights.rank(rank) * var)
        if mine:
            if len(mine) > s.electives_per_week:
                model.add(sum(mine) <= s.electives_per_week)
            any_ = model.new_bool_var(f"any[{s.id}]")
            model.add(any_ <= sum(mine))
            terms.append(weights.any_choice * any_)
    for cid, lits in per_course.items():
        if len(lits) > seats[cid]:
            model.add(sum(lits) <= seats[cid])
    model.maximize(sum(terms))
    solver, status, _ = run.solve(model, "relaxation", time_limit, Settings(workers=workers))
    if status == cp_model.OPTIMAL:
        return round(solver.objective_value)
    if status == cp_model.FEASIBLE:
        return int(solver.best_objective_bound)
    return None
