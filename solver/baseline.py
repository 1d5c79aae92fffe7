"""First come, first served (抢课): what sign-up platforms effectively do. The benchmark baseline.

1. The school fixes tutoring groups for flagged students (R10) before sign-up opens.
2. It publishes a timetable of elective sections (times, rooms, staff), sized by demand.
3. Students, in arrival order (file order or a seeded shuffle), each take their highest-ranked
   course with a free seat that fits their registered days, leaving room for homework (R9).
4. Sections below their minimum size are cancelled, smallest first; their students sign up again.
5. Everyone else in a basic period does homework with their class (R9); extended care (R5) and
   evening study (R6) groups fill the later periods. Class groups are merged within a grade
   (合班) when staff or the budget (R20) require it, and as a last resort the emptiest elective
   sections are cancelled to balance the budget.
6. Staff are assigned greedily: least-loaded qualified person who is free, under caps (R25) and
   within flexible hours (R24); class teachers first for homework.
"""

from __future__ import annotations

import math
import random
import time
from collections import Counter, defaultdict
from collections.abc import Set
from dataclasses import dataclass, field

from models.common import SlotKey
from models.fees import term_income
from models.instance import ELECTIVE, Course
from models.load import Loaded
from models.plan import Activity, Plan
from solver.check import Violation
from solver.check.assemble import assemble
from solver.eligibility import can_teach, group_cap, min_staff, patterns, room_fits, venue_time_ok
from solver.ledger import Ledger
from solver.model.groups import merge_classes


@dataclass
class Group:
    id: str
    course: Course
    kind: str
    slots: list[SlotKey]
    room: str
    staff: list[str]
    students: list[str] = field(default_factory=list)
    klass: str | None = None
    cap: int = 0

    def activity(self) -> Activity:
        return Activity.model_validate(
            {
                "id": self.id,
                "course": self.course.id,
                "kind": self.kind,
                "class": self.klass,
                "slots": [{"day": d, "period": p} for d, p in self.slots],
                "room": self.room,
                "staff": list(self.staff),
                "students": list(self.students),
            }
        )


