"""Stage 1, sectioning: sections, their times and rooms, their staff, and the students in them.

Composed from one module per rule group (r11_sections on the placement core, r02_coverage, r12_staffing,
r21_supervision, r20_budget) and maximises the preference objective (objective.py). Warm-started
with complete hints from a feasible plan (the best heuristic's), then improved on a fixed
timetable, by our own LNS (lns.py) and by CP-SAT's joint search; bounded by lp_bound.py and
relaxation.py.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from models.common import SlotKey
from models.plan import Activity
from solver.model import (
    lns,
    lp_bound,
    objective,
    pins,
    r02_coverage,
    r11_sections,
    r12_staffing,
    r20_budget,
    r21_rooms,
    r21_supervision,
    relaxation,
    run,
)
from solver.model.data import Option, ProblemData, SectionSpec
from solver.model.run import Progress, ProgressFn, Settings
from solver.model.vars import SectionVars

__all__ = ["Progress", "ProgressFn", "SectionResult", "build", "solve"]


@dataclass
class OpenSection:
    spec: SectionSpec
    option: Option
    students: list[str]
    staff: list[str]


@dataclass
class SectionResult:
    status: str
    sections: list[OpenSection] = field(default_factory=list)
    objective: float | None = None
    bound: float | None = None
    seconds: float = 0.0
    variables: int = 0
    constraints: int = 0
    trace: list[Progress] = field(default_factory=list)
    ceiling: float | None = None  # the relaxation's bound, when computed
    lns: dict = field(default_factory=dict)  # what our own LNS did (iterations, improvements per neighbourhood)


# Stage 1's constraints in the order they are added: the table of contents of the model. Each
# is `build(data, model, variables)` of the module named after its rule (solver/rules.py maps
# every rule code to these modules, the checker's functions and the tests).
CONSTRAINTS = (
    r21_rooms.build,  # R21/R14: sections as optional items (option = pattern × room), rooms unshared
    r11_sections.build,  # R11: sections of a course open in order
    r02_coverage.build,  # R2/R9/R10/R11: who sits where; one section per course; no clashes
    r11_sections.build_sizes,  # R11/R21: min_size to run, capacity
    r12_staffing.build,  # R12/R13/R10/R21, with R24/R25 through r25_caps: section staff
    r21_supervision.build,  # R21 with R2/R5/R6/R9: enough people and rooms left for the groups
    r20_budget.build,  # R20: the term's pay within income when the budget must balance
    pins.build,  # PIN: pinned sections, staff, rooms, students
)


def build(
    data: ProblemData, weights: objective.Weights, budget_slack: float = 0.0, previous: list[Activity] | None = None
):
    model = cp_model.CpModel()
    variables = SectionVars(data, model, budget_slack=budget_slack)
    for add_constraints in CONSTRAINTS:
        add_constraints(data, model, variables)
    preference = objective.preference_terms(data, variables, weights)
    if previous:
        # changes first (issue 3 §7): one change outweighs all the preference points there are
        top = objective.preference_ceiling(data, variables, weights) + 1
        model.maximize(preference - top * pins.change_terms(data, model, variables, previous))
    else:
        model.maximize(preference)
    return model, variables


# --------------------------------------------------------------------------- hints


def match_plan(data: ProblemData, activities: list[Activity]) -> dict[int, tuple[Option, Activity]]:
    """Sections of a feasible plan (e.g. the baseline's) as (option, activity) per section index."""
    out: dict[int, tuple[Option, Activity]] = {}
    free: dict[str, list[int]] = {}  # section indices of each course not yet matched
    for i, sec in enumerate(data.sections):
        free.setdefault(sec.course.id, []).append(i)
    for a in activities:
        if a.kind not in ("elective", "tutoring") or not free.get(a.course):
            continue
        slots = {(s.day, s.period) for s in a.slots}
        for i in list(free[a.course]):
            sec = data.sections[i]
            opt = next(
                (
                    o
                    for o in sec.options
                    if set(o.slots) == slots
                    and (o.room == a.room or (o.pool is not None and a.room in data.pools[o.pool]))
                ),
                None,
            )
            if opt is not None:
                out[i] = (opt, a)
                free[a.course].remove(i)
                break
    return out


def add_hints(data: ProblemData, model: cp_model.CpModel, variables: SectionVars, activities: list[Activity]) -> int:
    """Hint every variable from a feasible plan; returns how many sections it placed."""
    matched = match_plan(data, activities)
    # sections of a course must open in order (symmetry breaking): renumber matched ones first
    z_val = {(i, o): 0 for i in variables.option for o in variables.option[i]}
    members: dict[int, set[str]] = {}
    staff: dict[int, set[str]] = {}
    by_course: dict[str, list[int]] = {}
    for i, sec in enumerate(data.sections):
        by_course.setdefault(sec.course.id, []).append(i)
    for idxs in by_course.values():
        chosen = sorted((matched[i] for i in idxs if i in matched), key=lambda t: t[0].pattern)
        for i, (opt, a) in zip(idxs, chosen, strict=False):
            z_val[(i, opt.index)] = 1
            members[i] = set(a.students)
            staff[i] = set(a.staff)
    at: dict[int, set[SlotKey]] = {}
    for i, sec in enumerate(data.sections):
        picked = next((o for o in sec.options if z_val[(i, o.index)]), None)
        at[i] = set(picked.slots) if picked is not None else set()
    for (i, o), val in z_val.items():
        model.add_hint(variables.option[i][o], val)
    for i, var in variables.open_lit.items():
        model.add_hint(var, int(bool(at[i])))
    z_index = {var.index for opts in variables.option.values() for var in opts.values()}
    for i, pats in variables.pattern.items():
        for pat, var in pats.items():
            if var.index not in z_index:  # a pattern with one room is its z literal itself
                model.add_hint(
                    var, int(any(z_val[(i, o.index)] and o.pattern == pat for o in data.sections[i].options))
                )
    for (s, i), var in variables.seat.items():
        model.add_hint(var, int(s in members.get(i, ())))
    for (i, sid), var in variables.serves.items():
        model.add_hint(var, int(sid in staff.get(i, ())))
    for (i, sid, t), var in variables.serves_in.items():
        model.add_hint(var, int(sid in staff.get(i, ()) and t in at[i]))
    for (i, j), clash in variables.clash.items():
        if clash is not None:
            model.add_hint(clash, int(any(d1 == d2 for d1, _ in at[i] for d2, _ in at[j])))
    for (s, i, t), var in variables.sits_in.items():
        model.add_hint(var, int(s in members.get(i, ()) and t in at[i]))
    grade = {s.id: data.loaded.grade(s) for s in data.active_students}
    for (i, pat, g), var in variables.grade_size.items():
        runs = any(z_val[(i, o.index)] and o.pattern == pat for o in data.sections[i].options)
        model.add_hint(var, sum(1 for s in members.get(i, ()) if grade.get(s) == g) if runs else 0)
    need = r21_supervision.demand(data)
    counts: dict[tuple[SlotKey, int | None], int] = {}
    for (t, group_grade), var in variables.groups.items():
        taken = sum(
            1
            for i in at
            if t in at[i]
            for s in members.get(i, ())
            if group_grade is None or grade.get(s) == group_grade
        )
        cap = r21_supervision.supervision_cap(data, data.loaded.period[t[1]].kind)
        counts[(t, group_grade)] = max(0, math.ceil((need[(t, group_grade)] - taken) / cap)) if cap else 0
        model.add_hint(var, counts[(t, group_grade)])
    if variables.group_pay is not None:
        var, value = variables.group_pay
        model.add_hint(var, value(counts))
    for s, var in variables.any_elective.items():
        model.add_hint(
            var,
            int(any(s in members.get(i, ()) for i in variables.sections_of[s] if data.sections[i].kind == "elective")),
        )
    return sum(1 for v in z_val.values() if v)


# --------------------------------------------------------------------------- solve


def solve(
    data: ProblemData,
    *,
    time_limit: float,
    settings: Settings,
    weights: objective.Weights,
    hint: list[Activity] | None = None,
    budget_slack: float = 0.0,
    previous: list[Activity] | None = None,
    fixed_share: float = 0.5,
    lns_share: float = 0.8,
) -> SectionResult:
    """Two phases when a hint plan is given: first the students (and section staff) with the hint's
    timetable fixed, a near-transportation problem that CP-SAT solves well; then the joint model,
    free to move, open and close sections, warm-started from the first phase."""
    t0 = time.perf_counter()
    for a in hint or []:
        data.hint_staff.setdefault(a.course, set()).update(a.staff)
    model, variables = build(data, weights, budget_slack, previous)
    ceiling = None
    if not previous:
        # a bound CP-SAT proves fast on a relaxation; the joint model's own LP bound is weak
        bounds = [
            lp_bound.bound(data, weights, time_limit=max(1.0, 0.1 * time_limit)),
            relaxation.bound(data, weights, time_limit=min(5.0, 0.05 * time_limit), workers=settings.workers),
        ]
        ceiling = min((b for b in bounds if b is not None), default=None)
        if ceiling is not None:
            model.add(objective.preference_terms(data, variables, weights) <= ceiling)
    hinted = add_hints(data, model, variables, hint) if hint else 0
    # the hint is a plan only if every one of its sections found its place in the model
    complete = bool(hint and hinted == sum(1 for a in hint if a.kind in ("elective", "tutoring")))
    proto = model.proto
    result = SectionResult(
        "unknown", variables=len(proto.variables), constraints=len(proto.constraints), ceiling=ceiling
    )
    best: dict[int, int] | None = None
    build_seconds = time.perf_counter() - t0
    # one worker: fixed budgets in deterministic time, never what the wall clock left over
    budget = time_limit if settings.workers == 1 else max(1.0, time_limit - build_seconds)
    phases = (
        [("students", budget * fixed_share), ("sections", budget * (1 - fixed_share))]
        if hinted and fixed_share > 0
        else [("sections", budget)]
    )
    if hinted and previous is None and lns_share > 0:
        # our own LNS for most of the joint phase; CP-SAT's joint search (and its bound) for the rest
        rest = budget * (1 - fixed_share) if fixed_share > 0 else budget
        phases = [*phases[:-1], ("lns", rest * lns_share), ("sections", rest * (1 - lns_share))]

    def phase_settings(name: str) -> Settings:
        """Progress with a bound that holds for the whole problem: the fixed-timetable phase's own
        bound does not (another timetable may do better), the relaxation's does."""
        progress = settings.progress
        if progress is None:
            return settings

        def report(e: Progress) -> None:
            bound = e.bound if name == "sections" else float("inf")
            if ceiling is not None:
                bound = min(bound, ceiling)
            progress(Progress(e.stage, e.seconds, e.objective, bound, e.sense))

        return Settings(settings.workers, settings.seed, report, settings.stop, settings.t0)

    # one presolve pass: the model is mostly assignment; deeper presolve cost seconds before the
    # first solution and did not pay for itself (benchmarks/NOTES.md)
    params = {"max_presolve_iterations": 1}
    for name, share in phases:
        if name == "lns":
            if best is None and not complete:
                continue
            if best is None:
                best = dict(zip(proto.solution_hint.vars, proto.solution_hint.values, strict=True))
                result.objective = objective.plan_score(data.loaded, hint, weights)
            deadline = t0 + time_limit if settings.workers > 1 else None
            if settings.workers > 1:
                share = max(0.5, (time_limit - (time.perf_counter() - t0)) * lns_share)
            assert result.objective is not None  # set with best, or just above from the hint
            best, improved, stats, trace = lns.improve(
                data, model, variables, best, result.objective, share, phase_settings("sections"), deadline=deadline
            )
            result.trace += trace
            result.lns = stats.summary()
            if improved > result.objective:
                result.objective = improved
            result.status = "feasible"
            continue
        if name == "sections" and settings.workers > 1:
            share = max(1.0, time_limit - (time.perf_counter() - t0))  # what the first phase left
        phase_model = model
        if name == "students":
            phase_model = model.clone()
            values = dict(zip(proto.solution_hint.vars, proto.solution_hint.values, strict=False))
            for i in variables.option:
                for var in variables.option[i].values():
                    phase_model.add(phase_model.get_bool_var_from_proto_index(var.index) == values[var.index])
        elif best is not None:
            model.clear_hints()
            for k, val in best.items():
                model.add_hint(model.get_int_var_from_proto_index(k), val)
        solver, status, trace = run.solve(phase_model, name, share, phase_settings(name), **params)
        result.trace += trace
        if status == cp_model.INFEASIBLE and name == "sections":
            result.status = "infeasible"
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            continue
        better = best is None
        if not better:
            assert result.objective is not None  # best and its objective are set together
            better = solver.objective_value >= result.objective
        if better:
            best = {k: solver.value(phase_model.get_int_var_from_proto_index(k)) for k in range(len(proto.variables))}
            result.objective = solver.objective_value
            result.status = "feasible"
        if name == "sections":
            assert result.objective is not None  # this phase found a solution: best is set, and with it the objective
            result.bound = (
                min(solver.best_objective_bound, ceiling) if ceiling is not None else solver.best_objective_bound
            )
            if status == cp_model.OPTIMAL and solver.objective_value >= result.objective:
                result.status = "optimal"
    result.seconds = time.perf_counter() - t0
    if best is None and complete and result.status != "infeasible":
        # no solution in time (presolve alone can take longer than a short limit on a big
        # school): the complete hint is a plan's sections and students — continue from it, the
        # staffing stage and the checker still decide whether it holds
        best = dict(zip(proto.solution_hint.vars, proto.solution_hint.values, strict=True))
        result.status = "feasible"
        result.objective = None if previous else objective.plan_score(data.loaded, hint, weights)
    if result.bound is None and ceiling is not None and best is not None:
        result.bound = ceiling  # only the fixed-timetable phase ran; the relaxation still bounds it
    if best is None:
        return result

    def value(var) -> int:
        return best[var.index]

    for i, sec in enumerate(data.sections):
        opt = next((sec.options[o] for o, var in variables.option[i].items() if value(var)), None)
        if opt is None:
            continue
        students = [s for s in variables.students_of[i] if value(variables.seat[(s, i)])]
        staff = [sid for (j, sid), var in variables.serves.items() if j == i and value(var)]
        result.sections.append(OpenSection(sec, opt, students, staff))
    return result


def explain(data: ProblemData, weights: objective.Weights, time_limit: float) -> list[str]:
    """Names of constraint groups (rule|records...) that cannot hold together: each group gets an
    enforcement literal, assumed true; CP-SAT returns a sufficient subset (1 worker, presolve off,
    ortools #5141)."""
    model, variables = build(data, weights)
    lits = {}
    for name, cts in variables.named.items():
        lit = model.new_bool_var(f"assume[{name}]")
        for ct in cts:
            ct.only_enforce_if(lit)
        lits[name] = lit
    model.add_assumptions(list(lits.values()))
    model.clear_objective()
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.cp_model_presolve = False
    solver.parameters.max_time_in_seconds = max(1.0, time_limit)
    if solver.solve(model) != cp_model.INFEASIBLE:
        return []
    index = {lit.index: name for name, lit in lits.items()}
    return [index[i] for i in solver.sufficient_assumptions_for_infeasibility() if i in index]
