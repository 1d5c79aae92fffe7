"""FET's output read back (`read_activities`, `soft_total`), and the one independent checker and
scorer of FET timetables, for FET's plans and ours alike (`check`).

Written from FET's constraint definitions (the `fitness` of each constraint type in FET 6.8),
not from our model: given a parsed .fet file (`fetfile.parse`) and a placement (activity id ->
day index, start hour index, room or None), it recomputes every constraint instance's broken
count as FET does and reports
- `feasible`: every active activity placed and every 100% constraint unbroken (plus the basic
  rules: no teacher, subgroup or room in two places, within the day, room capacity);
- `soft`: the sum over constraints below 100% of weight/100 × broken count (FET's
  "Total soft conflicts"), and its split by constraint type.

Counting, as in FET: min days between activities — per pair of activities (minDays − days
apart) when they are too close; with "consecutive if same day", two of them on one day must be
back to back (FET enforces this whatever the weight); preferred starting time(s) / time slots —
1 per activity outside; not-available times — 1 per busy (resource, slot); gaps — the free hours
between a resource's first and last busy hour of a day, breaks and not-available hours excepted;
max/min hours, max days, max gaps — the excess; same starting time / not overlapping — per pair.
Reported descriptions carry constraint labels and activity ids, never names from the file.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from itertools import combinations
from pathlib import Path

from benchmarks.peers.fet.fetfile import Constraint, FetData

Placement = dict[int, tuple[int, int, str | None]]


def read_activities(data: FetData, path: Path) -> Placement:
    """FET's `<name>_activities.xml`: activity id -> (day, start hour, room); unplaced ones absent."""
    out = {}
    for a in ET.parse(path).getroot():
        day, hour = (a.findtext("Day") or ""), (a.findtext("Hour") or "")
        if not day.strip() or not hour.strip():
            continue
        room = a.findtext("Room") or ""
        out[int((a.findtext("Id") or "").strip())] = (data.day_index(day), data.hour_index(hour), room or None)
    return out


def soft_total(path: Path) -> tuple[float | None, int | None]:
    """FET's "Total soft conflicts" and its number of broken soft constraints."""
    if not path.exists():
        return None, None
    text = path.read_text(encoding="utf-8-sig")
    total = re.search(r"Total (?:soft )?conflicts: ([0-9.eE+-]+)", text)
    count = re.search(r"Number of broken (?:soft )?constraints: (\d+)", text)
    return (float(total.group(1)) if total else None), (int(count.group(1)) if count else None)