class Baseline:
    def __init__(self, loaded: Loaded, seed: int | None = None, timetable: str = "demand"):
        self.loaded = loaded
        # "demand": sections for the students who put the course in their top choices, placed
        # where most interested students can come (what a school publishes); "generous": as many
        # sections as anyone interested could fill, placed for first choices (a start for the optimizer)
        self.timetable = timetable
        self.students = list(loaded.instance.students)
        if seed is not None:
            random.Random(seed).shuffle(self.students)
        self.rank = {s.id: i for i, s in enumerate(self.students)}
        self.ledger = Ledger(loaded)
        self.reg = {s.id: loaded.registered_slots(s) for s in loaded.instance.students}
        self.basic = {p.id for p in loaded.periods if p.kind == "basic"}
        self.hw_min = loaded.policy.homework_min_periods_per_day
        self.sections: dict[str, list[Group]] = defaultdict(list)
        self.tutoring: list[Group] = []
        self.notes: list[str] = []
        self.cancelled: list[str] = []
        self._teachers: dict[str, list] = {}
        self.shortfall = ""
        self.merged_slots = 0
        self._class_free: Counter[tuple[str, str]] | None = None

    # ------------------------------------------------------------------ helpers
    def teachers_for(self, course: Course) -> list:
        if course.id not in self._teachers:
            self._teachers[course.id] = [st for st in self.loaded.instance.staff if can_teach(self.loaded, st, course)]
        return self._teachers[course.id]

    def pick_staff(
        self, course: Course, slots: list[SlotKey], n: int, ledger: Ledger, prefer: Set[str] = frozenset()
    ) -> list[str] | None:
        free = [st for st in self.teachers_for(course) if ledger.staff_free(st, slots)]
        free.sort(key=lambda st: (st.id not in prefer, ledger.staff_week[st.id], st.pay_per_period))
        return [st.id for st in free[:n]] if len(free) >= n else None

    def pick_room(
        self, course: Course, slots: list[SlotKey], size: int, ledger: Ledger, prefer: str | None = None
    ) -> str | None:
        rooms = [
            r
            for r in self.loaded.instance.rooms
            if room_fits(self.loaded, r, course)
            and ledger.room_free(r.id, slots)
            and venue_time_ok(self.loaded, r, slots)
        ]
        if prefer is not None:
            for r in rooms:
                if r.id == prefer and r.capacity >= size:
                    return r.id
        big = sorted((r for r in rooms if r.capacity >= size), key=lambda r: (r.off_campus, r.capacity))
        if big:
            return big[0].id
        return None

    def leaves_homework_time(self, sid: str, slots: list[SlotKey]) -> bool:
        """R9 as written: a primary pupil keeps at least hw_min free basic periods on each day; a
        junior student may take every basic period, as long as someone of their class is still
        free for the class's homework group that day (guidance offered daily)."""
        if self.loaded.grade(self.loaded.student[sid]) > 6:
            return self.junior_class_keeps_homework(sid, slots)
        if self.hw_min == 0:
            return True
        for d in {d for d, _ in slots}:
            free = [
                p
                for p in self.basic
                if (d, p) in self.reg[sid] and (sid, d, p) not in self.ledger.student_at and (d, p) not in slots
            ]
            if len(free) < self.hw_min:
                return False
        return True

    def junior_class_keeps_homework(self, sid: str, slots: list[SlotKey]) -> bool:
        """R9 for juniors: the class keeps at least one (student, basic period) free each day."""
        cls = self.loaded.student[sid].class_
        for d in {d for d, p in slots if p in self.basic}:
            taken = sum(1 for x, p in slots if x == d and p in self.basic)
            if self.class_free[(cls, d)] - taken < 1:
                return False
        return True

    @property
    def class_free(self):
        """(class, day) -> (student, basic period) pairs of the class still free that day."""
        if self._class_free is None:
            free: Counter[tuple[str, str]] = Counter()
            for s in self.loaded.instance.students:
                for d, p in self.reg[s.id]:
                    if p in self.basic and (s.id, d, p) not in self.ledger.student_at:
                        free[(s.class_, d)] += 1
            self._class_free = free
        return self._class_free

    def can_join(self, sid: str, g: Group) -> bool:
        return (
            len(g.students) < g.cap
            and all(s in self.reg[sid] for s in g.slots)
            and self.ledger.student_free(sid, g.slots)
            and self.leaves_homework_time(sid, g.slots)
        )

    def join(self, sid: str, g: Group) -> None:
        g.students.append(sid)
        self.ledger.seat(sid, g.slots, g.id)
        self._count_free(sid, g.slots, -1)

    def _count_free(self, sid: str, slots: list[SlotKey], delta: int) -> None:
        if self._class_free is not None:
            cls = self.loaded.student[sid].class_
            for d, p in slots:
                if p in self.basic:
                    self._class_free[(cls, d)] += delta

    def open_section(self, course: Course, kind: str, slots: list[SlotKey], size_hint: int, ident: str) -> Group | None:
        room_id = self.pick_room(course, slots, min(size_hint, group_cap(self.loaded, course, kind)), self.ledger)
        if room_id is None:
            # no room holds the hoped-for size: take the largest one that is free
            rooms = [
                r
                for r in self.loaded.instance.rooms
                if room_fits(self.loaded, r, course)
                and self.ledger.room_free(r.id, slots)
                and venue_time_ok(self.loaded, r, slots)
                and r.capacity >= course.min_size
            ]
            if not rooms:
                return None
            room_id = max(rooms, key=lambda r: r.capacity).id
        room = self.loaded.room[room_id]
        staff = self.pick_staff(course, slots, min_staff(self.loaded, course, room), self.ledger)
        if staff is None:
            return None
        self.ledger.take_room(room_id, slots)
        for sid in staff:
            self.ledger.take_staff(sid, slots)
        return Group(ident, course, kind, slots, room_id, staff, cap=group_cap(self.loaded, course, kind, room))

    def close_section(self, g: Group) -> list[str]:
        self.ledger.free_room(g.room, g.slots)
        for sid in g.staff:
            self.ledger.free_staff(sid, g.slots)
        for sid in g.students:
            self.ledger.unseat(sid, g.slots)
            self._count_free(sid, g.slots, +1)
        out, g.students = g.students, []
        return out

    # ------------------------------------------------------------------ 1. tutoring (R10)
    def plan_tutoring(self) -> None:
        need = self.loaded.policy.tutoring_sessions_per_week
        if need == 0:
            return
        got: Counter[tuple[str, str | None]] = Counter()
        load: Counter[SlotKey] = Counter()  # tutoring groups already in each slot: spread them out
        courses = [c for c in self.loaded.instance.courses if c.category == "tutoring"]
        for course in courses:
            count = 0
            while count < course.max_sections:
                pending = [
                    s
                    for s in self.students
                    if course.subject in s.tutoring
                    and (s.id, course.subject) not in self.loaded.unmet_tutoring
                    and got[(s.id, course.subject)] < need
                    and self.loaded.grade(s) in course.grades
                    and (course.level != "advanced" or s.advanced)
                ]
                if not pending:
                    break
                scored = []
                for slots in patterns(self.loaded, course):
                    fits = [
                        s.id
                        for s in pending
                        if all(x in self.reg[s.id] for x in slots)
                        and self.ledger.student_free(s.id, slots)
                        and self.leaves_homework_time(s.id, slots)
                    ]
                    if len(fits) >= max(1, course.min_size):
                        reach = min(len(fits), group_cap(self.loaded, course, "tutoring"))
                        scored.append((-reach, sum(load[x] for x in slots), slots, fits))
                scored.sort(key=lambda t: t[:2])
                best = None
                for _, _, slots, fits in scored:
                    g = self.open_section(course, "tutoring", slots, len(fits), f"{course.id}-{count + 1}")
                    if g is not None:
                        best = (g, fits)
                        break
                if best is None:
                    break
                g, fits = best
                load.update(g.slots)
                for sid in fits[: g.cap]:
                    self.join(sid, g)
                    got[(sid, course.subject)] += course.sessions_per_week
                self.tutoring.append(g)
                count += 1
        for s in self.students:
            for subject in dict.fromkeys(s.tutoring):
                if (s.id, subject) not in self.loaded.unmet_tutoring and got[(s.id, subject)] < need:
                    self.notes.append(
                        f"[R10] 未能为学生 {s.id} 安排 {subject} 补习辅导 / no tutoring group fits "
                        f"student {s.id} in {subject}"
                    )

    # ------------------------------------------------------------------ 2. publish sections
    def publish_sections(self) -> None:
        courses = [c for c in self.loaded.instance.courses if c.category in ELECTIVE and c.max_sections > 0]
        top: Counter[str] = Counter()
        anywhere: Counter[str] = Counter()
        for s in self.students:
            kept = self.loaded.kept_choices[s.id]
            for cid in kept[: max(1, s.electives_per_week)]:
                top[cid] += 1
            for cid in kept:
                anywhere[cid] += 1
        load: Counter[SlotKey] = Counter()
        for tg in self.tutoring:
            load.update(tg.slots)
        interested = defaultdict(list)
        for s in self.students:
            for cid in self.loaded.kept_choices[s.id]:
                interested[cid].append(s.id)
        for course in sorted(courses, key=lambda c: -top[c.id]):
            if anywhere[course.id] < max(1, course.min_size):
                continue
            cap = group_cap(self.loaded, course, "elective")
            demand = anywhere if self.timetable == "generous" else top
            n = min(course.max_sections, max(1, math.ceil(demand[course.id] / cap)))
            options = patterns(self.loaded, course)
            for k in range(n):
                scored = []
                for slots in options:
                    reach = sum(
                        self.weight(sid, course.id)
                        for sid in interested[course.id]
                        if all(x in self.reg[sid] for x in slots)
                    )
                    scored.append((reach - 3 * sum(load[x] for x in slots), slots))
                scored.sort(key=lambda t: -t[0])
                for _, slots in scored:
                    g = self.open_section(course, "elective", slots, cap, f"{course.id}-{k + 1}")
                    if g is not None:
                        self.sections[course.id].append(g)
                        load.update(slots)
                        break

    def weight(self, sid: str, cid: str) -> int:
        if self.timetable != "generous":
            return 1
        return 3 if self.loaded.kept_choices[sid][0] == cid else 1

    # ------------------------------------------------------------------ 3-4. sign-up and cancellation
    def sign_up(self, sid: str) -> None:
        s = self.loaded.student[sid]
        kept = self.loaded.kept_choices[sid]
        taken = {cid for cid in kept if any(sid in g.students for g in self.sections.get(cid, []))}
        want = min(s.electives_per_week, len(kept))
        for cid in kept:
            if len(taken) >= want:
                break
            if cid in taken:
                continue
            for g in self.sections.get(cid, []):
                if self.can_join(sid, g):
                    self.join(sid, g)
                    taken.add(cid)
                    break

    def first_sign_up(self) -> None:
        """抢课: in arrival order, each student takes what they want while seats last."""
        for s in self.students:
            self.sign_up(s.id)

    def run_sign_up(self) -> None:
        self.first_sign_up()
        while True:
            small = [g for gs in self.sections.values() for g in gs if len(g.students) < g.course.min_size]
            if not small:
                break
            g = min(small, key=lambda g: (len(g.students), g.id))
            self.cancel(g, "R11", "不足开班人数 / below minimum size")
            for sid in sorted(self.cancel_displaced, key=self.rank.__getitem__):
                self.sign_up(sid)

    def cancel(self, g: Group, rule: str, why: str) -> None:
        self.sections[g.course.id].remove(g)
        self.cancel_displaced = self.close_section(g)
        self.cancelled.append(g.id)
        self.notes.append(f"[{rule}] 取消 {g.id}（{g.course.name}，{len(self.cancel_displaced)} 人）：{why}")

    # ------------------------------------------------------------------ 5. supervision groups
    def course_for(self, category: str, grade: int) -> Course | None:
        for c in self.loaded.instance.courses:
            if c.category == category and grade in c.grades:
                return c
        return None

    def supervise(self, merge: bool) -> tuple[Ledger, list[Group]] | None:
        """Homework, care and evening groups for everyone still free; None (and `shortfall` says
        why) if staff or rooms run out."""
        ledger = self.ledger.copy()
        groups: list[Group] = []
        kind_of = {
            "basic": ("homework", "homework"),
            "extended": ("extended_care", "care"),
            "evening": ("evening_study", "evening_study"),
        }
        order = sorted(
            ((d, p) for d in self.loaded.days for p in self.loaded.periods),
            key=lambda t: (t[1].kind == "basic", self.loaded.days.index(t[0]), self.loaded.period_index[t[1].id]),
        )
        for d, period in order:
            kind, category = kind_of[period.kind]
            slot = (d, period.id)
            waiting: dict[str, list[str]] = defaultdict(list)
            for s in self.students:
                if slot in self.reg[s.id] and (s.id, d, period.id) not in ledger.student_at:
                    course = self.course_for(category, self.loaded.grade(s))
                    if course is None:
                        rule = {"homework": "R9", "extended_care": "R5", "evening_study": "R6"}[kind]
                        self.shortfall = (
                            f"[{rule}] 没有面向 {self.loaded.grade(s)} 年级的 {category} 课程 / no {category} "
                            f"course for grade {self.loaded.grade(s)}"
                        )
                        return None
                    waiting[course.id].append(s.id)
            for cid, sids in waiting.items():
                course = self.loaded.course[cid]
                made = self.group_slot(course, kind, slot, sids, merge, ledger)
                if made is None:
                    self.shortfall = (
                        f"[R21/R24/R25] {d} {period.id} 的{course.name}找不到空闲的教职工或场地 / no free staff "
                        f"or room for {course.name} at {d} {period.id}"
                    )
                    return None
                groups.extend(made)
        return ledger, groups

    def group_slot(
        self, course: Course, kind: str, slot: SlotKey, sids: list[str], merge: bool, ledger: Ledger
    ) -> list[Group] | None:
        loaded = self.loaded
        cap = group_cap(loaded, course, kind)
        by_class: dict[str, list[str]] = defaultdict(list)
        for sid in sorted(
            sids, key=lambda x: (loaded.grade(loaded.student[x]), loaded.student[x].class_, self.rank[x])
        ):
            by_class[loaded.student[sid].class_].append(sid)
        chunks: list[tuple[str | None, list[str]]] = []
        if kind == "homework":
            for cls, members in by_class.items():
                k = math.ceil(len(members) / cap)
                size = math.ceil(len(members) / k)
                for i in range(k):
                    chunks.append((cls, members[i * size : (i + 1) * size]))
            if merge:
                chunks = self.merge_by_grade(chunks, cap)
            else:  # class groups where they fit; merged within the grade where staff or rooms run out
                made = self.place_all(course, kind, slot, chunks, ledger)
                if made is not None:
                    return made
                self.merged_slots += 1
                chunks = self.merge_by_grade(chunks, cap)
        else:
            everyone = [sid for members in by_class.values() for sid in members]
            k = math.ceil(len(everyone) / cap)
            size = math.ceil(len(everyone) / k)
            chunks = [(None, everyone[i * size : (i + 1) * size]) for i in range(k)]
        return self.place_all(course, kind, slot, chunks, ledger)

    def place_all(
        self, course: Course, kind: str, slot: SlotKey, chunks: list[tuple[str | None, list[str]]], ledger: Ledger
    ) -> list[Group] | None:
        """Place every chunk, or none of them (the ledger is left as it was)."""
        out: list[Group] = []
        for cls, members in chunks:
            made = self.place(course, kind, slot, cls, members, ledger)
            if made is None:
                for g in out:
                    ledger.free_room(g.room, g.slots)
                    for sid in g.staff:
                        ledger.free_staff(sid, g.slots)
                    for sid in g.students:
                        ledger.unseat(sid, g.slots)
                return None
            out.extend(made)
        return out

    def merge_by_grade(
        self, chunks: list[tuple[str | None, list[str]]], cap: int
    ) -> list[tuple[str | None, list[str]]]:
        """合班: first-fit decreasing of class groups into grade groups of at most `cap`."""
        loaded = self.loaded
        by_grade: dict[int, list[tuple[str, list[str]]]] = defaultdict(list)
        for cls, members in chunks:
            assert cls is not None  # homework chunks before merging: one class each
            by_grade[loaded.klass[cls].grade].append((cls, members))
        out = []
        for _grade, items in by_grade.items():
            for classes, members in merge_classes(items, cap):
                out.append((classes[0] if len(set(classes)) == 1 else None, members))
        return out

    def place(
        self, course: Course, kind: str, slot: SlotKey, cls: str | None, members: list[str], ledger: Ledger
    ) -> list[Group] | None:
        """One group in one slot: a room (the class's own first) and staff (its teachers first);
        split in two when no free room holds it."""
        loaded = self.loaded
        slots = [slot]
        classes = {loaded.student[s].class_ for s in members}
        home = loaded.klass[cls].homeroom if cls is not None else loaded.klass[sorted(classes)[0]].homeroom
        room_id = self.pick_room(course, slots, len(members), ledger, prefer=home)
        if room_id is None:
            if len(members) <= 1:
                return None
            half = len(members) // 2
            a = self.place(course, kind, slot, cls, members[:half], ledger)
            if a is None:
                return None
            b = self.place(course, kind, slot, cls, members[half:], ledger)
            return None if b is None else a + b
        prefer = {st.id for st in loaded.instance.staff if classes & set(st.classes)} if kind == "homework" else set()
        staff = self.pick_staff(course, slots, min_staff(loaded, course, loaded.room[room_id]), ledger, prefer)
        if staff is None:
            return None
        ledger.take_room(room_id, slots)
        for sid in staff:
            ledger.take_staff(sid, slots)
        for sid in members:
            ledger.seat(sid, slots, "")
        if kind == "homework":
            tag = cls if cls is not None else f"G{loaded.grade(loaded.student[members[0]])}"
            ident = f"{course.id}-{tag}-{slot[0]}-{slot[1]}"
        else:
            ident = f"{course.id}-{slot[0]}-{slot[1]}"
        return [Group(ident, course, kind, slots, room_id, staff, list(members), cls)]

    # ------------------------------------------------------------------ 6. budget (R20)
    def cost(self, ledger: Ledger) -> float:
        return (
            sum(n * self.loaded.staff[sid].pay_per_period for sid, n in ledger.staff_week.items())
            * self.loaded.policy.term_weeks
        )

    def pay(self, g: Group) -> float:
        """A section's term pay (R19, R20)."""
        return (
            sum(self.loaded.staff[sid].pay_per_period for sid in g.staff) * len(g.slots) * self.loaded.policy.term_weeks
        )

    def income(self) -> float:
        return term_income(self.loaded.instance, self.loaded.policy)

    def run(self) -> list[Group] | None:
        self.plan_tutoring()
        self.publish_sections()
        self.run_sign_up()
        must_balance = self.loaded.policy.budget_must_balance
        while True:
            for merge in (False, True):
                self.merged_slots = 0
                result = self.supervise(merge)
                if result is None:
                    continue
                ledger, groups = result
                if not must_balance or self.cost(ledger) <= self.income():
                    if merge:
                        self.notes.append(
                            "[R9/R20] 作业辅导按年级合班以收支平衡 / homework groups merged within grades "
                            "to balance the budget"
                        )
                    elif self.merged_slots:
                        self.notes.append(
                            f"[R9] {self.merged_slots} 个时段的作业辅导按年级合班（人手或教室不足） / "
                            f"homework merged within grades in {self.merged_slots} slots for lack of "
                            f"staff or rooms"
                        )
                    self.ledger = ledger
                    return self.all_groups() + groups
            sections = [g for gs in self.sections.values() for g in gs]
            if not sections:
                if result is None:
                    self.notes.append(self.shortfall)
                elif must_balance:
                    self.notes.append(
                        "[R20] 即使合班也无法收支平衡 / the budget does not balance even with merged groups"
                    )
                return None
            if result is None:  # staff or rooms ran out: free the most with the fewest pupils moved
                drop = min(sections, key=lambda g: (len(g.students), g.id))
            else:  # over budget: the fewest sections needed, the dearest first (their pupils sign up again)
                drop = max(sections, key=lambda g: (self.pay(g), -len(g.students), g.id))
            self.cancel(drop, "R20", "为收支平衡或人手取消 / cancelled to balance the budget or free staff")
            for sid in sorted(self.cancel_displaced, key=self.rank.__getitem__):
                self.sign_up(sid)

    def all_groups(self) -> list[Group]:
        return [g for gs in self.sections.values() for g in gs] + self.tutoring


