"""Who and what may serve a course: the allowed pairings every planner starts from.

Planners create decisions only where these say yes (staff qualified and assignable, rooms of
the right kind and near enough, sessions on consecutive periods of the right kinds). The checker
does not use this module: it re-derives each rule on its own.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import combinations

from models.common import SlotKey, minutes
from models.instance import Course, Room, Staff
from models.load import Loaded


def can_teach(loaded: Loaded, st: Staff, course: Course) -> bool:
    """R12 (qualified, certified), R13 (approved, no subject training), R10 (tutors teach the subject)."""
    return loaded.assignable(st) and qualified(st, course)


def qualified(st, course: Course) -> bool:
    """The person fits the course: its qualification (or a school teacher when none is named,
    R12); for subject content, a teacher of the subject and never institution staff (R13, R10)."""
    if course.qualification is None:
        if st.kind != "teacher":
            return False
    elif course.qualification not in st.qualifications:
        return False
    if course.subject is not None:
        if st.kind == "institution_staff" or st.institution is not None:
            return False
        if course.subject not in st.subjects:
            return False
    return True


def room_fits(loaded: Loaded, room: Room, course: Course) -> bool:
    """Room kind allowed by the course; off-campus rooms only if the sessions leave time (R14)."""
    return room.kind in course.room_kinds and (course.id, room.id) not in loaded.excluded_course_rooms


def venue_time_ok(loaded: Loaded, room: Room, slots: list[SlotKey]) -> bool:
    """R14: on each day, the time from the first slot's start to the last one's end holds both
    journeys and at least `min_venue_minutes` at the venue."""
    if not room.off_campus:
        return True
    need = 2 * room.travel_minutes + loaded.policy.min_venue_minutes
    by_day: dict[str, list[tuple[int, int]]] = {}
    for d, p in slots:
        by_day.setdefault(d, []).append(slot_minutes(loaded, p))
    return all(max(e for _, e in spans) - min(s for s, _ in spans) >= need for spans in by_day.values())


def min_staff(loaded: Loaded, course: Course, room: Room) -> int:
    """R21: at least one responsible adult (or the course's number); R14: escorts off campus."""
    need = max(1, course.staff_per_section)
    if room.off_campus:
        need = max(need, loaded.policy.offsite_min_staff)
    return need


def group_cap(loaded: Loaded, course: Course, kind: str, room: Room | None = None) -> int:
    """R21: the largest group the course, the supervision limit and the room allow."""
    pol = loaded.policy
    cap = min(course.max_size, pol.max_care_group_size if kind == "extended_care" else pol.max_group_size)
    return min(cap, room.capacity) if room is not None else cap


def session_starts(loaded: Loaded, course: Course) -> list[int]:
    """Indices (in time order) where `periods_per_session` consecutive periods of the course's kinds begin."""
    return _starts(loaded, course.id)


@lru_cache(maxsize=4096)
def _starts_cached(key: tuple) -> list[int]:
    kinds, n, per_kinds = key
    out = []
    for i in range(len(kinds) - n + 1):
        if all(k in per_kinds for k in kinds[i : i + n]):
            out.append(i)
    return out


def _starts(loaded: Loaded, course_id: str) -> list[int]:
    course = loaded.course[course_id]
    key = (tuple(p.kind for p in loaded.periods), course.periods_per_session, tuple(course.period_kinds))
    return _starts_cached(key)


def session_slots(loaded: Loaded, course: Course, day: str, start: int) -> list[SlotKey]:
    return [(day, p.id) for p in loaded.periods[start : start + course.periods_per_session]]


def patterns(loaded: Loaded, course: Course) -> list[list[SlotKey]]:
    """Every weekly pattern of a section: `sessions_per_week` distinct days, the same start each day."""
    out = []
    for start in session_starts(loaded, course):
        for days in combinations(loaded.days, course.sessions_per_week):
            slots = []
            for d in days:
                slots.extend(session_slots(loaded, course, d, start))
            out.append(slots)
    return out


def slot_minutes(loaded: Loaded, period_id: str) -> tuple[int, int]:
    p = loaded.period[period_id]
    return minutes(p.start), minutes(p.end)
