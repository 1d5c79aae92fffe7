"""Holiday care (寒暑假托管, R7): the `afterschool-holiday/1` file.

Whole-day care over chosen weeks of a winter or summer holiday: the day has its own periods
(morning 上午, noon 中午, afternoon 下午); children are cared for in groups by age (年龄段分组, each
group with its room); activities come from the same course catalogue as term time; staff are
volunteers (教师志愿者 and external people) with the weeks they are available; each child registers
for some weeks (and, optionally, some days of those weeks). The same rules apply where they apply:
supervision and group sizes (R21), on-site limits and rest (R24), pay (R19), fees after waivers
(R18, per week here), approved and certified external people (R12, R13).

`solver.holiday` plans it as one regular weekly instance per chosen week (the group is the class,
its pupils count as its youngest grade for course eligibility, every period is a basic-service
period, no homework minimum), each solved by `optimize()` and checked by `check_plan()`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError

from models.common import Day, Id, Strict, Time
from models.instance import Course, Grade, Institution, Room, School, Staff
from models.messages import Text
from models.problems import InputRejected, Problem, Report

FORMAT = "afterschool-holiday/1"
HolidayPeriodKind = Literal["morning", "noon", "afternoon"]
PERIOD_KIND_LABELS = {"morning": "上午", "noon": "中午", "afternoon": "下午"}


class HolidayPolicy(Strict):
    fee_per_week: int = Field(0, ge=0, strict=True)  # R18: per child per registered week
    subsidy_per_week: int = Field(0, ge=0, strict=True)  # R20
    budget_must_balance: bool = False  # R20
    min_teacher_pay_per_period: int = Field(70, ge=0, strict=True)  # R19
    max_group_size: int = Field(45, gt=0, strict=True)  # R21
    max_care_group_size: int = Field(30, gt=0, strict=True)  # R21
    max_onsite_minutes: int = Field(600, ge=0, strict=True)  # R24
    min_rest_minutes: int = Field(660, ge=0, strict=True)  # R24
    min_venue_minutes: int = Field(30, ge=0, strict=True)  # R14
    offsite_min_staff: int = Field(2, gt=0, strict=True)  # R14
    fee_waiver_categories: list[str] = Field(default_factory=lambda: ["建档立卡", "低保"])  # R18


class HolidayPeriod(Strict):
    id: Id
    start: Time
    end: Time
    kind: HolidayPeriodKind


def _weekdays() -> list[Day]:
    return ["mon", "tue", "wed", "thu", "fri"]


class Week(Strict):
    id: Id
    start: str  # the week's Monday, YYYY-MM-DD
    days: list[Day] = Field(default_factory=_weekdays)


class AgeGroup(Strict):
    id: Id
    name: str
    grades: list[Grade]
    room: Id


class Volunteer(Staff):
    weeks: list[Id]  # the weeks they are available


class Child(Strict):
    id: Id
    group: Id
    weeks: list[Id]
    days: list[Day] | None = None  # of each registered week; null: every day of the week
    fee_waiver: str | None = None
    choices: list[Id] = Field(default_factory=list)
    electives_per_week: int = Field(1, ge=0, strict=True)
    advanced: bool = False  # 学有余力: may take advanced courses (R10)


class HolidayInstance(Strict):
    format: Literal["afterschool-holiday/1"]
    school: School
    name: str  # e.g. "2027 年暑期托管"
    policy: HolidayPolicy = Field(default_factory=HolidayPolicy)
    weeks: list[Week]
    periods: list[HolidayPeriod]
    groups: list[AgeGroup]
    rooms: list[Room]
    courses: list[Course]
    institutions: list[Institution] = Field(default_factory=list)
    staff: list[Volunteer]
    children: list[Child]


def is_holiday_file(path: str | Path) -> bool:
    """True when the file is a holiday-care instance (its `format`); False for anything else."""
    try:
        head = Path(path).read_bytes()[:4096].decode("utf-8", "ignore")
    except OSError:
        return False
    return FORMAT in head and '"format"' in head


def _record(loc: tuple, raw: dict) -> tuple[str, str | None]:
    if not loc:
        return "holiday", None
    table = str(loc[0])
    if len(loc) >= 2 and isinstance(loc[1], int) and isinstance(raw.get(table), list):
        item = raw[table][loc[1]] if loc[1] < len(raw[table]) else {}
        ident = item.get("id") if isinstance(item, dict) else None
        rec = f"{table}[{ident}]" if isinstance(ident, str) else f"{table}[#{loc[1] + 1}]"
        rest = loc[2:]
    else:
        rec, rest = table, loc[1:]
    field = ".".join(str(x) if not isinstance(x, int) else f"[{x}]" for x in rest).replace(".[", "[") or None
    return rec, field


def load_holiday(path: str | Path) -> HolidayInstance:
    """Read and check a holiday-care file; `InputRejected` lists every problem by record and field."""
    source = str(path)
    report = Report(source)
    try:
        raw = json.loads(Path(path).read_bytes().decode("utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        report.add(
            Problem(
                "FMT-JSON" if isinstance(exc, json.JSONDecodeError) else "FMT-FILE",
                "holiday",
                None,
                Text(f"无法读取：{exc}", f"cannot read: {exc}"),
            )
        )
        raise InputRejected(report) from None
    if not isinstance(raw, dict):
        report.add(Problem("FMT-TYPE", "holiday", None, Text("顶层应为 JSON 对象", "the top level must be an object")))
        raise InputRejected(report)
    try:
        holiday = HolidayInstance.model_validate(raw)
    except ValidationError as exc:
        for e in exc.errors():
            rec, fld = _record(tuple(e["loc"]), raw)
            code = (
                "FMT-FIELD"
                if e["type"] in ("missing", "extra_forbidden")
                else ("FMT-TYPE" if "type" in e["type"] else "FMT-VALUE")
            )
            report.add(Problem(code, rec, fld, Text(f"{e['msg']}", f"{e['msg']}")))
        raise InputRejected(report) from None
    _check_refs(holiday, report)
    if report.errors:
        raise InputRejected(report)
    return holiday


def _check_refs(holiday: HolidayInstance, report: Report) -> None:
    weeks = {w.id for w in holiday.weeks}
    groups = {g.id for g in holiday.groups}
    rooms = {r.id for r in holiday.rooms}
    courses = {c.id for c in holiday.courses}
    insts = {i.id for i in holiday.institutions}

    def ref(record: str, fld: str, value: str, known: set[str], what_zh: str, what_en: str) -> None:
        if value not in known:
            report.add(
                Problem(
                    "FMT-REF",
                    record,
                    fld,
                    Text(f"{what_zh} {value} 不存在", f"no {what_en} {value}"),
                    Text(f"可用：{'、'.join(sorted(known)[:10])}", f"known: {', '.join(sorted(known)[:10])}"),
                )
            )

    for table, items in (
        ("weeks", holiday.weeks),
        ("periods", holiday.periods),
        ("groups", holiday.groups),
        ("rooms", holiday.rooms),
        ("courses", holiday.courses),
        ("staff", holiday.staff),
        ("children", holiday.children),
    ):
        seen: set[str] = set()
        for x in items:
            if x.id in seen:
                report.add(
                    Problem("FMT-ID", f"{table}[{x.id}]", "id", Text(f"编号 {x.id} 重复", f"id {x.id} repeated"))
                )
            seen.add(x.id)
    for g in holiday.groups:
        ref(f"groups[{g.id}]", "room", g.room, rooms, "场地", "room")
        if not g.grades:
            report.add(
                Problem(
                    "FMT-VALUE",
                    f"groups[{g.id}]",
                    "grades",
                    Text("年龄段须至少含一个年级", "a group needs at least one grade"),
                )
            )
    for s in holiday.staff:
        for i, week_id in enumerate(s.weeks):
            ref(f"staff[{s.id}]", f"weeks[{i}]", week_id, weeks, "周次", "week")
        for i, group_id in enumerate(s.classes):  # in the holidays: the groups they look after
            ref(f"staff[{s.id}]", f"classes[{i}]", group_id, groups, "年龄段分组", "group")
        if s.institution is not None:
            ref(f"staff[{s.id}]", "institution", s.institution, insts, "机构", "institution")
    for c in holiday.children:
        ref(f"children[{c.id}]", "group", c.group, groups, "年龄段分组", "group")
        for i, week_id in enumerate(c.weeks):
            ref(f"children[{c.id}]", f"weeks[{i}]", week_id, weeks, "周次", "week")
        for i, course_id in enumerate(c.choices):
            ref(f"children[{c.id}]", f"choices[{i}]", course_id, courses, "课程", "course")
        if c.fee_waiver is not None and c.fee_waiver not in holiday.policy.fee_waiver_categories:
            report.add(
                Problem(
                    "R18",
                    f"children[{c.id}]",
                    "fee_waiver",
                    Text(
                        f"减免类别 {c.fee_waiver} 不在政策的类别中",
                        f"waiver category {c.fee_waiver} is not one of the policy's",
                    ),
                )
            )
    for w in holiday.weeks:
        import datetime as dt

        try:
            monday = dt.date.fromisoformat(w.start)
            if monday.weekday() != 0:
                report.add(
                    Problem(
                        "FMT-VALUE",
                        f"weeks[{w.id}]",
                        "start",
                        Text(f"{w.start} 不是星期一", f"{w.start} is not a Monday"),
                    )
                )
        except ValueError:
            report.add(
                Problem(
                    "FMT-VALUE",
                    f"weeks[{w.id}]",
                    "start",
                    Text(f"{w.start} 不是日期（YYYY-MM-DD）", f"{w.start} is not a date (YYYY-MM-DD)"),
                )
            )
