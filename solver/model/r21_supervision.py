"""R21 with R2/R5/R6/R9 (coverage and groups, the staff's side), as the sectioning model sees it:
everyone not in a section at a slot needs a homework, care or evening group of at most the
supervision limit, each with a free teacher and a room. The groups themselves are formed after
the students are placed; here their number per slot, `groups[t]`, is bounded from below by the
students left and from above by the teachers and rooms the sections leave free."""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from solver.eligibility import group_cap
from solver.model.data import ProblemData, SlotKey
from solver.model.vars import SectionVars

SUPERVISION = {
    "basic": ("homework", "homework"),
    "extended": ("care", "extended_care"),
    "evening": ("evening_study", "evening_study"),
}


def supervision_courses(data: ProblemData, period_kind: str):
    category, _ = SUPERVISION[period_kind]
    return [c for c in data.loaded.instance.courses if c.category == category and period_kind in c.period_kinds]


def supervisors(data: ProblemData, t: SlotKey) -> list[str]:
    """People who could supervise a group in slot t."""
    cache = data.cache.setdefault("supervisors", {})
    if t not in cache:
        courses = supervision_courses(data, data.loaded.period[t[1]].kind)
        able = {st.id for c in courses for st in data.teachers_for[c.id]}
        cache[t] = [st.id for st in data.loaded.instance.staff if st.id in able and t in data.free_slots[st.id]]
    return cache[t]


def supervision_cap(data: ProblemData, period_kind: str) -> int:
    _, kind = SUPERVISION[period_kind]
    caps = [group_cap(data.loaded, c, kind) for c in supervision_courses(data, period_kind)]
    return min(caps) if caps else 0


def supervision_rooms(data: ProblemData, t: SlotKey) -> set[str]:
    kinds = {k for c in supervision_courses(data, data.loaded.period[t[1]].kind) for k in c.room_kinds}
    return {
        r.id
        for r in data.loaded.instance.rooms
        if r.kind in kinds and not r.off_campus and t not in {u.key() for u in r.unavailable}
    }


def demand(data: ProblemData) -> dict[tuple[SlotKey, int | None], int]:
    """Students registered per slot — per (slot, grade) in basic periods, where homework groups
    stay within a grade (R9), per (slot, None) in later periods, where groups mix grades."""
    out: dict[tuple[SlotKey, int | None], int] = defaultdict(int)
    for s in data.active_students:
        g = data.loaded.grade(s)
        for t in data.loaded.registered[s.id]:
            out[(t, g if t[1] in data.basic else None)] += 1
    return out


def build(data: ProblemData, model: cp_model.CpModel, variables: SectionVars) -> None:
    need = demand(data)
    # students each section takes out of (slot, grade): sz is the size (per grade in basic slots)
    # of the section if it runs that pattern
    taken: dict[tuple[SlotKey, int | None], list] = defaultdict(list)
    for i, sec in enumerate(data.sections):
        slots_of = variables.pattern_slots[i]
        cap = max(o.cap for o in sec.options)
        by_grade: dict[int, list] = defaultdict(list)
        for s in variables.students_of[i]:
            by_grade[data.loaded.grade(data.loaded.student[s])].append(variables.seat[(s, i)])
        for grade, ys in by_grade.items():
            parts = []
            for pat, x in variables.pattern[i].items():
                sz = model.new_int_var(0, min(cap, len(ys)), f"sz[{sec.name},{pat},{grade}]")
                model.add(sz <= min(cap, len(ys)) * x)
                variables.grade_size[(i, pat, grade)] = sz
                parts.append(sz)
                for t in slots_of[pat]:
                    taken[(t, grade if t[1] in data.basic else None)].append(sz)
            model.add(sum(parts) == sum(ys))
    used_by_sections: dict[tuple, list] = defaultdict(list)
    for (_i, sid, t), v in variables.serves_in.items():
        used_by_sections[(sid, t)].append(v)
    in_rooms: dict[SlotKey, list] = defaultdict(list)
    for i, sec in enumerate(data.sections):
        for o in sec.options:
            for t in o.slots:
                in_rooms[t].append((o, variables.option[i][o.index]))
    per_slot: dict[SlotKey, list] = defaultdict(list)
    for (t, band), n in sorted(need.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0)):
        kind = data.loaded.period[t[1]].kind
        cap = supervision_cap(data, kind)
        g = model.new_int_var(0, max(1, n), f"groups[{t},{band}]")
        variables.groups[(t, band)] = g
        per_slot[t].append(g)
        if cap == 0:
            model.add(sum(taken[(t, band)]) >= n)  # no supervision course for this kind: only sections serve
            model.add(g == 0)
            continue
        model.add(cap * g >= n - sum(taken[(t, band)]))
    for t, gs in per_slot.items():
        people = supervisors(data, t)
        rooms = supervision_rooms(data, t)
        ct = model.add(sum(gs) <= len(people) - sum(v for sid in people for v in used_by_sections.get((sid, t), [])))
        variables.named[f"R21|staff|{t[0]}|{t[1]}"].append(ct)
        room_use = [
            z
            for o, z in in_rooms[t]
            if o.room in rooms or (o.pool is not None and any(r in rooms for r in data.pools[o.pool]))
        ]
        ct = model.add(sum(gs) <= len(rooms) - sum(room_use))
        variables.named[f"R21|rooms|{t[0]}|{t[1]}"].append(ct)
    teachers = {sid for t in data.slots for sid in supervisors(data, t)}
    capacity = sum(min(data.loaded.staff[sid].max_periods_per_week, len(data.free_slots[sid])) for sid in teachers)
    section_use = [v for (_i, sid, _t), v in variables.serves_in.items() if sid in teachers]
    ct = model.add(sum(variables.groups.values()) + sum(section_use) <= capacity)
    variables.named["R25|capacity"].append(ct)
