"""Checks that need more than one record: what loading rejects (errors) and warns about.

Written from formats.md, "What loading rejects" and "What loading warns about", each check
named by its rule code. Works on records that passed their own schema check, so that one
broken record does not hide the problems of the others.
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass, field

from models.common import WEEKDAYS, Day, minutes
from models.instance import (
    NON_ELECTIVE,
    STAGE_GRADES,
    Course,
    Institution,
    Period,
    Pin,
    Policy,
    Room,
    School,
    SchoolClass,
    Staff,
    Student,
)
from models.messages import Text
from models.problems import Problem

FEE_CAP = 300  # R18: "按照每生每学期300元标准"


@dataclass
class Parts:
    """The records of an instance that passed their own schema check."""

    school: School | None = None
    policy: Policy = field(default_factory=Policy)
    days: list[Day] | None = None
    periods: list[Period] = field(default_factory=list)
    classes: list[SchoolClass] = field(default_factory=list)
    rooms: list[Room] = field(default_factory=list)
    courses: list[Course] = field(default_factory=list)
    staff: list[Staff] = field(default_factory=list)
    institutions: list[Institution] = field(default_factory=list)
    students: list[Student] = field(default_factory=list)
    pins: list[tuple[str, Pin]] = field(default_factory=list)
    # ids of every record in the file, valid or not, so a reference to a broken record is
    # not also reported as pointing nowhere
    ids: dict[str, list[str]] = field(default_factory=dict)


def rec(kind: str, ident: str) -> str:
    return f"{kind}[{ident}]"


def _err(rule, record, fld, zh, en, hzh="", hen="") -> Problem:
    return Problem(rule, record, fld, Text(zh, en), Text(hzh, hen), "error")


def _warn(rule, record, fld, zh, en, hzh="", hen="") -> Problem:
    return Problem(rule, record, fld, Text(zh, en), Text(hzh, hen), "warning")


# --------------------------------------------------------------------------- errors


def duplicate_ids(parts: Parts) -> list[Problem]:
    out = []
    for kind, ids in parts.ids.items():
        for ident, n in Counter(ids).items():
            if n > 1:
                out.append(
                    _err(
                        "FMT-ID",
                        rec(kind, ident),
                        "id",
                        f"编号 {ident} 在 {kind} 中出现 {n} 次。",
                        f"id {ident} appears {n} times in {kind}.",
                        "每条记录的编号必须唯一，请改名或删除重复行。",
                        "ids must be unique within their list: rename or remove the duplicate.",
                    )
                )
    return out


def references(parts: Parts) -> list[Problem]:
    known = {k: set(v) for k, v in parts.ids.items()}
    out: list[Problem] = []

    def ref(record: str, fld: str, value: str, target: str, zh_target: str) -> None:
        if value not in known.get(target, set()):
            out.append(
                _err(
                    "FMT-REF",
                    record,
                    fld,
                    f"引用的{zh_target} {value} 不存在。",
                    f"{value} is not a known id in {target}.",
                    f"先在{zh_target}表中添加 {value}，或改正拼写。",
                    f"add {value} to {target} or correct the spelling.",
                )
            )

    for c in parts.classes:
        ref(rec("classes", c.id), "homeroom", c.homeroom, "rooms", "场地")
    for s in parts.students:
        ref(rec("students", s.id), "class", s.class_, "classes", "班级")
        for i, choice in enumerate(s.choices):
            ref(rec("students", s.id), f"choices[{i}]", choice, "courses", "课程")
    for st in parts.staff:
        if st.institution is not None:
            ref(rec("staff", st.id), "institution", st.institution, "institutions", "机构")
        for i, cls in enumerate(st.classes):
            ref(rec("staff", st.id), f"classes[{i}]", cls, "classes", "班级")
        for i, slot in enumerate(st.unavailable):
            ref(rec("staff", st.id), f"unavailable[{i}].period", slot.period, "periods", "时段")
    for r in parts.rooms:
        for i, slot in enumerate(r.unavailable):
            ref(rec("rooms", r.id), f"unavailable[{i}].period", slot.period, "periods", "时段")
    for name, pin in parts.pins:
        for i, sid in enumerate(pin.staff or []):
            ref(name, f"staff[{i}]", sid, "staff", "教职工")
        if pin.room is not None:
            ref(name, "room", pin.room, "rooms", "场地")
        for i, slot in enumerate(pin.slots or []):
            ref(name, f"slots[{i}].period", slot.period, "periods", "时段")
        for i, stu in enumerate(pin.students or []):
            ref(name, f"students[{i}]", stu, "students", "学生")
    return out


def time_order(parts: Parts) -> list[Problem]:
    out = []
    for p in parts.periods:
        if minutes(p.end) <= minutes(p.start):
            out.append(
                _err(
                    "FMT-TIME",
                    rec("periods", p.id),
                    "end",
                    f"时段 {p.id} 结束时间 {p.end} 不晚于开始时间 {p.start}。",
                    f"period {p.id} ends at {p.end}, not after its start {p.start}.",
                    "检查开始与结束时间是否写反。",
                    "check whether start and end are swapped.",
                )
            )
    for st in parts.staff:
        for i, d in enumerate(st.duties):
            if minutes(d.end) <= minutes(d.start):
                out.append(
                    _err(
                        "FMT-TIME",
                        rec("staff", st.id),
                        f"duties[{i}].end",
                        f"{d.day} 的值班时间 {d.start}-{d.end} 先结束后开始。",
                        f"duty on {d.day} ends at {d.end}, not after its start {d.start}.",
                        "检查开始与结束时间是否写反。",
                        "check whether start and end are swapped.",
                    )
                )
    return out


def evening_rules(parts: Parts) -> list[Problem]:
    """R6: evening study only at schools with grades 7+, for students of grade 7+, ≤ max, ≤ latest end."""
    out = []
    evening = [p for p in parts.periods if p.kind == "evening"]
    stage = parts.school.stage if parts.school else None
    if stage == "primary":
        for p in evening:
            out.append(
                _err(
                    "R6",
                    rec("periods", p.id),
                    "kind",
                    "小学不设晚自习：晚自习只面向初中（七年级及以上）学生。",
                    "a primary school has no evening study: it is for grade 7 and up.",
                    "删除该晚自习时段，或把学段改为初中/九年一贯制。",
                    "remove the evening period, or correct the school stage.",
                )
            )
    policy = parts.policy
    latest = minutes(policy.evening_latest_end)
    for p in evening:
        if minutes(p.end) > latest:
            out.append(
                _err(
                    "R6",
                    rec("periods", p.id),
                    "end",
                    f"晚自习时段结束于 {p.end}，晚于 {policy.evening_latest_end}。",
                    f"evening period ends at {p.end}, after {policy.evening_latest_end}.",
                    f"晚自习原则上不晚于 {policy.evening_latest_end} 结束。",
                    f"evening study must end by {policy.evening_latest_end}.",
                )
            )
    valid = [p for p in evening if minutes(p.end) > minutes(p.start)]
    if valid:
        first = min(valid, key=lambda p: minutes(p.start))
        last = max(valid, key=lambda p: minutes(p.end))
        span = minutes(last.end) - minutes(first.start)
        if span > policy.evening_max_minutes:
            out.append(
                _err(
                    "R6",
                    rec("periods", last.id),
                    "end",
                    f"晚自习从 {first.start} 到 {last.end} 共 {span} 分钟，超过 {policy.evening_max_minutes} 分钟。",
                    f"evening study runs {span} minutes ({first.start}-{last.end}), over {policy.evening_max_minutes}.",
                    "晚自习一般安排 2 小时以内，请缩短或删除时段。",
                    "evening study lasts at most 2 hours: shorten or remove periods.",
                )
            )
    grade = {c.id: c.grade for c in parts.classes}
    for s in parts.students:
        g = grade.get(s.class_)
        if s.evening_days and g is not None and g < 7:
            out.append(
                _err(
                    "R6",
                    rec("students", s.id),
                    "evening_days",
                    f"该生在 {g} 年级，晚自习只面向七年级及以上学生。",
                    f"the student is in grade {g}; evening study is for grade 7 and up.",
                    "清空该生的晚自习日期。",
                    "clear the student's evening days.",
                )
            )
    return out


def no_new_lessons(parts: Parts) -> list[Problem]:
    """R8: a course that teaches new curriculum content is never scheduled."""
    return [
        _err(
            "R8",
            rec("courses", c.id),
            "new_lesson",
            f"课程 {c.name} 讲授新课：课后服务不得讲授新课。",
            f"course {c.name} teaches new lessons, which after-school service must not.",
            "删除该课程，或改为答疑/拓展内容并把 new_lesson 设为 false。",
            "remove the course, or make it review/extension and set new_lesson to false.",
        )
        for c in parts.courses
        if c.new_lesson
    ]


def teacher_pay(parts: Parts) -> list[Problem]:
    """R19: the school's teachers earn at least the minimum per service period."""
    floor = parts.policy.min_teacher_pay_per_period
    return [
        _err(
            "R19",
            rec("staff", st.id),
            "pay_per_period",
            f"教师课时报酬 {st.pay_per_period} 元低于每课时 {floor} 元的标准。",
            f"teacher pay {st.pay_per_period} yuan per period is below the minimum {floor}.",
            f"提高到不低于 {floor} 元。",
            f"raise it to at least {floor}.",
        )
        for st in parts.staff
        if st.kind == "teacher" and st.pay_per_period < floor
    ]


