"""The plan checker's hard-rule checks: is this plan valid for this instance?

Written from `policy-rules.md` and `formats.md` alone, never from the code that builds plans,
so it catches that code's mistakes. Each check is a function named by the rule it verifies
and yields `Violation(rule, Text(zh, en), records)`. The same module computes the numbers a plan
reports (staff days R24, costs R19/R20/R23, metrics) straight from the rules, so a plan's
reported numbers are compared with an independent recomputation.

Rule codes of checks that policy-rules.md does not number: FMT-* (the file contract),
PIN (pins of a re-solve), METRICS (reported metrics).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from models.common import DAYS, hhmm, minutes
from models.fees import payers
from models.load import Loaded
from models.messages import Text, same
from models.plan import CATEGORY_KIND, Activity, Costs, StaffCost

CARE = "extended_care"


@dataclass(frozen=True)
class Violation:
    rule: str
    text: Text
    records: list[str] = field(default_factory=list)

    @property
    def message(self) -> str:
        """The mixed "中文 / English" form the plan warnings, the command line and `--json` show."""
        return str(self.text)

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "message": self.message, "records": self.records}

    def render(self) -> str:
        recs = f"  [{', '.join(self.records[:12])}{' …' if len(self.records) > 12 else ''}]" if self.records else ""
        return f"[{self.rule}] {self.message}{recs}"


def _money(x: float) -> int | float:
    """Yuan as an int when whole, so reported numbers compare exactly."""
    return int(x) if float(x).is_integer() else round(float(x), 2)


def _next_day(day: str) -> str:
    return DAYS[(DAYS.index(day) + 1) % 7]


class View:
    """Indexes over one plan's activities, built once for all checks."""

    def __init__(self, loaded: Loaded, activities: list[Activity]):
        self.loaded = loaded
        self.acts = activities
        self.days = set(loaded.instance.days)

    def slot_ok(self, day: str, period: str) -> bool:
        return day in self.days and period in self.loaded.period

    def times(self, day: str, period: str) -> tuple[int, int]:
        p = self.loaded.period[period]
        return minutes(p.start), minutes(p.end)

    @cached_property
    def valid_slots(self) -> dict[str, list[tuple[str, str]]]:
        """Each activity's distinct slots that exist in the instance."""
        out: dict[str, list[tuple[str, str]]] = {}
        for a in self.acts:
            seen = dict.fromkeys((s.day, s.period) for s in a.slots if self.slot_ok(s.day, s.period))
            out[a.id] = list(seen)
        return out

    @cached_property
    def student_slots(self) -> dict[tuple[str, str, str], list[Activity]]:
        out: dict[tuple[str, str, str], list[Activity]] = defaultdict(list)
        for a in self.acts:
            for sid in dict.fromkeys(a.students):
                for d, p in self.valid_slots[a.id]:
                    out[(sid, d, p)].append(a)
        return out

    @cached_property
    def staff_service(self) -> dict[str, list[tuple[str, str, Activity]]]:
        """staff id -> [(day, period, activity)], one entry per activity slot they serve."""
        out: dict[str, list[tuple[str, str, Activity]]] = defaultdict(list)
        for a in self.acts:
            for st in dict.fromkeys(a.staff):
                if st in self.loaded.staff:
                    for d, p in self.valid_slots[a.id]:
                        out[st].append((d, p, a))
        return out

    @cached_property
    def placements(self) -> dict[str, set[str]]:
        """student id -> courses of the elective activities they sit in."""
        out: dict[str, set[str]] = defaultdict(set)
        for a in self.acts:
            if a.kind == "elective":
                for sid in a.students:
                    out[sid].add(a.course)
        return out


# --------------------------------------------------------------------------- file contract


