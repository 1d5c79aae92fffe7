"""FET's real-school example files (Debian `fet-data`), converted into the placement core and solved
with CP-SAT (`../shared/peers/README.md`, FET section).

An active activity is a required core Item: its patterns are its possible starts (day, hour) with
the tuple of slots it occupies (consecutive hours of one day, never across a break); its resources
are its teachers and its students' subgroups (years and groups expanded; subgroups with identical
activities share one clash resource); its options are (start, room) pairs when FET gives it rooms.
Interchangeable lessons (the parts of a split activity, alike in every attribute and constraint)
become one item with a count when every constraint on them counts them rather than naming one
(`mergeable`): the model then has no permutations of them to search through.
Every constraint of the supported set keeps its weight: 100% is hard, below 100% costs
weight/100 per broken instance as FET counts it ("Total soft conflicts"), weight 0 is void. Any
other constraint type, or a supported one with an attribute or weight this converter cannot
express, is named and the file is skipped (`Unsupported`): nothing is dropped silently.

Our plan is scored by `fet_check` (written from FET's constraint definitions, not from this model).
When CP-SAT proves infeasibility, `diagnose` names the constraint instances in conflict (one
assumption literal per instance, `sufficient_assumptions_for_infeasibility`).

The .fet files are AGPL-3+ with real names: read them from the installed package, keep their
conversions under the git-ignored `.cache/fet/`, and never write names from them into results.

python -m benchmarks.peers.fet FILE [--time-limit 120] [--workers 2] [--seed 1]
  (FILE: a path, or one relative to the package's examples folder, e.g. Denmark/small-school)
"""

from __future__ import annotations

import argparse
import itertools
import json
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ortools.sat.python import cp_model

from solver.placement.core import Item, Option, Placement

ROOT = Path(__file__).resolve().parents[2]
PEERS = ROOT.parent / "shared" / "peers" / "fet"
EXAMPLES = Path("/usr/share/doc/fet-data/examples")
CACHE = ROOT / ".cache" / "fet"
IMPROVE_1_WORKER = {"interleave_search": True}  # one thread, all subsolvers in turn: proves bounds
LNS_1_WORKER = {"interleave_search": True, "use_lns_only": True}  # one thread, LNS only: improves plans fast
PLAIN_1_WORKER = {"linearization_level": 0}  # one thread, CP-SAT's own search: where LNS stalls (Shipena)
SCALE = 10_000  # objective units per soft conflict (weights are percentages with up to 2 decimals)


def installed() -> bool:
    return EXAMPLES.is_dir()


def file_list(tier: str) -> list[str]:
    """The files of a tier (`t1` or `t2`), relative to the examples folder."""
    lines = (PEERS / f"{tier}-files.txt").read_text(encoding="utf-8").split()
    return [line.removeprefix("examples/") for line in lines if line.strip()]


def example_path(name: str) -> Path:
    p = Path(name)
    if p.exists():
        return p
    p = EXAMPLES / (name if name.endswith(".fet") else name + ".fet")
    if p.exists():
        return p
    hits = sorted(EXAMPLES.glob(f"*/**/{name}.fet"))
    if hits:
        return hits[0]
    raise FileNotFoundError(name)


def short_name(path: Path) -> str:
    """A stable label for a file: its path under examples/ without the suffix."""
    try:
        rel = path.resolve().relative_to(EXAMPLES)
    except ValueError:
        return path.stem
    return str(rel.with_suffix(""))


# ---------------------------------------------------------------------------------------------
# parsing: a plain record of the file (no interpretation beyond the students tree)


@dataclass
class Activity:
    id: int
    teachers: tuple[str, ...]
    subject: str
    tags: tuple[str, ...]
    students: tuple[str, ...]
    duration: int
    group_id: int
    active: bool
    n_students: int | None  # Number_Of_Students when given (else the sets' sizes are summed)


@dataclass
class Constraint:
    kind: str  # the XML tag, e.g. ConstraintMinDaysBetweenActivities
    index: int  # position in its list (time constraints, then space constraints): a stable id
    space: bool
    weight: float
    active: bool
    fields: dict[str, list]  # child tag -> texts, or dicts for nested children (Day/Hour pairs)

    @property
    def label(self) -> str:
        return f"{self.kind}#{self.index}"

    def one(self, key: str, default: str | None = None) -> str | None:
        v = self.fields.get(key)
        return v[0] if v else default

    def times(self, key: str, day_tag: str, hour_tag: str) -> list[tuple[str, str]]:
        return [(d.get(day_tag, ""), d.get(hour_tag, "")) for d in self.fields.get(key, [])]


@dataclass
class FetData:
    name: str
    days: list[str]
    hours: list[str]
    teachers: list[str]
    subjects: list[str]
    rooms: dict[str, int]  # room -> capacity
    virtual_rooms: list[str]
    set_size: dict[str, int]  # students set (year, group, subgroup) -> number of students
    set_kind: dict[str, str]  # students set -> year | group | subgroup
    subgroups_of: dict[str, tuple[str, ...]]  # students set -> its subgroups (FET's internal ones)
    activities: list[Activity]
    constraints: list[Constraint]
    extra: list[str] = field(default_factory=list)  # unknown top-level or activity tags

    def day_index(self, name: str) -> int:
        return _index(self.days, name)

    def hour_index(self, name: str) -> int:
        return _index(self.hours, name)

    def slot(self, day: str, hour: str) -> tuple[int, int]:
        return self.day_index(day), self.hour_index(hour)


def _index(names: list[str], name: str) -> int:
    try:
        return names.index(name)
    except ValueError:
        stripped = [n.strip() for n in names]
        return stripped.index(name.strip())


def _text(e: ET.Element | None) -> str:
    return "" if e is None or e.text is None else e.text


def _names(parent: ET.Element | None, tag: str) -> list[str]:
    out = []
    for e in parent if parent is not None else []:
        if e.tag == tag:
            name = e.find("Name")
            out.append(_text(name) if name is not None else _text(e))
    return out


TOP = {"Institution_Name", "Comments", "Days_List", "Hours_List", "Subjects_List", "Activity_Tags_List",
       "Teachers_List", "Students_List", "Activities_List", "Buildings_List", "Rooms_List",
       "Time_Constraints_List", "Space_Constraints_List", "Mode"}
ACTIVITY_TAGS = {"Teacher", "Subject", "Activity_Tag", "Students", "Duration", "Total_Duration", "Id",
                 "Activity_Group_Id", "Active", "Comments", "Number_Of_Students"}


