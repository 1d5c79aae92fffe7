"""Pins (kept parts of a previous plan) and minimal change from a previous plan, for the
sectioning model. Sections are named `COURSE-k` in every plan this project writes, so a pinned
or previous section is found by its id; supervision groups are handled when they are formed
(students pinned to one stay out of sections in its slot) and staffed (`Job.pinned`)."""

from __future__ import annotations

from ortools.sat.python import cp_model

from models.plan import Activity
from solver.model.data import Problem
from solver.model.vars import SectionVars


def section_index(P: Problem) -> dict[str, int]:
    return {sec.name: i for i, sec in enumerate(P.sections)}


def apply_pins(P: Problem, m: cp_model.CpModel, V: SectionVars) -> list[str]:
    """Constrain pinned sections; keep students pinned to supervision groups out of sections in
    that slot. Returns the pins that cannot be honoured by construction (for the explanation)."""
    names = section_index(P)
    impossible = []
    for pin in P.L.instance.pins:
        i = names.get(pin.activity)
        slots = {(s.day, s.period) for s in pin.slots} if pin.slots is not None else None
        if i is None and is_section_name(P, pin.activity):
            # a section of a course that can no longer run at all (no room, staff or time left)
            impossible.append(pin.activity)
            V.named[f"PIN|{pin.activity}"].append(m.add_bool_or([]))
            continue
        if i is None:
            # a supervision group: its students stay out of sections in its slots
            for sid in pin.students or []:
                for j in V.y_by_student.get(sid, []):
                    for t in (sorted(slots) if slots else _group_slots(pin.activity, P)):
                        V.named[f"PIN|{pin.activity}"].append(m.add(V.y[(sid, j)] + V.at(j, t) <= 1))
            continue
        sec = P.sections[i]
        allowed = [var for o, var in V.z[i].items()
                   if (slots is None or set(sec.options[o].slots) == slots)
                   and (pin.room is None or sec.options[o].room == pin.room
                        or (sec.options[o].pool is not None and pin.room in P.pools[sec.options[o].pool]))]
        name = f"PIN|{pin.activity}"
        if not allowed:
            impossible.append(pin.activity)
            V.named[name].append(m.add_bool_or([]))  # cannot be met
            continue
        V.named[name].append(m.add(sum(allowed) == 1))
        for sid in pin.students or []:
            if (sid, i) in V.y:
                V.named[name].append(m.add(V.y[(sid, i)] == 1))
            else:
                impossible.append(f"{pin.activity}:{sid}")
                V.named[name].append(m.add_bool_or([]))
        for st in pin.staff or []:
            if (i, st) in V.w:
                V.named[name].append(m.add(V.w[(i, st)] == 1))
            else:
                impossible.append(f"{pin.activity}:{st}")
                V.named[name].append(m.add_bool_or([]))
    return impossible


def is_section_name(P: Problem, activity_id: str) -> bool:
    """`COURSE-k` of an elective or tutoring course: the id every plan here gives a section."""
    head, _, k = activity_id.rpartition("-")
    course = P.L.course.get(head)
    return k.isdigit() and course is not None and course.category not in ("homework", "care", "evening_study")


def _group_slots(activity_id: str, P: Problem) -> list[tuple[str, str]]:
    """The slot in a supervision group's id (`HW-3-1-mon-P1`): day and period are its last parts."""
    parts = activity_id.split("-")
    for k in range(len(parts) - 1):
        if parts[k] in P.L.days and parts[k + 1] in P.L.period:
            return [(parts[k], parts[k + 1])]
    return []


def change_terms(P: Problem, m: cp_model.CpModel, V: SectionVars, previous: list[Activity]):
    """Changes from a previous plan: sections whose sessions or room moved, and students who moved
    (one per student whose sections differ at all, so a student whose section had to close counts
    once and is then free to get another of their choices). Returns a linear expression."""
    names = section_index(P)
    terms = []
    before: dict[str, set[int]] = {}
    gone: set[str] = set()  # students of previous sections that can no longer open at all
    for a in previous:
        if a.kind not in ("elective", "tutoring"):
            continue
        i = names.get(a.id)
        if i is None:
            gone.update(a.students)
            terms.append(1)
            continue
        slots = {(s.day, s.period) for s in a.slots}
        sec = P.sections[i]
        same = [var for o, var in V.z[i].items() if set(sec.options[o].slots) == slots and (
            sec.options[o].room == a.room or (sec.options[o].pool is not None and a.room in P.pools[sec.options[o].pool]))]
        terms.append(1 - sum(same))
        for sid in a.students:
            before.setdefault(sid, set()).add(i)
    for sid in sorted(set(before) | set(V.y_by_student) | gone):
        had = before.get(sid, set())
        mine = V.y_by_student.get(sid, [])
        if sid in gone or any((sid, i) not in V.y for i in had):
            terms.append(1)  # a section they were in is gone or no longer fits them
            continue
        moved = m.new_bool_var(f"moved[{sid}]")
        for i in mine:
            m.add(moved >= (1 - V.y[(sid, i)] if i in had else V.y[(sid, i)]))
        terms.append(moved)
    return sum(terms)
