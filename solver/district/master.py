"""The master problem: which shared person serves which school in which (day, period).

Demand (`demand`): at each school, for each qualification a pool person holds, the sections ×
sessions × staff of the chosen courses needing it that the school's own qualified staff cannot
cover, weighted by the students who chose those courses. The school's own assignable holders of a
qualification are taken to run one section each, the most wanted courses first.

The master CP-SAT (`allocate`) then decides x[person, school, day, period]:
- only where the person may serve (their `schools`, R12/R13 assignable, availability, duty
  windows, a period kind the demanded courses run in, not a slot the school left unused before);
- weekly and daily caps across schools (R25); at most N schools a day;
- no two slots at different schools that overlap in time (R21) or leave less than the travel
  minutes between the end of one and the start of the next (travel, R14); a pair of schools with
  no travel time known is never served by one person on the same day;
- slots kept from earlier rounds (what a school's plan uses) are fixed.
Objective, lexicographic: first Σ 10 · weight · covered periods + Σ 2 · weight · spare periods
(up to as many spare periods as covered ones, so the school can choose when the course runs); then,
that held, the fewest allocated slots + 4 · school visits (person, school, day), hinted with the
first solution. One worker, deterministic time; each stage stops within 2% of its bound.

Feedback (`unopened`): a chosen course that needs a shared qualification, did not open, and that at
least `min_size` students ranked above everything they got asks for one more section's periods in
the next round, at twice the weight.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Literal

from ortools.sat.python import cp_model

from models.common import SlotKey
from models.instance import Course
from models.load import Loaded
from models.plan import Plan
from solver.district.load import LoadedDistrict
from solver.district.model import PoolStaff
from solver.district.pool import available, span
from solver.eligibility import can_teach, qualified

COVER_WEIGHT, SPARE_WEIGHT, SLOT_COST, VISIT_COST = 10, 2, 1, 4
GAP = 0.02  # each stage of the master stops within 2% of its bound


@dataclass(frozen=True)
class Unit:
    """Periods a week of a course at a school that only shared people can staff."""

    school: str
    course: str
    qualification: str
    periods: int
    weight: int
    kinds: tuple[str, ...]
    again: bool = False  # asked for again after a round (the course did not open)


@dataclass
class MasterResult:
    grants: dict[str, dict[str, set[SlotKey]]]  # school → person → slots (fixed ones included)
    status: str
    objective: float | None
    seconds: float
    variables: int
    demand: int  # periods asked for
    covered: int  # periods the objective counts as covered
    per_unit: list[dict] = field(default_factory=list)

    def summary(self) -> dict:
        return {
            "status": self.status,
            "objective": self.objective,
            "seconds": round(self.seconds, 3),
            "variables": self.variables,
            "demand_periods": self.demand,
            "covered_periods": self.covered,
            "allocated_periods": sum(len(s) for g in self.grants.values() for s in g.values()),
        }


def pool_can_teach(LD: LoadedDistrict, person: PoolStaff, course: Course) -> bool:
    """R12 (qualified, certified), R13 (approved, no subject training), R10 (subject); a course
    without a named qualification is for a school's own teachers, never the pool."""
    return LD.assignable(person) and course.qualification is not None and qualified(person, course)


def _choosers(loaded: Loaded) -> dict[str, int]:
    out: dict[str, int] = defaultdict(int)
    for cids in loaded.kept_choices.values():
        for cid in cids:
            out[cid] += 1
    return out


def _section_periods(loaded: Loaded, course: Course) -> int:
    staff = max(1, course.staff_per_section)
    rooms = [r for r in loaded.instance.rooms if r.kind in course.room_kinds]
    if rooms and all(r.off_campus for r in rooms):
        staff = max(staff, loaded.policy.offsite_min_staff)
    return course.sessions_per_week * course.periods_per_session * staff


def _weight(course: Course, choosers: int, sections: int) -> int:
    return max(1, min(course.max_size, math.ceil(choosers / max(1, sections))))