def fmt_references(v: View) -> Iterator[Violation]:
    L = v.loaded
    for i, n in Counter(a.id for a in v.acts).items():
        if n > 1:
            yield Violation("FMT-ID", Text(f"活动编号 {i} 重复 {n} 次", f"activity id {i} is used {n} times"), [i])
    for a in v.acts:
        course = L.course.get(a.course)
        if course is None:
            yield Violation(
                "FMT-REF", Text(f"活动 {a.id} 的课程 {a.course} 不存在", f"unknown course {a.course}"), [a.id, a.course]
            )
        elif CATEGORY_KIND[course.category] != a.kind:
            yield Violation(
                "FMT-VALUE",
                Text(
                    f"活动 {a.id} 的类型 {a.kind} 与课程类别 {course.category} 不符",
                    f"kind {a.kind} does not match course category {course.category}",
                ),
                [a.id, a.course],
            )
        if a.room not in L.room:
            yield Violation(
                "FMT-REF", Text(f"活动 {a.id} 的场地 {a.room} 不存在", f"unknown room {a.room}"), [a.id, a.room]
            )
        if a.class_ is not None and a.class_ not in L.klass:
            yield Violation(
                "FMT-REF", Text(f"活动 {a.id} 的班级 {a.class_} 不存在", f"unknown class {a.class_}"), [a.id, a.class_]
            )
        for sid in a.staff:
            if sid not in L.staff:
                yield Violation(
                    "FMT-REF", Text(f"活动 {a.id} 的教职工 {sid} 不存在", f"unknown staff {sid}"), [a.id, sid]
                )
        for sid in a.students:
            if sid not in L.student:
                yield Violation(
                    "FMT-REF", Text(f"活动 {a.id} 的学生 {sid} 不存在", f"unknown student {sid}"), [a.id, sid]
                )
        for s in a.slots:
            if not v.slot_ok(s.day, s.period):
                yield Violation(
                    "FMT-REF",
                    Text(
                        f"活动 {a.id} 的时段 {s.day} {s.period} 不是服务时段",
                        f"slot {s.day} {s.period} is not a service slot",
                    ),
                    [a.id],
                )
        for what, values in (
            ("students", a.students),
            ("staff", a.staff),
            ("slots", [(s.day, s.period) for s in a.slots]),
        ):
            dup = [x for x, n in Counter(values).items() if n > 1]
            if dup:
                yield Violation(
                    "FMT-VALUE",
                    Text(f"活动 {a.id} 的 {what} 有重复项", f"repeated entries in {what}: {dup[:5]}"),
                    [a.id],
                )
        if not a.slots:
            yield Violation("FMT-VALUE", Text(f"活动 {a.id} 没有时段", "activity has no slots"), [a.id])


# --------------------------------------------------------------------------- students


def r02_coverage(v: View) -> Iterator[Violation]:
    """R2 (R5 extended, R6 evening): exactly one activity in every registered slot, none elsewhere."""
    L = v.loaded
    rule_of_kind = {"basic": "R2", "extended": "R5", "evening": "R6"}
    for s in L.instance.students:
        need = L.registered_slots(s)
        missing: dict[str, list[str]] = defaultdict(list)
        for d, p in sorted(need):
            acts = v.student_slots.get((s.id, d, p), [])
            if not acts:
                missing[rule_of_kind[L.period[p].kind]].append(f"{d} {p}")
            elif len(acts) > 1:
                yield Violation(
                    "R2",
                    Text(
                        f"学生 {s.id} 在 {d} {p} 同时在 {len(acts)} 项活动中",
                        f"student {s.id} is in {len(acts)} activities at {d} {p}",
                    ),
                    [s.id, *(a.id for a in acts)],
                )
        for rule, slots in missing.items():
            what = {"R2": "基本服务", "R5": "延时托管", "R6": "晚自习"}[rule]
            yield Violation(
                rule,
                Text(
                    f"学生 {s.id} 报名的{what}时段无人看管：{', '.join(slots)}",
                    f"student {s.id} is unsupervised in registered slots {', '.join(slots)}",
                ),
                [s.id],
            )
    for (sid, d, p), acts in v.student_slots.items():
        st = L.student.get(sid)
        if st is not None and (d, p) not in L.registered_slots(st):
            yield Violation(
                "R2",
                Text(
                    f"学生 {sid} 未报名 {d} {p}，却被安排在 {acts[0].id}",
                    f"student {sid} is placed at unregistered slot {d} {p}",
                ),
                [sid, *(a.id for a in acts)],
            )


