"""Instances as Excel workbooks, and students tables as .xlsx or CSV: what schools keep and export.

A workbook has one sheet per table (学校, 政策, 时段, 班级, 场地, 课程, 教职工, 机构, 学生, 固定安排),
headers "中文名 + English field" on two lines. Reading turns cells into the JSON values of the
format and then validates through `models.loaded.load_data`, so a workbook is held to exactly the
rules of a JSON file; every problem is then pointed back to the cell it came from.

Cell conventions: lists comma-separated ("，" and "、" accepted), slots "周一:P1", duties
"周一 07:40-15:30", enums as Chinese labels or English codes, booleans 是/否. An empty cell means
the field is left out (its default), except in a required list column, where it is the empty
list. "无" writes an empty list where an empty cell would mean the default, and null in a
nullable column.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import openpyxl
import xlsxwriter
from openpyxl.utils import get_column_letter
from pydantic.fields import FieldInfo

from models.common import WEEKDAYS
from models.files import read_bytes, write_atomic
from models.instance import INSTANCE_FORMAT, RECORD_LISTS, Instance, Pin, Policy, School
from models.json_text import parse_json
from models.labels import (
    CATEGORY_LABELS,
    DAY_ALIASES,
    DAY_LABELS,
    LEVEL_LABELS,
    NO,
    PERIOD_KIND_LABELS,
    POLICY_FIELDS,
    SCHOOL_FIELDS,
    SHEETS,
    STAFF_KIND_LABELS,
    STAGE_LABELS,
    TABLE_FIELDS,
    YES,
    FieldLabel,
)
from models.loaded import Loaded, load_data, record_name
from models.problems import InputRejected, Problem, Report

EMPTY = "无"  # an explicit empty list (or null) where an empty cell would mean the default
_LIST_SEP = re.compile(r"[,，、;；\n]")
_LAST_ROW = 10_000  # how far down dropdowns reach
_TRUE = {"是", "true", "1", "y", "yes"}
_FALSE = {"否", "false", "0", "n", "no"}


class CellError(ValueError):
    """A cell that cannot become a value of its field's type."""

    def __init__(self, rule: str, zh: str, en: str, hint_zh: str = "", hint_en: str = ""):
        super().__init__(en)
        self.rule, self.zh, self.en, self.hint_zh, self.hint_en = rule, zh, en, hint_zh, hint_en


def _blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _text(cell: Any) -> str:
    """A cell as text; whole numbers without ".0" (ids typed as numbers stay ids)."""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, dt.datetime):
        return cell.date().isoformat() if cell.time() == dt.time() else cell.isoformat(sep=" ")
    return str(cell).strip()


# ============================================================================ value kinds


class CellType:
    """How the values of one field look in a cell, both ways."""

    zh, en = "文本", "text"
    choices: tuple[str, ...] | None = None  # offered in a dropdown
    is_list = False

    def write(self, value: Any) -> Any:
        return value

    def read(self, cell: Any) -> Any:
        return _text(cell)

    def read_many(self, text: str) -> list[Any]:
        """One item of a list cell; a type may expand it (grades "1-6")."""
        return [self.read(text)]


class Text(CellType):
    pass


def _number(cell: Any, what_zh: str, what_en: str) -> int | float:
    """A number cell, or a number written as text (CSV); "nan" and "inf" are not numbers here."""
    value: int | float | None = None
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        value = cell
    elif isinstance(cell, str):
        text = cell.strip().removesuffix("元").lstrip("¥￥").strip()
        for parse in (int, float):
            try:
                value = parse(text)
                break
            except ValueError:
                pass
    if isinstance(value, int) or (isinstance(value, float) and math.isfinite(value)):
        return value
    raise CellError("FMT-TYPE", f"类型错误：应为{what_zh}，实际是“{_text(cell)}”。",
                    f"wrong type: expected {what_en}, got {_text(cell)!r}.",
                    f"填写{what_zh}。", f"write {what_en}.")


class Int(CellType):
    zh, en = "整数", "a whole number"
    _RANGE = re.compile(r"^(\d+)\s*[-~～–—至]\s*(\d+)$")

    def read(self, cell: Any) -> int:
        n = _number(cell, self.zh, self.en)
        if n != int(n):
            raise CellError("FMT-TYPE", f"类型错误：应为整数，实际是 {n}。", f"wrong type: expected a whole number, got {n}.",
                            "填写整数。", "write a whole number.")
        return int(n)

    def read_many(self, text: str) -> list[int]:
        m = self._RANGE.match(text)
        if m and int(m[1]) <= int(m[2]):
            return list(range(int(m[1]), int(m[2]) + 1))
        return [self.read(text)]


class Money(CellType):
    zh, en = "金额（元）", "an amount in yuan"

    def read(self, cell: Any) -> int | float:
        n = _number(cell, "数字", "a number")
        return int(n) if isinstance(n, float) and n.is_integer() else n


class Bool(CellType):
    zh, en = "是/否", "yes/no (是/否)"
    choices = (YES, NO)

    def write(self, value: bool) -> str:
        return YES if value else NO

    def read(self, cell: Any) -> bool:
        if isinstance(cell, bool):
            return cell
        word = _text(cell).lower()
        if word in _TRUE or word in _FALSE:
            return word in _TRUE
        raise CellError("FMT-VALUE", f"“{_text(cell)}”不是是/否。", f"{_text(cell)!r} is not yes/no.",
                        "填写“是”或“否”。", "write 是 (yes) or 否 (no).")


