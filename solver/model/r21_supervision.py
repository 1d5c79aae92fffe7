"""R21 with R2/R5/R6/R9 (coverage and groups, the staff's side), as the sectioning model sees it:
everyone not in a section at a slot needs a homework, care or evening group of at most the
supervision limit, each with a free teacher and a room. The groups themselves are formed after
the students are placed; here their number per slot, `groups[t]`, is bounded from below by the
students left and from above by the teachers and rooms the sections leave free."""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from solver.eligibility import group_cap
from solver.model.data import Problem, Slot
from solver.model.vars import SectionVars

SUPERVISION = {"basic": ("homework", "homework"), "extended": ("care", "extended_care"),
               "evening": ("evening_study", "evening_study")}


def supervision_courses(P: Problem, period_kind: str):
    category, _ = SUPERVISION[period_kind]
    return [c for c in P.L.instance.courses if c.category == category and period_kind in c.period_kinds]


def supervisors(P: Problem, t: Slot) -> list[str]:
    """People who could supervise a group in slot t."""
    cache = P.cache.setdefault("supervisors", {})
    if t not in cache:
        courses = supervision_courses(P, P.L.period[t[1]].kind)
        able = {st.id for c in courses for st in P.teachers_for[c.id]}
        cache[t] = [st.id for st in P.L.instance.staff if st.id in able and t in P.free_slots[st.id]]
    return cache[t]


def supervision_cap(P: Problem, period_kind: str) -> int:
    _, kind = SUPERVISION[period_kind]
    caps = [group_cap(P.L, c, kind) for c in supervision_courses(P, period_kind)]
    return min(caps) if caps else 0


def supervision_rooms(P: Problem, t: Slot) -> set[str]:
    kinds = {k for c in supervision_courses(P, P.L.period[t[1]].kind) for k in c.room_kinds}
    return {r.id for r in P.L.instance.rooms if r.kind in kinds and not r.off_campus
            and t not in {(u.day, u.period) for u in r.unavailable}}


def demand(P: Problem) -> dict[tuple[Slot, int | None], int]:
    """Students registered per slot — per (slot, grade) in basic periods, where homework groups
    stay within a grade (R9), per (slot, None) in later periods, where groups mix grades."""
    out: dict[tuple[Slot, int | None], int] = defaultdict(int)
    for s in P.active_students:
        g = P.L.grade(s)
        for t in P.L.registered[s.id]:
            out[(t, g if t[1] in P.basic else None)] += 1
    return out


def build(P: Problem, m: cp_model.CpModel, V: SectionVars) -> None:
    need = demand(P)
    # students each section takes out of (slot, grade): sz is the size (per grade in basic slots)
    # of the section if it runs that pattern
    taken: dict[tuple[Slot, int | None], list] = defaultdict(list)
    for i, sec in enumerate(P.sections):
        slots_of = V.pattern_slots[i]
        cap = max(o.cap for o in sec.options)
        by_grade: dict[int, list] = defaultdict(list)
        for s in V.y_by_section[i]:
            by_grade[P.L.grade(P.L.student[s])].append(V.y[(s, i)])
        for grade, ys in by_grade.items():
            parts = []
            for pat, x in V.x[i].items():
                sz = m.new_int_var(0, min(cap, len(ys)), f"sz[{sec.name},{pat},{grade}]")
                m.add(sz <= min(cap, len(ys)) * x)
                V.sz[(i, pat, grade)] = sz
                parts.append(sz)
                for t in slots_of[pat]:
                    taken[(t, grade if t[1] in P.basic else None)].append(sz)
            m.add(sum(parts) == sum(ys))
    used_by_sections: dict[tuple, list] = defaultdict(list)
    for (_i, sid, t), v in V.v.items():
        used_by_sections[(sid, t)].append(v)
    in_rooms: dict[Slot, list] = defaultdict(list)
    for i, sec in enumerate(P.sections):
        for o in sec.options:
            for t in o.slots:
                in_rooms[t].append((o, V.z[i][o.index]))
    per_slot: dict[Slot, list] = defaultdict(list)
    for (t, grade), n in sorted(need.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0)):
        kind = P.L.period[t[1]].kind
        cap = supervision_cap(P, kind)
        g = m.new_int_var(0, max(1, n), f"groups[{t},{grade}]")
        V.groups[(t, grade)] = g
        per_slot[t].append(g)
        if cap == 0:
            m.add(sum(taken[(t, grade)]) >= n)  # no supervision course for this kind: only sections serve
            m.add(g == 0)
            continue
        m.add(cap * g >= n - sum(taken[(t, grade)]))
    for t, gs in per_slot.items():
        people = supervisors(P, t)
        rooms = supervision_rooms(P, t)
        ct = m.add(sum(gs) <= len(people) - sum(v for sid in people for v in used_by_sections.get((sid, t), [])))
        V.named[f"R21|staff|{t[0]}|{t[1]}"].append(ct)
        room_use = [z for o, z in in_rooms[t]
                    if o.room in rooms or (o.pool is not None and any(r in rooms for r in P.pools[o.pool]))]
        ct = m.add(sum(gs) <= len(rooms) - sum(room_use))
        V.named[f"R21|rooms|{t[0]}|{t[1]}"].append(ct)
    teachers = {sid for t in P.slots for sid in supervisors(P, t)}
    capacity = sum(min(P.L.staff[sid].max_periods_per_week, len(P.free_slots[sid])) for sid in teachers)
    section_use = [v for (_i, sid, _t), v in V.v.items() if sid in teachers]
    ct = m.add(sum(V.groups.values()) + sum(section_use) <= capacity)
    V.named["R25|capacity"].append(ct)