def r11_eligibility(v: View) -> Iterator[Violation]:
    """R11 (grade, choice, one section per course), R10 (levels and tutoring flags), R9 (class groups)."""
    L = v.loaded
    for a in v.acts:
        course = L.course.get(a.course)
        if course is None:
            continue
        students = [L.student[s] for s in a.students if s in L.student]
        wrong_grade = [s.id for s in students if L.grade(s) not in course.grades]
        if wrong_grade:
            yield Violation(
                "R11",
                Text(
                    f"{a.id}（{course.name}，{course.grades} 年级）有不符合年级的学生",
                    "students outside the course's grades",
                ),
                [a.id, *wrong_grade],
            )
        if a.kind == "elective":
            unchosen = [s.id for s in students if a.course not in L.kept_choices.get(s.id, [])]
            if unchosen:
                yield Violation(
                    "R11",
                    Text(f"{a.id}（{course.name}）中有学生没有选择该课程", f"students who did not choose {a.course}"),
                    [a.id, *unchosen],
                )
        if course.level == "advanced":
            plain = [s.id for s in students if not s.advanced]
            if plain:
                yield Violation(
                    "R10",
                    Text(
                        f"{a.id} 是拓展提高课程，只收学有余力的学生",
                        "advanced course takes only students flagged advanced",
                    ),
                    [a.id, *plain],
                )
        if a.kind == "tutoring":
            unflagged = [s.id for s in students if course.subject not in s.tutoring]
            if unflagged:
                yield Violation(
                    "R10",
                    Text(
                        f"{a.id} 是 {course.subject} 补习辅导，只收需要该科补习的学生",
                        f"tutoring takes only students flagged in {course.subject}",
                    ),
                    [a.id, *unflagged],
                )
        if a.class_ is not None and a.class_ in L.klass:
            others = [s.id for s in students if s.class_ != a.class_]
            if others:
                yield Violation(
                    "R9",
                    Text(
                        f"{a.id} 是 {a.class_} 班的活动，却有其他班学生", "class group holds students of other classes"
                    ),
                    [a.id, *others],
                )
        elif a.kind == "homework":
            grades = {L.grade(s) for s in students}
            if len(grades) > 1:
                yield Violation(
                    "R9",
                    Text(
                        f"合班作业辅导 {a.id} 混合了 {sorted(grades)} 年级", "a merged homework group must be one grade"
                    ),
                    [a.id],
                )
    per_student: dict[tuple[str, str], list[str]] = defaultdict(list)
    for a in v.acts:
        if a.kind == "elective":
            for sid in dict.fromkeys(a.students):
                per_student[(sid, a.course)].append(a.id)
    for (sid, cid), acts in per_student.items():
        if len(acts) > 1:
            yield Violation(
                "R11",
                Text(
                    f"学生 {sid} 在课程 {cid} 的 {len(acts)} 个班中",
                    f"student is in {len(acts)} sections of one course",
                ),
                [sid, *acts],
            )


# --------------------------------------------------------------------------- activities


_KIND_RULE = {"homework": "R9", "elective": "R11", "tutoring": "R10", CARE: "R5", "evening_study": "R6"}