class Time(CellType):
    """Times "HH:MM": Excel time cells and "7:40" are normalised; the rest is left to the format check."""

    zh, en = "时间 HH:MM", "a time HH:MM"
    _CLOCK = re.compile(r"^(\d{1,2})[:：](\d{2})(?:[:：]\d{2})?$")

    def read(self, cell: Any) -> str:
        if isinstance(cell, dt.datetime):
            cell = cell.time()
        if isinstance(cell, dt.timedelta):
            return _clock(round(cell.total_seconds() / 60))
        if isinstance(cell, dt.time):
            return f"{cell.hour:02d}:{cell.minute:02d}"
        if isinstance(cell, float) and 0 <= cell < 1:  # a time cell without its number format
            return _clock(round(cell * 24 * 60))
        text = _text(cell)
        m = self._CLOCK.match(text)
        return f"{int(m[1]):02d}:{m[2]}" if m else text


def _clock(total: int) -> str:
    return f"{total // 60:02d}:{total % 60:02d}"


class Enum(CellType):
    """One of the format's codes, written as its Chinese label; the code is accepted too."""

    def __init__(self, labels: dict[str, str], zh: str, en: str, aliases: dict[str, str] | None = None):
        self.labels = labels
        self.zh, self.en = zh, en
        self.choices = tuple(labels.values())
        self.lookup = {**{c: c for c in labels}, **{v: c for c, v in labels.items()}, **(aliases or {})}

    def write(self, value: str) -> str:
        return self.labels.get(value, value)

    def read(self, cell: Any) -> str:
        text = _text(cell)
        code = self.lookup.get(text) or self.lookup.get(text.lower().rstrip("."))
        if code is None:
            allowed = "、".join(f"{v}（{c}）" for c, v in self.labels.items())
            raise CellError("FMT-VALUE", f"“{text}”不是有效的{self.zh}，应为：{allowed}。",
                            f"{text!r} is not a valid {self.en}; use one of: {', '.join(self.labels)}.",
                            "从下拉列表中选择。", "pick one from the dropdown.")
        return code


class ListOf(CellType):
    is_list = True

    def __init__(self, item: CellType):
        self.item = item
        self.zh = f"{item.zh}，多个用逗号分隔"
        self.en = f"{item.en}, several separated by commas"
        self.choices = item.choices

    def write(self, value: list) -> str:
        return ", ".join(str(self.item.write(v)) for v in value)

    def read(self, cell: Any) -> list:
        if not isinstance(cell, str):  # a lone number or time typed into the cell
            return [self.item.read(cell)]
        return [x for part in _LIST_SEP.split(cell) if part.strip() for x in self.item.read_many(part.strip())]


DAY = Enum(DAY_LABELS, "星期", "day", DAY_ALIASES)


class SlotType(CellType):
    zh, en = "时段，如 周一:P1", "a slot like mon:P1"

    def write(self, value: dict) -> str:
        return f"{DAY.write(value['day'])}:{value['period']}"

    def read(self, cell: Any) -> dict:
        parts = re.split(r"\s*[:：]\s*|\s+", _text(cell), maxsplit=1)
        if len(parts) != 2 or not parts[1]:
            raise CellError("FMT-VALUE", f"“{_text(cell)}”应写成“星期:时段”，如 周一:P1。",
                            f"{_text(cell)!r} should be day:period, e.g. mon:P1.", "例如 周一:P1, 周三:P2。",
                            "for example mon:P1, wed:P2.")
        return {"day": DAY.read(parts[0]), "period": parts[1]}


class DutyType(CellType):
    zh, en = "值班，如 周一 07:40-15:30", "a duty like mon 07:40-15:30"
    _DUTY = re.compile(r"^(\D+?)\s*(\d{1,2}[:：]\d{2})\s*[-~～–—至]\s*(\d{1,2}[:：]\d{2})$")

    def write(self, value: dict) -> str:
        return f"{DAY.write(value['day'])} {value['start']}-{value['end']}"

    def read(self, cell: Any) -> dict:
        m = self._DUTY.match(_text(cell))
        if m is None:
            raise CellError("FMT-TIME", f"“{_text(cell)}”应写成“星期 开始-结束”，如 周一 07:40-15:30。",
                            f"{_text(cell)!r} should be 'day start-end', e.g. mon 07:40-15:30.",
                            "例如 周一 07:40-15:30, 周二 07:40-15:30。", "for example mon 07:40-15:30.")
        return {"day": DAY.read(m[1].strip(" :：")), "start": TIME.read(m[2]), "end": TIME.read(m[3])}


TEXT, INT, MONEY, BOOL, TIME = Text(), Int(), Money(), Bool(), Time()
TEXTS, DAYS, SLOTS, DUTIES = ListOf(TEXT), ListOf(DAY), ListOf(SlotType()), ListOf(DutyType())
PERIOD_KIND = Enum(PERIOD_KIND_LABELS, "时段类型", "period kind")

