"""R2/R5/R6/R9/R21 (coverage and groups): once sections hold their students, everyone else is
supervised — homework groups per class and slot, merged within a grade where that saves a
group (合班: first-fit decreasing of class groups, so a class stays whole whenever it fits), care
and evening groups mixing classes; each in a room (its own homeroom first).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

from models.instance import Course
from models.load import Loaded
from solver.eligibility import group_cap, room_fits
from solver.model.data import SlotKey

KIND_OF_PERIOD = {
    "basic": ("homework", "homework"),
    "extended": ("care", "extended_care"),
    "evening": ("evening_study", "evening_study"),
}


@dataclass
class Group:
    id: str
    course: Course
    kind: str
    slot: SlotKey
    klass: str | None
    students: list[str]
    room: str | None = None
    staff: list[str] = field(default_factory=list)


def supervision_course(loaded: Loaded, category: str, grade: int, period_kind: str) -> Course | None:
    for c in loaded.instance.courses:
        if c.category == category and grade in c.grades and period_kind in c.period_kinds:
            return c
    return None


def _chunks(members: list[str], cap: int) -> list[list[str]]:
    k = math.ceil(len(members) / cap)
    size = math.ceil(len(members) / k)
    return [members[i * size : (i + 1) * size] for i in range(k)]


def merge_classes(items: list[tuple[str, list[str]]], cap: int) -> list[tuple[list[str], list[str]]]:
    """First-fit decreasing of class groups into bins of at most cap."""
    bins: list[tuple[list[str], list[str]]] = []
    for cls, members in sorted(items, key=lambda t: (-len(t[1]), t[0])):
        for classes, bin_members in bins:
            if len(bin_members) + len(members) <= cap:
                classes.append(cls)
                bin_members.extend(members)
                break
        else:
            bins.append(([cls], list(members)))
    return bins


def _pinned_groups(loaded: Loaded, busy: set, pins) -> tuple[list[Group], set[tuple[str, str, str]]]:
    """Groups a previous plan pinned (by id): their pinned students, with the rest of their
    classes waiting in that slot, keep the group's id, room and slot."""
    out: list[Group] = []
    placed: set[tuple[str, str, str]] = set()
    sections = {c.id for c in loaded.instance.courses if c.category not in ("homework", "care", "evening_study")}
    for pin in pins or []:
        if not pin.students or any(
            pin.activity.startswith(f"{c}-") and pin.activity[len(c) + 1 :].isdigit() for c in sections
        ):
            continue
        slots = [s.key() for s in pin.slots] if pin.slots else _slot_in(loaded, pin.activity)
        if len(slots) != 1:
            continue
        ((d, p),) = slots
        members = [
            sid
            for sid in pin.students
            if sid in loaded.student
            and (d, p) in loaded.registered[sid]
            and (sid, d, p) not in busy
            and (sid, d, p) not in placed
        ]
        if not members:
            continue
        kind = loaded.period[p].kind
        course = supervision_course(loaded, KIND_OF_PERIOD[kind][0], loaded.grade(loaded.student[members[0]]), kind)
        if course is None:
            continue
        classes = {loaded.student[x].class_ for x in members}
        cap = group_cap(loaded, course, KIND_OF_PERIOD[kind][1])
        if KIND_OF_PERIOD[kind][1] == "homework":
            for s in loaded.instance.students:
                if len(members) >= cap:
                    break
                if (
                    s.class_ in classes
                    and s.id not in members
                    and (d, p) in loaded.registered[s.id]
                    and (s.id, d, p) not in busy
                    and (s.id, d, p) not in placed
                ):
                    members.append(s.id)
        klass = next(iter(classes)) if len(classes) == 1 and KIND_OF_PERIOD[kind][1] == "homework" else None
        out.append(Group(pin.activity, course, KIND_OF_PERIOD[kind][1], (d, p), klass, members, room=pin.room))
        placed.update((sid, d, p) for sid in members)
    return out, placed


def _slot_in(loaded: Loaded, activity_id: str) -> list[SlotKey]:
    parts = activity_id.split("-")
    for k in range(len(parts) - 1):
        if parts[k] in loaded.days and parts[k + 1] in loaded.period:
            return [(parts[k], parts[k + 1])]
    return []


