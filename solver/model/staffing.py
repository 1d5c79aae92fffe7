"""Stage 2, staffing: who serves each activity once times, rooms and students are fixed.

R12/R13/R10 (qualified, approved, subject) through the candidates; R21 (enough staff, never two
places at once); R25 (caps, availability); R24 (duties, on-site span, rest: single slots through
`ProblemData.free_slots`; one place, caps and pairs through r25_caps); R20 (the budget, exactly). Objective, in order:
changes from a previous plan's staff, (c) term cost, then (d) the highest load and (e) homework
groups supervised by a teacher of their class. Warm-started with a greedy assignment.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from models.common import SlotKey
from models.instance import Course
from solver.model import r25_caps, run
from solver.model.data import ProblemData
from solver.model.r20_budget import limit
from solver.model.run import Settings

CHANGE_WEIGHT = 100_000  # one kept staff assignment outweighs any cost difference in yuan per week


@dataclass
class Job:
    id: str
    course: Course
    kind: str
    slots: tuple[SlotKey, ...]
    need: int
    klass: str | None = None
    hint: list[str] = field(default_factory=list)
    previous: list[str] = field(default_factory=list)
    pinned: list[str] | None = None
    staff: list[str] = field(default_factory=list)


@dataclass
class StaffResult:
    status: str
    objective: float | None = None
    bound: float | None = None
    seconds: float = 0.0
    variables: int = 0
    trace: list = field(default_factory=list)


def greedy(data: ProblemData, jobs: list[Job]) -> dict[str, list[str]] | None:
    """A quick feasible assignment to start from: hardest jobs first, least-loaded free person."""
    busy: dict[str, set[SlotKey]] = defaultdict(set)
    week: dict[str, int] = defaultdict(int)
    day: dict[tuple[str, str], int] = defaultdict(int)
    conflicts = {st.id: set(data.conflicts(st.id)) for st in data.loaded.instance.staff}
    out: dict[str, list[str]] = {}

    def ok(sid: str, job: Job) -> bool:
        st = data.loaded.staff[sid]
        if any(t in busy[sid] for t in job.slots) or week[sid] + len(job.slots) > st.max_periods_per_week:
            return False
        per_day: dict[str, int] = defaultdict(int)
        for d, _ in job.slots:
            per_day[d] += 1
        if any(day[(sid, d)] + n > st.max_periods_per_day for d, n in per_day.items()):
            return False
        for t in job.slots:
            for u in busy[sid]:
                if (t, u) in conflicts[sid] or (u, t) in conflicts[sid]:
                    return False
        return True

    def take(sid: str, job: Job) -> None:
        busy[sid].update(job.slots)
        week[sid] += len(job.slots)
        for d, _ in job.slots:
            day[(sid, d)] += 1

    cands = {j.id: candidates(data, j) for j in jobs}
    for job in sorted(jobs, key=lambda j: (j.pinned is None, len(cands[j.id]) - j.need, -len(j.slots), j.id)):
        chosen: list[str] = []
        preferred = (job.pinned or []) + [s for s in job.previous + job.hint if s not in (job.pinned or [])]
        for sid in preferred:
            if len(chosen) < job.need and sid in cands[job.id] and sid not in chosen and ok(sid, job):
                chosen.append(sid)
                take(sid, job)
        rest = sorted(
            (sid for sid in cands[job.id] if sid not in chosen),
            key=lambda sid: (
                job.klass is None or job.klass not in data.loaded.staff[sid].classes,
                week[sid],
                data.loaded.staff[sid].pay_per_period,
                sid,
            ),
        )
        for sid in rest:
            if len(chosen) >= job.need:
                break
            if ok(sid, job):
                chosen.append(sid)
                take(sid, job)
        if len(chosen) < job.need:
            return None
        out[job.id] = chosen
    return out


def candidates(data: ProblemData, job: Job) -> list[str]:
    return [st.id for st in data.teachers_for[job.course.id] if data.can_serve(st, job.slots)]


@dataclass
class StaffVars:
    """The staffing model's variables: assign[(job, staff)] puts the person on the job;
    busy[(staff, slot)] the assignments that put them in that slot; load[staff] their week's;
    cost the weekly pay (scaled to stay integral); assumed[job or "budget"] the assumption
    literals when explaining."""

    assign: dict[tuple[str, str], cp_model.IntVar] = field(default_factory=dict)
    busy: dict[tuple[str, SlotKey], list] = field(default_factory=lambda: defaultdict(list))
    load: dict[str, list] = field(default_factory=dict)
    cost: object = 0
    assumed: dict[str, cp_model.IntVar] = field(default_factory=dict)


def build(data: ProblemData, jobs: list[Job], explain: bool = False, budget: bool = True):
    """The staffing model, its constraints in order. With `explain`, each job's staffing and the
    budget are enforced by an assumption literal, so an infeasible model can say which of them
    conflict."""
    model = cp_model.CpModel()
    staff = StaffVars()
    _enough_qualified_staff(data, model, staff, jobs, explain)  # R12/R13/R10; R21 enough, R14 escorts
    staff.load = r25_caps.limit_people(data, model, staff.busy)  # R21 one place; R25 caps; R24 pairs
    _within_budget(data, model, staff, jobs, explain, budget)  # R20, and (c) the cost it minimises
    return model, staff.assign, staff.load, staff.cost, staff.assumed


def _enough_qualified_staff(
    data: ProblemData, model: cp_model.CpModel, staff: StaffVars, jobs: list[Job], explain: bool
) -> None:
    """Each job exactly its staff from the people qualified and free for all its slots (pinned
    staff kept); when explaining, at least that many under the job's assumption."""
    for job in jobs:
        cands = candidates(data, job)
        if job.pinned is not None:
            cands = [sid for sid in job.pinned if sid in cands] if not explain else cands
        lits = []
        for sid in cands:
            var = model.new_bool_var(f"a[{job.id},{sid}]")
            staff.assign[(job.id, sid)] = var
            lits.append(var)
            for t in job.slots:
                staff.busy[(sid, t)].append(var)
        need = len(job.pinned) if job.pinned is not None else job.need
        if explain:
            staff.assumed[job.id] = model.new_bool_var(f"staffed[{job.id}]")
            model.add(sum(lits) >= need).only_enforce_if(staff.assumed[job.id])
        elif job.pinned is not None:
            model.add(sum(lits) == need)  # fewer candidates than pinned: infeasible, as it should be
        else:
            model.add(sum(lits) == job.need)  # exactly the staff needed: more only costs