def fees(parts: Parts) -> list[Problem]:
    """R18: fee at most 300 yuan per term; waivers only in the policy's categories."""
    out = []
    policy = parts.policy
    if policy.fee_per_term > FEE_CAP:
        out.append(
            _err(
                "R18",
                "policy",
                "fee_per_term",
                f"服务费 {policy.fee_per_term} 元/学期，超过每生每学期 {FEE_CAP} 元的标准。",
                f"fee {policy.fee_per_term} yuan per term is over the {FEE_CAP} yuan cap.",
                f"改为不超过 {FEE_CAP}。",
                f"set it to at most {FEE_CAP}.",
            )
        )
    cats = set(policy.fee_waiver_categories)
    for s in parts.students:
        if s.fee_waiver is not None and s.fee_waiver not in cats:
            out.append(
                _err(
                    "R18",
                    rec("students", s.id),
                    "fee_waiver",
                    f"减免类别“{s.fee_waiver}”不在政策规定的类别中（{'、'.join(policy.fee_waiver_categories)}）。",
                    f"waiver category {s.fee_waiver!r} is not one of the policy's "
                    f"({', '.join(policy.fee_waiver_categories)}).",
                    "改为政策列出的类别，不减免则留空。",
                    "use a category the policy lists, or leave it empty.",
                )
            )
    return out


