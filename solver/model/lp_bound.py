"""A stronger upper bound on the preference objective: an LP that keeps days, seats, rooms, staff
and the budget (issue 13: "a stronger bound so the gap means something").

The course-capacity relaxation (`relaxation.py`) sees neither when a course meets nor what it
costs, so on schools where pupils come only some days, rooms or people are short, or the budget
must balance, its bound is far above anything reachable. This LP relaxes integrality only; every
plan of the sectioning model maps to a feasible point:

- u[c,d] sessions of course c on day d (Σ_d u = sessions_per_week × n_c, n_c ≤ its sections);
- z[s,c,d] pupil s attends c on day d (only registered days), Σ_d z = sessions × y[s,c];
- seats: Σ_s z[s,c,d] ≤ the course's largest group × u[c,d];
- R9 allowance: a pupil's basic periods in courses each day ≤ `Problem.allowance`;
- rooms per day: courses whose rooms all lie in a set R use at most R's open basic periods;
- staff per day: section staff periods plus the homework groups the pupils left behind need
  (at least their basic pupil-periods / the largest group) ≤ what every person can give that day
  (daily cap, free slots); per qualification, what its holders can give; weekly caps in total;
- R20 when the budget must balance: every section period at the cheapest rate of those who may
  teach it, every supervision group period at the cheapest supervisor's rate, within income.

Solved with GLOP (a few hundred ms for a 1,500-pupil school); floored, it is a valid bound.
"""

from __future__ import annotations

import math
from collections import defaultdict

from ortools.linear_solver import pywraplp

from solver.eligibility import room_fits
from solver.model import objective
from solver.model.data import ProblemData
from solver.model.r20_budget import income
from solver.model.r21_supervision import supervision_cap, supervisors


def bound(data: ProblemData, weights: objective.Weights, time_limit: float = 10.0) -> int | None:
    loaded = data.loaded
    lp = pywraplp.Solver.CreateSolver("GLOP")
    if lp is None:
        return None
    # a backstop only (the LP takes about a second): a limit that binds makes the bound, and so a
    # one-worker plan, depend on how busy the machine is (seen: a loaded machine changed two plans)
    lp.SetTimeLimit(int(1000 * max(10.0, 10 * time_limit)))
    days = list(loaded.days)
    basic = sorted(data.basic, key=lambda p: loaded.period_index[p])
    courses: dict[str, list] = defaultdict(list)
    for sec in data.sections:
        if sec.kind == "elective":
            courses[sec.course.id].append(sec)
    if not courses:
        return 0
    cap = {cid: max(o.cap for sec in secs for o in sec.options) for cid, secs in courses.items()}
    only_basic = {cid: set(loaded.course[cid].period_kinds) == {"basic"} for cid in courses}
    # days a course can meet (some option has a session then)
    meets = {cid: {d for sec in secs for o in sec.options for d, _ in o.slots} for cid, secs in courses.items()}
    u: dict[tuple[str, str], pywraplp.Variable] = {}
    n: dict[str, pywraplp.Variable] = {}
    for cid, secs in courses.items():
        c = loaded.course[cid]
        n[cid] = lp.NumVar(0, len(secs), f"n[{cid}]")
        for d in days:
            if d in meets[cid]:
                u[(cid, d)] = lp.NumVar(0, len(secs), f"u[{cid},{d}]")
        lp.Add(sum(u[(cid, d)] for d in days if (cid, d) in u) == c.sessions_per_week * n[cid])
    terms = []
    z: dict[tuple[str, str, str], pywraplp.Variable] = {}
    seats: dict[tuple[str, str], list] = defaultdict(list)
    day_use: dict[tuple[str, str], list] = defaultdict(list)
    taken_periods: dict[str, list] = defaultdict(list)  # day -> basic pupil-periods in courses
    for s in data.active_students:
        kept = loaded.kept_choices[s.id]
        reg_days = {d for d, _ in loaded.registered[s.id]}
        mine = []
        for rank, cid in enumerate(kept, 1):
            if cid not in courses:
                continue
            if not any(data.fits(s, o.slots) for sec in courses[cid] for o in sec.options):
                continue
            c = loaded.course[cid]
            y = lp.NumVar(0, 1, f"y[{s.id},{cid}]")
            mine.append(y)
            terms.append(weights.rank(rank) * y)
            zs = []
            for d in days:
                if (cid, d) not in u or d not in reg_days:
                    continue
                var = lp.NumVar(0, 1, f"z[{s.id},{cid},{d}]")
                z[(s.id, cid, d)] = var
                zs.append(var)
                seats[(cid, d)].append(var)
                if only_basic[cid]:
                    day_use[(s.id, d)].append(c.periods_per_session * var)
                    taken_periods[d].append(c.periods_per_session * var)
            lp.Add(sum(zs) == c.sessions_per_week * y)
        if mine:
            if len(mine) > s.electives_per_week:
                lp.Add(sum(mine) <= s.electives_per_week)
            a = lp.NumVar(0, 1, f"any[{s.id}]")
            lp.Add(a <= sum(mine))
            terms.append(weights.any_choice * a)
    for (cid, d), zs in seats.items():
        lp.Add(sum(zs) <= cap[cid] * u[(cid, d)])
    for (sid, d), use in day_use.items():
        lp.Add(sum(use) <= data.allowance(loaded.student[sid], d))
    # rooms, staff and money are counted for courses that run in basic periods only (the others
    # could take capacity this LP does not see, so they are left out: a relaxation)
    basic_courses = {cid: secs for cid, secs in courses.items() if only_basic[cid]}
    _rooms(data, lp, basic_courses, u, days, basic)
    groups = _staff(data, lp, basic_courses, u, days, basic, taken_periods)
    _budget(data, lp, basic_courses, u, groups, all(only_basic.values()))
    lp.Maximize(sum(terms))
    status = lp.Solve()
    if status != pywraplp.Solver.OPTIMAL:
        return None
    return math.floor(lp.Objective().Value() + 1e-6)


