"""What a file's constraints mean for the model, read once and shared by the model's encodings
(the checker has its own reading, from FET's definitions): students sets as subgroups, the
activities a constraint applies to, the rooms an activity may take, and which lessons are
interchangeable (and which of those can be merged into one item with a count).
"""

from __future__ import annotations

from collections import defaultdict

from benchmarks.peers.fet.fetfile import Activity, Constraint, FetData


def students_subgroups(data: FetData, names) -> tuple[str, ...]:
    out: set[str] = set()
    for n in names:
        out |= set(data.subgroups_of.get(n, (n,)))
    return tuple(sorted(out))


def active_ids(data: FetData) -> set[int]:
    return {a.id for a in data.activities if a.active}


def constraint_activities(data: FetData, constraint: Constraint) -> list[int]:
    """Active activities a list-of-ids constraint applies to (FET drops inactive ones)."""
    act = active_ids(data)
    return [int(x) for x in constraint.fields.get("Activity_Id", []) if int(x) in act]


def filtered_activities(data: FetData, constraint: Constraint) -> list[Activity]:
    """Activities matching the teacher/students/subject/tag/duration filters of an
    `Activities…`/`Subactivities…` constraint (students: sharing a subgroup with the set)."""
    teacher = constraint.one("Teacher_Name", "") or ""
    students = constraint.one("Students_Name", "") or ""
    subject = constraint.one("Subject_Name", "") or ""
    tag = constraint.one("Activity_Tag_Name", "") or ""
    duration = (constraint.one("Duration", "") or "").strip()
    component = int((constraint.one("Component_Number", "0") or "0").strip() or 0)
    sset = set(students_subgroups(data, [students])) if students else set()
    out = []
    for a in data.activities:
        if not a.active:
            continue
        if teacher and teacher not in a.teachers:
            continue
        if students and not (sset & set(students_subgroups(data, a.students))):
            continue
        if subject and a.subject != subject:
            continue
        if tag and tag not in a.tags:
            continue
        if duration and a.duration != int(duration):
            continue
        if component and not (
            (a.group_id == 0 and component == 1) or (a.group_id != 0 and a.id - a.group_id + 1 == component)
        ):
            continue
        out.append(a)
    return out


def room_choices(data: FetData) -> tuple[dict[int, list[str] | None], dict[int, list[str]]]:
    """Per active activity: its allowed rooms (None: FET gives it no room), and the labels of the
    room constraints that decided them. Preferred rooms (activity, subject, activity tag) are
    intersected; home rooms (teacher, students set) apply only to an activity with no preferred
    room and are intersected too; rooms too small for the activity's students are dropped."""
    acts = {a.id: a for a in data.activities if a.active}
    preferred: dict[int, set[str] | None] = dict.fromkeys(acts)
    home: dict[int, set[str] | None] = dict.fromkeys(acts)
    why: dict[int, list[str]] = defaultdict(list)

    def restrict(table, aid, rooms, label):
        table[aid] = set(rooms) if table[aid] is None else table[aid] & set(rooms)
        why[aid].append(label)

    for c in data.constraints:
        if not c.active or c.weight == 0:
            continue
        rooms = c.fields.get("Preferred_Room") or c.fields.get("Room") or []
        if c.kind in ("ConstraintActivityPreferredRoom", "ConstraintActivityPreferredRooms"):
            aid = int(c.one("Activity_Id"))
            if aid in acts:
                restrict(preferred, aid, rooms, c.label)
        elif c.kind in ("ConstraintSubjectPreferredRoom", "ConstraintSubjectPreferredRooms"):
            for a in acts.values():
                if a.subject == c.one("Subject"):
                    restrict(preferred, a.id, rooms, c.label)
        elif c.kind in ("ConstraintActivityTagPreferredRoom", "ConstraintActivityTagPreferredRooms"):
            for a in acts.values():
                if c.one("Activity_Tag") in a.tags:
                    restrict(preferred, a.id, rooms, c.label)
        elif c.kind in ("ConstraintTeacherHomeRoom", "ConstraintTeacherHomeRooms"):
            for a in acts.values():
                if a.teachers == (c.one("Teacher"),):
                    restrict(home, a.id, rooms, c.label)
        elif c.kind in ("ConstraintStudentsSetHomeRoom", "ConstraintStudentsSetHomeRooms"):
            for a in acts.values():
                if a.students == (c.one("Students"),):
                    restrict(home, a.id, rooms, c.label)
    out: dict[int, list[str] | None] = {}
    for aid, a in acts.items():
        chosen = preferred[aid] if preferred[aid] is not None else home[aid]
        if preferred[aid] is not None:
            why[aid] = [w for w in why[aid] if "HomeRoom" not in w]
        if chosen is None:
            out[aid] = None
        else:
            n = activity_students(data, a)
            out[aid] = sorted(r for r in chosen if r in data.rooms and data.rooms[r] >= n)
    return out, why


