"""What the optimizer may decide, computed once from the loaded instance.

Only allowed pairings become variables (cpsat-modelling.md §2): a section's options are the
(pattern, room) pairs whose room is of an allowed kind, open in every slot and near enough (R14),
and for which enough qualified staff could be free (R12, R13, R24, R25); a student's sections are
those of courses they chose (or need, for tutoring) whose patterns fit their registered days.
Spare rooms that are many and alike (e.g. ten 25-seat classrooms) form a pool counted per slot
instead of being chosen one by one; a room from the pool is named after the solve.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from models.common import DAYS, SlotKey, minutes
from models.instance import ELECTIVE, Course, Staff, Student
from models.load import Loaded
from solver.eligibility import can_teach, group_cap, min_staff, patterns, room_fits, venue_time_ok
from solver.placement.core import Option as PlacementOption

POOL_MIN = 4  # this many alike spare rooms (kind, capacity) are pooled


@dataclass(frozen=True)
class Option(PlacementOption):
    """One way to run a section: its slots and its room (or a pool of alike rooms), with the
    students it can hold and the staff it needs there."""

    pool: tuple[str, int] | None = None  # (room kind, capacity): a key of ProblemData.pools
    cap: int = 0
    staff_need: int = 1


@dataclass
class SectionSpec:
    course: Course
    k: int
    kind: str  # elective | tutoring
    options: list[Option]

    @property
    def key(self) -> tuple[str, int]:
        return (self.course.id, self.k)

    @property
    def name(self) -> str:
        return f"{self.course.id}-{self.k + 1}"


@dataclass
class ProblemData:
    loaded: Loaded
    sections: list[SectionSpec] = field(default_factory=list)
    pools: dict[tuple[str, int], list[str]] = field(default_factory=dict)
    homerooms: set[str] = field(default_factory=set)
    hint_staff: dict[str, set[str]] = field(default_factory=dict)  # course -> staff a hint plan uses
    hint_rooms: dict[str, set[str]] = field(default_factory=dict)  # course -> rooms a hint plan uses
    cache: dict = field(default_factory=dict)
    cost_cap: float | None = None  # term pay no higher than this (the FCFS plan's), when set

    @cached_property
    def slots(self) -> list[SlotKey]:
        return [(d, p.id) for d in self.loaded.days for p in self.loaded.periods]

    @cached_property
    def basic(self) -> set[str]:
        return {p.id for p in self.loaded.periods if p.kind == "basic"}

    @cached_property
    def active_students(self) -> list[Student]:
        return [s for s in self.loaded.instance.students if self.loaded.registered[s.id]]

    # ---- staff: when each person could serve at all (R24 and R25 with duties fixed)
    @cached_property
    def duty_span(self) -> dict[tuple[str, str], tuple[int, int]]:
        out: dict[tuple[str, str], tuple[int, int]] = {}
        for st in self.loaded.instance.staff:
            for d in st.duties:
                a, b = minutes(d.start), minutes(d.end)
                old = out.get((st.id, d.day), (a, b))
                out[(st.id, d.day)] = (min(old[0], a), max(old[1], b))
        return out

    def span(self, sid: str, day: str, start: int, end: int) -> tuple[int, int]:
        duty = self.duty_span.get((sid, day))
        return (min(duty[0], start), max(duty[1], end)) if duty else (start, end)

    @cached_property
    def free_slots(self) -> dict[str, frozenset[SlotKey]]:
        """Slots each assignable person could serve alone that day: not unavailable, clear of
        duties, on-site span and rest around fixed duties within R24, caps above zero."""
        loaded, pol = self.loaded, self.loaded.policy
        out: dict[str, frozenset[SlotKey]] = {}
        for st in loaded.instance.staff:
            if not loaded.assignable(st) or st.max_periods_per_week == 0 or st.max_periods_per_day == 0:
                out[st.id] = frozenset()
                continue
            closed = {u.key() for u in st.unavailable}
            ok = set()
            for d, pid in self.slots:
                per = loaded.period[pid]
                s0, e0 = minutes(per.start), minutes(per.end)
                if (d, pid) in closed:
                    continue
                if any(x.day == d and minutes(x.start) < e0 and s0 < minutes(x.end) for x in st.duties):
                    continue
                a, b = self.span(st.id, d, s0, e0)
                if b - a > pol.max_onsite_minutes:
                    continue
                i = DAYS.index(d)
                prev, nxt = DAYS[i - 1], DAYS[(i + 1) % 7]
                if (st.id, nxt) in self.duty_span and 1440 - b + self.duty_span[(st.id, nxt)][0] < pol.min_rest_minutes:
                    continue
                if (st.id, prev) in self.duty_span and 1440 - self.duty_span[(st.id, prev)][
                    1
                ] + a < pol.min_rest_minutes:
                    continue
                ok.add((d, pid))
            out[st.id] = frozenset(ok)
        return out

    def conflicts(self, sid: str) -> list[tuple[SlotKey, SlotKey]]:
        """Pairs of slots one person cannot both serve (R24 span within a day, rest across days),
        each allowed on its own. Empty for the usual teacher whose duties frame every day."""
        loaded, pol = self.loaded, self.loaded.policy
        free = sorted(self.free_slots[sid], key=lambda t: (DAYS.index(t[0]), self.loaded.period_index[t[1]]))
        out = []
        for i, t1 in enumerate(free):
            for t2 in free[i + 1 :]:
                p1, p2 = loaded.period[t1[1]], loaded.period[t2[1]]
                if t1[0] == t2[0]:
                    a, b = self.span(
                        sid, t1[0], min(minutes(p1.start), minutes(p2.start)), max(minutes(p1.end), minutes(p2.end))
                    )
                    if b - a > pol.max_onsite_minutes:
                        out.append((t1, t2))
                elif DAYS[(DAYS.index(t1[0]) + 1) % 7] == t2[0] or DAYS[(DAYS.index(t2[0]) + 1) % 7] == t1[0]:
                    first, second = (t1, t2) if DAYS[(DAYS.index(t1[0]) + 1) % 7] == t2[0] else (t2, t1)
                    pf, ps = loaded.period[first[1]], loaded.period[second[1]]
                    leave = self.span(sid, first[0], minutes(pf.start), minutes(pf.end))[1]
                    arrive = self.span(sid, second[0], minutes(ps.start), minutes(ps.end))[0]
                    if 1440 - leave + arrive < pol.min_rest_minutes:
                        out.append((t1, t2))
        return out

    @cached_property
    def teachers_for(self) -> dict[str, list[Staff]]:
        return {
            c.id: [st for st in self.loaded.instance.staff if can_teach(self.loaded, st, c) and self.free_slots[st.id]]
            for c in self.loaded.instance.courses
        }

    def can_serve(self, st: Staff, slots: tuple[SlotKey, ...]) -> bool:
        free = self.free_slots[st.id]
        if not all(t in free for t in slots):
            return False
        if len(slots) > st.max_periods_per_week:
            return False
        per_day: dict[str, int] = defaultdict(int)
        for d, _ in slots:
            per_day[d] += 1
        return all(n <= st.max_periods_per_day for n in per_day.values())

    # ---- students
    def homework_periods(self, s: Student) -> int:
        """R9 as written: a primary pupil keeps `homework_min_periods_per_day` homework periods on
        each day they attend; junior (and senior) students have homework guidance *offered* daily
        (their class's group, `junior_homework_offered`), so every basic period may go to clubs."""
        return self.loaded.policy.homework_min_periods_per_day if self.loaded.grade(s) <= 6 else 0

    def allowance(self, s: Student, day: str) -> int:
        """Basic periods a student may spend outside homework on a day (R9: homework first)."""
        reg = self.loaded.registered[s.id]
        basic = sum(1 for p in self.basic if (day, p) in reg)
        return max(0, basic - self.homework_periods(s))

    def fits(self, s: Student, slots: tuple[SlotKey, ...]) -> bool:
        """The student is registered in every slot and keeps homework time each day (R2, R9)."""
        reg = self.loaded.registered[s.id]
        if not all(t in reg for t in slots):
            return False
        per_day: dict[str, int] = defaultdict(int)
        for d, p in slots:
            if p in self.basic:
                per_day[d] += 1
        return all(n <= self.allowance(s, d) for d, n in per_day.items())


def _pools(loaded: Loaded, homerooms: set[str]) -> dict[tuple[str, int], list[str]]:
    alike: dict[tuple[str, int], list[str]] = defaultdict(list)
    for r in loaded.instance.rooms:
        if r.id not in homerooms and not r.off_campus and not r.unavailable:
            alike[(r.kind, r.capacity)].append(r.id)
    return {k: v for k, v in alike.items() if len(v) >= POOL_MIN}


def section_count(data: ProblemData, course: Course, interested: int) -> int:
    """How many sections of a course to consider: enough seats for everyone interested."""
    cap = max((o.cap for o in _options(data, course)), default=0)
    if cap <= 0 or interested < max(1, course.min_size):
        return 0
    return min(course.max_sections, math.ceil(interested / cap))


def _options(data: ProblemData, course: Course) -> list[Option]:
    loaded = data.loaded
    out: list[Option] = []
    pool_rooms = {r for rooms in data.pools.values() for r in rooms}
    rooms = [r for r in loaded.instance.rooms if room_fits(loaded, r, course)]
    spare = [r for r in rooms if r.id not in data.homerooms]
    # homerooms only when nothing else will do (they hold homework), or where a start plan put the
    # course (every valid heuristic plan must be a feasible hint: issue 13)
    wanted = data.hint_rooms.get(course.id, set())
    rooms = [r for r in rooms if r.id not in data.homerooms or r.id in wanted] if spare else rooms
    kind = "tutoring" if course.category == "tutoring" else "elective"
    staff = data.teachers_for[course.id]
    for pi, slots in enumerate(patterns(loaded, course)):
        slots_t = tuple(slots)
        candidates = [st for st in staff if data.can_serve(st, slots_t)]
        seen_pools = set()
        for r in rooms:
            if not venue_time_ok(loaded, r, slots):
                continue
            closed = {u.key() for u in r.unavailable}
            if any(t in closed for t in slots):
                continue
            need = min_staff(loaded, course, r)
            if len(candidates) < need:
                continue
            cap = group_cap(loaded, course, kind, r)
            if cap < max(1, course.min_size):
                continue
            if r.id in pool_rooms:
                key = (r.kind, r.capacity)
                if key in seen_pools:
                    continue
                seen_pools.add(key)
                out.append(Option(len(out), pi, slots_t, None, key, cap, need))
            else:
                out.append(Option(len(out), pi, slots_t, r.id, None, cap, need))
    return out


def build_problem(loaded: Loaded, hints: list | None = None) -> ProblemData:
    """What the optimizer may decide; `hints`: plans (lists of activities) it may start from, whose
    rooms and staff become options too."""
    homerooms = {c.homeroom for c in loaded.instance.classes}
    data = ProblemData(loaded, homerooms=homerooms)
    for acts in hints or []:
        for a in acts:
            if a.kind in ("elective", "tutoring"):
                data.hint_rooms.setdefault(a.course, set()).add(a.room)
                data.hint_staff.setdefault(a.course, set()).update(a.staff)
    data.pools = _pools(loaded, homerooms)
    interest: dict[str, int] = defaultdict(int)
    for s in data.active_students:
        for cid in loaded.kept_choices[s.id]:
            interest[cid] += 1
    need = loaded.policy.tutoring_sessions_per_week
    for course in loaded.instance.courses:
        if course.category in ELECTIVE:
            n = section_count(data, course, interest[course.id])
            kind = "elective"
        elif course.category == "tutoring" and need > 0:
            flagged = sum(
                1
                for s in data.active_students
                if course.subject in s.tutoring
                and loaded.grade(s) in course.grades
                and (course.level != "advanced" or s.advanced)
            )
            opts = _options(data, course)
            cap = max((o.cap for o in opts), default=0)
            # day patterns split flagged students: allow a section per pattern group, within max_sections
            n = (
                min(course.max_sections, math.ceil(flagged * need / max(1, cap * course.sessions_per_week)) + 4)
                if flagged and cap
                else 0
            )
            kind = "tutoring"
        else:
            continue
        if n == 0:
            continue
        options = _options(data, course)
        for k in range(n):
            data.sections.append(SectionSpec(course, k, kind, options))
    return data