def parse(path: str | Path) -> FetData:
    path = Path(path)
    root = ET.parse(path).getroot()
    extra = [f"top-level {c.tag}" for c in root if c.tag not in TOP]
    if root.findtext("Mode") not in (None, "Official"):
        extra.append(f"Mode={root.findtext('Mode')}")
    days = _names(root.find("Days_List"), "Day")
    hours = _names(root.find("Hours_List"), "Hour")
    teachers = _names(root.find("Teachers_List"), "Teacher")
    subjects = _names(root.find("Subjects_List"), "Subject")
    rooms: dict[str, int] = {}
    virtual = []
    for r in root.find("Rooms_List") if root.find("Rooms_List") is not None else []:
        name = _text(r.find("Name"))
        rooms[name] = int(_text(r.find("Capacity")).strip() or 0)
        if _text(r.find("Virtual")).strip() == "true":
            virtual.append(name)
    set_size: dict[str, int] = {}
    set_kind: dict[str, str] = {}
    members: dict[str, set[str]] = defaultdict(set)

    def size(e):
        return int(_text(e.find("Number_of_Students")).strip() or 0)

    for y in root.find("Students_List") if root.find("Students_List") is not None else []:
        yname = _text(y.find("Name"))
        set_size.setdefault(yname, size(y))
        set_kind.setdefault(yname, "year")
        groups = y.findall("Group")
        if not groups:
            members[yname].add(yname)  # FET's automatic group and subgroup
        for g in groups:
            gname = _text(g.find("Name"))
            set_size.setdefault(gname, size(g))
            set_kind.setdefault(gname, "group")
            subs = g.findall("Subgroup")
            if not subs:
                members[gname].add(gname)
            for s in subs:
                sname = _text(s.find("Name"))
                set_size.setdefault(sname, size(s))
                set_kind.setdefault(sname, "subgroup")
                members[sname].add(sname)
                members[gname].add(sname)
            members[yname] |= members[gname]
    subgroups_of = {k: tuple(sorted(v)) for k, v in members.items()}
    activities = []
    for a in root.find("Activities_List") if root.find("Activities_List") is not None else []:
        extra += [f"Activity.{c.tag}" for c in a if c.tag not in ACTIVITY_TAGS]
        ns = a.find("Number_Of_Students")
        activities.append(Activity(
            id=int(_text(a.find("Id")).strip()),
            teachers=tuple(_text(t) for t in a.findall("Teacher")),
            subject=_text(a.find("Subject")),
            tags=tuple(_text(t) for t in a.findall("Activity_Tag")),
            students=tuple(_text(s) for s in a.findall("Students")),
            duration=int(_text(a.find("Duration")).strip()),
            group_id=int(_text(a.find("Activity_Group_Id")).strip() or 0),
            active=_text(a.find("Active")).strip() != "false",
            n_students=int(_text(ns).strip()) if ns is not None else None,
        ))
    constraints = []
    for section, space in (("Time_Constraints_List", False), ("Space_Constraints_List", True)):
        for e in root.find(section) if root.find(section) is not None else []:
            fields: dict[str, list] = defaultdict(list)
            for c in e:
                if len(c):
                    fields[c.tag].append({cc.tag: _text(cc) for cc in c})
                else:
                    fields[c.tag].append(_text(c))
            weight = float(fields.pop("Weight_Percentage", ["100"])[0].strip())
            active = fields.pop("Active", ["true"])[0].strip() != "false"
            fields.pop("Comments", None)
            constraints.append(Constraint(e.tag, len(constraints), space, weight, active, dict(fields)))
    return FetData(short_name(path), days, hours, teachers, subjects, rooms, virtual, set_size, set_kind,
                   subgroups_of, activities, constraints, extra)


# ---------------------------------------------------------------------------------------------
# the supported constraint set: tag -> (fields allowed besides weight/active/comments, soft allowed)

FILTERS = {"Teacher_Name", "Students_Name", "Subject_Name", "Activity_Tag_Name", "Duration"}
NA = {"Number_of_Not_Available_Times", "Not_Available_Time"}
SUPPORTED: dict[str, tuple[set[str], bool]] = {
    # T1 core
    "ConstraintBasicCompulsoryTime": (set(), False),
    "ConstraintBreakTimes": ({"Number_of_Break_Times", "Break_Time"}, False),
    "ConstraintTeacherNotAvailableTimes": ({"Teacher"} | NA, True),
    "ConstraintStudentsSetNotAvailableTimes": ({"Students"} | NA, True),
    "ConstraintActivityPreferredStartingTime": ({"Activity_Id", "Preferred_Day", "Preferred_Hour",
                                                 "Permanently_Locked"}, True),
    "ConstraintActivityPreferredStartingTimes": ({"Activity_Id", "Number_of_Preferred_Starting_Times",
                                                  "Preferred_Starting_Time"}, True),
    "ConstraintActivitiesPreferredStartingTimes": (FILTERS | {"Number_of_Preferred_Starting_Times",
                                                              "Preferred_Starting_Time"}, True),
    "ConstraintActivityPreferredTimeSlots": ({"Activity_Id", "Number_of_Preferred_Time_Slots",
                                              "Preferred_Time_Slot"}, False),
    "ConstraintActivitiesPreferredTimeSlots": (FILTERS | {"Number_of_Preferred_Time_Slots",
                                                          "Preferred_Time_Slot"}, False),
    "ConstraintSubactivitiesPreferredTimeSlots": (FILTERS | {"Component_Number", "Number_of_Preferred_Time_Slots",
                                                             "Preferred_Time_Slot"}, False),
    "ConstraintTeacherMaxGapsPerDay": ({"Teacher_Name", "Max_Gaps"}, False),
    "ConstraintTeachersMaxGapsPerDay": ({"Max_Gaps"}, False),
    "ConstraintTeacherMaxGapsPerWeek": ({"Teacher_Name", "Max_Gaps"}, False),
    "ConstraintTeachersMaxGapsPerWeek": ({"Max_Gaps"}, False),
    "ConstraintTeacherMaxHoursDaily": ({"Teacher_Name", "Maximum_Hours_Daily"}, False),
    "ConstraintTeachersMaxHoursDaily": ({"Maximum_Hours_Daily"}, False),
    "ConstraintMinDaysBetweenActivities": ({"Consecutive_If_Same_Day", "Number_of_Activities", "Activity_Id",
                                            "MinDays"}, True),
    # T2 extras
    "ConstraintTeacherMaxDaysPerWeek": ({"Teacher_Name", "Max_Days_Per_Week"}, False),
    "ConstraintTeachersMaxDaysPerWeek": ({"Max_Days_Per_Week"}, False),
    "ConstraintTeacherMinHoursDaily": ({"Teacher_Name", "Minimum_Hours_Daily", "Allow_Empty_Days"}, False),
    "ConstraintTeachersMinHoursDaily": ({"Minimum_Hours_Daily", "Allow_Empty_Days"}, False),
    "ConstraintStudentsMaxGapsPerWeek": ({"Max_Gaps"}, False),
    "ConstraintStudentsSetMaxGapsPerWeek": ({"Max_Gaps", "Students"}, False),
    "ConstraintStudentsEarlyMaxBeginningsAtSecondHour": ({"Max_Beginnings_At_Second_Hour"}, False),
    "ConstraintStudentsSetEarlyMaxBeginningsAtSecondHour": ({"Max_Beginnings_At_Second_Hour", "Students"}, False),
    "ConstraintActivitiesSameStartingTime": ({"Number_of_Activities", "Activity_Id"}, False),
    "ConstraintActivitiesNotOverlapping": ({"Number_of_Activities", "Activity_Id"}, False),
    # room layer
    "ConstraintBasicCompulsorySpace": (set(), False),
    "ConstraintActivityPreferredRoom": ({"Activity_Id", "Room", "Permanently_Locked"}, False),
    "ConstraintActivityPreferredRooms": ({"Activity_Id", "Number_of_Preferred_Rooms", "Preferred_Room"}, False),
    "ConstraintSubjectPreferredRoom": ({"Subject", "Room"}, False),
    "ConstraintSubjectPreferredRooms": ({"Subject", "Number_of_Preferred_Rooms", "Preferred_Room"}, False),
    "ConstraintActivityTagPreferredRoom": ({"Activity_Tag", "Room"}, False),
    "ConstraintActivityTagPreferredRooms": ({"Activity_Tag", "Number_of_Preferred_Rooms", "Preferred_Room"}, False),
    "ConstraintTeacherHomeRoom": ({"Teacher", "Room"}, False),
    "ConstraintTeacherHomeRooms": ({"Teacher", "Number_of_Preferred_Rooms", "Preferred_Room"}, False),
    "ConstraintStudentsSetHomeRoom": ({"Students", "Room"}, False),
    "ConstraintStudentsSetHomeRooms": ({"Students", "Number_of_Preferred_Rooms", "Preferred_Room"}, False),
    "ConstraintRoomNotAvailableTimes": ({"Room"} | NA, False),
}

class Unsupported(Exception):
    def __init__(self, reasons: list[str]):
        super().__init__("unsupported: " + "; ".join(reasons))
        self.reasons = reasons


def unsupported(data: FetData) -> list[str]:
    """What this converter cannot express, by constraint type (and attribute); empty if all is."""
    out = set(data.extra)
    if data.virtual_rooms:
        out.add("virtual rooms")
    for c in data.constraints:
        if not c.active:
            continue  # FET ignores inactive constraints, and so do we
        spec = SUPPORTED.get(c.kind)
        if spec is None:
            out.add(c.kind)
            continue
        allowed, soft_ok = spec
        for key in c.fields:
            if key not in allowed:
                out.add(f"{c.kind}.{key}")
        if 0 < c.weight < 100 and not soft_ok:
            out.add(f"{c.kind} with weight {c.weight:g}% (soft)")
        if c.kind in ("ConstraintBasicCompulsoryTime", "ConstraintBasicCompulsorySpace") and c.weight < 100:
            out.add(f"{c.kind} below 100%")
        if c.kind == "ConstraintActivityPreferredStartingTime" and not (c.one("Preferred_Day") and c.one("Preferred_Hour")):
            out.add(f"{c.kind} without both day and hour")
    return sorted(out)


