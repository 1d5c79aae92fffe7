"""The cell codec: how instance values look in workbook cells, both ways.

Cell kinds (`CellType` and its instances `TEXT`, `INT`, ...), the columns of every sheet
(`COLUMNS`, matched to headers in Chinese or English), the checks on what a cell can hold, and
workbooks or CSV files read as grids of cell values (a formula: the value Excel last computed).

Cell conventions: lists comma-separated ("，" and "、" accepted), slots "周一:P1", duties
"周一 07:40-15:30", enums as Chinese labels or English codes, booleans 是/否. An empty cell means
the field is left out (its default), except in a required list column, where it is the empty
list. "无" writes an empty list where an empty cell would mean the default, and null in a
nullable column.

openpyxl is imported only when a workbook is read (it is slow to import, and loading a JSON
instance does not need it).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
import zipfile
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from models.instance import RECORD_LISTS, Instance, Pin, Policy, School
from models.labels import (
    CATEGORY_LABELS,
    DAY_ALIASES,
    DAY_LABELS,
    LEVEL_LABELS,
    NO,
    PERIOD_KIND_LABELS,
    POLICY_FIELDS,
    SCHOOL_FIELDS,
    STAFF_KIND_LABELS,
    STAGE_LABELS,
    TABLE_FIELDS,
    YES,
    FieldLabel,
)
from models.messages import Text as Said
from models.problems import InputRejected, Problem, Report

EMPTY = "无"  # an explicit empty list (or null) where an empty cell would mean the default
_LIST_SEP = re.compile(r"[,，、;；\n]")
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
    raise CellError(
        "FMT-TYPE",
        f"类型错误：应为{what_zh}，实际是“{_text(cell)}”。",
        f"wrong type: expected {what_en}, got {_text(cell)!r}.",
        f"填写{what_zh}。",
        f"write {what_en}.",
    )


class Int(CellType):
    zh, en = "整数", "a whole number"
    _RANGE = re.compile(r"^(\d+)\s*[-~～–—至]\s*(\d+)$")

    def read(self, cell: Any) -> int:
        n = _number(cell, self.zh, self.en)
        if n != int(n):
            raise CellError(
                "FMT-TYPE",
                f"类型错误：应为整数，实际是 {n}。",
                f"wrong type: expected a whole number, got {n}.",
                "填写整数。",
                "write a whole number.",
            )
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
        raise CellError(
            "FMT-VALUE",
            f"“{_text(cell)}”不是是/否。",
            f"{_text(cell)!r} is not yes/no.",
            "填写“是”或“否”。",
            "write 是 (yes) or 否 (no).",
        )


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
            raise CellError(
                "FMT-VALUE",
                f"“{text}”不是有效的{self.zh}，应为：{allowed}。",
                f"{text!r} is not a valid {self.en}; use one of: {', '.join(self.labels)}.",
                "从下拉列表中选择。",
                "pick one from the dropdown.",
            )
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
            raise CellError(
                "FMT-VALUE",
                f"“{_text(cell)}”应写成“星期:时段”，如 周一:P1。",
                f"{_text(cell)!r} should be day:period, e.g. mon:P1.",
                "例如 周一:P1, 周三:P2。",
                "for example mon:P1, wed:P2.",
            )
        return {"day": DAY.read(parts[0]), "period": parts[1]}


class DutyType(CellType):
    zh, en = "值班，如 周一 07:40-15:30", "a duty like mon 07:40-15:30"
    _DUTY = re.compile(r"^(\D+?)\s*(\d{1,2}[:：]\d{2})\s*[-~～–—至]\s*(\d{1,2}[:：]\d{2})$")

    def write(self, value: dict) -> str:
        return f"{DAY.write(value['day'])} {value['start']}-{value['end']}"

    def read(self, cell: Any) -> dict:
        m = self._DUTY.match(_text(cell))
        if m is None:
            raise CellError(
                "FMT-TIME",
                f"“{_text(cell)}”应写成“星期 开始-结束”，如 周一 07:40-15:30。",
                f"{_text(cell)!r} should be 'day start-end', e.g. mon 07:40-15:30.",
                "例如 周一 07:40-15:30, 周二 07:40-15:30。",
                "for example mon 07:40-15:30.",
            )
        return {"day": DAY.read(m[1].strip(" :：")), "start": TIME.read(m[2]), "end": TIME.read(m[3])}


TEXT, INT, MONEY, BOOL, TIME = Text(), Int(), Money(), Bool(), Time()
TEXTS, DAYS, SLOTS, DUTIES = ListOf(TEXT), ListOf(DAY), ListOf(SlotType()), ListOf(DutyType())
PERIOD_KIND = Enum(PERIOD_KIND_LABELS, "时段类型", "period kind")

CELL_TYPES: dict[str, dict[str, CellType]] = {
    "school": {
        "format": TEXT,
        "id": TEXT,
        "name": TEXT,
        "stage": Enum(STAGE_LABELS, "学段", "stage"),
        "days": DAYS,
        "previous_plan": TEXT,
    },
    "policy": {
        "off_work_time": TIME,
        "basic_block_minutes": INT,
        "evening_max_minutes": INT,
        "evening_latest_end": TIME,
        "fee_per_term": MONEY,
        "min_teacher_pay_per_period": MONEY,
        "term_weeks": INT,
        "subsidy_per_term": MONEY,
        "budget_must_balance": BOOL,
        "max_group_size": INT,
        "max_care_group_size": INT,
        "homework_min_periods_per_day": INT,
        "tutoring_sessions_per_week": INT,
        "max_onsite_minutes": INT,
        "min_rest_minutes": INT,
        "min_venue_minutes": INT,
        "offsite_min_staff": INT,
        "fee_waiver_categories": TEXTS,
    },
    "periods": {"id": TEXT, "start": TIME, "end": TIME, "kind": PERIOD_KIND},
    "classes": {"id": TEXT, "grade": INT, "homeroom": TEXT},
    "rooms": {
        "id": TEXT,
        "name": TEXT,
        "kind": TEXT,
        "capacity": INT,
        "off_campus": BOOL,
        "travel_minutes": INT,
        "unavailable": SLOTS,
    },
    "courses": {
        "id": TEXT,
        "name": TEXT,
        "category": Enum(CATEGORY_LABELS, "课程类别", "category"),
        "subject": TEXT,
        "grades": ListOf(INT),
        "level": Enum(LEVEL_LABELS, "层次", "level"),
        "new_lesson": BOOL,
        "sessions_per_week": INT,
        "periods_per_session": INT,
        "period_kinds": ListOf(PERIOD_KIND),
        "min_size": INT,
        "max_size": INT,
        "max_sections": INT,
        "room_kinds": TEXTS,
        "qualification": TEXT,
        "staff_per_section": INT,
    },
    "staff": {
        "id": TEXT,
        "name": TEXT,
        "kind": Enum(STAFF_KIND_LABELS, "人员类型", "staff kind"),
        "institution": TEXT,
        "qualifications": TEXTS,
        "subjects": TEXTS,
        "classes": TEXTS,
        "certified": BOOL,
        "violation_record": BOOL,
        "pay_per_period": MONEY,
        "max_periods_per_week": INT,
        "max_periods_per_day": INT,
        "unavailable": SLOTS,
        "duties": DUTIES,
    },
    "institutions": {"id": TEXT, "name": TEXT, "approved": BOOL, "violation_record": BOOL},
    "students": {
        "id": TEXT,
        "class": TEXT,
        "days": DAYS,
        "extended_days": DAYS,
        "evening_days": DAYS,
        "fee_waiver": TEXT,
        "choices": TEXTS,
        "electives_per_week": INT,
        "tutoring": TEXTS,
        "advanced": BOOL,
    },
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
        lines = [
            f"{lab.zh}（{self.field}）",
            lab.note_zh,
            lab.note_en,
            f"类型：{self.cell_type.zh}",
            f"type: {self.cell_type.en}",
            "必填 required" if self.required else f"可留空 optional，默认 default: {self.shown_default()}",
        ]
        if lab.rule:
            lines.append(f"规则 rule: {lab.rule}")
        return "\n".join(line for line in lines if line)


def _model_fields(*models: type[BaseModel]) -> dict[str, FieldInfo]:
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
    **{k: _columns(k, TABLE_FIELDS[k], _model_fields(Pin if k == "pins" else RECORD_LISTS[k])) for k in TABLE_KINDS},
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


# ============================================================================ what a cell can hold


EXCEL_CELL_MAX = 32_767  # characters a cell holds; xlsxwriter cuts the rest
# Characters XML 1.0 (and so .xlsx) cannot hold: xlsxwriter writes them as _x0000_ and they come back changed.
_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class _Unwritable(ValueError):
    """A value a cell cannot hold unchanged: never cut or altered silently."""

    def __init__(self, row: int, col: int, zh: str, en: str):
        super().__init__(en)
        self.row, self.col, self.zh, self.en = row, col, zh, en


def _check_text(row: int, col: int, value: str) -> None:
    """Raise `_Unwritable` for a text no cell can hold unchanged (too long, or not XML)."""
    if len(value) > EXCEL_CELL_MAX:
        raise _Unwritable(
            row,
            col,
            f"文本有 {len(value)} 个字符，单元格最多容纳 {EXCEL_CELL_MAX} 个。",
            f"the text has {len(value)} characters; a cell holds at most {EXCEL_CELL_MAX}.",
        )
    bad = _NOT_IN_XML.search(value)
    if bad:
        raise _Unwritable(
            row,
            col,
            f"含有 Excel 无法保存的控制字符 {bad.group()!r}。",
            f"holds the control character {bad.group()!r}, which Excel cannot store.",
        )


# ============================================================================ workbooks and CSV as grids of cell values


Grid = list[tuple[int, tuple]]  # (1-based row number, cell values) of one sheet


def _file_problem(source: str, zh: str, en: str, hint_zh: str, hint_en: str) -> InputRejected:
    return InputRejected(Report(source, [Problem("FMT-FILE", "file", None, Said(zh, en), Said(hint_zh, hint_en))]))


def _read_grids(data: bytes, values: bool) -> dict[str, Grid]:
    import openpyxl  # only when a workbook is read

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
                    "ArrayFormula",
                    "DataTableFormula",
                )
                if is_formula and (c >= len(shown) or shown[c] is None):
                    col = _column_letter(c)
                    problems.append(
                        Problem(
                            "FMT-VALUE",
                            "file",
                            None,
                            Said(
                                f"单元格 {sheet}!{col}{row} 是没有计算结果的公式，读作空白会丢失数据。",
                                f"cell {sheet}!{col}{row} is a formula without a computed value; "
                                "read as blank it would lose data.",
                            ),
                            Said(
                                "在 Excel 或 WPS 中打开并保存一次（会计算公式），或把公式换成值。",
                                "open and save the file in Excel or WPS (this computes it), "
                                "or replace the formula by its value.",
                            ),
                            sheet=sheet,
                            row=row,
                            column=col,
                        )
                    )
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
        raise _file_problem(
            source,
            f"无法作为 Excel 工作簿（.xlsx）读取：{type(exc).__name__}。",
            f"cannot be read as an Excel workbook (.xlsx): {type(exc).__name__}.",
            "用 Excel 或 WPS 另存为 .xlsx 格式（不是 .xls）。",
            "save it as .xlsx (not .xls).",
        ) from None


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
        raise _file_problem(
            source,
            "文件既不是 UTF-8 也不是 GBK 编码。",
            "the file is neither UTF-8 nor GBK text.",
            "用 Excel 另存为“CSV UTF-8”。",
            "save it as CSV UTF-8.",
        )
    rows: Grid = []
    reader = csv.reader(io.StringIO(text, newline=""))
    line = 1
    try:
        for values in reader:
            rows.append((line, tuple(values)))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise _file_problem(
            source,
            f"CSV 格式错误（第 {line} 行）：{exc}。",
            f"malformed CSV at line {line}: {exc}.",
            "检查该行的引号。",
            "check the quotes on that line.",
        ) from None
    return rows


def _column_letter(index: int) -> str:
    """The letter of a 0-based column index: 0 → A, 26 → AA."""
    from openpyxl.utils import get_column_letter  # only when a problem is placed

    return get_column_letter(index + 1)