CELL_TYPES: dict[str, dict[str, CellType]] = {
    "school": {"format": TEXT, "id": TEXT, "name": TEXT, "stage": Enum(STAGE_LABELS, "学段", "stage"),
               "days": DAYS, "previous_plan": TEXT},
    "policy": {
        "off_work_time": TIME, "basic_block_minutes": INT, "evening_max_minutes": INT, "evening_latest_end": TIME,
        "fee_per_term": MONEY, "min_teacher_pay_per_period": MONEY, "term_weeks": INT, "subsidy_per_term": MONEY,
        "budget_must_balance": BOOL, "max_group_size": INT, "max_care_group_size": INT,
        "homework_min_periods_per_day": INT, "tutoring_sessions_per_week": INT, "max_onsite_minutes": INT,
        "min_rest_minutes": INT, "min_venue_minutes": INT, "offsite_min_staff": INT, "fee_waiver_categories": TEXTS,
    },
    "periods": {"id": TEXT, "start": TIME, "end": TIME, "kind": PERIOD_KIND},
    "classes": {"id": TEXT, "grade": INT, "homeroom": TEXT},
    "rooms": {"id": TEXT, "name": TEXT, "kind": TEXT, "capacity": INT, "off_campus": BOOL, "travel_minutes": INT,
              "unavailable": SLOTS},
    "courses": {
        "id": TEXT, "name": TEXT, "category": Enum(CATEGORY_LABELS, "课程类别", "category"), "subject": TEXT,
        "grades": ListOf(INT), "level": Enum(LEVEL_LABELS, "层次", "level"), "new_lesson": BOOL,
        "sessions_per_week": INT, "periods_per_session": INT, "period_kinds": ListOf(PERIOD_KIND), "min_size": INT,
        "max_size": INT, "max_sections": INT, "room_kinds": TEXTS, "qualification": TEXT, "staff_per_section": INT,
    },
    "staff": {
        "id": TEXT, "name": TEXT, "kind": Enum(STAFF_KIND_LABELS, "人员类型", "staff kind"), "institution": TEXT,
        "qualifications": TEXTS, "subjects": TEXTS, "classes": TEXTS, "certified": BOOL, "violation_record": BOOL,
        "pay_per_period": MONEY, "max_periods_per_week": INT, "max_periods_per_day": INT, "unavailable": SLOTS,
        "duties": DUTIES,
    },
    "institutions": {"id": TEXT, "name": TEXT, "approved": BOOL, "violation_record": BOOL},
    "students": {"id": TEXT, "class": TEXT, "days": DAYS, "extended_days": DAYS, "evening_days": DAYS,
                 "fee_waiver": TEXT, "choices": TEXTS, "electives_per_week": INT, "tutoring": TEXTS, "advanced": BOOL},
    "pins": {"activity": TEXT, "staff": TEXTS, "room": TEXT, "slots": SLOTS, "students": TEXTS},
}

# ============================================================================ columns

_OMIT = object()  # "the field is left out": the model's default applies


@dataclass(frozen=True)
class Column:
    """One field of a table: its cell kind, its labels and whether the format requires it."""

    field: str
    cell_type: CellType
    label: FieldLabel
    required: bool
    default: Any

    @property
    def header(self) -> str:
        return f"{self.label.zh}\n{self.field}"

    @property
    def marks_empty(self) -> bool:
        """An empty list must be written as "无" because an empty cell would give the default."""
        return self.cell_type.is_list and not self.required and self.default != []

    def cell(self, value: Any) -> Any:
        if value is None:
            return None
        if self.cell_type.is_list and not value:
            return EMPTY if self.marks_empty else None
        return self.cell_type.write(value)

    def read(self, cell: Any) -> Any:
        """The JSON value of a cell, or `_OMIT`; raises CellError."""
        if _blank(cell):
            return [] if self.cell_type.is_list and self.required else _OMIT
        if isinstance(cell, str) and cell.strip() in (EMPTY, "[]"):
            if self.cell_type.is_list:
                return []
            if not self.required and self.default is None:
                return None
        return self.cell_type.read(cell)

    def shown_default(self) -> str:
        return "空 empty" if self.default in (None, []) else str(self.cell_type.write(self.default))

    def note(self) -> str:
        """What the header comment says: meaning, type, default, rule."""
        lab = self.label
        lines = [f"{lab.zh}（{self.field}）", lab.note_zh, lab.note_en,
                 f"类型：{self.cell_type.zh}", f"type: {self.cell_type.en}",
                 "必填 required" if self.required else f"可留空 optional，默认 default: {self.shown_default()}"]
        if lab.rule:
            lines.append(f"规则 rule: {lab.rule}")
        return "\n".join(line for line in lines if line)


def _model_fields(*models: type) -> dict[str, FieldInfo]:
    out: dict[str, FieldInfo] = {}
    for model in models:
        out.update({info.alias or name: info for name, info in model.model_fields.items()})
    return out


def _columns(key: str, labels: dict[str, FieldLabel], infos: dict[str, FieldInfo]) -> dict[str, Column]:
    def column(name: str) -> Column:
        info = infos[name]
        default = None if info.is_required() else info.get_default(call_default_factory=True)
        return Column(name, CELL_TYPES[key][name], labels[name], info.is_required(), default)

    return {name: column(name) for name in labels}


TABLE_KINDS = ("periods", "classes", "rooms", "courses", "staff", "institutions", "students", "pins")
REQUIRED_TABLES = ("periods", "classes", "rooms", "courses", "staff", "students")
SCHOOL_RECORD = ("id", "name", "stage")  # the rest of the 学校 sheet are top-level instance fields
COLUMNS: dict[str, dict[str, Column]] = {
    "school": _columns("school", SCHOOL_FIELDS, _model_fields(Instance, School)),
    "policy": _columns("policy", POLICY_FIELDS, _model_fields(Policy)),
    **{k: _columns(k, TABLE_FIELDS[k], _model_fields(Pin if k == "pins" else RECORD_LISTS[k]))
       for k in TABLE_KINDS},
}


def _short_label(zh: str) -> str:
    return re.sub(r"（.*?）|\(.*?\)", "", zh).strip()


# Chinese names of each table's fields, in full and without their parenthesised unit.
_BY_ZH: dict[str, dict[str, Column]] = {
    key: {c.label.zh: c for c in cols.values()} | {_short_label(c.label.zh): c for c in cols.values()}
    for key, cols in COLUMNS.items()
}