def sessions(v: View) -> Iterator[Violation]:
    """formats.md "Sessions": period kinds; sections hold sessions_per_week sessions on distinct days
    of periods_per_session consecutive periods; at most max_sections sections per course."""
    L = v.loaded
    sections: Counter[str] = Counter()
    for a in v.acts:
        course = L.course.get(a.course)
        if course is None:
            continue
        rule = _KIND_RULE[a.kind]
        slots = v.valid_slots[a.id]
        wrong = [f"{d} {p}" for d, p in slots if L.period[p].kind not in course.period_kinds]
        if wrong:
            yield Violation(
                rule,
                Text(
                    f"{a.id} 排在 {course.name} 不允许的时段类型：{', '.join(wrong)}",
                    f"slots of a kind the course does not run in ({course.period_kinds})",
                ),
                [a.id],
            )
        if a.kind not in ("elective", "tutoring"):
            continue
        sections[a.course] += 1
        by_day: dict[str, list[int]] = defaultdict(list)
        for d, p in slots:
            by_day[d].append(L.period_index[p])
        if len(by_day) != course.sessions_per_week:
            yield Violation(
                rule,
                Text(
                    f"{a.id} 每周 {len(by_day)} 次，课程要求 {course.sessions_per_week} 次（不同日）",
                    f"{len(by_day)} sessions on distinct days, the course needs {course.sessions_per_week}",
                ),
                [a.id],
            )
        for d, idx in by_day.items():
            idx.sort()
            if len(idx) != course.periods_per_session or idx != list(range(idx[0], idx[0] + len(idx))):
                yield Violation(
                    rule,
                    Text(
                        f"{a.id} 在 {d} 的课时不是 {course.periods_per_session} 个连续时段",
                        f"the session on {d} is not {course.periods_per_session} consecutive periods",
                    ),
                    [a.id],
                )
    for cid, n in sections.items():
        if n > L.course[cid].max_sections:
            yield Violation(
                _KIND_RULE[CATEGORY_KIND[L.course[cid].category]],
                Text(
                    f"课程 {cid} 开了 {n} 个班，最多 {L.course[cid].max_sections} 个",
                    f"{n} sections, at most {L.course[cid].max_sections}",
                ),
                [cid],
            )


def r21_sizes(v: View) -> Iterator[Violation]:
    """R21: group size within course, room and supervision limits; R11: at least min_size to run."""
    L = v.loaded
    pol = L.policy
    for a in v.acts:
        course = L.course.get(a.course)
        if course is None:
            continue
        n = len(set(a.students))
        cap = pol.max_care_group_size if a.kind == CARE else pol.max_group_size
        if n > course.max_size:
            yield Violation(
                "R21", Text(f"{a.id} 有 {n} 人，超过课程上限 {course.max_size}", f"{n} students, over max_size"), [a.id]
            )
        if n > cap:
            yield Violation(
                "R21",
                Text(f"{a.id} 有 {n} 人，超过看护上限 {cap}", f"{n} students, over the supervision limit {cap}"),
                [a.id],
            )
        room = L.room.get(a.room)
        if room is not None and n > room.capacity:
            yield Violation(
                "R21",
                Text(f"{a.id} 有 {n} 人，超过 {room.name} 容量 {room.capacity}", "over room capacity"),
                [a.id, a.room],
            )
        if n < course.min_size:
            yield Violation(
                "R11",
                Text(f"{a.id} 只有 {n} 人，不足开班人数 {course.min_size}", f"under min_size {course.min_size}"),
                [a.id],
            )


def r21_rooms(v: View) -> Iterator[Violation]:
    """R21: each group in a room of a kind its course allows, available, and not shared at once."""
    L = v.loaded
    busy: dict[tuple[str, str], list[tuple[int, int, str]]] = defaultdict(list)
    for a in v.acts:
        room = L.room.get(a.room)
        course = L.course.get(a.course)
        if room is None:
            continue
        if course is not None and room.kind not in course.room_kinds:
            yield Violation(
                "R21",
                Text(
                    f"{a.id} 在 {room.name}（{room.kind}），课程只用 {course.room_kinds}",
                    "room kind not allowed for the course",
                ),
                [a.id, room.id],
            )
        closed = {(s.day, s.period) for s in room.unavailable}
        for d, p in v.valid_slots[a.id]:
            if (d, p) in closed:
                yield Violation(
                    "R21", Text(f"{room.name} 在 {d} {p} 不可用，却安排了 {a.id}", "room unavailable"), [a.id, room.id]
                )
            start, end = v.times(d, p)
            busy[(room.id, d)].append((start, end, a.id))
    for (rid, d), spans in busy.items():
        yield from _clashes("R21", Text(f"场地 {rid}", f"room {rid}"), d, spans, rid)


