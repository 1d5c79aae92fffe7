"""Large neighbourhood search of our own over the joint sectioning model (cpsat-modelling.md §8).

On 2 cores CP-SAT runs no neighbourhood portfolio of its own (one full subsolver, feasibility jump,
one interleaved thread), so the quality at a time limit is decided here. Each iteration frees a
part of the incumbent and fixes the rest, then CP-SAT repairs the part with the incumbent as a
complete hint; an equal or better solution becomes the incumbent (the floor never moves down).

Neighbourhoods (chosen adaptively by their recent success, sized to what solves in well under a
second):
- `courses`: a few courses (the most wanted of those whose demand is unmet first) — their
  sections' options, opening and staff, and every pupil who chose one of them;
- `day`: the courses meeting on one day, and the pupils who chose them;
- `rooms`: the courses that compete for one room kind;
- `pupils`: a set of pupils (those below their first choice first) with everything they sit in,
  the timetable fixed (the transportation part).

Reproducible with one worker: a seeded random stream, deterministic time per sub-solve, and a
budget counted in CP-SAT's deterministic time.
"""

from __future__ import annotations

import math
import random
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from solver.model.data import ProblemData
from solver.model.run import Progress, Settings
from solver.model.vars import SectionVars

KINDS = ("courses", "day", "rooms", "pupils")


@dataclass
class Stats:
    tried: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    improved: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    iterations: int = 0
    seconds: float = 0.0

    def summary(self) -> dict:
        return {
            "iterations": self.iterations,
            "seconds": round(self.seconds, 2),
            **{f"{k}": f"{self.improved[k]}/{self.tried[k]}" for k in KINDS if self.tried[k]},
        }


class Neighbourhoods:
    """Which variables each neighbourhood frees, from the structure of the model."""

    def __init__(self, data: ProblemData, variables: SectionVars):
        self.data, self.variables = data, variables
        self.by_course: dict[str, list[int]] = defaultdict(list)
        for i, sec in enumerate(data.sections):
            self.by_course[sec.course.id].append(i)
        self.choosers: dict[str, list[str]] = defaultdict(list)
        for s, i in variables.seat:
            cid = data.sections[i].course.id
            if self.by_course[cid][0] == i:
                self.choosers[cid].append(s)
        self.section_vars: dict[int, list] = defaultdict(list)
        for i, opts in variables.option.items():
            self.section_vars[i] += list(opts.values())
            self.section_vars[i] += [var for var in variables.pattern[i].values()]
        for i, lit in variables.open_lit.items():
            self.section_vars[i].append(lit)
        for (i, _sid), w in variables.serves.items():
            self.section_vars[i].append(w)
        self.student_vars: dict[str, list] = defaultdict(list)
        for (s, _i), y in variables.seat.items():
            self.student_vars[s].append(y)
        for s, a in variables.any_elective.items():
            self.student_vars[s].append(a)
        self.courses = sorted(self.by_course)
        self.kinds_of_room: dict[str, set[str]] = defaultdict(set)
        for cid in self.courses:
            for k in data.loaded.course[cid].room_kinds:
                self.kinds_of_room[k].add(cid)

    def unmet(self, value) -> dict[str, int]:
        """Per course: pupils who ranked it above everything they got (want more of it)."""
        data, variables = self.data, self.variables
        got: dict[str, int] = {}
        for (s, i), y in variables.seat.items():
            if data.sections[i].kind == "elective" and value(y):
                kept = data.loaded.kept_choices[s]
                r = kept.index(data.sections[i].course.id)
                got[s] = min(got.get(s, 99), r)
        out: dict[str, int] = defaultdict(int)
        for s in variables.any_elective:
            kept = data.loaded.kept_choices[s]
            for r, cid in enumerate(kept):
                if r >= got.get(s, 99):
                    break
                out[cid] += 1
        return out

    def pick(self, kind: str, size: int, rng: random.Random, value) -> tuple[set[int], set[str]]:
        """(sections, students) to free, about `size` students."""
        data = self.data
        if kind == "pupils":
            below = [s for s in self.variables.any_elective if not self._first(s, value)]
            pool = below if len(below) >= size // 2 else list(self.variables.any_elective)
            students = set(rng.sample(pool, min(len(pool), size)))
            return set(), students
        if kind == "day":
            day = rng.choice(data.loaded.days)
            cands = [
                cid
                for cid in self.courses
                if any(any(d == day for d, _ in self._slots(i, value)) for i in self.by_course[cid])
            ]
        elif kind == "rooms":
            kinds = [k for k, cs in sorted(self.kinds_of_room.items()) if len(cs) > 1]
            cands = sorted(self.kinds_of_room[rng.choice(kinds)]) if kinds else list(self.courses)
        else:
            unmet = self.unmet(value)
            cands = []  # the courses in a random order, the most wanted first more often
            pool = list(self.courses)
            while pool:
                j = rng.choices(range(len(pool)), [1 + unmet.get(c, 0) for c in pool])[0]
                cands.append(pool.pop(j))
        if kind != "courses":
            rng.shuffle(cands)
        sections: set[int] = set()
        students = set()
        for cid in cands:
            if students and len(students) + len(self.choosers[cid]) > size:
                continue
            sections.update(self.by_course[cid])
            students.update(self.choosers[cid])
            if len(students) >= size:
                break
        return sections, students

    def _first(self, s: str, value) -> bool:
        kept = self.data.loaded.kept_choices[s]
        return any(
            value(self.variables.seat[(s, i)]) for i in self.by_course.get(kept[0], []) if (s, i) in self.variables.seat
        )

    def _slots(self, i: int, value) -> tuple:
        for o, var in self.variables.option[i].items():
            if value(var):
                return self.data.sections[i].options[o].slots
        return ()