def _match_header(text: str, key: str) -> Column | None:
    """A header names its field in English, in Chinese, or both ("学号 id", "学号\nid")."""
    columns, by_zh = COLUMNS[key], _BY_ZH[key]
    for candidate in (text, text.lower()):
        if candidate in columns:
            return columns[candidate]
        if candidate in by_zh:
            return by_zh[candidate]
    tokens = [t for t in re.split(r"[\s()（）]+", text) if t]
    for token in reversed(tokens):
        if token in columns:
            return columns[token]
    return by_zh.get(tokens[0]) if tokens else None


# ============================================================================ writing


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _width(values: list[Any]) -> float:
    longest = max((_display_width(line) for v in values if v is not None for line in str(v).split("\n")), default=0)
    return min(max(longest + 2, 8), 50)


class _Book:
    """An xlsxwriter workbook with the formats every sheet shares."""

    def __init__(self, target: str | Path | BinaryIO):
        if isinstance(target, str | Path):
            Path(target).parent.mkdir(parents=True, exist_ok=True)
            target = str(target)
        self.wb = xlsxwriter.Workbook(target, {"in_memory": True})
        self.header = self.wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True,
                                          "valign": "top"})
        self.text = self.wb.add_format({"num_format": "@"})
        self.note = self.wb.add_format({"font_color": "#595959", "text_wrap": True, "valign": "top"})

    def sheet(self, name: str, headers: list[str], notes: list[str]):
        ws = self.wb.add_worksheet(name)
        ws.set_row(0, 30)
        for c, (head, note) in enumerate(zip(headers, notes, strict=True)):
            ws.write_string(0, c, head, self.header)
            ws.write_comment(0, c, note, {"x_scale": 2.4, "y_scale": 2.4, "author": "afterschool"})
        return ws

    def close(self) -> None:
        self.wb.close()


EXCEL_CELL_MAX = 32_767  # characters a cell holds; xlsxwriter cuts the rest
# Characters XML 1.0 (and so .xlsx) cannot hold: xlsxwriter writes them as _x0000_ and they come back changed.
_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class _Unwritable(ValueError):
    """A value a cell cannot hold unchanged: never cut or altered silently."""

    def __init__(self, row: int, col: int, zh: str, en: str):
        super().__init__(en)
        self.row, self.col, self.zh, self.en = row, col, zh, en


def _put(ws, row: int, col: int, value: Any, fmt=None) -> None:
    if value is None:
        return
    if isinstance(value, str):
        if len(value) > EXCEL_CELL_MAX:
            raise _Unwritable(row, col, f"文本有 {len(value)} 个字符，单元格最多容纳 {EXCEL_CELL_MAX} 个。",
                              f"the text has {len(value)} characters; a cell holds at most {EXCEL_CELL_MAX}.")
        bad = _NOT_IN_XML.search(value)
        if bad:
            raise _Unwritable(row, col, f"含有 Excel 无法保存的控制字符 {bad.group()!r}。",
                              f"holds the control character {bad.group()!r}, which Excel cannot store.")
    if isinstance(value, int | float) and not isinstance(value, bool):
        if isinstance(value, float) and float(f"{value:.16g}") != value:
            ws.write_string(row, col, repr(value), fmt)  # xlsxwriter keeps 16 digits: keep it exact as text
        else:
            ws.write_number(row, col, value)
    else:
        ws.write_string(row, col, str(value), fmt)


def _dropdown(ws, first_row: int, last_row: int, col: int, cell_type: CellType) -> None:
    if not cell_type.choices:
        return
    if cell_type.is_list:
        options = {"error_type": "information", "error_title": "多个取值 several values",
                   "error_message": "多个取值用逗号分隔，如 周一, 周三。 Separate several values with commas."}
    else:
        options = {"error_type": "warning", "error_title": "不在列表中 not in the list",
                   "error_message": "请从列表中选择；也可填写英文代码。 Pick from the list; English codes work too."}
    ws.data_validation(first_row, col, last_row, col, {"validate": "list", "source": list(cell_type.choices), **options})


def _write_table(book: _Book, kind: str, records: list[dict]) -> None:
    columns = list(COLUMNS[kind].values())
    ws = book.sheet(SHEETS[kind], [c.header for c in columns], [c.note() for c in columns])
    grid = [[c.cell(record.get(c.field)) for c in columns] for record in records]
    for r, values in enumerate(grid, start=1):
        for c, value in enumerate(values):
            try:
                _put(ws, r, c, value, book.text)
            except _Unwritable as exc:
                raise _unwritable(exc, record_name(kind, records[r - 1], r - 1), columns[c].field, SHEETS[kind]) from None
    for c, column in enumerate(columns):
        numeric = column.cell_type in (INT, MONEY)
        ws.set_column(c, c, _width([column.header, *(row[c] for row in grid)]), None if numeric else book.text)
        _dropdown(ws, 1, _LAST_ROW, c, column.cell_type)
    ws.freeze_panes(1, 1)
    ws.autofilter(0, 0, max(len(grid), 1), len(columns) - 1)


_KEY_HEADERS = ["项目\nitem", "字段\nkey", "值\nvalue", "说明\nnote"]
_KEY_NOTES = ["参数的中文名。 What the row is.", "英文字段名（导入时使用）。 The field name, used on import.",
              "在此填写。 Fill in here.", "含义、规则与默认值。 Meaning, rule and default."]


def _key_note(column: Column) -> str:
    lab = column.label
    head = f"{lab.rule}；" if lab.rule else ""
    default = "必填 required" if column.required else f"默认 default {column.shown_default()}"
    return f"{head}{default}。{lab.note_zh}{lab.note_en and ' ' + lab.note_en}"