def _within_budget(
    data: ProblemData, model: cp_model.CpModel, staff: StaffVars, jobs: list[Job], explain: bool, budget: bool
) -> None:
    """(c) weekly cost in yuan (times 100 when rates have cents, to stay integral); R20: the
    term's pay within the limit when there is one."""
    loaded = data.loaded
    scale = 1 if all(float(st.pay_per_period).is_integer() for st in loaded.instance.staff) else 100
    job_of = {job.id: job for job in jobs}
    staff.cost = sum(
        round(loaded.staff[sid].pay_per_period * scale) * len(job_of[jid].slots) * var
        for (jid, sid), var in staff.assign.items()
    )
    cap = limit(data)
    if cap is not None and budget:
        ct = model.add(staff.cost * loaded.policy.term_weeks <= math.floor(cap * scale))
        if explain:
            staff.assumed["budget"] = model.new_bool_var("budget")
            ct.only_enforce_if(staff.assumed["budget"])


def solve(
    data: ProblemData, jobs: list[Job], *, time_limit: float, settings: Settings, class_weight: int = 1
) -> StaffResult:
    t0 = time.perf_counter()
    loaded = data.loaded
    model, a, load, cost, _ = build(data, jobs)
    job_of = {job.id: job for job in jobs}
    changes = sum(1 - a[(job.id, sid)] if (job.id, sid) in a else 1 for job in jobs for sid in job.previous)
    has_previous = any(j.previous for j in jobs)
    start = greedy(data, jobs)
    if start is not None:
        for (jid, sid), var in a.items():
            model.add_hint(var, int(sid in start.get(jid, [])))
    first_goal = CHANGE_WEIGHT * changes + cost if has_previous else cost
    model.minimize(first_goal)
    budget = time_limit if settings.workers == 1 else max(1.0, time_limit - (time.perf_counter() - t0))
    solver, status, trace = run.solve(model, "staff-cost", budget / 2, settings)
    result = StaffResult(solver.status_name(status).lower(), variables=len(model.proto.variables), trace=trace)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        if start is not None and status == cp_model.UNKNOWN:
            # stopped or out of time: the greedy assignment is a plan too (the checker decides)
            for job in jobs:
                job.staff = list(start[job.id])
            result.status = "feasible"
        result.seconds = time.perf_counter() - t0
        return result
    best = {k: solver.value(v) for k, v in a.items()}
    result.objective, result.bound = solver.objective_value, solver.best_objective_bound
    # (d) then (e), with (c) and the changes held at what was reached
    model.add(first_goal <= round(solver.objective_value))
    max_load = model.new_int_var(
        0, max((st.max_periods_per_week for st in loaded.instance.staff), default=0), "max_load"
    )
    for lits in load.values():
        model.add(max_load >= sum(lits))
    homework = [
        var
        for (jid, sid), var in a.items()
        if job_of[jid].kind == "homework"
        and job_of[jid].klass is not None
        and job_of[jid].klass in loaded.staff[sid].classes
    ]
    model.minimize((len(homework) + 1) * max_load - class_weight * sum(homework))
    model.clear_hints()
    for k, var in a.items():
        model.add_hint(var, best[k])
    solver2, status2, trace2 = run.solve(model, "staff-balance", budget / 2, settings)
    result.trace += trace2
    if status2 in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        best = {k: solver2.value(v) for k, v in a.items()}
        if status2 != cp_model.OPTIMAL:
            result.status = "feasible"
    for job in jobs:
        job.staff = []
    for (jid, sid), val in sorted(best.items()):
        if val:
            job_of[jid].staff.append(sid)
    result.seconds = time.perf_counter() - t0
    return result