def institution_staff(parts: Parts) -> list[Problem]:
    """R13: institution staff belong to an institution the bureau can vet."""
    return [
        _err(
            "R13",
            rec("staff", st.id),
            "institution",
            "机构人员必须注明所属机构。",
            "institution staff must name their institution.",
            "在“所属机构”中填写机构编号。",
            "fill in the institution id.",
        )
        for st in parts.staff
        if st.kind == "institution_staff" and st.institution is None
    ]


def service_days(parts: Parts) -> list[Problem]:
    """R2: a student can only be served on the school's service days."""
    if parts.days is None:
        return []
    days = set(parts.days)
    out = []
    names = {"days": "基本服务", "extended_days": "延时托管", "evening_days": "晚自习"}
    for s in parts.students:
        for fld, zh in names.items():
            for i, d in enumerate(getattr(s, fld)):
                if d not in days:
                    out.append(
                        _err(
                            "R2",
                            rec("students", s.id),
                            f"{fld}[{i}]",
                            f"{zh}报名日 {d} 不是学校的服务日（{', '.join(parts.days)}）。",
                            f"registered day {d} is not a service day ({', '.join(parts.days)}).",
                            "删除该日期，或把它加入服务日。",
                            "remove the day, or add it to the service days.",
                        )
                    )
    return out


REJECTION_CHECKS = (
    duplicate_ids,
    references,
    time_order,
    evening_rules,
    no_new_lessons,
    teacher_pay,
    fees,
    institution_staff,
    service_days,
)


def rejections(parts: Parts) -> list[Problem]:
    out: list[Problem] = []
    for check in REJECTION_CHECKS:
        out.extend(check(parts))
    return out


# --------------------------------------------------------------------------- warnings