def _write_keyvalue(book: _Book, key: str, values: dict[str, Any]) -> None:
    ws = book.sheet(SHEETS[key], _KEY_HEADERS, _KEY_NOTES)
    columns = list(COLUMNS[key].values())
    for r, column in enumerate(columns, start=1):
        ws.write_string(r, 0, column.label.zh)
        ws.write_string(r, 1, column.field)
        try:
            _put(ws, r, 2, column.cell(values.get(column.field)), book.text)
        except _Unwritable as exc:
            raise _unwritable(exc, key, column.field, SHEETS[key]) from None
        ws.write_string(r, 3, _key_note(column), book.note)
        _dropdown(ws, r, r, 2, column.cell_type)
    for c, width in enumerate((28, 26, 30, 60)):
        ws.set_column(c, c, width)
    ws.freeze_panes(1, 0)


def _unwritable(exc: _Unwritable, record: str, fld: str, sheet: str) -> InputRejected:
    return InputRejected(Report("<workbook>", [Problem(
        "FMT-VALUE", record, fld, f"无法写入工作簿：{exc.zh}", f"cannot be written to the workbook: {exc.en}",
        "改短或删除不可见字符，或保存为 .json。", "shorten it or remove invisible characters, or save as .json.",
        sheet=sheet, row=exc.row + 1, column=_column_letter(exc.col))]))


def _write_book(target, school: dict, policy: dict, tables: dict[str, list[dict]]) -> None:
    book = _Book(target)
    _write_keyvalue(book, "school", school)
    _write_keyvalue(book, "policy", policy)
    for kind in TABLE_KINDS:
        _write_table(book, kind, tables.get(kind, []))
    book.close()


def write_instance_workbook(instance: Instance, path: str | Path | BinaryIO) -> None:
    """Write an instance as a workbook (a path, or a binary file object such as BytesIO).

    A path is written atomically (temporary file, then rename): a failed write keeps the old file."""
    if isinstance(path, str | Path):
        buffer = io.BytesIO()
        write_instance_workbook(instance, buffer)
        write_atomic(path, buffer.getvalue())
        return
    data = instance.to_json_dict()
    school = {**data["school"], **{k: data[k] for k in ("format", "days", "previous_plan") if k in data}}
    _write_book(path, school, data["policy"], {k: data[k] for k in TABLE_KINDS})


def write_template(path: str | Path | BinaryIO) -> None:
    """An empty workbook to fill in: headers with notes, dropdowns, policy defaults, Mon–Fri."""
    if isinstance(path, str | Path):
        buffer = io.BytesIO()
        write_template(buffer)
        write_atomic(path, buffer.getvalue())
        return
    _write_book(path, {"format": INSTANCE_FORMAT, "days": list(WEEKDAYS)}, Policy().model_dump(mode="json"), {})


# ============================================================================ reading: cells

Grid = list[tuple[int, tuple]]  # (1-based row number, cell values) of one sheet


def _file_problem(source: str, zh: str, en: str, hint_zh: str, hint_en: str) -> InputRejected:
    return InputRejected(Report(source, [Problem("FMT-FILE", "file", None, zh, en, hint_zh, hint_en)]))


def _read_grids(data: bytes, values: bool) -> dict[str, Grid]:
    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=values)
    try:
        grids = {}
        for ws in wb.worksheets:
            ws.reset_dimensions()  # some writers store wrong dimensions; read every row there is
            grids[ws.title] = list(enumerate(ws.iter_rows(values_only=True), start=1))
        return grids
    finally:
        wb.close()


_FORMULA = re.compile(rb"<(?:\w+:)?f[ >/]")


def _has_formulas(data: bytes) -> bool:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return any(_FORMULA.search(zf.read(n)) for n in zf.namelist() if n.startswith("xl/worksheets/"))


def _formulas_without_values(data: bytes, grids: dict[str, Grid], source: str) -> None:
    """Formula cells are read by their cached value (what Excel last showed). A formula without one
    (a file written by a program, never opened in Excel) would read as blank: reject it by cell."""
    if not _has_formulas(data):
        return
    problems = []
    for sheet, rows in _read_grids(data, values=False).items():
        cached = dict(grids.get(sheet, []))
        for row, cells in rows:
            shown = cached.get(row, ())
            for c, cell in enumerate(cells):
                is_formula = (isinstance(cell, str) and cell.startswith("=")) or type(cell).__name__ in (
                    "ArrayFormula", "DataTableFormula")
                if is_formula and (c >= len(shown) or shown[c] is None):
                    col = get_column_letter(c + 1)
                    problems.append(Problem(
                        "FMT-VALUE", "file", None, f"单元格 {sheet}!{col}{row} 是没有计算结果的公式，读作空白会丢失数据。",
                        f"cell {sheet}!{col}{row} is a formula without a computed value; read as blank it would "
                        "lose data.", "在 Excel 或 WPS 中打开并保存一次（会计算公式），或把公式换成值。",
                        "open and save the file in Excel or WPS (this computes it), or replace the formula by its value.",
                        sheet=sheet, row=row, column=col))
    if problems:
        raise InputRejected(Report(source, problems))