class _Ctx:
    def __init__(self, data: FetData, placement: Placement):
        self.data = data
        self.D, self.H = len(data.days), len(data.hours)
        self.acts = {a.id: a for a in data.activities if a.active}
        self.place = {aid: tuple(p) for aid, p in placement.items() if aid in self.acts}
        self.subgroups = {}
        for a in self.acts.values():
            subs: set[str] = set()
            for s in a.students:
                subs |= set(data.subgroups_of.get(s, (s,)))
            self.subgroups[a.id] = subs
        self.teacher_busy: dict[str, dict[tuple[int, int], list[int]]] = defaultdict(lambda: defaultdict(list))
        self.subgroup_busy: dict[str, dict[tuple[int, int], list[int]]] = defaultdict(lambda: defaultdict(list))
        self.room_busy: dict[str, dict[tuple[int, int], list[int]]] = defaultdict(lambda: defaultdict(list))
        for aid, (d, h, room) in self.place.items():
            a = self.acts[aid]
            for k in range(a.duration):
                slot = (d, h + k)
                for t in a.teachers:
                    self.teacher_busy[t][slot].append(aid)
                for s in self.subgroups[aid]:
                    self.subgroup_busy[s][slot].append(aid)
                if room:
                    self.room_busy[room][slot].append(aid)
        self.breaks: set[tuple[int, int]] = set()
        self.teacher_na: dict[str, set] = defaultdict(set)
        self.subgroup_na: dict[str, set] = defaultdict(set)
        for c in data.constraints:
            if not c.active or c.weight < 100:
                continue  # only 100% breaks and not-available hours are "not gaps" in FET
            if c.kind == "ConstraintBreakTimes":
                self.breaks |= self.slots(c, "Break_Time", "Day", "Hour")
            elif c.kind == "ConstraintTeacherNotAvailableTimes":
                self.teacher_na[c.one("Teacher")] |= self.slots(c, "Not_Available_Time", "Day", "Hour")
            elif c.kind == "ConstraintStudentsSetNotAvailableTimes":
                for s in data.subgroups_of.get(c.one("Students"), ()):
                    self.subgroup_na[s] |= self.slots(c, "Not_Available_Time", "Day", "Hour")

    def slots(self, constraint: Constraint, key: str, day: str, hour: str) -> set[tuple[int, int]]:
        return {self.data.slot(d, h) for d, h in constraint.times(key, day, hour)}

    def occupied(self, aid: int) -> list[tuple[int, int]]:
        d, h, _ = self.place[aid]
        return [(d, h + k) for k in range(self.acts[aid].duration)]

    def ids(self, constraint: Constraint) -> list[int]:
        return list(dict.fromkeys(int(x) for x in constraint.fields.get("Activity_Id", []) if int(x) in self.acts))

    def matching(self, constraint: Constraint) -> list[int]:
        """FET's filters of Activities…/Subactivities… constraints."""
        teacher = constraint.one("Teacher_Name", "") or ""
        students = constraint.one("Students_Name", "") or ""
        subject = constraint.one("Subject_Name", "") or ""
        tag = constraint.one("Activity_Tag_Name", "") or ""
        duration = (constraint.one("Duration", "") or "").strip()
        component = int((constraint.one("Component_Number", "0") or "0").strip() or 0)
        sset = set(self.data.subgroups_of.get(students, (students,))) if students else set()
        out = []
        for a in self.acts.values():
            if teacher and teacher not in a.teachers:
                continue
            if students and not (sset & self.subgroups[a.id]):
                continue
            if subject and a.subject != subject:
                continue
            if tag and tag not in a.tags:
                continue
            if duration and a.duration != int(duration):
                continue
            if component:
                number = 1 if a.group_id == 0 else a.id - a.group_id + 1
                if number != component:
                    continue
            out.append(a.id)
        return out

    def day_hours(self, busy: dict, d: int, free: set) -> list[bool]:
        """The busy flags of the day's hours that count (not a break, not not-available)."""
        return [bool(busy.get((d, h))) for h in range(self.H) if (d, h) not in free]

    @staticmethod
    def gaps(flags: list[bool]) -> int:
        on = [k for k, f in enumerate(flags) if f]
        return 0 if not on else (on[-1] - on[0] + 1) - len(on)


def _students_size(data: FetData, activity) -> int:
    if activity.n_students is not None:
        return activity.n_students
    return sum(data.set_size.get(s, 0) for s in activity.students)