def shared_courses(LD: LoadedDistrict, school: str, loaded: Loaded) -> list[Course]:
    """Elective courses of the school that someone of the pool serving it could staff."""
    people = [p for p in LD.serves(school) if LD.assignable(p)]
    return [
        c
        for c in loaded.instance.courses
        if c.qualification is not None
        and c.category not in ("homework", "tutoring", "care", "evening_study")
        and any(pool_can_teach(LD, p, c) for p in people)
    ]


def demand(LD: LoadedDistrict, school: str, loaded: Loaded) -> list[Unit]:
    """What the school's own qualified staff cannot cover, by course (see the module docstring)."""
    chosen = _choosers(loaded)
    by_qual: dict[str, list[tuple[Course, int]]] = defaultdict(list)
    for c in shared_courses(LD, school, loaded):
        n = chosen.get(c.id, 0)
        if n < max(1, c.min_size):
            continue
        sections = min(c.max_sections, math.ceil(n / c.max_size))
        if sections > 0:
            assert c.qualification is not None  # shared_courses keeps courses with one
            by_qual[c.qualification].append((c, sections))
    units = []
    for q, courses in sorted(by_qual.items()):
        own = sum(1 for st in loaded.instance.staff if any(can_teach(loaded, st, c) for c, _ in courses))
        courses.sort(key=lambda cs: (-_weight(cs[0], chosen[cs[0].id], cs[1]), cs[0].id))
        for c, sections in courses:
            mine = min(own, sections)
            own -= mine
            if sections > mine:
                units.append(
                    Unit(
                        school,
                        c.id,
                        q,
                        (sections - mine) * _section_periods(loaded, c),
                        _weight(c, chosen[c.id], sections),
                        tuple(c.period_kinds),
                    )
                )
    return units


def unopened(LD: LoadedDistrict, school: str, loaded: Loaded, plan: Plan) -> list[Unit]:
    """Chosen courses that need a shared qualification, did not open, and would serve students
    better: at least `min_size` students ranked the course above everything the plan gave them.
    Each asks for one more section's periods, weighted by those students, twice over."""
    opened = {a.course for a in plan.activities}
    placed: dict[str, set[str]] = defaultdict(set)
    for a in plan.activities:
        if a.kind == "elective":
            for sid in a.students:
                placed[sid].add(a.course)
    out = []
    for c in shared_courses(LD, school, loaded):
        if c.id in opened or c.max_sections == 0:
            continue
        unmet = 0
        for sid, cids in loaded.kept_choices.items():
            if c.id in cids:
                got = [cids.index(x) for x in placed.get(sid, ()) if x in cids]
                if not got or cids.index(c.id) < min(got):
                    unmet += 1
        if unmet >= max(1, c.min_size):
            assert c.qualification is not None  # shared_courses keeps courses with one
            out.append(
                Unit(
                    school,
                    c.id,
                    c.qualification,
                    _section_periods(loaded, c),
                    2 * min(c.max_size, unmet),
                    tuple(c.period_kinds),
                    again=True,
                )
            )
    return out


def used_slots(plan: Plan, people: set[str]) -> dict[str, set[SlotKey]]:
    """person → the slots a plan has them serve."""
    out: dict[str, set[SlotKey]] = defaultdict(set)
    for a in plan.activities:
        for sid in a.staff:
            if sid in people:
                out[sid].update(s.key() for s in a.slots)
    return dict(out)


