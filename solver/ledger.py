"""Who and what is busy when, for greedy planners: rooms, staff (caps R25, hours R24), students."""

from __future__ import annotations

import copy
from collections import Counter, defaultdict

from models.common import DAYS, SlotKey, minutes
from models.instance import Staff
from models.load import Loaded
from solver.eligibility import slot_minutes


class Ledger:
    def __init__(self, loaded: Loaded):
        self.loaded = loaded
        self.room_busy: set[tuple[str, str, str]] = set()
        self.staff_slots: dict[str, set[SlotKey]] = defaultdict(set)
        self.staff_week: Counter[str] = Counter()
        self.staff_day: Counter[tuple[str, str]] = Counter()
        self.student_at: dict[tuple[str, str, str], str] = {}
        self._duty_span: dict[tuple[str, str], tuple[int, int]] = {}
        for st in loaded.instance.staff:
            for duty in st.duties:
                key = (st.id, duty.day)
                a, b = minutes(duty.start), minutes(duty.end)
                old = self._duty_span.get(key, (a, b))
                self._duty_span[key] = (min(old[0], a), max(old[1], b))
        # on-site span per (staff, day): duties and services so far, kept up to date (R24 checks ask often)
        self._day_span: dict[tuple[str, str], tuple[int, int]] = dict(self._duty_span)
        self._times = {p.id: slot_minutes(loaded, p.id) for p in loaded.periods}

    def copy(self) -> Ledger:
        new = copy.copy(self)
        new.room_busy = set(self.room_busy)
        new.staff_slots = defaultdict(set, {k: set(v) for k, v in self.staff_slots.items()})
        new.staff_week = Counter(self.staff_week)
        new.staff_day = Counter(self.staff_day)
        new.student_at = dict(self.student_at)
        new._day_span = dict(self._day_span)
        return new

    # ---- rooms
    def room_free(self, room_id: str, slots: list[SlotKey]) -> bool:
        room = self.loaded.room[room_id]
        closed = {s.key() for s in room.unavailable}
        return all((room_id, d, p) not in self.room_busy and (d, p) not in closed for d, p in slots)

    def take_room(self, room_id: str, slots: list[SlotKey]) -> None:
        self.room_busy.update((room_id, d, p) for d, p in slots)

    def free_room(self, room_id: str, slots: list[SlotKey]) -> None:
        self.room_busy.difference_update((room_id, d, p) for d, p in slots)

    # ---- staff
    def _span(self, sid: str, day: str, extra: list[SlotKey]) -> tuple[int, int] | None:
        span = self._day_span.get((sid, day))
        for d, p in extra:
            if d == day:
                a, b = self._times[p]
                span = (a, b) if span is None else (min(span[0], a), max(span[1], b))
        return span

    def _recompute_span(self, sid: str, day: str) -> None:
        spans = [self._duty_span[(sid, day)]] if (sid, day) in self._duty_span else []
        spans += [self._times[p] for d, p in self.staff_slots.get(sid, ()) if d == day]
        if spans:
            self._day_span[(sid, day)] = (min(a for a, _ in spans), max(b for _, b in spans))
        else:
            self._day_span.pop((sid, day), None)

    def staff_free(self, st: Staff, slots: list[SlotKey]) -> bool:
        """Free, under caps (R25), clear of duties, within on-site span and rest (R24)."""
        sid = st.id
        mine = self.staff_slots.get(sid, set())
        closed = {s.key() for s in st.unavailable}
        if any((d, p) in mine or (d, p) in closed for d, p in slots):
            return False
        if self.staff_week[sid] + len(slots) > st.max_periods_per_week:
            return False
        per_day = Counter(d for d, _ in slots)
        pol = self.loaded.policy
        for d, n in per_day.items():
            if self.staff_day[(sid, d)] + n > st.max_periods_per_day:
                return False
        for d, p in slots:
            start, end = self._times[p]
            if any(duty.day == d and minutes(duty.start) < end and start < minutes(duty.end) for duty in st.duties):
                return False
            for md, mp in mine:
                if md == d:
                    s2, e2 = self._times[mp]
                    if s2 < end and start < e2:
                        return False
        for d in per_day:
            span = self._span(sid, d, slots)
            assert span is not None  # d is a day of `slots`
            if span[1] - span[0] > pol.max_onsite_minutes:
                return False
            i = DAYS.index(d)
            for a, b in ((DAYS[i - 1], d), (d, DAYS[(i + 1) % 7])):
                sa, sb = self._span(sid, a, slots), self._span(sid, b, slots)
                if sa and sb and 24 * 60 - sa[1] + sb[0] < pol.min_rest_minutes:
                    return False
        return True

    def take_staff(self, sid: str, slots: list[SlotKey]) -> None:
        self.staff_slots[sid].update(slots)
        self.staff_week[sid] += len(slots)
        for d, _ in slots:
            self.staff_day[(sid, d)] += 1
        for d in {d for d, _ in slots}:
            span = self._span(sid, d, slots)
            assert span is not None  # d is a day of `slots`
            self._day_span[(sid, d)] = span

    def free_staff(self, sid: str, slots: list[SlotKey]) -> None:
        self.staff_slots[sid].difference_update(slots)
        self.staff_week[sid] -= len(slots)
        for d, _ in slots:
            self.staff_day[(sid, d)] -= 1
        for d in {d for d, _ in slots}:
            self._recompute_span(sid, d)

    # ---- students
    def student_free(self, sid: str, slots: list[SlotKey]) -> bool:
        return all((sid, d, p) not in self.student_at for d, p in slots)

    def seat(self, sid: str, slots: list[SlotKey], activity: str) -> None:
        for d, p in slots:
            self.student_at[(sid, d, p)] = activity

    def unseat(self, sid: str, slots: list[SlotKey]) -> None:
        for d, p in slots:
            self.student_at.pop((sid, d, p), None)
