"""Pins (kept parts of a previous plan) and minimal change from a previous plan, for the
sectioning model. Sections are named `COURSE-k` in every plan this project writes, so a pinned
or previous section is found by its id; supervision groups are handled when they are formed
(students pinned to one stay out of sections in its slot) and staffed (`Job.pinned`)."""

from __future__ import annotations

from ortools.sat.python import cp_model

from models.plan import Activity
from solver.model.data import Option, ProblemData
from solver.model.vars import SectionVars


def section_index(data: ProblemData) -> dict[str, int]:
    return {sec.name: i for i, sec in enumerate(data.sections)}


def build(data: ProblemData, model: cp_model.CpModel, variables: SectionVars) -> list[str]:
    """Constrain pinned sections; keep students pinned to supervision groups out of sections in
    that slot. Returns the pins that cannot be honoured by construction (for the explanation)."""
    names = section_index(data)
    impossible = []
    for pin in data.loaded.instance.pins:
        i = names.get(pin.activity)
        slots = {(s.day, s.period) for s in pin.slots} if pin.slots is not None else None
        if i is None and is_section_name(data, pin.activity):
            # a section of a course that can no longer run at all (no room, staff or time left)
            impossible.append(pin.activity)
            variables.named[f"PIN|{pin.activity}"].append(model.add_bool_or([]))
            continue
        if i is None:
            # a supervision group: its students stay out of sections in its slots
            for sid in pin.students or []:
                for j in variables.sections_of.get(sid, []):
                    for t in sorted(slots) if slots else _group_slots(pin.activity, data):
                        variables.named[f"PIN|{pin.activity}"].append(
                            model.add(variables.seat[(sid, j)] + variables.at(j, t) <= 1)
                        )
            continue
        sec = data.sections[i]
        allowed = [
            var
            for o, var in variables.option[i].items()
            if (slots is None or set(sec.options[o].slots) == slots)
            and (pin.room is None or _holds(data, sec.options[o], pin.room))
        ]
        name = f"PIN|{pin.activity}"
        if not allowed:
            impossible.append(pin.activity)
            variables.named[name].append(model.add_bool_or([]))  # cannot be met
            continue
        variables.named[name].append(model.add(sum(allowed) == 1))
        for sid in pin.students or []:
            if (sid, i) in variables.seat:
                variables.named[name].append(model.add(variables.seat[(sid, i)] == 1))
            else:
                impossible.append(f"{pin.activity}:{sid}")
                variables.named[name].append(model.add_bool_or([]))
        for st in pin.staff or []:
            if (i, st) in variables.serves:
                variables.named[name].append(model.add(variables.serves[(i, st)] == 1))
            else:
                impossible.append(f"{pin.activity}:{st}")
                variables.named[name].append(model.add_bool_or([]))
    return impossible


def _holds(data: ProblemData, opt: Option, room: str) -> bool:
    """The option is in that room, or in a pool of alike rooms that has it."""
    return opt.room == room or (opt.pool is not None and room in data.pools[opt.pool])


def is_section_name(data: ProblemData, activity_id: str) -> bool:
    """`COURSE-k` of an elective or tutoring course: the id every plan here gives a section."""
    head, _, k = activity_id.rpartition("-")
    course = data.loaded.course.get(head)
    return k.isdigit() and course is not None and course.category not in ("homework", "care", "evening_study")


def _group_slots(activity_id: str, data: ProblemData) -> list[tuple[str, str]]:
    """The slot in a supervision group's id (`HW-3-1-mon-P1`): day and period are its last parts."""
    parts = activity_id.split("-")
    for k in range(len(parts) - 1):
        if parts[k] in data.loaded.days and parts[k + 1] in data.loaded.period:
            return [(parts[k], parts[k + 1])]
    return []


def change_terms(
    data: ProblemData, model: cp_model.CpModel, variables: SectionVars, previous: list[Activity]
) -> cp_model.LinearExprT:
    """Changes from a previous plan: sections whose sessions or room moved, and students who moved
    (one per student whose sections differ at all, so a student whose section had to close counts
    once and is then free to get another of their choices). Returns a linear expression."""
    names = section_index(data)
    terms: list[cp_model.LinearExprT] = []
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
        sec = data.sections[i]
        same = [
            var
            for o, var in variables.option[i].items()
            if set(sec.options[o].slots) == slots and _holds(data, sec.options[o], a.room)
        ]
        terms.append(1 - sum(same))
        for sid in a.students:
            before.setdefault(sid, set()).add(i)
    for sid in sorted(set(before) | set(variables.sections_of) | gone):
        had = before.get(sid, set())
        mine = variables.sections_of.get(sid, [])
        if sid in gone or any((sid, i) not in variables.seat for i in had):
            terms.append(1)  # a section they were in is gone or no longer fits them
            continue
        moved = model.new_bool_var(f"moved[{sid}]")
        for i in mine:
            model.add(moved >= (1 - variables.seat[(sid, i)] if i in had else variables.seat[(sid, i)]))
        terms.append(moved)
    return sum(terms)