def allocate(
    LD: LoadedDistrict,
    schools: dict[str, Loaded],
    units: list[Unit],
    fixed: dict[str, dict[str, set[SlotKey]]] | None = None,
    banned: dict[tuple[str, str], set[SlotKey]] | None = None,
    time_limit: float = 10.0,
    seed: int = 1,
) -> MasterResult:
    """Allocate shared people to (school, day, period) for `units`; `fixed` slots are kept as they are.

    `schools`: the schools that can be planned (loaded); others get nothing. `banned`: (school,
    person) → slots that school left unused before (offered to other schools only)."""
    t0 = time.perf_counter()
    fixed = fixed or {}
    banned = banned or {}
    m = cp_model.CpModel()
    by_school: dict[str, list[Unit]] = defaultdict(list)
    for u in units:
        if u.school in schools:
            by_school[u.school].append(u)

    x: dict[tuple[str, str, str, str], cp_model.IntVar] = {}
    # per person: (school, day, period) → literal or True (fixed)
    items: dict[str, dict[tuple[str, str, str], cp_model.IntVar | Literal[True]]] = defaultdict(dict)
    for s, granted in fixed.items():
        for pid, slots in granted.items():
            for d, per in slots:
                items[pid][(s, d, per)] = True
    for p in LD.district.pool:
        if not LD.assignable(p) or p.max_periods_per_week == 0 or p.max_periods_per_day == 0:
            continue
        for s in p.schools:
            if s not in schools or s not in by_school:
                continue
            loaded = schools[s]
            wanted = [u for u in by_school[s] if pool_can_teach(LD, p, loaded.course[u.course])]
            if not wanted:
                continue
            kinds = {k for u in wanted for k in u.kinds}
            no = banned.get((s, p.id), set())
            for d, per in available(LD, p, s, loaded):
                if loaded.period[per].kind not in kinds or (d, per) in no or (s, d, per) in items[p.id]:
                    continue
                lit = m.new_bool_var(f"x|{p.id}|{s}|{d}|{per}")
                x[(p.id, s, d, per)] = lit
                items[p.id][(s, d, per)] = lit

    objective: list[cp_model.LinearExpr] = []  # coverage (maximised first)
    cost: list[cp_model.LinearExpr] = []  # slots and visits (minimised second, coverage held)
    for pid, its in items.items():
        p = LD.person[pid]
        free = [lit for lit in its.values() if lit is not True]
        n_fixed = sum(1 for lit in its.values() if lit is True)
        if free:
            m.add(sum(free) <= max(0, p.max_periods_per_week - n_fixed))
            cost += [SLOT_COST * lit for lit in free]
        by_day: dict[str, list] = defaultdict(list)
        for (s, d, per), item in its.items():
            by_day[d].append((s, per, item))
        for d, entries in by_day.items():
            dfree = [lit for _, _, lit in entries if lit is not True]
            dfixed = len(entries) - len(dfree)
            if dfree:
                m.add(sum(dfree) <= max(0, p.max_periods_per_day - dfixed))
            # visits: one literal per school that day
            visit: dict[str, cp_model.IntVar | Literal[True]] = {}
            for s in sorted({s for s, _, _ in entries}):
                lits = [lit for s2, _, lit in entries if s2 == s]
                if any(lit is True for lit in lits):
                    visit[s] = True
                    continue
                v = m.new_bool_var(f"v|{pid}|{s}|{d}")
                for lit in lits:
                    m.add_implication(lit, v)
                m.add_bool_or(lits).only_enforce_if(v)
                visit[s] = v
                cost.append(VISIT_COST * v)
            n_fixed_visits = sum(1 for v in visit.values() if v is True)
            vfree = [v for v in visit.values() if v is not True]
            if vfree:
                m.add(sum(vfree) <= max(0, LD.max_schools_per_day(p) - n_fixed_visits))
            # R21 / travel between schools the same day
            schools_today = sorted(visit)
            for i, a in enumerate(schools_today):
                for b in schools_today[i + 1 :]:
                    if LD.travel(a, b) is None or LD.travel(b, a) is None:
                        va, vb = visit[a], visit[b]
                        if va is True:
                            if vb is not True:
                                m.add_bool_or([vb.Not()])
                        elif vb is True:
                            m.add_bool_or([va.Not()])
                        else:
                            m.add_bool_or([va.Not(), vb.Not()])
                        continue
                    for sa, pa, la in entries:
                        if sa != a:
                            continue
                        A = span(schools[a], a, d, pa)
                        for sb, pb, lb in entries:
                            if sb != b:
                                continue
                            B = span(schools[b], b, d, pb)
                            if _compatible(LD, A, B):
                                continue
                            if la is True and lb is True:
                                continue
                            if la is True or lb is True:
                                m.add_bool_or([(lb if la is True else la).Not()])
                            else:
                                m.add_bool_or([la.Not(), lb.Not()])

    # coverage of the demand, per (school, qualification)
    per_unit_vars = []
    demand_total = 0
    for s, us in sorted(by_school.items()):
        quals = sorted({u.qualification for u in us})
        n_vars: dict[str, list] = defaultdict(list)
        for pid in sorted(items):
            p = LD.person[pid]
            lits = [x[(pid, s, d, per)] for (s2, d, per) in items[pid] if s2 == s and (pid, s, d, per) in x]
            if not lits:
                continue
            mine = [
                q
                for q in quals
                if any(u.qualification == q and pool_can_teach(LD, p, schools[s].course[u.course]) for u in us)
            ]
            if not mine:
                continue
            share = [m.new_int_var(0, len(lits), f"n|{pid}|{s}|{q}") for q in mine]
            m.add(sum(share) <= sum(lits))
            for q, var in zip(mine, share, strict=True):
                n_vars[q].append(var)
        for q in quals:
            qunits = [u for u in us if u.qualification == q]
            cs = []
            for u in qunits:
                demand_total += u.periods
                c = m.new_int_var(0, u.periods, f"c|{s}|{u.course}|{u.again}")
                e = m.new_int_var(0, u.periods, f"e|{s}|{u.course}|{u.again}")
                m.add(e <= c)
                cs += [c, e]
                per_unit_vars.append((u, c))
                objective += [COVER_WEIGHT * u.weight * c, SPARE_WEIGHT * u.weight * e]
            m.add(sum(cs) <= sum(n_vars.get(q, [])))

    name, solver = _solve(m, sum(objective), True, time_limit, seed)
    objective_value = solver.objective_value if name in ("optimal", "feasible") else None
    if objective_value is not None and cost:
        # second: the fewest slots and visits that keep the coverage, from the first solution
        for i in range(len(m.proto.variables)):
            var = m.get_int_var_from_proto_index(i)
            m.add_hint(var, solver.value(var))
        m.add(sum(objective) >= round(objective_value))
        name2, solver2 = _solve(m, sum(cost), False, time_limit / 2, seed)
        if name2 in ("optimal", "feasible"):
            solver = solver2
            name = "optimal" if name == "optimal" and name2 == "optimal" else "feasible"
    grants: dict[str, dict[str, set[SlotKey]]] = defaultdict(lambda: defaultdict(set))
    for s, g in fixed.items():
        for pid, slots in g.items():
            if slots:
                grants[s][pid].update(slots)
    covered = 0
    per_unit = []
    if name in ("optimal", "feasible"):
        for (pid, s, d, per), lit in x.items():
            if solver.boolean_value(lit):
                grants[s][pid].add((d, per))
        for u, c in per_unit_vars:
            got = solver.value(c)
            covered += got
            per_unit.append(
                {
                    "school": u.school,
                    "course": u.course,
                    "qualification": u.qualification,
                    "periods": u.periods,
                    "covered": got,
                    "weight": u.weight,
                    "again": u.again,
                }
            )
    out = {s: {pid: set(slots) for pid, slots in g.items() if slots} for s, g in grants.items()}
    return MasterResult(out, name, objective_value, time.perf_counter() - t0, len(x), demand_total, covered, per_unit)


def _solve(m: cp_model.CpModel, expr, maximize: bool, time_limit: float, seed: int) -> tuple[str, cp_model.CpSolver]:
    if maximize:
        m.maximize(expr)
    else:
        m.minimize(expr)
    solver = cp_model.CpSolver()
    prm = solver.parameters
    prm.num_workers = 1
    prm.random_seed = seed
    prm.max_deterministic_time = max(0.5, time_limit)
    prm.max_time_in_seconds = max(5.0, 4 * time_limit)
    prm.relative_gap_limit = GAP
    status = solver.solve(m)
    name = {cp_model.OPTIMAL: "optimal", cp_model.FEASIBLE: "feasible", cp_model.INFEASIBLE: "infeasible"}.get(
        status, "unknown"
    )
    return name, solver


def _compatible(LD: LoadedDistrict, A, B) -> bool:
    """Two slots at different schools on one day: both servable by one person (no overlap, and the
    gap between the earlier one's end and the later one's start holds the journey)."""
    if A.start < B.end and B.start < A.end:
        return False
    first, second = (A, B) if A.end <= B.start else (B, A)
    need = LD.travel(first.school, second.school)
    return need is not None and second.start - first.end >= need