def _rooms(data, lp, courses, u, days, basic) -> None:
    loaded = data.loaded
    allowed = {
        cid: frozenset(r.id for r in loaded.instance.rooms if room_fits(loaded, r, loaded.course[cid]))
        for cid in courses
    }
    for R in set(allowed.values()):
        inside = [cid for cid in courses if allowed[cid] <= R]
        for d in days:
            open_periods = sum(
                1 for rid in R for p in basic if (d, p) not in {x.key() for x in loaded.room[rid].unavailable}
            )
            use = [loaded.course[cid].periods_per_session * u[(cid, d)] for cid in inside if (cid, d) in u]
            if use:
                lp.Add(sum(use) <= open_periods)


def _staff(data, lp, courses, u, days, basic, taken_periods) -> dict:
    """Staff periods per day; returns the homework-group variables per day (for the budget)."""
    loaded = data.loaded
    need_staff = {cid: min(o.staff_need for sec in secs for o in sec.options) for cid, secs in courses.items()}
    hw_cap = max(1, supervision_cap(data, "basic")) if any(loaded.period[p].kind == "basic" for p in basic) else 1
    registered: dict[str, int] = defaultdict(int)
    flagged = {s.id for s in data.active_students for x in s.tutoring if (s.id, x) not in loaded.unmet_tutoring}
    for s in data.active_students:
        if s.id in flagged:
            continue  # tutoring (not in this LP) may take a flagged pupil out of homework in any period
        for d, p in loaded.registered[s.id]:
            if p in data.basic:
                registered[d] += 1
    groups = {}
    weekly = []
    for d in days:
        g = lp.NumVar(0, lp.infinity(), f"groups[{d}]")
        groups[d] = g
        lp.Add(hw_cap * g >= registered[d] - sum(taken_periods.get(d, [])))
        give = 0
        for st in loaded.instance.staff:
            free = sum(1 for p in basic if (d, p) in data.free_slots[st.id])
            give += min(st.max_periods_per_day, free)
        used = [
            loaded.course[cid].periods_per_session * need_staff[cid] * u[(cid, d)] for cid in courses if (cid, d) in u
        ]
        lp.Add(sum(used) + g <= give)
        weekly += used
    weekly_give = sum(min(st.max_periods_per_week, len(data.free_slots[st.id])) for st in loaded.instance.staff)
    lp.Add(sum(weekly) + sum(groups.values()) <= weekly_give)
    # per qualification (the courses only its holders may teach)
    by_people: dict[frozenset, list[str]] = defaultdict(list)
    for cid in courses:
        by_people[frozenset(st.id for st in data.teachers_for[cid])].append(cid)
    for people, cids in by_people.items():
        for d in days:
            give = sum(
                min(loaded.staff[sid].max_periods_per_day, sum(1 for p in basic if (d, p) in data.free_slots[sid]))
                for sid in people
            )
            use = [loaded.course[c].periods_per_session * need_staff[c] * u[(c, d)] for c in cids if (c, d) in u]
            if use:
                lp.Add(sum(use) <= give)
    return groups


def _budget(data, lp, courses, u, groups, care_fixed: bool) -> None:
    loaded = data.loaded
    pol = loaded.policy
    if not pol.budget_must_balance:
        return
    weekly = []
    for cid in courses:
        rates = [st.pay_per_period for st in data.teachers_for[cid]]
        need = min(o.staff_need for sec in courses[cid] for o in sec.options)
        rate = min(rates, default=0)
        for (c, _d), var in u.items():
            if c == cid:
                weekly.append(rate * need * loaded.course[cid].periods_per_session * var)
    # supervision: homework groups at the cheapest supervisor's rate; care and evening groups are
    # needed whatever the sections do (at least registered / group size per slot)
    fixed = 0.0
    hw_rate = None
    for t in data.slots:
        people = supervisors(data, t)
        rate = min((loaded.staff[sid].pay_per_period for sid in people), default=0)
        kind = loaded.period[t[1]].kind
        if kind == "basic":
            hw_rate = rate if hw_rate is None else min(hw_rate, rate)
            continue
        cap = supervision_cap(data, kind)
        n = sum(1 for s in data.active_students if t in loaded.registered[s.id])
        if cap and n and care_fixed:
            fixed += math.ceil(n / cap) * rate
    weekly += [(hw_rate or 0) * g for g in groups.values()]
    lp.Add(pol.term_weeks * (sum(weekly) + fixed) <= income(data))