def form_groups(
    loaded: Loaded, busy: set[tuple[str, str, str]], merge: bool = True, pins=None
) -> tuple[list[Group], list[str]]:
    """Supervision groups for every (student, registered slot) not in `busy` (student, day, period).
    Returns the groups and the problems (students no course can supervise)."""
    pinned, placed = _pinned_groups(loaded, busy, pins)
    busy = busy | placed
    waiting: dict[tuple[SlotKey, str], list[str]] = defaultdict(list)
    problems = []
    for s in loaded.instance.students:
        for d, p in sorted(loaded.registered[s.id]):
            if (s.id, d, p) in busy:
                continue
            kind = loaded.period[p].kind
            category = KIND_OF_PERIOD[kind][0]
            course = supervision_course(loaded, category, loaded.grade(s), kind)
            if course is None:
                problems.append(f"{s.id} {d} {p}: no {category} course for grade {loaded.grade(s)}")
                continue
            waiting[((d, p), course.id)].append(s.id)
    groups: list[Group] = []
    order = {s.id: i for i, s in enumerate(loaded.instance.students)}
    for (slot, cid), sids in sorted(
        waiting.items(), key=lambda t: (loaded.days.index(t[0][0][0]), loaded.period_index[t[0][0][1]], t[0][1])
    ):
        course = loaded.course[cid]
        group_kind = KIND_OF_PERIOD[loaded.period[slot[1]].kind][1]
        cap = group_cap(loaded, course, group_kind)
        sids.sort(key=lambda x: (loaded.grade(loaded.student[x]), loaded.student[x].class_, order[x]))
        tag = f"{slot[0]}-{slot[1]}"
        if group_kind == "homework":
            by_grade: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
            for sid in sids:
                st = loaded.student[sid]
                by_grade[loaded.grade(st)][st.class_].append(sid)
            for grade, classes in by_grade.items():
                items = [(cls, chunk) for cls, members in classes.items() for chunk in _chunks(members, cap)]
                bins = merge_classes(items, cap) if merge else [([c], model) for c, model in items]
                everyone = [sid for _, members in sorted(classes.items()) for sid in members]
                if merge and len(bins) > math.ceil(len(everyone) / cap):
                    # whole classes need one group more than the pupils do: split a class across groups
                    bins = [([loaded.student[x].class_ for x in chunk], chunk) for chunk in _chunks(everyone, cap)]
                n = 0
                for classes_in, members in bins:
                    if len(set(classes_in)) == 1:
                        cls = classes_in[0]
                        gid = f"{cid}-{cls}-{tag}"
                    else:
                        cls = None
                        n += 1
                        gid = f"{cid}-G{grade}-{tag}-{n}"
                    groups.append(Group(gid, course, group_kind, slot, cls, members))
        else:
            for n, members in enumerate(_chunks(sids, cap), 1):
                groups.append(Group(f"{cid}-{tag}-{n}", course, group_kind, slot, None, members))
    taken_ids = {g.id for g in pinned}
    groups = pinned + groups
    seen: dict[str, int] = defaultdict(int)
    for g in groups[len(pinned) :]:  # a name a pinned group holds moves aside
        if g.id in taken_ids:
            g.id = f"{g.id}-x"
    for g in groups:  # a class split in one slot: -2, -3 ...
        seen[g.id] += 1
        if seen[g.id] > 1:
            g.id = f"{g.id}-{seen[g.id]}"
    return groups, problems


def assign_rooms(loaded: Loaded, groups: list[Group], taken: set[tuple[str, str, str]]) -> list[Group]:
    """A room per group: a class's own homeroom first, then a member class's, then the smallest
    free room of an allowed kind that holds it. Returns the groups that found none."""
    homeroom_of = {c.id: c.homeroom for c in loaded.instance.classes}
    closed = {(r.id, u.day, u.period) for r in loaded.instance.rooms for u in r.unavailable}
    failed = []
    rooms_by_course: dict[str, list] = {}
    for g in groups:
        if g.room is not None:  # pinned
            taken.add((g.room, *g.slot))
    for g in sorted(groups, key=lambda g: (g.klass is None, -len(g.students), g.id)):
        if g.room is not None:
            continue
        d, p = g.slot
        if g.course.id not in rooms_by_course:
            rooms_by_course[g.course.id] = sorted(
                (r for r in loaded.instance.rooms if room_fits(loaded, r, g.course) and not r.off_campus),
                key=lambda r: (r.capacity, r.id),
            )
        wanted = []
        if g.klass is not None:
            wanted.append(homeroom_of[g.klass])
        classes = sorted(
            {loaded.student[s].class_ for s in g.students},
            key=lambda c: (-sum(1 for s in g.students if loaded.student[s].class_ == c), c),
        )
        wanted += [homeroom_of[c] for c in classes]
        choice = None
        for rid in wanted:
            r = loaded.room[rid]
            if (
                (rid, d, p) not in taken
                and (rid, d, p) not in closed
                and r.capacity >= len(g.students)
                and room_fits(loaded, r, g.course)
            ):
                choice = rid
                break
        if choice is None:
            for r in rooms_by_course[g.course.id]:
                if r.capacity >= len(g.students) and (r.id, d, p) not in taken and (r.id, d, p) not in closed:
                    choice = r.id
                    break
        if choice is None:
            failed.append(g)
            continue
        g.room = choice
        taken.add((choice, d, p))
    return failed