def _xlsx_grids(data: bytes, source: str) -> dict[str, Grid]:
    """Every worksheet's cell values (a formula: its cached value); a file openpyxl cannot read is one
    FMT-FILE problem, a formula without a cached value is FMT-VALUE naming sheet, row and column."""
    try:
        grids = _read_grids(data, values=True)
        _formulas_without_values(data, grids, source)
        return grids
    except InputRejected:
        raise
    except Exception as exc:  # openpyxl raises many kinds of errors for damaged or non-xlsx files
        raise _file_problem(source, f"无法作为 Excel 工作簿（.xlsx）读取：{type(exc).__name__}。",
                            f"cannot be read as an Excel workbook (.xlsx): {type(exc).__name__}.",
                            "用 Excel 或 WPS 另存为 .xlsx 格式（不是 .xls）。", "save it as .xlsx (not .xls).") from None


def decode_csv(data: bytes) -> str | None:
    """A CSV export's text: UTF-8 (with or without BOM) or GBK, as Excel and WPS save it; None if neither."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _csv_grid(data: bytes, source: str) -> Grid:
    """A CSV file's rows with their line numbers; UTF-8 (with or without BOM) or GBK, as Excel saves it."""
    text = decode_csv(data)
    if text is None:
        raise _file_problem(source, "文件既不是 UTF-8 也不是 GBK 编码。", "the file is neither UTF-8 nor GBK text.",
                            "用 Excel 另存为“CSV UTF-8”。", "save it as CSV UTF-8.")
    rows: Grid = []
    reader = csv.reader(io.StringIO(text, newline=""))
    line = 1
    try:
        for values in reader:
            rows.append((line, tuple(values)))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise _file_problem(source, f"CSV 格式错误（第 {line} 行）：{exc}。", f"malformed CSV at line {line}: {exc}.",
                            "检查该行的引号。", "check the quotes on that line.") from None
    return rows


def _find_sheet(grids: dict[str, Grid], key: str, source: str = "<workbook>") -> str | None:
    """The one sheet of a table (its Chinese or English name); two of them are an error, not a guess."""
    found = [name for name in grids if name.strip() in (SHEETS[key], key) or name.strip().lower() == key]
    if len(found) > 1:
        shown = "、".join(f"“{n}”" for n in found)
        raise InputRejected(Report(source, [Problem(
            "FMT-FIELD", "file", key, f"工作簿中有多个 {SHEETS[key]} 工作表：{shown}，不知道该用哪一个。",
            f"the workbook has {len(found)} sheets for {key}: {', '.join(found)}; which one is meant is unclear.",
            "删除或重命名多余的工作表。", "delete or rename the extra sheet.", sheet=found[1])]))
    return found[0] if found else None


# ============================================================================ reading: where things are


@dataclass
class _TablePlace:
    """Where a table's records were read: record name → rows, field → column letter."""

    sheet: str
    rows: dict[str, list[int]] = field(default_factory=dict)
    columns: dict[str, str] = field(default_factory=dict)

    def where(self, problem: Problem, top: str | None) -> tuple[int | None, str | None]:
        rows = self.rows.get(problem.record)
        if not rows:
            return None, None
        row = rows[-1] if problem.rule == "FMT-ID" else rows[0]  # a duplicate id: point at the repeat
        return row, self.columns.get(top) if top else None


@dataclass
class _KeyPlace:
    """Where a key/value sheet's fields were read: field → row, values in one column."""

    sheet: str
    rows: dict[str, int] = field(default_factory=dict)
    column: str = "C"

    def where(self, problem: Problem, top: str | None) -> tuple[int | None, str | None]:
        row = self.rows.get(top) if top else None
        return row, self.column if row else None


def _top(path: str | None) -> str | None:
    """The top-level field of a path: choices[2] → choices, unavailable[0].period → unavailable."""
    return re.split(r"[\[.]", path, maxsplit=1)[0] if path else None


def _column_letter(index: int) -> str:
    return get_column_letter(index + 1)


@dataclass
class _Read:
    """A workbook turned into raw instance data, with where each piece came from and what was wrong."""

    raw: Any = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    places: dict[str, _TablePlace | _KeyPlace] = field(default_factory=dict)
    covered: set[tuple[str, str | None]] = field(default_factory=set)  # (record, field) reported here
    missing_columns: set[tuple[str, str]] = field(default_factory=set)  # (table, field)

    def add(self, problem: Problem, *also: tuple[str, str | None]) -> None:
        """Report a problem; the loader's reports of the same (record, field) are then left out."""
        self.problems.append(problem)
        self.covered.update([(problem.record, _top(problem.field)), *also])

    def covers(self, problem: Problem) -> bool:
        top = _top(problem.field)
        table = problem.record.split("[", 1)[0]
        return (problem.record, top) in self.covered or (
            "[" in problem.record and (table, top) in self.missing_columns)

    def forget(self, kind: str) -> None:
        """Drop what was found about a table that is being replaced."""
        def about(record: str, fld: str | None) -> bool:
            return record == kind or record.startswith(f"{kind}[") or (record == "instance" and fld == kind)

        self.problems = [p for p in self.problems if not about(p.record, _top(p.field))]
        self.covered = {(r, f) for r, f in self.covered if not about(r, f)}
        self.missing_columns = {(t, f) for t, f in self.missing_columns if t != kind}

    def locate(self, problem: Problem) -> Problem:
        """Fill in sheet, row and column of a problem the loader found."""
        if problem.sheet is not None:
            return problem
        top = _top(problem.field)
        if problem.record == "instance":
            key = "school" if top in ("format", "days", "previous_plan", "school") else top
        else:
            key = problem.record.split("[", 1)[0]
        place = self.places.get(key or "")
        if place is not None:
            problem.sheet = place.sheet
            problem.row, problem.column = place.where(problem, top)
        return problem


def _cell_problem(err: CellError, record: str, fld: str, sheet: str, row: int, column: str) -> Problem:
    return Problem(err.rule, record, fld, err.zh, err.en, err.hint_zh, err.hint_en,
                   sheet=sheet, row=row, column=column)