class BostonLottery(Baseline):
    """Rank-by-rank lottery (the "Boston" or immediate-acceptance method with random tie-break,
    as international after-school platforms run it): every student's first choice is filled
    first, by lottery where oversubscribed, then second choices, and so on. Same timetable,
    cancellation and supervision as FCFS."""

    def first_sign_up(self) -> None:
        longest = max((len(self.loaded.kept_choices[s.id]) for s in self.students), default=0)
        taken: dict[str, set[str]] = defaultdict(set)
        for r in range(longest):
            for s in self.students:  # lottery order: the seeded shuffle
                kept = self.loaded.kept_choices[s.id]
                if r >= len(kept) or len(taken[s.id]) >= min(s.electives_per_week, len(kept)):
                    continue
                for g in self.sections.get(kept[r], []):
                    if self.can_join(s.id, g):
                        self.join(s.id, g)
                        taken[s.id].add(kept[r])
                        break


def baseline_plan(
    loaded: Loaded, seed: int | None = None, method: str = "fcfs", timetable: str = "demand"
) -> tuple[Plan, list[Violation]]:
    """The FCFS plan for an instance (arrival in file order, or shuffled with `seed`), or the
    rank-by-rank lottery (`method="boston"`, lottery order from `seed`, default 0)."""
    t0 = time.perf_counter()
    if method == "boston":
        seed = 0 if seed is None else seed
        b: Baseline = BostonLottery(loaded, seed, timetable)
        notes = [f"逐志愿抽签（Boston）基线，抽签种子 {seed} / rank-by-rank lottery baseline"]
    else:
        b = Baseline(loaded, seed, timetable)
        order = "文件顺序 / file order" if seed is None else f"随机顺序 seed={seed} / shuffled"
        notes = [f"先到先得基线，报名顺序：{order} / first-come-first-served baseline"]
    groups = b.run()
    if loaded.instance.pins or loaded.instance.previous_plan:
        notes.append("基线不处理固定安排与上一版方案 / the baseline ignores pins and the previous plan")
    notes += b.notes
    if groups is None:
        plan, violations = assemble(loaded, [], status="unknown", seconds=time.perf_counter() - t0, warnings=notes)
        return plan, violations
    groups.sort(key=lambda g: ("elective tutoring homework extended_care evening_study".split().index(g.kind), g.id))
    used: Counter[str] = Counter()
    for g in groups:  # a class split in one slot gets -2, -3 ...
        used[g.id] += 1
        if used[g.id] > 1:
            g.id = f"{g.id}-{used[g.id]}"
    acts = [g.activity() for g in groups]
    return assemble(loaded, acts, status="feasible", seconds=time.perf_counter() - t0, warnings=notes)