def block_warnings(parts: Parts) -> list[Problem]:
    """R3, R4: five service days, a basic block of at least 2 hours ending after off-work time."""
    out = []
    policy = parts.policy
    basic = [p for p in parts.periods if p.kind == "basic"]
    if basic:
        start = min(minutes(p.start) for p in basic)
        end = max(minutes(p.end) for p in basic)
        first = min(basic, key=lambda p: minutes(p.start))
        last = max(basic, key=lambda p: minutes(p.end))
        if end - start < policy.basic_block_minutes:
            out.append(
                _warn(
                    "R3",
                    "periods",
                    None,
                    f"基本服务从 {first.start} 到 {last.end} 共 {end - start} 分钟，"
                    f"少于 {policy.basic_block_minutes} 分钟。",
                    f"the basic block {first.start}-{last.end} lasts {end - start} minutes, "
                    f"under {policy.basic_block_minutes}.",
                    "“5+2”要求每天提供 2 小时课后服务。",
                    "'5+2' asks for 2 hours of service a day.",
                )
            )
        if end < minutes(policy.off_work_time):
            out.append(
                _warn(
                    "R4",
                    rec("periods", last.id),
                    "end",
                    f"基本服务结束于 {last.end}，早于当地下班时间 {policy.off_work_time}。",
                    f"the basic block ends at {last.end}, before off-work time {policy.off_work_time}.",
                    "课后服务结束时间原则上不早于当地正常下班时间。",
                    "service should end no earlier than parents' off-work time.",
                )
            )
    else:
        out.append(
            _warn(
                "R3",
                "periods",
                None,
                "没有基本服务时段。",
                "there is no basic period.",
                "添加类型为 basic 的时段。",
                "add periods of kind basic.",
            )
        )
    if parts.days is not None:
        missing = [d for d in WEEKDAYS if d not in parts.days]
        if missing:
            out.append(
                _warn(
                    "R3",
                    "instance",
                    "days",
                    f"服务日缺少 {', '.join(missing)}：“5+2”要求每周 5 天开展课后服务。",
                    f"service days lack {', '.join(missing)}: '5+2' asks for all five school days.",
                    "把周一至周五都设为服务日。",
                    "make Monday to Friday service days.",
                )
            )
        for d, n in Counter(parts.days).items():
            if n > 1:
                out.append(
                    _warn(
                        "FMT-VALUE",
                        "instance",
                        "days",
                        f"服务日 {d} 重复出现，按一次计。",
                        f"service day {d} is listed {n} times; counted once.",
                    )
                )
    return out


def overlapping_periods(parts: Parts) -> list[Problem]:
    out = []
    ordered = sorted(parts.periods, key=lambda p: minutes(p.start))
    for a, b in itertools.pairwise(ordered):
        if minutes(b.start) < minutes(a.end):
            out.append(
                _warn(
                    "R2",
                    rec("periods", b.id),
                    "start",
                    f"时段 {b.id} 与 {a.id} 时间重叠：学生不能同时参加两项活动。",
                    f"period {b.id} overlaps {a.id}: no one can be in two activities at once.",
                    "调整时段时间使其不重叠。",
                    "make the periods not overlap.",
                )
            )
    return out


def staff_warnings(parts: Parts) -> list[Problem]:
    """R12, R13: who may never be assigned, said out loud."""
    out = []
    inst = {i.id: i for i in parts.institutions}
    for st in parts.staff:
        if st.kind != "teacher" and (not st.certified or st.violation_record):
            why_zh = "未取得资质" if not st.certified else "有违规记录"
            why_en = "is not certified" if not st.certified else "has a violation record"
            out.append(
                _warn(
                    "R12",
                    rec("staff", st.id),
                    "certified" if not st.certified else "violation_record",
                    f"{st.name}（校外人员）{why_zh}，不会被安排。",
                    f"{st.name} (external) {why_en} and is never assigned.",
                    "核实资质后把“已认证”设为 true，或删除该人员。",
                    "verify the qualification and set certified to true, or remove them.",
                )
            )
        if st.institution is not None and st.institution in inst:
            i = inst[st.institution]
            if not i.approved or i.violation_record:
                why_zh = "未经区教育局遴选" if not i.approved else "有违规记录"
                why_en = "is not approved by the bureau" if not i.approved else "has a violation record"
                out.append(
                    _warn(
                        "R13",
                        rec("staff", st.id),
                        "institution",
                        f"{st.name} 所属机构 {i.name} {why_zh}，该人员不会被安排。",
                        f"{st.name}'s institution {i.name} {why_en}; they are never assigned.",
                        "只使用区教育局遴选且无违规记录的机构。",
                        "use only bureau-approved institutions without violations.",
                    )
                )
        if st.kind == "teacher" and st.violation_record:
            out.append(
                _warn(
                    "R12",
                    rec("staff", st.id),
                    "violation_record",
                    f"教师 {st.name} 有违规记录（政策只禁止安排有违规记录的校外人员）。",
                    f"teacher {st.name} has a violation record (the policy bars only external people).",
                    "请学校核实。",
                    "please verify.",
                )
            )
    return out