def _field_problem(record: str, fld: str | None, zh: str, en: str, hint_zh: str, hint_en: str,
                   sheet: str, row: int | None = None, column: str | None = None) -> Problem:
    return Problem("FMT-FIELD", record, fld, zh, en, hint_zh, hint_en, sheet=sheet, row=row, column=column)


# ============================================================================ reading: sheets


def _header(grid: Grid, kind: str) -> tuple[int, tuple] | None:
    """The first row naming a known field (rows above it, such as a title, are ignored)."""
    for rownum, values in grid:
        if any(not _blank(v) and _match_header(_text(v), kind) for v in values):
            return rownum, values
    return None


def _map_columns(kind: str, sheet: str, header: tuple[int, tuple], out: _Read) -> dict[int, Column]:
    """Column index → field; unknown, repeated and missing required columns are problems."""
    columns = COLUMNS[kind]
    place = out.places[kind]
    rownum, values = header
    used: dict[int, Column] = {}
    for i, value in enumerate(values):
        if _blank(value):
            continue
        text, letter = _text(value), _column_letter(i)
        column = _match_header(text, kind)
        if column is None:
            out.add(_field_problem(kind, text, f"未知的列“{text}”。", f"unknown column {text!r}.",
                                   f"列名应为：{'、'.join(c.label.zh for c in columns.values())}（或英文字段名）。",
                                   f"columns are: {', '.join(columns)}.", sheet, rownum, letter))
        elif column.field in place.columns:
            out.add(_field_problem(kind, column.field, f"列“{text}”重复出现。", f"column {text!r} appears twice.",
                                   "删除重复的列。", "remove the duplicate column.", sheet, rownum, letter))
        else:
            used[i] = column
            place.columns[column.field] = letter
    for column in columns.values():
        if column.required and column.field not in place.columns:
            out.missing_columns.add((kind, column.field))
            out.add(_field_problem(kind, column.field, f"缺少必填列“{column.label.zh}”。",
                                   f"required column {column.field} is missing.",
                                   f"添加表头为“{column.label.zh}”或“{column.field}”的列。",
                                   f"add a column headed {column.field}.", sheet, rownum))
    return used


def _read_record(kind: str, index: int, row: tuple[int, tuple], used: dict[int, Column], out: _Read) -> dict:
    place = out.places[kind]
    rownum, values = row
    record: dict[str, Any] = {}
    errors: list[tuple[Column, CellError]] = []
    for i, column in used.items():
        try:
            value = column.read(values[i] if i < len(values) else None)
        except CellError as err:
            errors.append((column, err))
            continue
        if value is not _OMIT:
            record[column.field] = value
    name = record_name(kind, record, index)
    place.rows.setdefault(name, []).append(rownum)
    for column, err in errors:
        out.add(_cell_problem(err, name, column.field, place.sheet, rownum, place.columns[column.field]))
    return record


def _orphan_cells(kind: str, header: tuple[int, tuple], rows: Grid, out: _Read) -> None:
    """Values under a column without a header would be lost silently: report each such column once."""
    blank = {i for i, v in enumerate(header[1]) if _blank(v)}
    reported: set[int] = set()
    for rownum, values in rows:
        for i, value in enumerate(values):
            if not _blank(value) and i not in reported and (i in blank or i >= len(header[1])):
                reported.add(i)
                out.add(_field_problem(kind, None, "该列有数据但没有表头。", "this column has values but no header.",
                                       "补上表头（字段名），或删除这些数据。", "add a header or remove the values.",
                                       out.places[kind].sheet, rownum, _column_letter(i)))


def _read_table(kind: str, sheet: str, grid: Grid, out: _Read) -> list[dict]:
    out.places[kind] = _TablePlace(sheet)
    header = _header(grid, kind)
    if header is None:
        if any(not _blank(v) for _, values in grid for v in values):
            out.add(_field_problem(kind, None, "找不到表头行。", "no header row found.",
                                   "第一行写字段名（中文或英文）。", "put the field names in the first row.", sheet))
        return []
    used = _map_columns(kind, sheet, header, out)
    rows = [(n, v) for n, v in grid if n > header[0] and not all(_blank(x) for x in v)]
    _orphan_cells(kind, header, rows, out)
    return [_read_record(kind, i, row, used, out) for i, row in enumerate(rows)]


def _key_column(values: tuple, key: str) -> Column | None:
    """A key/value row is named by its English key (column B) or its Chinese label (column A)."""
    for value in values[1::-1]:
        if not _blank(value) and (column := _match_header(_text(value), key)):
            return column
    return None


def _read_keyvalue(key: str, sheet: str, grid: Grid, out: _Read, record_of: Callable[[str], str]) -> dict:
    place = _KeyPlace(sheet)
    out.places[key] = place
    values: dict[str, Any] = {}
    rows = [(n, (*v, None, None, None)[:3]) for n, v in grid if not all(_blank(x) for x in v[:3])]
    for i, (rownum, cells) in enumerate(rows):
        column = _key_column(cells, key)
        if column is None:
            if i > 0:  # the first row is the header
                name = _text(cells[1] if not _blank(cells[1]) else cells[0])
                out.add(_field_problem(key, name, f"未知的项目“{name}”。", f"unknown key {name!r}.",
                                       "检查拼写，或删除这一行。", "check the spelling or remove the row.",
                                       sheet, rownum, "B" if not _blank(cells[1]) else "A"))
            continue
        if column.field in place.rows:
            out.add(_field_problem(record_of(column.field), column.field, "该项目重复出现。",
                                   f"{column.field} appears twice.", "删除重复的行。", "remove the duplicate row.",
                                   sheet, rownum, "B"))
            continue
        place.rows[column.field] = rownum
        try:
            value = column.read(cells[2])
        except CellError as err:
            out.add(_cell_problem(err, record_of(column.field), column.field, sheet, rownum, place.column))
            continue
        if value is not _OMIT:
            values[column.field] = value
    return values


