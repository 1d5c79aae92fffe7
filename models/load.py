"""Load an instance file: every problem in one report, warnings kept with the instance.

file bytes → JSON → per-record schema check → cross-record checks → `Loaded`.
Each record is checked on its own so that one broken record does not hide the others.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from models.common import DAYS, Day, minutes
from models.instance import (
    INSTANCE_FORMAT,
    RECORD_LISTS,
    Course,
    Instance,
    Period,
    Pin,
    Policy,
    Room,
    School,
    SchoolClass,
    Staff,
    Student,
)
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


MAX_DEPTH = 64
"""Deepest nesting of objects and lists a file may have (formats.md, Ranges)."""
_MAX_NUMBER_CHARS = 100  # no number in the contract needs more; longer ones are not numbers we can use


class DuplicateKey(ValueError):
    pass


class BadNumber(ValueError):
    """A number JSON allows to write but the contract does not (NaN, Infinity, too long, overflowing)."""


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise DuplicateKey(key)
        seen[key] = value
    return seen


def _constant(token: str) -> Any:
    raise BadNumber(f"{token} is not a JSON number (RFC 8259)")


def _int(token: str) -> int:
    if len(token) > _MAX_NUMBER_CHARS:
        raise BadNumber(f"an integer of {len(token)} digits")
    return int(token)


def _float(token: str) -> float:
    if len(token) > _MAX_NUMBER_CHARS:
        raise BadNumber(f"a number of {len(token)} characters")
    value = float(token)
    if value != value or value in (float("inf"), float("-inf")):
        raise BadNumber(f"{token} is too large for a number")
    return value


def nesting_depth(value: Any) -> int:
    """How deeply lists and objects nest in parsed JSON (a scalar: 0), without recursion."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return deepest


def _json_problem(source: str, zh: str, en: str, hint_zh: str, hint_en: str, fld: str | None = None) -> InputRejected:
    return InputRejected(Report(source, [Problem("FMT-JSON", "file", fld, zh, en, hint_zh, hint_en)]))