def activity_students(data: FetData, activity: Activity) -> int:
    if activity.n_students is not None:
        return activity.n_students
    return sum(data.set_size.get(s, 0) for s in activity.students)


SINGLE = {
    "ConstraintActivityPreferredStartingTime",
    "ConstraintActivityPreferredStartingTimes",
    "ConstraintActivityPreferredTimeSlots",
    "ConstraintActivityPreferredRoom",
    "ConstraintActivityPreferredRooms",
}


def interchangeable(
    data: FetData, acts: list[Activity], subgroups: dict, rooms: dict, live: list[Constraint]
) -> list[list[int]]:
    """Groups of activities any permutation of whose placements keeps every constraint and cost:
    same teachers, subject, tags, subgroups, duration, students and rooms, and the same
    constraints (a list constraint holds all or none of them; single-activity ones are equal in
    content)."""
    member: dict[int, list] = defaultdict(list)
    for c in live:
        if c.kind in SINGLE:
            content = (c.kind, c.weight, tuple(sorted((k, repr(v)) for k, v in c.fields.items() if k != "Activity_Id")))
            for aid in constraint_activities(data, c):
                member[aid].append(content)
        elif "Activity_Id" in c.fields:
            for aid in constraint_activities(data, c):
                member[aid].append(c.label)
        elif c.kind == "ConstraintSubactivitiesPreferredTimeSlots":
            for a in filtered_activities(data, c):
                member[a.id].append(c.label)
    groups: dict[tuple, list[int]] = defaultdict(list)
    for a in acts:
        key = (
            tuple(sorted(a.teachers)),
            a.subject,
            tuple(sorted(a.tags)),
            subgroups[a.id],
            a.duration,
            activity_students(data, a),
            tuple(rooms[a.id] or ()),
            rooms[a.id] is None,
            tuple(sorted(map(repr, member[a.id]))),
        )
        groups[key].append(a.id)
    return [sorted(v) for v in groups.values() if len(v) > 1]


def mergeable(
    data: FetData, alike: list[list[int]], acts: list[Activity], subgroups: dict, live: list[Constraint]
) -> list[list[int]]:
    """Of the `interchangeable` groups `alike`, those that can be one item with a count: every constraint on them reads
    only how many of them are where (not which one), and they share a clash resource (so two copies
    never take one slot). Merging removes the lessons' permutations from the search altogether,
    where ordering constraints only cut them (and slow CP-SAT's local search down)."""
    per_activity: set[int] = set()  # in a constraint that tells the copies apart
    for c in live:
        md = c.one("MinDays")
        if c.kind in ("ConstraintActivitiesSameStartingTime", "ConstraintActivitiesNotOverlapping") or (
            c.kind == "ConstraintMinDaysBetweenActivities" and c.weight < 100 and int(md.strip()) > 1
        ):
            per_activity.update(constraint_activities(data, c))
    by_id = {a.id: a for a in acts}
    return [ids for ids in alike if not per_activity & set(ids) and (by_id[ids[0]].teachers or subgroups[ids[0]])]