def _missing_sheet(out: _Read, key: str, *also: tuple[str, str | None]) -> None:
    out.add(_field_problem("instance", key, f"缺少工作表“{SHEETS[key]}”。", f"sheet {SHEETS[key]} ({key}) is missing.",
                           "用 afterschool template 生成模板，按模板添加该工作表。",
                           "add the sheet (see `afterschool template`).", SHEETS[key]), *also)


def _read_instance(grids: dict[str, Grid], source: str = "<workbook>") -> _Read:
    """Workbook sheets → raw instance data as in a JSON file, with places and cell problems."""
    out = _Read()
    raw = out.raw
    sheet = _find_sheet(grids, "school", source)
    if sheet is None:
        out.places["school"] = _KeyPlace(SHEETS["school"])
        _missing_sheet(out, "school", ("instance", "days"))
    else:
        values = _read_keyvalue("school", sheet, grids[sheet], out,
                                lambda f: "school" if f in SCHOOL_RECORD else "instance")
        raw["school"] = {k: v for k, v in values.items() if k in SCHOOL_RECORD}
        raw.update({k: v for k, v in values.items() if k not in SCHOOL_RECORD})
    raw.setdefault("format", INSTANCE_FORMAT)
    sheet = _find_sheet(grids, "policy", source)
    if sheet is not None:
        raw["policy"] = _read_keyvalue("policy", sheet, grids[sheet], out, lambda f: "policy")
    else:
        out.places["policy"] = _KeyPlace(SHEETS["policy"])
    for kind in TABLE_KINDS:
        sheet = _find_sheet(grids, kind, source)
        if sheet is not None:
            raw[kind] = _read_table(kind, sheet, grids[sheet], out)
        else:
            out.places[kind] = _TablePlace(SHEETS[kind])
            if kind in REQUIRED_TABLES:
                _missing_sheet(out, kind)
    return out


_SHEET_ORDER = {name: i for i, name in enumerate(SHEETS.values())}


def _validate(read: _Read, data: bytes, source: str) -> Loaded:
    """Check the raw data like a JSON file; every problem, ours and the loader's, with its cell."""
    try:
        loaded = load_data(read.raw, data, source)
        found: list[Problem] = []
    except InputRejected as exc:
        loaded = None
        found = [read.locate(p) for p in exc.report.problems if not read.covers(p)]
    problems = read.problems + found
    if loaded is None or any(p.severity == "error" for p in problems):
        problems.sort(key=lambda p: (_SHEET_ORDER.get(p.sheet, len(_SHEET_ORDER)) if p.sheet else 99, p.row or 0))
        raise InputRejected(Report(source, problems))
    for warning in loaded.warnings:
        read.locate(warning)
    return loaded


# ============================================================================ public reading API


def _is_xlsx(path: str | Path) -> bool:
    return str(path).lower().endswith((".xlsx", ".xlsm"))


def read_instance_bytes(data: bytes, source: str = "<workbook>") -> Loaded:
    """Load an instance from workbook bytes (an upload, say)."""
    return _validate(_read_instance(_xlsx_grids(data, source), source), data, source)


def read_instance_workbook(path: str | Path) -> Loaded:
    """Load an instance from an .xlsx workbook; InputRejected lists every problem with its cell."""
    return read_instance_bytes(read_bytes(path), str(path))


def _students_grid(path: str | Path, data: bytes) -> tuple[str, Grid]:
    """The students table of a CSV file, or of a workbook's 学生 sheet (else its first sheet)."""
    if str(path).lower().endswith(".csv"):
        return Path(path).name, _csv_grid(data, str(path))
    grids = _xlsx_grids(data, str(path))
    sheet = _find_sheet(grids, "students", str(path)) or next(iter(grids), None)
    if sheet is None:
        raise _file_problem(str(path), "工作簿中没有工作表。", "the workbook has no sheet.",
                            "添加“学生”工作表。", "add a 学生 sheet.")
    return sheet, grids[sheet]


def replace_students(instance_path: str | Path, table_path: str | Path) -> Loaded:
    """An instance (JSON or .xlsx) with its students replaced by a registration table (.xlsx or .csv).

    The result's sha256 is of both files' bytes: it is a new instance that no file holds yet.
    """
    data = read_bytes(instance_path)
    if _is_xlsx(instance_path):
        read = _read_instance(_xlsx_grids(data, str(instance_path)), str(instance_path))
    else:
        read = _Read(raw=parse_json(data, str(instance_path)))
    table = read_bytes(table_path)
    sheet, grid = _students_grid(table_path, table)
    read.forget("students")
    students = _read_table("students", sheet, grid, read)
    if not students and not any(p.severity == "error" for p in read.problems):
        # an empty export (or only a header) would silently remove every registration
        raise InputRejected(Report(str(table_path), [Problem(
            "FMT-VALUE", "students", None, f"报名表“{sheet}”中没有任何学生；导入会删除全部报名。",
            f"the table {sheet} holds no students; importing it would remove every registration.",
            "检查导出的文件是否完整（表头下每行一名学生）。",
            "check that the export is complete (one student per row under the header).", sheet=sheet)]))
    if isinstance(read.raw, dict):
        read.raw["students"] = students
    return _validate(read, data + table, f"{instance_path} + {table_path}")