def kept_choices(student: Student, grade: int | None, courses: dict[str, Course]) -> tuple[list[str], list[Problem]]:
    """The choices the load keeps, in rank order, and a warning for each one left out (R10, R11)."""
    kept: list[str] = []
    out: list[Problem] = []
    record = rec("students", student.id)
    for i, cid in enumerate(student.choices):
        fld = f"choices[{i}]"
        course = courses.get(cid)
        if course is None:
            continue  # a dangling reference is an error, reported elsewhere
        if cid in kept or cid in student.choices[:i]:
            out.append(
                _warn(
                    "R11",
                    record,
                    fld,
                    f"重复选择课程 {cid}，只保留第一次。",
                    f"course {cid} is chosen twice; the first one is kept.",
                )
            )
        elif course.category in NON_ELECTIVE:
            out.append(
                _warn(
                    "R11",
                    record,
                    fld,
                    f"{course.name}（{course.category}）不是选修课程，由学校安排，不能选择。",
                    f"{course.name} ({course.category}) is not an elective; the school assigns it.",
                    "从课程清单中选择社团或兴趣课程。",
                    "choose clubs and interest courses from the list.",
                )
            )
        elif grade is not None and grade not in course.grades:
            out.append(
                _warn(
                    "R11",
                    record,
                    fld,
                    f"{course.name} 面向 {course.grades} 年级，该生在 {grade} 年级，不能参加。",
                    f"{course.name} is for grades {course.grades}; the student is in grade {grade}.",
                    "选择本年级可参加的课程。",
                    "choose courses open to the student's grade.",
                )
            )
        elif course.level == "advanced" and not student.advanced:
            out.append(
                _warn(
                    "R10",
                    record,
                    fld,
                    f"{course.name} 是拓展提高课程，只面向学有余力的学生。",
                    f"{course.name} is advanced, only for students flagged 学有余力.",
                    "若该生学有余力，请把 advanced 设为 true。",
                    "set advanced to true if it applies.",
                )
            )
        else:
            kept.append(cid)
    return kept, out


def student_warnings(parts: Parts) -> tuple[dict[str, list[str]], set[tuple[str, str]], list[Problem]]:
    """Kept choices per student, tutoring needs no course can meet, and their warnings."""
    grade = {c.id: c.grade for c in parts.classes}
    courses = {c.id: c for c in parts.courses}
    tutoring = [c for c in parts.courses if c.category == "tutoring"]
    kept: dict[str, list[str]] = {}
    unmet: set[tuple[str, str]] = set()
    out: list[Problem] = []
    for s in parts.students:
        g = grade.get(s.class_)
        kept[s.id], problems = kept_choices(s, g, courses)
        out.extend(problems)
        record = rec("students", s.id)
        for fld in ("days", "extended_days", "evening_days"):
            for d, n in Counter(getattr(s, fld)).items():
                if n > 1:
                    out.append(
                        _warn("R2", record, fld, f"{d} 重复出现，按一次计。", f"{d} is listed {n} times; counted once.")
                    )
        for d in s.extended_days:
            if d not in s.days:
                out.append(
                    _warn(
                        "R5",
                        record,
                        "extended_days",
                        f"{d} 申请了延时托管但未报名当天的基本服务。",
                        f"extended care on {d} without basic service that day.",
                        "确认家长的申请。",
                        "confirm the guardian's application.",
                    )
                )
        for subject in dict.fromkeys(s.tutoring):
            if not any(c.subject == subject and (g is None or g in c.grades) for c in tutoring):
                unmet.add((s.id, subject))
                out.append(
                    _warn(
                        "R10",
                        record,
                        "tutoring",
                        f"没有面向 {g} 年级的 {subject} 补习辅导课程，该生的补习需求无法安排。",
                        f"no tutoring course in {subject} for grade {g}: this need cannot be met.",
                        f"添加一门 {subject} 补习辅导课程（category tutoring）。",
                        f"add a tutoring course in {subject}.",
                    )
                )
    idle = [s.id for s in parts.students if not (s.days or s.extended_days or s.evening_days)]
    if idle:
        shown = ", ".join(idle[:10]) + (" …" if len(idle) > 10 else "")
        out.append(
            _warn(
                "R2",
                "students",
                "days",
                f"{len(idle)} 名学生未报名任何服务（{shown}），不安排也不收费。",
                f"{len(idle)} students registered for no service ({shown}): not planned, no fee.",
                "如有遗漏，请补录报名日期。",
                "add their days if a registration was missed.",
            )
        )
    return kept, unmet, out