def overshoot(data: ProblemData, jobs: list[Job], settings: Settings, time_limit: float = 10.0) -> float | None:
    """How far the cheapest staffing of these jobs is over the term's income (yuan), when the
    budget is what makes staffing infeasible; None otherwise."""
    loaded = data.loaded
    cap = limit(data)
    if cap is None:
        return None
    model, _, _, cost, _ = build(data, jobs, explain=False, budget=False)
    model.minimize(cost)
    solver, status, _ = run.solve(model, "staff-cost", time_limit, settings)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    scale = 1 if all(float(st.pay_per_period).is_integer() for st in loaded.instance.staff) else 100
    over = solver.best_objective_bound / scale * loaded.policy.term_weeks - cap
    return over if over > 0 else None


def explain(data: ProblemData, jobs: list[Job], time_limit: float) -> list[tuple[str, list[str]]]:
    """Which activities (and the budget) cannot all be staffed together: a set of assumption
    literals CP-SAT finds sufficient for infeasibility (1 worker, presolve off: ortools #5141)."""
    model, _, _, _, groups = build(data, jobs, explain=True)
    model.add_assumptions(list(groups.values()))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.cp_model_presolve = False
    solver.parameters.max_time_in_seconds = max(1.0, time_limit)
    status = solver.solve(model)
    if status != cp_model.INFEASIBLE:
        return []
    index = {var.index: name for name, var in groups.items()}
    core = [index[i] for i in solver.sufficient_assumptions_for_infeasibility() if i in index]
    job_of = {j.id: j for j in jobs}
    out: list[tuple[str, list[str]]] = []
    for name in core:
        if name == "budget":
            out.append(("budget", []))
        else:
            job = job_of[name]
            out.append((name, [sid for sid in candidates(data, job)]))
    return out