def improve(
    data: ProblemData,
    model: cp_model.CpModel,
    variables: SectionVars,
    incumbent: dict[int, int],
    objective: float,
    budget: float,
    settings: Settings,
    deadline: float | None = None,
) -> tuple[dict[int, int], float, Stats, list[Progress]]:
    """Improve `incumbent` (values of every variable, by proto index) within `budget` seconds
    (deterministic seconds with one worker)."""
    rng = random.Random(settings.seed * 7919 + 13)
    hoods = Neighbourhoods(data, variables)
    stats = Stats()
    trace: list[Progress] = []
    proto = model.proto
    n_vars = len(proto.variables)
    best = dict(incumbent)
    score = {k: 1.0 for k in KINDS}
    # starting sizes grow with the school (loading a big model costs the same for a small part)
    pupils = len(variables.any_elective)
    size = {k: max(60, pupils // 20) for k in KINDS}
    size["pupils"] = max(200, pupils // 8)
    spent = 0.0
    t0 = time.perf_counter()
    base = model.clone()
    base.clear_hints()
    lns_vars = sorted(
        {v.index for vs in hoods.section_vars.values() for v in vs}
        | {v.index for vs in hoods.student_vars.values() for v in vs}
    )
    lanes = 2 if settings.workers >= 2 else 1  # two one-worker repairs side by side (CP-SAT frees the GIL)
    # wall seconds also load the whole model (presolve off): a big school's repair needs longer
    limit = 1.0 if lanes == 1 else 1.5 + 5e-6 * len(proto.constraints) + 2e-5 * max(0, len(proto.constraints) - 100_000)

    def make(kind: str) -> tuple[str, cp_model.CpModel] | None:
        def value(var, best=best) -> int:
            return best[var.index]

        sections, students = hoods.pick(kind, size[kind], rng, value)
        free: set[int] = set()
        for i in sections:
            free.update(v.index for v in hoods.section_vars[i])
        for s in students:
            free.update(v.index for v in hoods.student_vars[s])
        if not free:
            return None
        sub = base.clone()
        proto_vars = sub.proto.variables
        for k in lns_vars:
            if k not in free:
                dom = proto_vars[k].domain
                dom[0] = dom[1] = best[k]
        sub.proto.solution_hint.vars.extend(range(n_vars))
        sub.proto.solution_hint.values.extend(best[k] for k in range(n_vars))
        return kind, sub

    def run(
        sub: cp_model.CpModel, seed: int, wall: float
    ) -> tuple[cp_model.CpSolverStatus, float, list[int] | None, float]:
        solver = cp_model.CpSolver()
        p = solver.parameters
        p.num_workers = 1
        p.random_seed = seed
        if lanes == 1:
            p.max_deterministic_time = min(limit, max(0.05, budget - spent))
            p.max_time_in_seconds = 10 * limit  # a backstop only
        else:
            p.max_time_in_seconds = max(0.05, wall)
        p.cp_model_presolve = False  # the sub-model is mostly fixed: loading it beats presolving it
        status = solver.solve(sub)
        ok = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
        return (
            status,
            solver.objective_value if ok else -math.inf,
            list(solver.response_proto.solution) if ok else None,
            solver.deterministic_time,
        )

    pool = ThreadPoolExecutor(max_workers=lanes) if lanes > 1 else None
    try:
        while True:
            if settings.stop is not None and settings.stop.is_set():
                break
            if lanes == 1:
                if spent >= budget:
                    break
                wall = limit
            else:
                wall = min(limit, budget - (time.perf_counter() - t0))
                if deadline is not None:
                    wall = min(wall, deadline - time.perf_counter())
                if wall <= 0.05:
                    break
            kinds = [rng.choices(KINDS, [score[k] for k in KINDS])[0] for _ in range(lanes)]
            subs = [x for x in (make(k) for k in kinds) if x is not None]
            if not subs:
                continue
            seeds = [settings.seed + stats.iterations + n for n in range(len(subs))]
            if pool is None:
                results = [run(subs[0][1], seeds[0], wall)]
            else:
                results = list(pool.map(run, [sub for _, sub in subs], seeds, [wall] * len(subs)))
            top = None
            for (kind, _), (status, value, values, det) in zip(subs, results, strict=True):
                spent += det if lanes == 1 else 0.0
                stats.iterations += 1
                stats.tried[kind] += 1
                gained = value > objective + 1e-6
                score[kind] = max(0.05, 0.8 * score[kind] + 0.2 * (1.0 if gained else 0.1))
                size[kind] = (
                    min(int(size[kind] * 1.25) + 5, 4000)
                    if status == cp_model.OPTIMAL
                    else max(20, int(size[kind] * 0.8))
                )
                if values is not None and value >= objective - 1e-6 and (top is None or value > top[1]):
                    top = (kind, value, values)
            if top is not None:
                kind, value, values = top
                best = dict(enumerate(values))
                if value > objective + 1e-6:
                    objective = value
                    stats.improved[kind] += 1
                    event = Progress("sections", time.perf_counter() - settings.t0, objective, math.inf)
                    trace.append(event)
                    if settings.progress is not None:
                        settings.progress(event)
    finally:
        if pool is not None:
            pool.shutdown(wait=True)
    stats.seconds = time.perf_counter() - t0
    return best, objective, stats, trace