def parse_json(data: bytes, source: str) -> Any:
    """JSON text → Python data, or InputRejected naming the line and column.

    Standard JSON only (formats.md, Ranges): NaN, Infinity, a key given twice, a number no
    field can hold, or nesting deeper than `MAX_DEPTH` are FMT-JSON.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _json_problem(source, f"文件不是 UTF-8 编码（第 {exc.start} 字节）。",
                            f"the file is not UTF-8 (byte {exc.start}).", "用 UTF-8 编码另存为。",
                            "save it as UTF-8.") from None
    try:
        value = json.loads(text, object_pairs_hook=_no_duplicate_keys, parse_constant=_constant,
                           parse_int=_int, parse_float=_float)
    except DuplicateKey as exc:
        raise _json_problem(source, f"字段 {exc} 在同一对象中出现两次，其中一个值会丢失。",
                            f"key {exc} appears twice in one object; one value would be lost.",
                            "删除重复的字段。", "remove the duplicate key.", str(exc)) from None
    except BadNumber as exc:
        raise _json_problem(source, f"不是有效的 JSON 数字：{exc}。", f"not a valid JSON number: {exc}.",
                            "写一个有限的普通数字（不要 NaN、Infinity 或超长数字）。",
                            "write a finite, ordinary number (no NaN, Infinity or endless digits).") from None
    except RecursionError:
        value = None
        too_deep = True
    except json.JSONDecodeError as exc:
        raise _json_problem(source, f"JSON 格式错误：第 {exc.lineno} 行第 {exc.colno} 列，{exc.msg}。",
                            f"malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}.",
                            "检查该处的逗号、引号和括号。", "check commas, quotes and brackets there.") from None
    except ValueError as exc:  # anything else the decoder refuses (e.g. Python's digit limit)
        raise _json_problem(source, f"JSON 无法读取：{exc}。", f"cannot read the JSON: {exc}.",
                            "检查文件内容。", "check the file's content.") from None
    else:
        too_deep = nesting_depth(value) > MAX_DEPTH
    if too_deep:
        raise _json_problem(source, f"JSON 嵌套超过 {MAX_DEPTH} 层。", f"JSON nested deeper than {MAX_DEPTH} levels.",
                            "本格式最多嵌套几层；检查文件是否损坏。", "the format nests only a few levels; is the file damaged?")
    return value


def record_name(kind: str, raw: Any, index: int) -> str:
    """`students[S0042]`, or `students[#7]` (1-based position) when the id is unusable."""
    if isinstance(raw, dict):
        key = "activity" if kind == "pins" else "id"
        ident = raw.get(key)
        if isinstance(ident, str) and 0 < len(ident) <= 64 and ident.isprintable():
            return f"{kind}[{ident}]"
    return f"{kind}[#{index + 1}]"


def _validate_one(model: type, raw: Any, record: str, report: Report):
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        report.extend(problems_from(exc, record))
        return None


def split_parts(raw: Any, report: Report) -> Parts:
    """Schema-check every record on its own; collect the valid ones and every id seen."""
    parts = Parts()
    if not isinstance(raw, dict):
        report.add(Problem("FMT-TYPE", "instance", None, "文件顶层应为 JSON 对象。",
                           "the top level must be a JSON object.", "参考 example-instance.json。",
                           "see example-instance.json."))
        return parts
    for key in raw:
        if key not in _TOP:
            report.add(Problem("FMT-FIELD", "instance", key, "未知字段，可能是拼写错误。",
                               "unknown field, perhaps a typo.", "检查字段名拼写，或删除这一项。",
                               "check the spelling or remove the field."))
    for key in _REQUIRED_TOP:
        if key not in raw:
            report.add(Problem("FMT-FIELD", "instance", key, "缺少必填字段。", "required field is missing.",
                               "补上这一项（见 formats.md）。", "add the field (see formats.md)."))
    if "format" in raw and raw["format"] != INSTANCE_FORMAT:
        report.add(Problem("FMT-VALUE", "instance", "format",
                           f"格式标识应为 {INSTANCE_FORMAT}，实际是 {raw['format']!r}。",
                           f"format must be {INSTANCE_FORMAT}, got {raw['format']!r}.",
                           "这不是本系统的实例文件，或版本不对。", "this is not an instance file of this version."))
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
        report.add(Problem("FMT-TYPE", "instance", "previous_plan", "类型错误：应为文本（文件路径）。",
                           "wrong type: expected text (a file path).", "填写上一版方案的文件路径。",
                           "write the path of the earlier plan."))
    for kind, model in [*RECORD_LISTS.items(), ("pins", Pin)]:
        if kind not in raw:
            continue
        items = raw[kind]
        if not isinstance(items, list):
            report.add(Problem("FMT-TYPE", "instance", kind, f"类型错误：{kind} 应为列表。",
                               f"wrong type: {kind} must be a list.", "用 [ ... ] 列出记录。",
                               "list the records in [ ... ]."))
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
    def institution(self):
        return {i.id: i for i in self.instance.institutions}

    def grade(self, student: Student) -> int:
        return self.klass[student.class_].grade

    def registered_slots(self, student: Student) -> frozenset[tuple[str, str]]:
        """Every (day, period) the student must be supervised in (R2, R5, R6)."""
        return self.registered[student.id]

    @cached_property
    def registered(self) -> dict[str, frozenset[tuple[str, str]]]:
        out = {}
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
    kept, unmet, student_problems = student_warnings(parts)
    excluded, venue_problems = venue_warnings(parts)
    warnings = [
        *block_warnings(parts), *overlapping_periods(parts), *catalogue_warnings(parts),
        *staff_warnings(parts), *student_problems, *venue_problems,
    ]
    instance = Instance.model_construct(
        format=INSTANCE_FORMAT, school=parts.school, policy=parts.policy, days=parts.days,
        periods=parts.periods, classes=parts.classes, rooms=parts.rooms, courses=parts.courses,
        staff=parts.staff, institutions=parts.institutions, students=parts.students,
        pins=[p for _, p in parts.pins], previous_plan=raw.get("previous_plan"),
    )
    return Loaded(instance, warnings, sha256(data), source, kept, unmet, excluded)


def load_bytes(data: bytes, source: str = "<instance>") -> Loaded:
    return load_data(parse_json(data, source), data, source)


def read_bytes(path: str | Path) -> bytes:
    """A file's bytes (a .gz file's content), or InputRejected saying why it cannot be read."""
    p = Path(path)
    try:
        data = p.read_bytes()
        if p.suffix == ".gz":
            import gzip

            data = gzip.decompress(data)
        return data
    except FileNotFoundError:
        zh, en = "文件不存在。", "file not found."
    except IsADirectoryError:
        zh, en = "这是一个文件夹，不是文件。", "this is a folder, not a file."
    except PermissionError:
        zh, en = "没有读取权限。", "permission denied."
    except OSError as exc:  # also a corrupt .gz (gzip.BadGzipFile is an OSError)
        zh, en = f"无法读取：{exc.strerror or exc}。", f"cannot read: {exc.strerror or exc}."
    except EOFError:
        zh, en = "压缩文件不完整。", "the compressed file is truncated."
    raise InputRejected(Report(str(path), [Problem("FMT-FILE", "file", None, zh, en)]))


def load_instance(path: str | Path) -> Loaded:
    """Load an instance from JSON, or from an Excel workbook (.xlsx)."""
    if str(path).lower().endswith((".xlsx", ".xlsm")):
        from models.excel import read_instance_workbook  # openpyxl only when needed

        return read_instance_workbook(path)
    return load_bytes(read_bytes(path), str(path))


def dump_instance(instance: Instance) -> str:
    """The file text of an instance: every field written out, like example-instance.json."""
    return json.dumps(instance.to_json_dict(), ensure_ascii=False, indent=1) + "\n"