def _clashes(rule: str, who: Text, day: str, spans: list[tuple[int, int, str]], ident: str) -> Iterator[Violation]:
    spans = sorted(spans)
    reported: set[tuple[str, str]] = set()
    for i, (_s1, e1, a1) in enumerate(spans):
        for s2, _e2, a2 in spans[i + 1 :]:
            if s2 >= e1:
                break
            if a1 != a2 and (a1, a2) not in reported:
                reported.add((a1, a2))
                zh = f"{who.zh} 在 {day} {hhmm(s2)} 同时用于 {a1} 和 {a2}"
                en = f"{who.en} is in two places at once: {a1} and {a2} at {day} {hhmm(s2)}"
                # the mixed form names `who` in both languages first, then the English tail alone
                joined = f"{who} 在 {day} {hhmm(s2)} 同时用于 {a1} 和 {a2} / in two places at once"
                yield Violation(rule, Text(zh, en, joined=joined), [ident, a1, a2])


def r14_off_campus(v: View) -> Iterator[Violation]:
    """R14: an off-campus group has enough escorts and time for both journeys and the venue."""
    L = v.loaded
    pol = L.policy
    for a in v.acts:
        room = L.room.get(a.room)
        if room is None or not room.off_campus:
            continue
        staff = set(a.staff)
        if len(staff) < pol.offsite_min_staff:
            yield Violation(
                "R14",
                Text(
                    f"{a.id} 去校外场地 {room.name}，只有 {len(staff)} 名教职工带队，至少需要 "
                    f"{pol.offsite_min_staff} 名",
                    f"off-campus group needs {pol.offsite_min_staff} escorts",
                ),
                [a.id],
            )
        need = 2 * room.travel_minutes + pol.min_venue_minutes
        by_day: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for d, p in v.valid_slots[a.id]:
            by_day[d].append(v.times(d, p))
        for d, spans in by_day.items():
            span = max(e for _, e in spans) - min(s for s, _ in spans)
            if span < need:
                yield Violation(
                    "R14",
                    Text(
                        f"{a.id} 在 {d} 只有 {span} 分钟，往返 {room.name} 加活动至少需要 {need} 分钟",
                        f"{span} minutes cannot hold two journeys and {pol.min_venue_minutes} on site",
                    ),
                    [a.id, room.id],
                )


# --------------------------------------------------------------------------- staff