def check(data: FetData, placement: Placement) -> dict:
    x = _Ctx(data, placement)
    D, H = x.D, x.H
    hard: list[str] = []
    soft_by: dict[str, float] = defaultdict(float)
    broken_soft = 0

    def broken(constraint: Constraint | str, n: float, what: str):
        nonlocal broken_soft
        if n <= 0:
            return
        if isinstance(constraint, str) or constraint.weight >= 100:
            label = constraint if isinstance(constraint, str) else constraint.label
            hard.append(f"{label}: {what}")
        elif constraint.weight > 0:
            soft_by[constraint.kind] += constraint.weight / 100 * n
            broken_soft += 1

    # ---- basic compulsory time and space
    for aid in x.acts:
        if aid not in x.place:
            broken("BasicCompulsoryTime", 1, f"activity {aid} not placed")
            continue
        d, h, _ = x.place[aid]
        if not (0 <= d < D and 0 <= h and h + x.acts[aid].duration <= H):
            broken("BasicCompulsoryTime", 1, f"activity {aid} outside the day")
    for kind, table in (("teacher", x.teacher_busy), ("subgroup", x.subgroup_busy), ("room", x.room_busy)):
        for per_slot in table.values():
            for slot, aids in per_slot.items():
                if len(aids) > 1:
                    broken(
                        "BasicCompulsory" + ("Space" if kind == "room" else "Time"),
                        len(aids) - 1,
                        f"{kind} clash of activities {sorted(aids)} at {slot}",
                    )
    for aid, (_, _, room) in x.place.items():
        if room is not None:
            if room not in data.rooms:
                broken("BasicCompulsorySpace", 1, f"activity {aid} in an unknown room")
            elif data.rooms[room] < _students_size(data, x.acts[aid]):
                broken("BasicCompulsorySpace", 1, f"activity {aid} in a room too small")

    # preferred rooms per activity (for the home-room rule: another preferred room is fine)
    preferred_any: dict[int, set[str]] = defaultdict(set)
    for c in data.constraints:
        if not c.active:
            continue
        rooms = set(c.fields.get("Preferred_Room") or c.fields.get("Room") or [])
        if c.kind in ("ConstraintActivityPreferredRoom", "ConstraintActivityPreferredRooms"):
            for aid in x.ids(c):
                preferred_any[aid] |= rooms
        elif c.kind in ("ConstraintSubjectPreferredRoom", "ConstraintSubjectPreferredRooms"):
            for a in x.acts.values():
                if a.subject == c.one("Subject"):
                    preferred_any[a.id] |= rooms
        elif c.kind in ("ConstraintActivityTagPreferredRoom", "ConstraintActivityTagPreferredRooms"):
            for a in x.acts.values():
                if c.one("Activity_Tag") in a.tags:
                    preferred_any[a.id] |= rooms

    teachers_all = list(data.teachers)
    for c in data.constraints:
        if not c.active:
            continue
        k = c.kind
        if k in ("ConstraintBasicCompulsoryTime", "ConstraintBasicCompulsorySpace"):
            continue
        if k == "ConstraintBreakTimes":
            slots = x.slots(c, "Break_Time", "Day", "Hour")
            for aid in x.place:
                n = len(set(x.occupied(aid)) & slots)
                broken(c, n, f"activity {aid} in a break")
        elif k == "ConstraintTeacherNotAvailableTimes":
            busy = x.teacher_busy.get(c.one("Teacher"), {})
            for slot in x.slots(c, "Not_Available_Time", "Day", "Hour"):
                broken(c, len(busy.get(slot, ())), f"teacher busy at not-available {slot}")
        elif k == "ConstraintStudentsSetNotAvailableTimes":
            slots = x.slots(c, "Not_Available_Time", "Day", "Hour")
            for s in data.subgroups_of.get(c.one("Students"), ()):
                busy = x.subgroup_busy.get(s, {})
                for slot in slots:
                    broken(c, len(busy.get(slot, ())), f"subgroup busy at not-available {slot}")
        elif k == "ConstraintActivityPreferredStartingTime":
            want = x.data.slot(c.one("Preferred_Day"), c.one("Preferred_Hour"))
            for aid in x.ids(c):
                if aid in x.place and x.place[aid][:2] != want:
                    broken(c, 1, f"activity {aid} not at its starting time")
        elif k in ("ConstraintActivityPreferredStartingTimes", "ConstraintActivitiesPreferredStartingTimes"):
            ok = x.slots(c, "Preferred_Starting_Time", "Preferred_Starting_Day", "Preferred_Starting_Hour")
            aids = x.ids(c) if k.startswith("ConstraintActivity") else x.matching(c)
            for aid in aids:
                if aid in x.place and x.place[aid][:2] not in ok:
                    broken(c, 1, f"activity {aid} not at a preferred starting time")
        elif k in (
            "ConstraintActivityPreferredTimeSlots",
            "ConstraintActivitiesPreferredTimeSlots",
            "ConstraintSubactivitiesPreferredTimeSlots",
        ):
            ok = x.slots(c, "Preferred_Time_Slot", "Preferred_Day", "Preferred_Hour")
            aids = x.ids(c) if k.startswith("ConstraintActivity") else x.matching(c)
            for aid in aids:
                if aid in x.place and not set(x.occupied(aid)) <= ok:
                    broken(c, 1, f"activity {aid} outside its preferred time slots")
        elif k == "ConstraintMinDaysBetweenActivities":
            aids = x.ids(c)
            if len(aids) < 2:
                continue
            md = int(c.one("MinDays").strip())
            consecutive = (c.one("Consecutive_If_Same_Day", "false") or "").strip() == "true"
            for a, b in combinations(aids, 2):
                if a not in x.place or b not in x.place:
                    continue
                (da, ha, _), (db, hb, _) = x.place[a], x.place[b]
                dist = abs(da - db)
                if dist < md:
                    broken(c, md - dist, f"activities {a},{b} {dist} days apart")
                    if (
                        consecutive
                        and da == db
                        and c.weight > 0
                        and not (ha + x.acts[a].duration == hb or hb + x.acts[b].duration == ha)
                    ):
                        broken(c.label + " consecutive-if-same-day", 1, f"activities {a},{b} same day, not adjacent")
        elif k in ("ConstraintActivitiesSameStartingTime", "ConstraintActivitiesNotOverlapping"):
            aids = [a for a in x.ids(c) if a in x.place]
            for a, b in combinations(aids, 2):
                if k.endswith("SameStartingTime"):
                    if x.place[a][:2] != x.place[b][:2]:
                        broken(c, 1, f"activities {a},{b} start apart")
                elif set(x.occupied(a)) & set(x.occupied(b)):
                    broken(c, 1, f"activities {a},{b} overlap")
        elif k.startswith(
            ("ConstraintTeacherMax", "ConstraintTeachersMax", "ConstraintTeacherMin", "ConstraintTeachersMin")
        ):
            name = c.one("Teacher_Name")
            teachers = [name] if k.startswith(("ConstraintTeacherM",)) and name is not None else teachers_all
            for t in teachers:
                busy = x.teacher_busy.get(t, {})
                free = x.breaks | x.teacher_na.get(t, set())
                per_day_hours = [sum(1 for h in range(H) if busy.get((d, h))) for d in range(D)]
                if k.endswith("MaxGapsPerDay"):
                    mg = int(c.one("Max_Gaps").strip())
                    for d in range(D):
                        broken(c, x.gaps(x.day_hours(busy, d, free)) - mg, f"teacher gaps on day {d}")
                elif k.endswith("MaxGapsPerWeek"):
                    mg = int(c.one("Max_Gaps").strip())
                    total = sum(x.gaps(x.day_hours(busy, d, free)) for d in range(D))
                    broken(c, total - mg, "teacher gaps in the week")
                elif k.endswith("MaxHoursDaily"):
                    mh = int(c.one("Maximum_Hours_Daily").strip())
                    for d in range(D):
                        broken(c, per_day_hours[d] - mh, f"teacher hours on day {d}")
                elif k.endswith("MaxDaysPerWeek"):
                    md = int(c.one("Max_Days_Per_Week").strip())
                    broken(c, sum(1 for n in per_day_hours if n) - md, "teacher days in the week")
                elif k.endswith("MinHoursDaily"):
                    mh = int(c.one("Minimum_Hours_Daily").strip())
                    empty_ok = (c.one("Allow_Empty_Days", "false") or "").strip() == "true"
                    if not any(per_day_hours):
                        continue  # a teacher without activities
                    for d in range(D):
                        if per_day_hours[d] < mh and not (empty_ok and per_day_hours[d] == 0):
                            broken(c, 1, f"teacher hours on day {d} below minimum")
        elif k in (
            "ConstraintStudentsMaxGapsPerWeek",
            "ConstraintStudentsSetMaxGapsPerWeek",
            "ConstraintStudentsEarlyMaxBeginningsAtSecondHour",
            "ConstraintStudentsSetEarlyMaxBeginningsAtSecondHour",
        ):
            subs = (
                data.subgroups_of.get(c.one("Students"), ())
                if "StudentsSet" in k
                else sorted({s for v in x.subgroups.values() for s in v})
            )
            for s in subs:
                busy = x.subgroup_busy.get(s, {})
                free = x.breaks | x.subgroup_na.get(s, set())
                days = [x.day_hours(busy, d, free) for d in range(D)]
                if "Gaps" in k:
                    total = sum(x.gaps(f) for f in days)
                    broken(c, total - int(c.one("Max_Gaps").strip()), "subgroup gaps in the week")
                else:
                    second = 0
                    for d, flags in enumerate(days):
                        if not any(flags):
                            continue
                        first = flags.index(True)
                        if first == 1:
                            second += 1
                        elif first > 1:
                            broken(c, first - 1, f"subgroup begins after the second hour on day {d}")
                    broken(
                        c,
                        second - int(c.one("Max_Beginnings_At_Second_Hour").strip()),
                        "subgroup begins at the second hour too often",
                    )
        elif k in (
            "ConstraintActivityPreferredRoom",
            "ConstraintActivityPreferredRooms",
            "ConstraintSubjectPreferredRoom",
            "ConstraintSubjectPreferredRooms",
            "ConstraintActivityTagPreferredRoom",
            "ConstraintActivityTagPreferredRooms",
        ):
            rooms = set(c.fields.get("Preferred_Room") or c.fields.get("Room") or [])
            if k.startswith("ConstraintActivityPreferred"):
                aids = x.ids(c)
            elif k.startswith("ConstraintSubject"):
                aids = [a.id for a in x.acts.values() if a.subject == c.one("Subject")]
            else:
                aids = [a.id for a in x.acts.values() if c.one("Activity_Tag") in a.tags]
            for aid in aids:
                if aid in x.place and x.place[aid][2] not in rooms:
                    broken(c, 1, f"activity {aid} not in a preferred room")
        elif k in (
            "ConstraintTeacherHomeRoom",
            "ConstraintTeacherHomeRooms",
            "ConstraintStudentsSetHomeRoom",
            "ConstraintStudentsSetHomeRooms",
        ):
            rooms = set(c.fields.get("Preferred_Room") or c.fields.get("Room") or [])
            if k.startswith("ConstraintTeacher"):
                aids = [a.id for a in x.acts.values() if a.teachers == (c.one("Teacher"),)]
            else:
                aids = [a.id for a in x.acts.values() if a.students == (c.one("Students"),)]
            for aid in aids:
                if aid not in x.place:
                    continue
                room = x.place[aid][2]
                if room not in rooms and (room is None or room not in preferred_any.get(aid, set())):
                    broken(c, 1, f"activity {aid} not in a home room")
        elif k == "ConstraintRoomNotAvailableTimes":
            busy = x.room_busy.get(c.one("Room"), {})
            for slot in x.slots(c, "Not_Available_Time", "Day", "Hour"):
                broken(c, len(busy.get(slot, ())), f"room busy at not-available {slot}")
        else:
            hard.append(f"{c.label}: not checked (unsupported constraint type)")
    soft = round(sum(soft_by.values()), 6)
    return {
        "feasible": not hard,
        "hard_violations": hard,
        "n_hard": len(hard),
        "soft": soft,
        "soft_by_kind": {k: round(v, 6) for k, v in sorted(soft_by.items())},
        "broken_soft": broken_soft,
        "placed": len(x.place),
        "activities": len(x.acts),
    }