def session_spans(periods: list[Period], course: Course) -> list[int]:
    """Minutes from the first period's start to the last one's end, for every place a session of
    `course` could sit (consecutive periods of its kinds)."""
    ordered = sorted(periods, key=lambda p: minutes(p.start))
    n = course.periods_per_session
    spans = []
    for i in range(len(ordered) - n + 1):
        run = ordered[i : i + n]
        if all(p.kind in course.period_kinds for p in run):
            spans.append(minutes(run[-1].end) - minutes(run[0].start))
    return spans


def venue_warnings(parts: Parts) -> tuple[set[tuple[str, str]], list[Problem]]:
    """R14: an off-campus room too far for a course's sessions is not used for that course."""
    policy = parts.policy
    excluded: set[tuple[str, str]] = set()
    out = []
    for room in parts.rooms:
        if not room.off_campus:
            continue
        need = 2 * room.travel_minutes + policy.min_venue_minutes
        for course in parts.courses:
            if room.kind not in course.room_kinds:
                continue
            spans = session_spans(parts.periods, course)
            longest = max(spans, default=0)
            if longest < need:
                excluded.add((course.id, room.id))
                out.append(
                    _warn(
                        "R14",
                        rec("rooms", room.id),
                        "travel_minutes",
                        f"{room.name} 单程 {room.travel_minutes} 分钟，"
                        f"往返加上至少 {policy.min_venue_minutes} 分钟活动需 {need} 分钟，"
                        f"而课程 {course.name} 每次最长 {longest} 分钟：该场地不用于此课程。",
                        f"{room.name} needs {need} minutes (two journeys and {policy.min_venue_minutes} on site) "
                        f"but a session of {course.name} lasts at most {longest}: not used for that course.",
                        "延长该课程每次的课时，或选择更近的场地。",
                        "lengthen the course's sessions, or pick a nearer venue.",
                    )
                )
    return excluded, out


def catalogue_warnings(parts: Parts) -> list[Problem]:
    out = []
    for c in parts.courses:
        record = rec("courses", c.id)
        if c.min_size > c.max_size:
            out.append(
                _warn(
                    "R21",
                    record,
                    "min_size",
                    f"最少人数 {c.min_size} 大于最多人数 {c.max_size}：该课程无法开班。",
                    f"min_size {c.min_size} is above max_size {c.max_size}: the course cannot run.",
                    "改正人数上下限。",
                    "correct the size limits.",
                )
            )
        if not c.room_kinds:
            out.append(
                _warn(
                    "FMT-VALUE",
                    record,
                    "room_kinds",
                    "没有可用的场地类型：该课程无法开班。",
                    "no room kinds: the course cannot run.",
                    "填写场地类型。",
                    "fill in room kinds.",
                )
            )
        if not session_spans(parts.periods, c):
            out.append(
                _warn(
                    "FMT-VALUE",
                    record,
                    "periods_per_session",
                    f"没有 {c.periods_per_session} 个连续的 {c.period_kinds} 时段：该课程无法排课。",
                    f"there are no {c.periods_per_session} consecutive periods of kinds {c.period_kinds}: "
                    "it cannot be placed.",
                    "调整每次课时数或时段类型。",
                    "change periods_per_session or period_kinds.",
                )
            )
        if parts.days is not None and c.sessions_per_week > len(set(parts.days)):
            out.append(
                _warn(
                    "FMT-VALUE",
                    record,
                    "sessions_per_week",
                    f"每周 {c.sessions_per_week} 次多于服务日数：该课程无法排课。",
                    f"{c.sessions_per_week} sessions a week exceed the service days: it cannot be placed.",
                    "减少每周次数。",
                    "lower sessions_per_week.",
                )
            )
        if c.category in ("care", "evening_study") and c.period_kinds == ["basic"]:
            kind = "extended" if c.category == "care" else "evening"
            out.append(
                _warn(
                    "FMT-VALUE",
                    record,
                    "period_kinds",
                    f"{c.name} 的时段类型是 basic，不会用于 {kind} 时段。",
                    f"{c.name} runs in basic periods only, so it cannot serve {kind} periods.",
                    f"把时段类型改为 {kind}。",
                    f"set period_kinds to [{kind}].",
                )
            )
    if parts.school is not None:
        allowed = STAGE_GRADES[parts.school.stage]
        for klass in parts.classes:
            if klass.grade not in allowed:
                out.append(
                    _warn(
                        "FMT-VALUE",
                        rec("classes", klass.id),
                        "grade",
                        f"{klass.grade} 年级不属于学段 {parts.school.stage}。",
                        f"grade {klass.grade} is outside the school stage {parts.school.stage}.",
                    )
                )
    return out