def staff_rules(v: View) -> Iterator[Violation]:
    """R21 (enough responsible staff, never two places at once), R12 (qualified, certified), R13
    (approved institutions, no subject training), R10 (tutors teach the subject), R24 (duties are
    busy), R25 (availability)."""
    L = v.loaded
    for a in v.acts:
        course = L.course.get(a.course)
        if course is None:
            continue
        staff = [L.staff[s] for s in dict.fromkeys(a.staff) if s in L.staff]
        need = max(1, course.staff_per_section)
        if len(staff) < need:
            yield Violation(
                "R21",
                Text(f"{a.id} 有 {len(staff)} 名教职工，至少需要 {need} 名", f"needs {need} responsible staff"),
                [a.id],
            )
        for st in staff:
            recs = [a.id, st.id]
            if course.qualification is None and st.kind != "teacher":
                yield Violation(
                    "R12",
                    Text(
                        f"{st.name} 不是本校教师，不能承担 {course.name}（要求本校教师）",
                        f"only the school's teachers may run {course.id}",
                    ),
                    recs,
                )
            if course.qualification is not None and course.qualification not in st.qualifications:
                yield Violation(
                    "R12",
                    Text(
                        f"{st.name} 不具备 {course.qualification} 资质", f"lacks qualification {course.qualification}"
                    ),
                    recs,
                )
            if course.subject is not None and course.subject not in st.subjects:
                rule = "R10" if a.kind == "tutoring" else "R12"
                yield Violation(
                    rule,
                    Text(
                        f"{st.name} 不教 {course.subject}，不能承担 {course.name}", f"does not teach {course.subject}"
                    ),
                    recs,
                )
            if st.kind != "teacher" and not st.certified:
                yield Violation("R12", Text(f"{st.name} 未取得资质认证", "external person not certified"), recs)
            if st.kind != "teacher" and st.violation_record:
                yield Violation("R12", Text(f"{st.name} 有违规记录", "external person with a violation record"), recs)
            if st.kind == "institution_staff" or st.institution is not None:
                inst = L.institution.get(st.institution) if st.institution else None
                if inst is None or not inst.approved or inst.violation_record:
                    yield Violation(
                        "R13",
                        Text(
                            f"{st.name} 所属机构未经遴选或有违规记录",
                            "institution not approved or with a violation record",
                        ),
                        recs,
                    )
                if course.subject is not None:
                    yield Violation(
                        "R13",
                        Text(
                            f"机构人员 {st.name} 不得开展学科类培训（{course.subject}）",
                            "institution staff may not give subject training",
                        ),
                        recs,
                    )
    for sid, service in v.staff_service.items():
        st = L.staff[sid]
        closed = {(s.day, s.period) for s in st.unavailable}
        spans: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
        for d, p, a in service:
            start, end = v.times(d, p)
            spans[d].append((start, end, a.id))
            if (d, p) in closed:
                yield Violation(
                    "R25", Text(f"{st.name} 在 {d} {p} 不可用，却安排了 {a.id}", "staff unavailable"), [sid, a.id]
                )
            for duty in st.duties:
                if duty.day == d and minutes(duty.start) < end and start < minutes(duty.end):
                    yield Violation(
                        "R24",
                        Text(
                            f"{st.name} 在 {d} {duty.start}-{duty.end} 有值班，与 {a.id}（{p}）冲突",
                            "service overlaps a duty window",
                        ),
                        [sid, a.id],
                    )
        for d, s in spans.items():
            yield from _clashes("R21", same(st.name), d, s, sid)


def r25_caps(v: View) -> Iterator[Violation]:
    """R25: no one above their weekly or daily cap of service periods."""
    L = v.loaded
    for sid, service in v.staff_service.items():
        st = L.staff[sid]
        if len(service) > st.max_periods_per_week:
            yield Violation(
                "R25",
                Text(f"{st.name} 每周 {len(service)} 课时，超过上限 {st.max_periods_per_week}", "over the weekly cap"),
                [sid],
            )
        for d, n in Counter(d for d, _, _ in service).items():
            if n > st.max_periods_per_day:
                yield Violation(
                    "R25",
                    Text(f"{st.name} 在 {d} 有 {n} 课时，超过每日上限 {st.max_periods_per_day}", "over the daily cap"),
                    [sid],
                )


def onsite(L: Loaded, service: list[tuple[str, str, Activity]], sid: str) -> dict[str, tuple[int, int]]:
    """R24: (arrive, leave) minutes per calendar day the person is on site: duties and service."""
    st = L.staff[sid]
    out: dict[str, tuple[int, int]] = {}

    def widen(day: str, start: int, end: int) -> None:
        a, b = out.get(day, (start, end))
        out[day] = (min(a, start), max(b, end))

    for duty in st.duties:
        widen(duty.day, minutes(duty.start), minutes(duty.end))
    for d, p, _ in service:
        per = L.period[p]
        widen(d, minutes(per.start), minutes(per.end))
    return out