# ---------------------------------------------------------------------------------------------
# interpretation shared by the model (the checker has its own, from FET's definitions)


def students_subgroups(data: FetData, names) -> tuple[str, ...]:
    out: set[str] = set()
    for n in names:
        out |= set(data.subgroups_of.get(n, (n,)))
    return tuple(sorted(out))


def active_ids(data: FetData) -> set[int]:
    return {a.id for a in data.activities if a.active}


def constraint_activities(data: FetData, c: Constraint) -> list[int]:
    """Active activities a list-of-ids constraint applies to (FET drops inactive ones)."""
    act = active_ids(data)
    return [int(x) for x in c.fields.get("Activity_Id", []) if int(x) in act]


def filtered_activities(data: FetData, c: Constraint) -> list[Activity]:
    """Activities matching the teacher/students/subject/tag/duration filters of an
    `Activities…`/`Subactivities…` constraint (students: sharing a subgroup with the set)."""
    teacher = c.one("Teacher_Name", "") or ""
    students = c.one("Students_Name", "") or ""
    subject = c.one("Subject_Name", "") or ""
    tag = c.one("Activity_Tag_Name", "") or ""
    duration = (c.one("Duration", "") or "").strip()
    component = int((c.one("Component_Number", "0") or "0").strip() or 0)
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
        if component and not ((a.group_id == 0 and component == 1) or
                              (a.group_id != 0 and a.id - a.group_id + 1 == component)):
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


def activity_students(data: FetData, a: Activity) -> int:
    if a.n_students is not None:
        return a.n_students
    return sum(data.set_size.get(s, 0) for s in a.students)


SINGLE = {"ConstraintActivityPreferredStartingTime", "ConstraintActivityPreferredStartingTimes",
          "ConstraintActivityPreferredTimeSlots", "ConstraintActivityPreferredRoom", "ConstraintActivityPreferredRooms"}


def interchangeable(data: FetData, acts: list[Activity], subgroups: dict, rooms: dict,
                    live: list[Constraint]) -> list[list[int]]:
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
        key = (tuple(sorted(a.teachers)), a.subject, tuple(sorted(a.tags)), subgroups[a.id], a.duration,
               activity_students(data, a), tuple(rooms[a.id] or ()), rooms[a.id] is None,
               tuple(sorted(map(repr, member[a.id]))))
        groups[key].append(a.id)
    return [sorted(v) for v in groups.values() if len(v) > 1]


# ---------------------------------------------------------------------------------------------
# the model


