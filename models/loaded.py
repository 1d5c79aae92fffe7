"""Raw instance data → a checked `Loaded` instance: every problem in one report, warnings kept.

parsed data → per-record schema check → cross-record checks → `Loaded`. Each record is checked
on its own so that one broken record does not hide the others. Whatever the data was read from
(a JSON file, a workbook, the app's tables), it is held to these same rules.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from models.common import DAYS, Day, SlotKey, Strict, minutes
from models.instance import (
    INSTANCE_FORMAT,
    RECORD_LISTS,
    Course,
    Instance,
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
from models.problems import InputRejected, Problem, Report
from models.schema_errors import problems_from
from models.validate import (
    Parts,
    block_warnings,
    catalogue_warnings,
    overlapping_periods,
    rejections,
    staff_warnings,
    student_warnings,
    venue_warnings,
)

_DAYS_ADAPTER = TypeAdapter(list[Day], config={"strict": True})
_REQUIRED_TOP = ("format", "school", "days", "periods", "classes", "rooms", "courses", "staff", "students")
_TOP = set(Instance.model_fields)


def record_name(kind: str, raw: Any, index: int) -> str:
    """`students[S0042]`, or `students[#7]` (1-based position) when the id is unusable."""
    if isinstance(raw, dict):
        key = "activity" if kind == "pins" else "id"
        ident = raw.get(key)
        if isinstance(ident, str) and 0 < len(ident) <= 64 and ident.isprintable():
            return f"{kind}[{ident}]"
    return f"{kind}[#{index + 1}]"


def _validate_one(model: type[BaseModel], raw: Any, record: str, report: Report) -> Any:
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        report.extend(problems_from(exc, record))
        return None


def split_parts(raw: Any, report: Report) -> Parts:
    """Schema-check every record on its own; collect the valid ones and every id seen."""
    parts = Parts()
    if not isinstance(raw, dict):
        report.add(
            Problem(
                "FMT-TYPE",
                "instance",
                None,
                Text("文件顶层应为 JSON 对象。", "the top level must be a JSON object."),
                Text("参考 example-instance.json。", "see example-instance.json."),
            )
        )
        return parts
    for key in raw:
        if key not in _TOP:
            report.add(
                Problem(
                    "FMT-FIELD",
                    "instance",
                    key,
                    Text("未知字段，可能是拼写错误。", "unknown field, perhaps a typo."),
                    Text("检查字段名拼写，或删除这一项。", "check the spelling or remove the field."),
                )
            )
    for key in _REQUIRED_TOP:
        if key not in raw:
            report.add(
                Problem(
                    "FMT-FIELD",
                    "instance",
                    key,
                    Text("缺少必填字段。", "required field is missing."),
                    Text("补上这一项（见 formats.md）。", "add the field (see formats.md)."),
                )
            )
    if "format" in raw and raw["format"] != INSTANCE_FORMAT:
        report.add(
            Problem(
                "FMT-VALUE",
                "instance",
                "format",
                Text(
                    f"格式标识应为 {INSTANCE_FORMAT}，实际是 {raw['format']!r}。",
                    f"format must be {INSTANCE_FORMAT}, got {raw['format']!r}.",
                ),
                Text("这不是本系统的实例文件，或版本不对。", "this is not an instance file of this version."),
            )
        )
    if "school" in raw:
        parts.school = _validate_one(School, raw["school"], "school", report)
    if "policy" in raw:
        parts.policy = _validate_one(Policy, raw["policy"], "policy", report) or Policy()
    if "days" in raw:
        try:
            parts.days = _DAYS_ADAPTER.validate_python(raw["days"])
        except ValidationError as exc:
            report.extend(problems_from(exc, "instance", ("days",)))
    if "previous_plan" in raw and raw["previous_plan"] is not None and not isinstance(raw["previous_plan"], str):
        report.add(
            Problem(
                "FMT-TYPE",
                "instance",
                "previous_plan",
                Text("类型错误：应为文本（文件路径）。", "wrong type: expected text (a file path)."),
                Text("填写上一版方案的文件路径。", "write the path of the earlier plan."),
            )
        )
    kinds: list[tuple[str, type[Strict]]] = [*RECORD_LISTS.items(), ("pins", Pin)]
    for kind, model in kinds:
        if kind not in raw:
            continue
        items = raw[kind]
        if not isinstance(items, list):
            report.add(
                Problem(
                    "FMT-TYPE",
                    "instance",
                    kind,
                    Text(f"类型错误：{kind} 应为列表。", f"wrong type: {kind} must be a list."),
                    Text("用 [ ... ] 列出记录。", "list the records in [ ... ]."),
                )
            )
            continue
        valid = []
        ids = []
        for i, item in enumerate(items):
            name = record_name(kind, item, i)
            if kind != "pins" and isinstance(item, dict) and isinstance(item.get("id"), str):
                ids.append(item["id"])
            obj = _validate_one(model, item, name, report)
            if obj is not None:
                valid.append((name, obj) if kind == "pins" else obj)
        if kind != "pins":
            parts.ids[kind] = ids
        setattr(parts, kind, valid)
    return parts


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class Loaded:
    """A valid instance with what loading decided about it (formats.md, warnings).

    `kept_choices`: each student's choices that the load kept, in rank order.
    `unmet_tutoring`: (student, subject) needs that no tutoring course can meet.
    `excluded_course_rooms`: (course, room) pairs an off-campus room is too far for (R14).
    """

    instance: Instance
    warnings: list[Problem]
    sha256: str
    source: str
    kept_choices: dict[str, list[str]]
    unmet_tutoring: set[tuple[str, str]] = field(default_factory=set)
    excluded_course_rooms: set[tuple[str, str]] = field(default_factory=set)

    # ---- lookups
    @cached_property
    def policy(self) -> Policy:
        return self.instance.policy

    @cached_property
    def days(self) -> list[str]:
        """Service days, each once, in calendar order."""
        return [d for d in DAYS if d in set(self.instance.days)]

    @cached_property
    def periods(self) -> list[Period]:
        """Periods in time order (their `index` here defines consecutive periods)."""
        return sorted(self.instance.periods, key=lambda p: (minutes(p.start), minutes(p.end)))

    @cached_property
    def period_index(self) -> dict[str, int]:
        return {p.id: i for i, p in enumerate(self.periods)}

    @cached_property
    def period(self) -> dict[str, Period]:
        return {p.id: p for p in self.instance.periods}

    @cached_property
    def klass(self) -> dict[str, SchoolClass]:
        return {c.id: c for c in self.instance.classes}

    @cached_property
    def room(self) -> dict[str, Room]:
        return {r.id: r for r in self.instance.rooms}

    @cached_property
    def course(self) -> dict[str, Course]:
        return {c.id: c for c in self.instance.courses}

    @cached_property
    def staff(self) -> dict[str, Staff]:
        return {s.id: s for s in self.instance.staff}

    @cached_property
    def student(self) -> dict[str, Student]:
        return {s.id: s for s in self.instance.students}

    @cached_property
    def institution(self) -> dict[str, Institution]:
        return {i.id: i for i in self.instance.institutions}

    def grade(self, student: Student) -> int:
        return self.klass[student.class_].grade

    def registered_slots(self, student: Student) -> frozenset[SlotKey]:
        """Every (day, period) the student must be supervised in (R2, R5, R6)."""
        return self.registered[student.id]

    @cached_property
    def registered(self) -> dict[str, frozenset[SlotKey]]:
        out: dict[str, frozenset[SlotKey]] = {}
        for s in self.instance.students:
            by_kind = {"basic": s.days, "extended": s.extended_days, "evening": s.evening_days}
            out[s.id] = frozenset((d, p.id) for p in self.instance.periods for d in by_kind[p.kind])
        return out

    def assignable(self, staff: Staff) -> bool:
        """R12/R13: external people must be certified without violations; institutions approved."""
        if staff.kind != "teacher" and (not staff.certified or staff.violation_record):
            return False
        if staff.institution is not None:
            inst = self.institution.get(staff.institution)
            if inst is None or not inst.approved or inst.violation_record:
                return False
        return True


def load_data(raw: Any, data: bytes, source: str) -> Loaded:
    """Validate already-parsed data; `data` are the file's bytes (for the plan's sha256)."""
    report = Report(source)
    parts = split_parts(raw, report)
    report.extend(rejections(parts))
    if report.errors:
        raise InputRejected(report)
    # no error: school and days were given and valid (both are required)
    assert parts.school is not None and parts.days is not None
    kept, unmet, student_problems = student_warnings(parts)
    excluded, venue_problems = venue_warnings(parts)
    warnings = [
        *block_warnings(parts),
        *overlapping_periods(parts),
        *catalogue_warnings(parts),
        *staff_warnings(parts),
        *student_problems,
        *venue_problems,
    ]
    instance = Instance.model_construct(
        format=INSTANCE_FORMAT,
        school=parts.school,
        policy=parts.policy,
        days=parts.days,
        periods=parts.periods,
        classes=parts.classes,
        rooms=parts.rooms,
        courses=parts.courses,
        staff=parts.staff,
        institutions=parts.institutions,
        students=parts.students,
        pins=[p for _, p in parts.pins],
        previous_plan=raw.get("previous_plan"),
    )
    return Loaded(instance, warnings, sha256(data), source, kept, unmet, excluded)