def r24_flexible_hours(v: View) -> Iterator[Violation]:
    """R24: on-site day within the maximum; rest between consecutive calendar days at least the minimum."""
    L = v.loaded
    pol = L.policy
    for sid, service in v.staff_service.items():
        st = L.staff[sid]
        days_served = {d for d, _, _ in service}
        span = onsite(L, service, sid)
        for d in sorted(days_served, key=DAYS.index):
            arrive, leave = span[d]
            if leave - arrive > pol.max_onsite_minutes:
                yield Violation(
                    "R24",
                    Text(
                        f"{st.name} 在 {d} 从 {hhmm(arrive)} 到 {hhmm(leave)} 在校 {leave - arrive} 分钟，"
                        f"超过 {pol.max_onsite_minutes} 分钟",
                        f"on site {leave - arrive} minutes",
                    ),
                    [sid],
                )
        for d in DAYS:
            e = _next_day(d)
            if (d in days_served or e in days_served) and d in span and e in span:
                rest = 24 * 60 - span[d][1] + span[e][0]
                if rest < pol.min_rest_minutes:
                    yield Violation(
                        "R24",
                        Text(
                            f"{st.name} {d} {hhmm(span[d][1])} 离校，{e} {hhmm(span[e][0])} 到校，休息 {rest} 分钟，"
                            f"少于 {pol.min_rest_minutes} 分钟",
                            f"rest {rest} minutes",
                        ),
                        [sid],
                    )


# --------------------------------------------------------------------------- minimums and budget


def r09_homework(v: View) -> Iterator[Violation]:
    """R9: primary pupils get homework guidance each day they attend; junior classes get it offered daily."""
    L = v.loaded
    need = L.policy.homework_min_periods_per_day
    hw_periods: Counter[tuple[str, str]] = Counter()
    class_days: set[tuple[str, str]] = set()
    for a in v.acts:
        if a.kind != "homework":
            continue
        for sid in dict.fromkeys(a.students):
            st = L.student.get(sid)
            for d, _p in v.valid_slots[a.id]:
                hw_periods[(sid, d)] += 1
                if st is not None:
                    class_days.add((st.class_, d))
    short: dict[str, list[str]] = defaultdict(list)
    for s in L.instance.students:
        grade = L.grade(s)
        for d in dict.fromkeys(s.days):
            if grade <= 6:
                if hw_periods[(s.id, d)] < need:
                    short[s.id].append(d)
            elif (s.class_, d) not in class_days:
                short[f"class:{s.class_}"].append(d)
    for key, days in short.items():
        days = list(dict.fromkeys(days))
        if key.startswith("class:"):
            cls = key[6:]
            yield Violation(
                "R9",
                Text(
                    f"{cls} 班在 {', '.join(days)} 没有作业辅导",
                    f"no homework guidance offered to class {cls} on {', '.join(days)}",
                ),
                [cls],
            )
        else:
            yield Violation(
                "R9",
                Text(
                    f"学生 {key} 在 {', '.join(days)} 的作业辅导少于 {need} 课时",
                    f"fewer than {need} homework periods on {', '.join(days)}",
                ),
                [key],
            )


def r10_tutoring(v: View) -> Iterator[Violation]:
    """R10: each flagged student gets at least tutoring_sessions_per_week sessions per flagged subject."""
    L = v.loaded
    need = L.policy.tutoring_sessions_per_week
    got: Counter[tuple[str, str]] = Counter()
    for a in v.acts:
        course = L.course.get(a.course)
        if a.kind != "tutoring" or course is None or course.subject is None:
            continue  # a tutoring course without a subject meets no flagged subject
        n_sessions = len({d for d, _ in v.valid_slots[a.id]})
        for sid in dict.fromkeys(a.students):
            got[(sid, course.subject)] += n_sessions
    for s in L.instance.students:
        for subject in dict.fromkeys(s.tutoring):
            if (s.id, subject) in L.unmet_tutoring:
                continue  # loading warned: no course can meet it
            if got[(s.id, subject)] < need:
                yield Violation(
                    "R10",
                    Text(
                        f"学生 {s.id} 的 {subject} 补习辅导每周 {got[(s.id, subject)]} 次，至少 {need} 次",
                        f"{got[(s.id, subject)]} tutoring sessions in {subject}, needs {need}",
                    ),
                    [s.id],
                )