@dataclass
class Model:
    data: FetData
    model: cp_model.CpModel
    core: Placement
    acts: list[Activity]  # item i is acts[i]
    objective: list[tuple[int, object, str]]  # (coefficient, literal or linear expression, constraint kind)
    groups: dict[str, cp_model.IntVar]  # constraint label -> assumption literal (diagnose mode)
    stats: dict
    placed: dict[int, cp_model.IntVar] = field(default_factory=dict)  # activity id -> literal (presence mode)
    members: list[list[int]] = field(default_factory=list)  # item i -> its activities' ids (copies)

    def objective_expr(self):
        return sum(c * e for c, e, _ in self.objective)

    def placement(self, value) -> dict[int, tuple[int, int, str | None]]:
        H = len(self.data.hours)
        out = {}
        for i, a in enumerate(self.acts):
            ids = self.members[i] if self.members else [a.id]
            # copies are interchangeable: any order of ids over the chosen options is the same plan
            for aid, opt in zip(ids, self.core.chosen_all(i, value), strict=False):
                out[aid] = (opt.pattern // H, opt.pattern % H, opt.room)
        return out


def min_days(m: cp_model.CpModel, c: Constraint, idx: list, on_day, D: int, enforce, harden: bool = False,
             n_acts: int | None = None) -> list:
    """Min days between activities over day counts `on_day(i, d)` of items `idx` holding `n_acts`
    activities in all (an item may hold copies; default one each): hard (100%, or `harden`):
    any min-days consecutive days hold at most one of them; soft: the exact FET cost, per pair
    (minDays - days apart) when too close — as C(n_d, 2) same-day pairs per day for minDays 1.
    With "consecutive if same day" (soft), at most two of them share a day (a third cannot be
    adjacent to both). Returns the objective terms."""
    md = int(c.one("MinDays").strip())
    consecutive = (c.one("Consecutive_If_Same_Day", "false") or "").strip() == "true"
    w = round(c.weight * 100)
    n = len(idx) if n_acts is None else n_acts
    terms = []
    if c.weight >= 100 or harden:
        win = min(md, D)
        days_open = [d for d in range(D) if any(not isinstance(on_day(i, d), int) for i in idx)]
        # implied: as many of them as days they can take means one a day (copies of one item are
        # otherwise only counted in all, which propagates nothing about a single day)
        exact = win == 1 and n == len(days_open)
        for d in range(D - win + 1):
            day_sum = sum(on_day(i, dd) for i in idx for dd in range(d, d + win))
            enforce(m.add(day_sum == 1 if exact and d in days_open else day_sum <= 1), c)
        return terms
    if consecutive:
        for d in range(D):
            if n > 2:
                enforce(m.add(sum(on_day(i, d) for i in idx) <= 2), c)
    if md == 1:
        for d in range(D):  # unary count of the day's activities: z_j = [n_d >= j]
            z = [m.new_bool_var("") for _ in range(min(n, 2 if consecutive else n))]
            for z1, z2 in itertools.pairwise(z):
                m.add(z1 >= z2)
            m.add(sum(on_day(i, d) for i in idx) == sum(z))
            terms += [(w * j, z[j], c.kind) for j in range(1, len(z))]
        return terms
    assert n == len(idx), "copies are never merged under a soft min-days constraint above 1 day"
    day = {i: m.new_int_var(0, D - 1, "") for i in idx}
    for i in idx:
        m.add(day[i] == sum(d * on_day(i, d) for d in range(D)))
    for p, a in enumerate(idx):
        for b in idx[p + 1:]:
            dist = m.new_int_var(0, D - 1, "")
            m.add_abs_equality(dist, day[a] - day[b])
            short = m.new_int_var(0, md, "")
            m.add_max_equality(short, [0, md - dist])
            terms.append((w, short, c.kind))
    return terms


def mergeable(data: FetData, alike: list[list[int]], acts: list[Activity], subgroups: dict,
              live: list[Constraint]) -> list[list[int]]:
    """Of the `interchangeable` groups `alike`, those that can be one item with a count: every constraint on them reads
    only how many of them are where (not which one), and they share a clash resource (so two copies
    never take one slot). Merging removes the lessons' permutations from the search altogether,
    where ordering constraints only cut them (and slow CP-SAT's local search down)."""
    per_activity: set[int] = set()  # in a constraint that tells the copies apart
    for c in live:
        md = c.one("MinDays")
        if c.kind in ("ConstraintActivitiesSameStartingTime", "ConstraintActivitiesNotOverlapping") or (
                c.kind == "ConstraintMinDaysBetweenActivities" and c.weight < 100 and int(md.strip()) > 1):
            per_activity.update(constraint_activities(data, c))
    by_id = {a.id: a for a in acts}
    return [ids for ids in alike if not per_activity & set(ids) and (by_id[ids[0]].teachers or subgroups[ids[0]])]


def build(data: FetData, diagnose: bool = False, symmetry: bool = True, harden: bool = False,
          day_sums: bool = False, fixed_day: dict[int, int] | None = None, presence: bool = False,
          merge: bool = True) -> Model:
    """The CP-SAT model of a supported file. `diagnose`: every constraint instance behind an
    assumption literal (patterns are not pre-filtered), for naming an infeasible core. `merge`:
    interchangeable lessons become one item with a count (`mergeable`; not with diagnose, fixed
    days or presence literals, which speak of single activities)."""
    reasons = unsupported(data)
    if reasons:
        raise Unsupported(reasons)
    D, H = len(data.days), len(data.hours)
    all_acts = [a for a in data.activities if a.active]
    subgroups = {a.id: students_subgroups(data, a.students) for a in all_acts}
    live = [c for c in data.constraints if c.active and c.weight > 0]
    rooms, _ = room_choices(data)
    alike = [] if diagnose else interchangeable(data, all_acts, subgroups, rooms, live)
    rep = {a.id: a.id for a in all_acts}  # activity -> the activity whose item holds it
    merged = mergeable(data, alike, all_acts, subgroups, live) if merge and not (fixed_day or presence) else []
    for ids in merged:
        for aid in ids:
            rep[aid] = ids[0]
    acts = [a for a in all_acts if rep[a.id] == a.id]  # item i is acts[i] and its copies
    index = {a.id: i for i, a in enumerate(acts)}
    members: list[list[int]] = [[] for _ in acts]
    for a in all_acts:
        index[a.id] = index[rep[a.id]]
        members[index[a.id]].append(a.id)

    def items_of(alist) -> list[int]:
        """The items of some activities, each once."""
        return list(dict.fromkeys(index[a.id] for a in alist))

    m = cp_model.CpModel()
    groups: dict[str, cp_model.IntVar] = {}

    def lit(c: Constraint):
        """The enforcement literal of a constraint instance (None outside diagnose mode)."""
        if not diagnose:
            return None
        if c.label not in groups:
            groups[c.label] = m.new_bool_var(c.label)
        return groups[c.label]

    def enforce(ct, c: Constraint):
        v = lit(c)
        if v is not None:
            ct.only_enforce_if(v)
        return ct

    def span(a: Activity, start: int) -> tuple[tuple[int, int], ...]:
        d, h = divmod(start, H)
        return tuple((d, h + k) for k in range(a.duration))

    starts = {a.id: [d * H + h for d in range(D) for h in range(H - a.duration + 1)
                     if fixed_day is None or fixed_day.get(a.id, d) == d] for a in all_acts}
    # ---- forbidden starts per hard constraint instance, and costs of starts for soft ones
    forbid: dict[str, dict[int, set[int]]] = defaultdict(lambda: defaultdict(set))
    label_of: dict[str, Constraint] = {}
    start_cost: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    start_kind: dict[int, dict[int, str]] = defaultdict(dict)
    by_teacher: dict[str, list[Activity]] = defaultdict(list)
    by_subgroup: dict[str, list[Activity]] = defaultdict(list)
    for a in all_acts:
        for t in a.teachers:
            by_teacher[t].append(a)
        for s in subgroups[a.id]:
            by_subgroup[s].append(a)
    breaks: set[tuple[int, int]] = set()
    teacher_na: dict[str, set[tuple[int, int]]] = defaultdict(set)
    subgroup_na: dict[str, set[tuple[int, int]]] = defaultdict(set)

    def rule_starts(c: Constraint, aids, bad_start, cost_per=None):
        """Hard: forbid starts where bad_start(a, start) is true. Soft: cost weight per unit."""
        label_of[c.label] = c
        for aid in dict.fromkeys(rep[x] for x in aids):  # the copies of an item are alike
            a = acts[index[aid]]
            for s in starts[aid]:
                n = bad_start(a, s)
                if n:
                    if c.weight >= 100:
                        forbid[c.label][aid].add(s)
                    else:
                        start_cost[aid][s] += round(c.weight * 100) * (n if cost_per else 1)
                        start_kind[aid][s] = c.kind

    for c in live:
        k = c.kind
        if k == "ConstraintBreakTimes":
            slots = {data.slot(d, h) for d, h in c.times("Break_Time", "Day", "Hour")}
            breaks |= slots
            rule_starts(c, [a.id for a in acts], lambda a, s, slots=slots: bool(set(span(a, s)) & slots))
        elif k == "ConstraintTeacherNotAvailableTimes":
            slots = {data.slot(d, h) for d, h in c.times("Not_Available_Time", "Day", "Hour")}
            t = c.one("Teacher")
            if c.weight >= 100:
                teacher_na[t] |= slots
            rule_starts(c, [a.id for a in by_teacher.get(t, [])],
                        lambda a, s, slots=slots: len(set(span(a, s)) & slots), cost_per=True)
        elif k == "ConstraintStudentsSetNotAvailableTimes":
            slots = {data.slot(d, h) for d, h in c.times("Not_Available_Time", "Day", "Hour")}
            subs = set(students_subgroups(data, [c.one("Students")]))
            if c.weight >= 100:
                for s in subs:
                    subgroup_na[s] |= slots
            aids = sorted({a.id for s in subs for a in by_subgroup.get(s, [])})
            rule_starts(c, aids, lambda a, s, slots=slots, subs=subs:
                        len(set(span(a, s)) & slots) * len(subs & set(subgroups[a.id])), cost_per=True)
        elif k == "ConstraintActivityPreferredStartingTime":
            ok = {data.day_index(c.one("Preferred_Day")) * H + data.hour_index(c.one("Preferred_Hour"))}
            rule_starts(c, constraint_activities(data, c), lambda a, s, ok=ok: s not in ok)
        elif k in ("ConstraintActivityPreferredStartingTimes", "ConstraintActivitiesPreferredStartingTimes"):
            ok = {d * H + h for d, h in (data.slot(d, h) for d, h in c.times(
                "Preferred_Starting_Time", "Preferred_Starting_Day", "Preferred_Starting_Hour"))}
            aids = (constraint_activities(data, c) if k.startswith("ConstraintActivity")
                    else [a.id for a in filtered_activities(data, c)])
            rule_starts(c, aids, lambda a, s, ok=ok: s not in ok)
        elif k in ("ConstraintActivityPreferredTimeSlots", "ConstraintActivitiesPreferredTimeSlots",
                   "ConstraintSubactivitiesPreferredTimeSlots"):
            ok = {data.slot(d, h) for d, h in c.times("Preferred_Time_Slot", "Preferred_Day", "Preferred_Hour")}
            aids = (constraint_activities(data, c) if k.startswith("ConstraintActivity")
                    else [a.id for a in filtered_activities(data, c)])
            rule_starts(c, aids, lambda a, s, ok=ok: not set(span(a, s)) <= ok)

    # ---- rooms
    room_na: dict[str, set[tuple[int, int]]] = defaultdict(set)
    room_na_label: dict[str, list[str]] = defaultdict(list)
    for c in live:
        if c.kind == "ConstraintRoomNotAvailableTimes":
            room_na[c.one("Room")] |= {data.slot(d, h) for d, h in c.times("Not_Available_Time", "Day", "Hour")}
            room_na_label[c.one("Room")].append(c.label)

    # ---- items
    items = []
    allowed_starts: dict[int, list[int]] = {}
    for a in acts:
        banned = set() if diagnose else {s for f in forbid.values() for s in f.get(a.id, ())}
        ok_starts = [s for s in starts[a.id] if s not in banned]
        allowed_starts[a.id] = ok_starts
        opts = []
        for s in ok_starts:
            slots = span(a, s)
            if rooms[a.id] is None:
                opts.append(Option(len(opts), s, slots))
                continue
            for r in rooms[a.id]:
                if not diagnose and room_na.get(r) and set(slots) & room_na[r]:
                    continue
                opts.append(Option(len(opts), s, slots, room=r))
        items.append(Item(str(a.id), opts, resources=(), optional=presence, count=len(members[index[a.id]])))
    # clash resources: teachers, and subgroups (those with identical activities share one)
    canon: dict[tuple, str] = {}
    res_of: dict[int, list] = defaultdict(list)
    for s, alist in sorted(by_subgroup.items()):
        key = tuple(sorted(a.id for a in alist))
        if key not in canon:
            canon[key] = s
            for a in alist:
                res_of[rep[a.id]].append(("S", s))
    for t, alist in by_teacher.items():
        for a in alist:
            res_of[rep[a.id]].append(("T", t))
    for i, a in enumerate(acts):
        items[i].resources = tuple(dict.fromkeys(res_of[a.id]))  # (copies add theirs again)
    core = Placement(m, items).build()

    # implied (not in diagnose mode, where breaks and not-available hours may be relaxed): a
    # teacher or subgroup whose hours fill every hour it can work holds exactly one activity in
    # each of them — strong propagation for the tightly packed classes of real schools
    placed: dict[int, cp_model.IntVar] = {}
    if presence:  # activity i is placed iff its literal holds (for cores of fixed-day subproblems)
        for i, a in enumerate(acts):
            placed[a.id] = m.new_bool_var(f"a{a.id}")
            m.add(sum(core.x[i].values()) == placed[a.id])
    tight = 0
    if not diagnose and not presence:
        seen_tight: set[tuple] = set()
        for table, na in ((by_subgroup, subgroup_na), (by_teacher, teacher_na)):
            for r, alist in table.items():
                free = breaks | na.get(r, set())
                key = (tuple(sorted(a.id for a in alist)), frozenset(free))
                if key in seen_tight:
                    continue
                seen_tight.add(key)
                avail = [(d, h) for d in range(D) for h in range(H) if (d, h) not in free]
                if sum(a.duration for a in alist) != len(avail):
                    continue
                tight += 1
                for slot in avail:
                    m.add_exactly_one([core.x[i][p] for i in items_of(alist) for p in core.patterns_at(i, slot)])
                if day_sums:
                    for d in range(D):
                        hours = sum(1 for s in avail if s[0] == d)
                        m.add(sum(acts[i].duration * v for i in items_of(alist) for s, v in core.x[i].items()
                                  if s // H == d) == hours)

    if diagnose:
        for label, per in forbid.items():
            c = label_of[label]
            bad = [core.x[index[aid]][s] for aid, ss in per.items() for s in ss if s in core.x[index[aid]]]
            if bad:
                enforce(m.add(sum(bad) == 0), c)
        for r, slots in room_na.items():
            v = None
            if diagnose:
                name = "RoomNotAvailable:" + "+".join(room_na_label[r])
                v = groups.setdefault(name, m.new_bool_var(name))
            bad = [core.z[i][o.index] for i, it in enumerate(items) for o in it.options
                   if o.room == r and set(o.slots) & slots]
            if bad:
                m.add(sum(bad) == 0).only_enforce_if(v)

    objective: list[tuple[int, object, str]] = []
    for aid, costs in start_cost.items():  # (costs are kept for an item's first activity only)
        i = index[aid]
        for s, w in costs.items():
            if s in core.x[i]:
                objective.append((w, core.x[i][s], start_kind[aid][s]))

    def on_day(i: int, d: int):
        return sum(v for s, v in core.x[i].items() if s // H == d)

    def busy(alist: list[Activity], d: int, h: int):
        return sum(core.at(i, (d, h)) for i in items_of(alist))

    # ---- min days between activities (and consecutive if same day)
    for c in live:
        if c.kind != "ConstraintMinDaysBetweenActivities":
            continue
        ids = list(dict.fromkeys(constraint_activities(data, c)))
        if len(ids) < 2:
            continue
        idx = list(dict.fromkeys(index[x] for x in ids))
        objective += min_days(m, c, idx, on_day, D, enforce, harden, n_acts=len(ids))
        consecutive = (c.one("Consecutive_If_Same_Day", "false") or "").strip() == "true"
        if consecutive and c.weight < 100:
            # two of them on one day are adjacent (an item with copies: two of its own as well)
            pairs = [(a, b) for p, a in enumerate(idx) for b in idx[p + 1:]]
            pairs += [(a, a) for a in idx if items[a].count > 1]
            for a, b in pairs:
                da, db = acts[a].duration, acts[b].duration
                for s, xa in core.x[a].items():
                    d, h = divmod(s, H)
                    ok = {d * H + h + da, d * H + h - db} | ({s} if a == b else set())
                    bad = [xb for sb, xb in core.x[b].items() if sb // H == d and sb not in ok]
                    if bad and items[b].count == 1:  # (b has one start: sum(bad) <= 1 anyway)
                        enforce(m.add(xa + sum(bad) <= 1), c)
                    elif bad:  # two copies of b may both be elsewhere on the day: an implication
                        enforce(m.add(sum(bad) == 0).only_enforce_if(xa), c)

    # ---- symmetry: interchangeable activities (the lessons of one split activity, alike in every
    # attribute and constraint) take their starts in id order (not in diagnose mode)
    n_sym = 0
    if not diagnose and symmetry:
        for ids in alike:
            if len(members[index[ids[0]]]) > 1:
                continue  # merged into one item: no permutations left to cut
            for a, b in itertools.pairwise(ids):
                ia, ib = index[a], index[b]
                m.add(sum(s * v for s, v in core.x[ia].items()) <= sum(s * v for s, v in core.x[ib].items()))
                n_sym += 1

    # ---- same starting time, not overlapping
    for c in live:
        if c.kind == "ConstraintActivitiesSameStartingTime":
            idx = list(dict.fromkeys(index[x] for x in constraint_activities(data, c)))
            for a, b in itertools.pairwise(idx):
                for s in set(core.x[a]) | set(core.x[b]):
                    va = core.x[a].get(s, 0)
                    vb = core.x[b].get(s, 0)
                    enforce(m.add(va == vb), c)
        elif c.kind == "ConstraintActivitiesNotOverlapping":
            idx = list(dict.fromkeys(index[x] for x in constraint_activities(data, c)))
            if len(idx) > 1:
                for d in range(D):
                    for h in range(H):
                        terms = [core.at(i, (d, h)) for i in idx if core.patterns_at(i, (d, h))]
                        if len(terms) > 1:
                            enforce(m.add(sum(terms) <= 1), c)

    # ---- teachers: max gaps per day/week, max hours daily, max days per week, min hours daily
    def teachers_of(c: Constraint) -> list[str]:
        name = c.one("Teacher_Name")
        return [name] if c.kind.startswith("ConstraintTeacher") and name is not None else list(data.teachers)

    def gap_terms(alist, d, free_slots, cons):
        """Gap literals of one resource on one day (breaks and not-available hours are not gaps)."""
        avail = [h for h in range(H) if (d, h) not in free_slots]
        b = [busy(alist, d, h) for h in avail]
        n = len(b)
        if n < 3:
            return []
        before = [None] + [m.new_bool_var("") for _ in range(n - 1)]
        after = [m.new_bool_var("") for _ in range(n - 1)] + [None]
        for k in range(1, n):
            m.add(before[k] >= b[k - 1])
            if k > 1:
                m.add(before[k] >= before[k - 1])
        for k in range(n - 2, -1, -1):
            m.add(after[k] >= b[k + 1])
            if k < n - 2:
                m.add(after[k] >= after[k + 1])
        gaps = []
        for k in range(1, n - 1):
            g = m.new_bool_var("")
            m.add(g >= before[k] + after[k] - b[k] - 1)
            gaps.append(g)
        return gaps

    def work_day(alist, d):
        w = m.new_bool_var("")
        for h in range(H):
            e = busy(alist, d, h)
            if not isinstance(e, int):
                m.add(w >= e)
        return w

    for c in live:
        k = c.kind
        if k in ("ConstraintTeacherMaxGapsPerDay", "ConstraintTeachersMaxGapsPerDay",
                 "ConstraintTeacherMaxGapsPerWeek", "ConstraintTeachersMaxGapsPerWeek"):
            mg = int(c.one("Max_Gaps").strip())
            for t in teachers_of(c):
                alist = by_teacher.get(t, [])
                if not alist:
                    continue
                free = breaks | teacher_na.get(t, set())
                week = []
                for d in range(D):
                    g = gap_terms(alist, d, free, c)
                    if "PerDay" in k and len(g) > mg:
                        enforce(m.add(sum(g) <= mg), c)
                    week += g
                if "PerWeek" in k and len(week) > mg:
                    enforce(m.add(sum(week) <= mg), c)
        elif k in ("ConstraintTeacherMaxHoursDaily", "ConstraintTeachersMaxHoursDaily"):
            mh = int(c.one("Maximum_Hours_Daily").strip())
            for t in teachers_of(c):
                alist = by_teacher.get(t, [])
                for d in range(D):
                    if alist:
                        enforce(m.add(sum(busy(alist, d, h) for h in range(H)) <= mh), c)
        elif k in ("ConstraintTeacherMaxDaysPerWeek", "ConstraintTeachersMaxDaysPerWeek"):
            md = int(c.one("Max_Days_Per_Week").strip())
            for t in teachers_of(c):
                alist = by_teacher.get(t, [])
                if alist:
                    enforce(m.add(sum(work_day(alist, d) for d in range(D)) <= md), c)
        elif k in ("ConstraintTeacherMinHoursDaily", "ConstraintTeachersMinHoursDaily"):
            mh = int(c.one("Minimum_Hours_Daily").strip())
            empty_ok = (c.one("Allow_Empty_Days", "false") or "").strip() == "true"
            for t in teachers_of(c):
                alist = by_teacher.get(t, [])
                if not alist:
                    continue
                for d in range(D):
                    hours = sum(busy(alist, d, h) for h in range(H))
                    if empty_ok:
                        enforce(m.add(hours >= mh * work_day(alist, d)), c)
                    else:
                        enforce(m.add(hours >= mh), c)

    # ---- students: max gaps per week, early max beginnings at second hour (per subgroup)
    for c in live:
        k = c.kind
        if k not in ("ConstraintStudentsMaxGapsPerWeek", "ConstraintStudentsSetMaxGapsPerWeek",
                     "ConstraintStudentsEarlyMaxBeginningsAtSecondHour",
                     "ConstraintStudentsSetEarlyMaxBeginningsAtSecondHour"):
            continue
        subs = (students_subgroups(data, [c.one("Students")]) if "StudentsSet" in k else sorted(by_subgroup))
        seen: set[tuple] = set()
        for s in subs:
            alist = by_subgroup.get(s, [])
            if not alist:
                continue
            free = breaks | subgroup_na.get(s, set())
            key = (tuple(sorted(a.id for a in alist)), frozenset(free))
            if key in seen:
                continue  # an identical subgroup is constrained already
            seen.add(key)
            if "Gaps" in k:
                mg = int(c.one("Max_Gaps").strip())
                week = [g for d in range(D) for g in gap_terms(alist, d, free, c)]
                if len(week) > mg:
                    enforce(m.add(sum(week) <= mg), c)
            else:
                mb = int(c.one("Max_Beginnings_At_Second_Hour").strip())
                late = []
                for d in range(D):
                    avail = [h for h in range(H) if (d, h) not in free]
                    if not avail:
                        continue
                    occ = work_day(alist, d)
                    b0 = busy(alist, d, avail[0])
                    b1 = busy(alist, d, avail[1]) if len(avail) > 1 else 0
                    enforce(m.add(b0 + b1 >= occ), c)
                    lt = m.new_bool_var("")
                    m.add(lt >= occ - b0)
                    late.append(lt)
                if len(late) > mb:
                    enforce(m.add(sum(late) <= mb), c)

    stats = {"activities": len(all_acts), "items": len(acts), "days": D, "hours": H,
             "patterns": sum(len(core.x[i]) for i in range(len(acts))),
             "options": sum(len(it.options) for it in items),
             "resources": len({r for it in items for r in it.resources}),
             "rooms_used": sum(1 for a in acts if rooms[a.id] is not None), "tight_resources": tight, "symmetry_orderings": n_sym}
    return Model(data, m, core, acts, objective, groups, stats, placed, members)


# ---------------------------------------------------------------------------------------------
# solving


class _Trace(cp_model.CpSolverSolutionCallback):
    """Records every improving plan (seconds, soft score); stops the search at `stop_at` (a
    proven lower bound on the objective, in model units), which LNS alone cannot see."""

    def __init__(self, t0: float, scale_objective: bool, trace: list, log=None, stop_at: int | None = None):
        super().__init__()
        self.t0, self.scaled, self.trace, self.log, self.stop_at = t0, scale_objective, trace, log, stop_at

    def on_solution_callback(self):
        soft = round(self.objective_value / SCALE, 4) if self.scaled else 0.0
        if not self.trace or soft < self.trace[-1]["soft"]:
            self.trace.append({"seconds": round(time.perf_counter() - self.t0, 3), "soft": soft})
            if self.log:
                self.log(f"  solution {self.trace[-1]}")
        if self.stop_at is not None and self.scaled and self.objective_value <= self.stop_at + 1e-6:
            self.stop_search()


def _reader(values: dict[int, int]):
    """`value(var)` over a stored plan (variable index -> value)."""
    return lambda var: values[var.index]


def _params(solver: cp_model.CpSolver, limit: float, workers: int, seed: int) -> None:
    solver.parameters.max_time_in_seconds = max(0.05, limit)
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed


def day_master(data: FetData, fm: Model):
    """The relaxation over days that Benders' decomposition iterates on: y[i][d] = activity i on
    day d (only days where it has a start), with per day the capacity of every teacher, subgroup
    and room set (hours its activities can cover, and within every window of hours the activities
    that can only be inside it), teachers' daily and weekly limits, same starting time (same day),
    min days between activities with FET's exact cost. Any plan gives a solution of it, so its
    optimum bounds the min-days cost of every plan."""
    D, H = len(data.days), len(data.hours)
    core, acts = fm.core, fm.acts
    n = len(acts)
    index = {a.id: i for i, a in enumerate(acts)}
    m = cp_model.CpModel()
    days_of = [sorted({s // H for s in core.x[i]}) for i in range(n)]
    y = {(i, d): m.new_bool_var(f"y{i},{d}") for i in range(n) for d in days_of[i]}
    for i in range(n):
        m.add_exactly_one([y[i, d] for d in days_of[i]])

    def on_day(i, d):
        return y.get((i, d), 0)

    def hours_on(i, d):  # (first hour, end hour) any start of i on day d can reach, or None
        hs = [s % H for s in core.x[i] if s // H == d]
        return (min(hs), max(hs) + acts[i].duration) if hs else None

    # capacity of each clash resource (teachers, subgroups) per day, with windows of hours
    by_res: dict = defaultdict(list)
    for i, it in enumerate(core.items):
        for r in it.resources:
            by_res[r].append(i)
    rooms_of = [frozenset(o.room for o in it.options if o.room) for it in core.items]
    for rs in set(rooms_of):
        if rs:
            by_res[("R", rs)] = [i for i in range(n) if rooms_of[i] and rooms_of[i] <= rs]
    for r, idx in by_res.items():
        room_set = r[1] if r[0] == "R" else None
        for d in range(D):
            here = [i for i in idx if (i, d) in y]
            if not here:
                continue
            if room_set is None:
                cover = {t for i in here for s, _ in core.x[i].items() if s // H == d
                         for t in core.pattern_slots[i][s]}
                cap_at = {h: 1 for (_, h) in cover}
            else:
                cap_at = defaultdict(int)
                for rm in room_set:
                    hs = {t[1] for i in here for o in core.items[i].options if o.room == rm and o.pattern // H == d
                          for t in o.slots}
                    for h in hs:
                        cap_at[h] += 1
            span = {i: hours_on(i, d) for i in here}
            los = sorted({v[0] for v in span.values()})
            his = sorted({v[1] for v in span.values()})
            for lo in los:
                for hi in his:
                    if hi <= lo:
                        continue
                    inside = [i for i in here if span[i][0] >= lo and span[i][1] <= hi]
                    cap = sum(c for h, c in cap_at.items() if lo <= h < hi)
                    if inside and sum(acts[i].duration for i in inside) > cap:
                        m.add(sum(acts[i].duration * y[i, d] for i in inside) <= cap)
    objective = []
    live = [c for c in data.constraints if c.active and c.weight > 0]
    by_teacher: dict[str, list[int]] = defaultdict(list)
    for i, a in enumerate(acts):
        for t in a.teachers:
            by_teacher[t].append(i)
    for c in live:
        k = c.kind
        if k == "ConstraintMinDaysBetweenActivities":
            idx = [index[x] for x in dict.fromkeys(constraint_activities(data, c))]
            if len(idx) >= 2:
                objective += min_days(m, c, idx, on_day, D, lambda ct, c: ct)
        elif k == "ConstraintActivitiesSameStartingTime":
            idx = [index[x] for x in dict.fromkeys(constraint_activities(data, c))]
            for a, b in itertools.pairwise(idx):
                for d in range(D):
                    m.add(on_day(a, d) == on_day(b, d))
        elif k.startswith(("ConstraintTeacherMax", "ConstraintTeachersMax", "ConstraintTeacherMin",
                           "ConstraintTeachersMin")) and ("Days" in k or "Hours" in k):
            name = c.one("Teacher_Name")
            teachers = [name] if k.startswith("ConstraintTeacherM") and name is not None else list(by_teacher)
            for t in teachers:
                idx = by_teacher.get(t, [])
                if not idx:
                    continue
                load = [sum(acts[i].duration * on_day(i, d) for i in idx) for d in range(D)]
                if k.endswith("MaxHoursDaily"):
                    for d in range(D):
                        m.add(load[d] <= int(c.one("Maximum_Hours_Daily").strip()))
                    continue
                work = [m.new_bool_var("") for _ in range(D)]
                for d in range(D):
                    for i in idx:
                        if (i, d) in y:
                            m.add(work[d] >= y[i, d])
                if k.endswith("MaxDaysPerWeek"):
                    m.add(sum(work) <= int(c.one("Max_Days_Per_Week").strip()))
                elif k.endswith("MinHoursDaily"):
                    mh = int(c.one("Minimum_Hours_Daily").strip())
                    empty_ok = (c.one("Allow_Empty_Days", "false") or "").strip() == "true"
                    for d in range(D):
                        m.add(load[d] >= mh * (work[d] if empty_ok else 1))
    if objective:
        m.minimize(sum(w * v for w, v, _ in objective))
    return m, y, days_of, bool(objective)


def decompose(data: FetData, fm: Model, deadline: float, workers: int, seed: int, t0: float,
              log=None) -> dict:
    """Logic-based Benders over days: the day master (above) proposes a day for every activity;
    the full model with those days fixed places them in hours and rooms (one solve, all days at
    once), or is infeasible — then a set of activities that cannot all keep their days (CP-SAT's
    core over per-activity assumptions) becomes a cut on the master. Ends with a complete plan
    (feasible for every constraint), a proof of infeasibility (the master runs out of day
    assignments), or the deadline. When the master was solved to optimality, its optimum is a
    lower bound on the soft score (min-days costs are day costs; all others are >= 0)."""
    master, y, days_of, has_obj = day_master(data, fm)
    H = len(data.hours)
    core = fm.core
    n = len(fm.acts)
    out = {"iterations": 0, "cuts": 0, "bound": 0.0, "status": "UNKNOWN"}
    hint = None
    while time.perf_counter() < deadline:
        out["iterations"] += 1
        ms = cp_model.CpSolver()
        _params(ms, min(deadline - time.perf_counter(), 30.0), workers, seed)
        if hint:
            master.clear_hints()
            for (i, d), v in y.items():
                master.add_hint(v, hint[i] == d)
        st = ms.solve(master)
        if st == cp_model.INFEASIBLE:
            out["status"] = "INFEASIBLE"
            return out
        if st not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return out
        if has_obj:
            out["bound"] = max(out["bound"], ms.best_objective_bound / SCALE)
        out["master_optimal"] = st == cp_model.OPTIMAL
        day = {i: next(d for d in days_of[i] if ms.value(y[i, d])) for i in range(n)}
        hint = day
        # the full model with every activity on its day
        sub = fm.model.clone()
        fix = {}
        for i in range(n):
            off = [v for s, v in core.x[i].items() if s // H != day[i]]
            if off:
                lit = sub.new_bool_var(f"d{i}")
                sub.add(sum(off) == 0).only_enforce_if(lit)
                fix[i] = lit
        ss = cp_model.CpSolver()
        _params(ss, min(deadline - time.perf_counter(), 60.0), workers, seed)
        sub_fixed = sub.clone()
        for lit in fix.values():
            sub_fixed.add(lit == 1)
        st = ss.solve(sub_fixed)
        if st in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            out["status"] = "FEASIBLE"
            out["x"] = {(i, s): ss.value(v) for i in range(n) for s, v in core.x[i].items()}
            out["z"] = {(i, o): ss.value(v) for i in range(n) for o, v in core.z[i].items()}
            out["seconds"] = round(time.perf_counter() - t0, 3)
            return out
        if st != cp_model.INFEASIBLE:
            return out
        # which activities cannot keep their days together
        sub.add_assumptions(list(fix.values()))
        cs = cp_model.CpSolver()
        _params(cs, min(deadline - time.perf_counter(), 30.0), 1, seed)
        st = cs.solve(sub)
        if st != cp_model.INFEASIBLE:
            return out
        names = [sub.get_bool_var_from_proto_index(k).name for k in cs.sufficient_assumptions_for_infeasibility()]
        culprits = [int(x[1:]) for x in names if x.startswith("d")]
        if not culprits:  # infeasible whatever the days: the master cannot fix it
            out["status"] = "INFEASIBLE"
            return out
        master.add(sum(y[i, day[i]] for i in culprits) <= len(culprits) - 1)
        out["cuts"] += 1
        if log:
            log(f"  benders iteration {out['iterations']}: cut over {len(culprits)} activities")
    return out


def completed(fm: Model, placement: dict[int, tuple[int, int, str | None]], seed: int) -> dict[int, int] | None:
    """Every variable's value of `fm` for a given plan (the plan's options fixed, CP-SAT fills in the
    rest), as a complete hint."""
    H = len(fm.data.hours)
    m = fm.model.clone()
    for i, a in enumerate(fm.acts):
        wanted = [placement[aid] for aid in (fm.members[i] if fm.members else [a.id]) if aid in placement]
        for o, var in fm.core.z[i].items():
            opt = fm.core.items[i].options[o]
            m.add(m.get_bool_var_from_proto_index(var.index) ==
                  int((opt.pattern // H, opt.pattern % H, opt.room) in wanted))
    s = cp_model.CpSolver()
    _params(s, 30.0, 1, seed)
    if s.solve(m) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return {k: s.value(m.get_int_var_from_proto_index(k)) for k in range(len(m.proto.variables))}


# The first-plan portfolio, tried in turn with doubling time slices (CP-SAT on one thread runs one
# search): the merged model with every soft min-days constraint made hard (a plan of it is a plan
# with no min-days cost; dropped once proved infeasible, which proves nothing about the file), the
# model with copies merged (no permutations: best on the largest files), the model of single
# activities with ordered copies, and the merged one with CP-SAT's interleaved subsolvers (its
# feasibility-jump local search).
PORTFOLIO = (("hardened", {}), ("merged", {}), ("single", {}), ("merged", IMPROVE_1_WORKER))


def solve(data: FetData, time_limit: float = 120, workers: int = 2, seed: int = 1,
          diagnose_limit: float = 60, benders: bool = True, direct_share: float = 0.3, log=None,
          merge: bool = True) -> dict:
    """Solve a file: first a plan by CP-SAT (feasibility only, the `PORTFOLIO` in doubling time
    slices, for `direct_share` of the limit), failing that by Benders' decomposition over days
    (until 80% of the limit), then CP-SAT on the model that found the plan with the soft objective,
    from that plan, until the limit (it stops early when optimality is proven). Reports the time to
    the first feasible plan, the soft score at the limit (checked by `fet_check`), the proven bound;
    on infeasibility, the constraints in conflict. If the last phase finds nothing better in its
    time, the first plan is the result. `merge=False`: single activities only."""
    from benchmarks.peers import fet_check

    t0 = time.perf_counter()
    deadline = t0 + time_limit
    models = {"merged": build(data, merge=merge)}
    fm = models["merged"]
    build_s = time.perf_counter() - t0
    trace: list = []
    out = {"file": data.name, "workers": workers, "seed": seed, "time_limit": time_limit,
           "build_seconds": round(build_s, 3), "model": fm.stats}
    bound = 0.0
    first = None
    plan: dict | None = None  # the first plan: proto index of each x/z literal -> value
    status = None

    def keep(value_of) -> dict:
        """Every variable's value (a complete hint: CP-SAT takes it as its first solution)."""
        m = fm.model
        return {k: value_of(m.get_int_var_from_proto_index(k)) for k in range(len(m.proto.variables))}

    # 1. CP-SAT, feasibility first: the portfolio in turn, each slice twice the last
    direct_end = t0 + direct_share * time_limit if benders else deadline
    merged_any = len(fm.acts) < fm.stats["activities"]
    soft_min_days = any(c.kind == "ConstraintMinDaysBetweenActivities" and 0 < c.weight < 100
                        for c in data.constraints if c.active)
    portfolio = [(k, p) for k, p in PORTFOLIO
                 if (k != "single" or merged_any) and (k != "hardened" or soft_min_days)]
    slice_s = min(10.0, max(1.5, fm.stats["patterns"] / 5000))
    out["direct"] = []
    while plan is None and status is None and time.perf_counter() < direct_end - 0.05:
        for kind, params in list(portfolio):
            left = direct_end - time.perf_counter()
            if left <= 0.05:
                break
            if kind not in models:
                models[kind] = build(data, merge=merge and kind != "single", harden=kind == "hardened")
            fs = cp_model.CpSolver()
            _params(fs, min(slice_s, left), workers, seed)
            if workers == 1:
                fs.parameters.linearization_level = 0
            for k, v in params.items():
                setattr(fs.parameters, k, v)
            fs.parameters.stop_after_first_solution = True
            st = fs.solve(models[kind].model)
            out["direct"].append({"model": kind, **params, "limit": round(min(slice_s, left), 2),
                                  "status": cp_model.CpSolverStatus(st).name})
            if st in (cp_model.OPTIMAL, cp_model.FEASIBLE) and kind == "hardened":
                # a plan of the real model: the merged one's values for it, for the soft phase
                plan = completed(fm, models[kind].placement(fs.value), seed)
                if plan is not None:
                    first = round(time.perf_counter() - t0, 3)
                    break
            elif st in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                fm = models[kind]  # the soft phase goes on with the model that found the plan
                first = round(time.perf_counter() - t0, 3)
                plan = keep(fs.value)
                break
            elif st == cp_model.INFEASIBLE and kind == "hardened":
                portfolio.remove((kind, params))
            elif st == cp_model.INFEASIBLE:
                status = cp_model.INFEASIBLE
                break
        slice_s *= 2
    m = fm.model
    out["model"] = fm.stats
    # 2. Benders' decomposition over days (on the model of single activities: its cuts name them)
    if plan is None and status is None and benders and all(fm.core.x.values()):  # (every activity has a start)
        single = models.get("single") or (build(data, merge=False) if merged_any else fm)
        dec = decompose(data, single, t0 + 0.8 * time_limit, workers, seed, t0, log)
        out["benders"] = {k: v for k, v in dec.items() if k not in ("x", "z")}
        bound = max(bound, dec["bound"])
        if dec["status"] == "FEASIBLE":
            first = dec["seconds"]
            vals = {single.core.x[i][s].index: v for (i, s), v in dec["x"].items()}
            vals.update({single.core.z[i][o].index: v for (i, o), v in dec["z"].items()})
            plan = vals if single is fm else completed(fm, single.placement(_reader(vals)), seed)
        elif dec["status"] == "INFEASIBLE":
            status = cp_model.INFEASIBLE
    # 3. the soft objective, from the plan. On one worker: a short proving search (interleaved
    # subsolvers: search, LP bound, LNS), CP-SAT's plain search (on Shipena it goes from 10.9 to
    # FET's 1.99 where LNS finds nothing), then LNS only (much faster to improve a plan on one
    # thread), then the proving search again from the best plan for the bound; each phase starts
    # from the best plan so far and stops when it reaches the proven bound
    solver = None
    value = plan_value = None
    objective_value = None
    if plan is not None:
        status = cp_model.FEASIBLE
        value = plan_value = _reader(plan)
        if fm.objective:
            m.minimize(fm.objective_expr())
            phases = ([(IMPROVE_1_WORKER, 0.1), (PLAIN_1_WORKER, 0.3), (LNS_1_WORKER, 0.4), (IMPROVE_1_WORKER, 1.0)]
                      if workers == 1 else [({}, 1.0)])
            best = plan
            for params, share in phases:
                left = deadline - time.perf_counter()
                if left <= 0.05:
                    break
                m.clear_hints()
                for idx, v in best.items():
                    m.add_hint(m.get_int_var_from_proto_index(idx), v)
                solver = cp_model.CpSolver()
                _params(solver, max(0.05, min(left, max(5.0, share * time_limit)) if share < 1 else left),
                        workers, seed)
                for k, v in params.items():
                    setattr(solver.parameters, k, v)
                st = solver.solve(m, _Trace(t0, True, trace, log, stop_at=round(bound * SCALE)))
                bound = max(bound, solver.best_objective_bound / SCALE)
                if st in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                    if objective_value is None or solver.objective_value <= objective_value:
                        objective_value = solver.objective_value
                        best = keep(solver.value)
                        value = _reader(best)
                        status = st
                    if st == cp_model.OPTIMAL or objective_value <= bound * SCALE + 1e-6:
                        status = cp_model.OPTIMAL
                        break
        else:
            status = cp_model.OPTIMAL  # nothing soft: any plan is optimal
    wall = time.perf_counter() - t0
    out.update({"status": "UNKNOWN" if status is None else cp_model.CpSolverStatus(status).name,
                "seconds": round(wall, 3), "trace": trace, "time_to_first": first})
    if value is not None:
        placement = fm.placement(value)
        check = fet_check.check(data, placement)
        if not fm.objective:
            objective = 0.0
        elif value is plan_value:
            objective = None  # the first plan, kept: the checker's soft score is the one that counts
        else:
            objective = round(objective_value / SCALE, 4)
        out.update({
            "objective": objective,
            "bound": round(bound, 4),
            "feasible": check["feasible"], "soft": check["soft"], "hard_violations": check["hard_violations"][:20],
            "placement": {str(k): list(v) for k, v in sorted(placement.items())},
        })
        out["status"] = "FEASIBLE"
        if out["feasible"] and out["soft"] <= out["bound"] + 1e-9:
            out["status"] = "OPTIMAL"
        if trace:
            out["time_to_best"] = trace[-1]["seconds"]
    elif status == cp_model.INFEASIBLE:
        out["conflict"] = diagnose(data, diagnose_limit)
    return out


def diagnose(data: FetData, time_limit: float = 60) -> dict:
    """Name a set of constraint instances that cannot hold together: every instance behind an
    assumption literal, one worker, presolve off; the core CP-SAT returns is then shrunk by
    dropping instances one at a time while it stays infeasible (as time allows)."""
    t0 = time.perf_counter()
    fm = build(data, diagnose=True)
    labels = sorted(fm.groups)

    def infeasible(subset: list[str], limit: float) -> tuple[bool | None, list[str]]:
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.cp_model_presolve = False
        solver.parameters.max_time_in_seconds = max(1.0, limit)
        fm.model.clear_assumptions()
        fm.model.add_assumptions([fm.groups[x] for x in subset])
        status = solver.solve(fm.model)
        if status == cp_model.INFEASIBLE:
            core = [fm.model.get_bool_var_from_proto_index(i).name
                    for i in solver.sufficient_assumptions_for_infeasibility()]
            return True, sorted(core)
        return (False if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None), []

    ok, core = infeasible(labels, time_limit)
    if ok is not True:
        return {"proved": False, "seconds": round(time.perf_counter() - t0, 2),
                "note": "the assumption model was not proved infeasible within the limit"}
    minimal = len(core) <= 1
    for x in list(core):  # deletion filter
        left = time_limit - (time.perf_counter() - t0)
        if left <= 1:
            break
        rest = [y for y in core if y != x]
        res, sub = infeasible(rest, min(left, 10))
        if res is True:
            core = sub or rest
    else:
        minimal = True
    by_kind = defaultdict(int)
    for x in core:
        by_kind[x.split("#")[0].split(":")[0]] += 1
    return {"proved": True, "constraints": core, "by_kind": dict(by_kind), "minimal": minimal,
            "seconds": round(time.perf_counter() - t0, 2),
            "note": "with the basic clash rules (teachers, subgroups, rooms) always on"}


def convert_cached(name: str) -> FetData:
    """Parse a file (by name under the examples folder) and keep a JSON summary in the cache."""
    path = example_path(name)
    data = parse(path)
    CACHE.mkdir(parents=True, exist_ok=True)
    return data


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("file")
    ap.add_argument("--time-limit", type=float, default=120)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    data = parse(example_path(args.file))
    try:
        r = solve(data, args.time_limit, args.workers, args.seed, log=print if args.verbose else None)
    except Unsupported as e:
        print(json.dumps({"file": data.name, "skipped": e.reasons}))
        return
    print(json.dumps({k: v for k, v in r.items() if k not in ("placement", "trace")}, ensure_ascii=False))


if __name__ == "__main__":
    main()