def r20_budget(v: View) -> Iterator[Violation]:
    """R20: when the budget must balance, term cost does not exceed term income."""
    if not v.loaded.policy.budget_must_balance:
        return
    c = costs(v.loaded, v)
    if c.balance_per_term < 0:
        yield Violation(
            "R20",
            Text(
                f"学期支出 {c.staff_pay_per_term} 元超过收入 {c.fee_income_per_term + c.subsidy_per_term} 元，"
                f"缺口 {-c.balance_per_term} 元",
                f"term cost exceeds income by {-c.balance_per_term} yuan",
            ),
            [],
        )


def pins(v: View) -> Iterator[Violation]:
    """PIN: what a re-solve was told to keep is kept."""
    by_id = {a.id: a for a in v.acts}
    for pin in v.loaded.instance.pins:
        a = by_id.get(pin.activity)
        if a is None:
            yield Violation(
                "PIN", Text(f"固定的活动 {pin.activity} 不在方案中", "pinned activity is missing"), [pin.activity]
            )
            continue
        if pin.staff is not None and set(pin.staff) != set(a.staff):
            yield Violation(
                "PIN", Text(f"{a.id} 的教职工被固定为 {pin.staff}，方案是 {a.staff}", "pinned staff changed"), [a.id]
            )
        if pin.room is not None and pin.room != a.room:
            yield Violation(
                "PIN", Text(f"{a.id} 的场地被固定为 {pin.room}，方案是 {a.room}", "pinned room changed"), [a.id]
            )
        if pin.slots is not None and {s.key() for s in pin.slots} != {s.key() for s in a.slots}:
            yield Violation("PIN", Text(f"{a.id} 的时段被固定，方案改变了时段", "pinned slots changed"), [a.id])
        if pin.students is not None:
            gone = sorted(set(pin.students) - set(a.students))
            if gone:
                yield Violation(
                    "PIN", Text(f"{a.id} 中固定的学生不在了", "pinned students left the activity"), [a.id, *gone]
                )


# --------------------------------------------------------------------------- costs (R19, R20, R23)


def costs(L: Loaded, activities: list[Activity] | View) -> Costs:
    """R19, R20, R23: pay per period of service, fees after waivers, subsidy, balance."""
    v = activities if isinstance(activities, View) else View(L, activities)
    pol = L.policy
    per_staff = []
    week = 0.0
    for st in L.instance.staff:
        n = len(v.staff_service.get(st.id, []))
        if n:
            pay = n * st.pay_per_period
            week += pay
            per_staff.append(StaffCost(staff=st.id, periods_per_week=n, pay_per_term=_money(pay * pol.term_weeks)))
    term = week * pol.term_weeks
    income = pol.fee_per_term * payers(L.instance)
    return Costs(
        staff_pay_per_week=_money(week),
        staff_pay_per_term=_money(term),
        fee_income_per_term=_money(income),
        subsidy_per_term=_money(pol.subsidy_per_term),
        balance_per_term=_money(income + pol.subsidy_per_term - term),
        per_staff=per_staff,
    )


RULE_CHECKS = (
    fmt_references,
    r02_coverage,
    r11_eligibility,
    sessions,
    r21_sizes,
    r21_rooms,
    r14_off_campus,
    staff_rules,
    r25_caps,
    r24_flexible_hours,
    r09_homework,
    r10_tutoring,
    r20_budget,
    pins,
)
