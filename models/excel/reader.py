"""The workbook reader: a workbook (or a students table) → instance data → a checked `Loaded`.

A workbook has one sheet per table (学校, 政策, 时段, 班级, 场地, 课程, 教职工, 机构, 学生, 固定安排),
headers "中文名 + English field" on two lines. Reading turns cells into the JSON values of the
format and then validates through `models.loaded.load_data`, so a workbook is held to exactly the
rules of a JSON file; every problem is then pointed back to the cell it came from.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from models.excel.codec import (
    _OMIT,
    COLUMNS,
    REQUIRED_TABLES,
    SCHOOL_RECORD,
    TABLE_KINDS,
    CellError,
    Column,
    Grid,
    _blank,
    _column_letter,
    _csv_grid,
    _file_problem,
    _match_header,
    _text,
    _xlsx_grids,
)
from models.files import read_bytes
from models.instance import INSTANCE_FORMAT
from models.json_text import parse_json
from models.labels import SHEETS
from models.loaded import Loaded, load_data, record_name
from models.messages import Text
from models.problems import InputRejected, Problem, Report


def _find_sheet(grids: dict[str, Grid], key: str, source: str = "<workbook>") -> str | None:
    """The one sheet of a table (its Chinese or English name); two of them are an error, not a guess."""
    found = [name for name in grids if name.strip() in (SHEETS[key], key) or name.strip().lower() == key]
    if len(found) > 1:
        shown = "、".join(f"“{n}”" for n in found)
        raise InputRejected(
            Report(
                source,
                [
                    Problem(
                        "FMT-FIELD",
                        "file",
                        key,
                        Text(
                            f"工作簿中有多个 {SHEETS[key]} 工作表：{shown}，不知道该用哪一个。",
                            f"the workbook has {len(found)} sheets for {key}: {', '.join(found)}; "
                            "which one is meant is unclear.",
                        ),
                        Text("删除或重命名多余的工作表。", "delete or rename the extra sheet."),
                        sheet=found[1],
                    )
                ],
            )
        )
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

    def table_place(self, kind: str) -> _TablePlace:
        """Where a table's records are being read (`_read_table` made it)."""
        place = self.places[kind]
        assert isinstance(place, _TablePlace)
        return place

    def covers(self, problem: Problem) -> bool:
        top = _top(problem.field)
        table = problem.record.split("[", 1)[0]
        return (problem.record, top) in self.covered or ("[" in problem.record and (table, top) in self.missing_columns)

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
    return Problem(
        err.rule, record, fld, Text(err.zh, err.en), Text(err.hint_zh, err.hint_en), sheet=sheet, row=row, column=column
    )


def _field_problem(
    record: str,
    fld: str | None,
    zh: str,
    en: str,
    hint_zh: str,
    hint_en: str,
    sheet: str,
    row: int | None = None,
    column: str | None = None,
) -> Problem:
    return Problem("FMT-FIELD", record, fld, Text(zh, en), Text(hint_zh, hint_en), sheet=sheet, row=row, column=column)


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
    place = out.table_place(kind)
    rownum, values = header
    used: dict[int, Column] = {}
    for i, value in enumerate(values):
        if _blank(value):
            continue
        text, letter = _text(value), _column_letter(i)
        column = _match_header(text, kind)
        if column is None:
            out.add(
                _field_problem(
                    kind,
                    text,
                    f"未知的列“{text}”。",
                    f"unknown column {text!r}.",
                    f"列名应为：{'、'.join(c.label.zh for c in columns.values())}（或英文字段名）。",
                    f"columns are: {', '.join(columns)}.",
                    sheet,
                    rownum,
                    letter,
                )
            )
        elif column.field in place.columns:
            out.add(
                _field_problem(
                    kind,
                    column.field,
                    f"列“{text}”重复出现。",
                    f"column {text!r} appears twice.",
                    "删除重复的列。",
                    "remove the duplicate column.",
                    sheet,
                    rownum,
                    letter,
                )
            )
        else:
            used[i] = column
            place.columns[column.field] = letter
    for column in columns.values():
        if column.required and column.field not in place.columns:
            out.missing_columns.add((kind, column.field))
            out.add(
                _field_problem(
                    kind,
                    column.field,
                    f"缺少必填列“{column.label.zh}”。",
                    f"required column {column.field} is missing.",
                    f"添加表头为“{column.label.zh}”或“{column.field}”的列。",
                    f"add a column headed {column.field}.",
                    sheet,
                    rownum,
                )
            )
    return used


def _read_record(kind: str, index: int, row: tuple[int, tuple], used: dict[int, Column], out: _Read) -> dict:
    place = out.table_place(kind)
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
    for column, error in errors:
        out.add(_cell_problem(error, name, column.field, place.sheet, rownum, place.columns[column.field]))
    return record


def _orphan_cells(kind: str, header: tuple[int, tuple], rows: Grid, out: _Read) -> None:
    """Values under a column without a header would be lost silently: report each such column once."""
    blank = {i for i, v in enumerate(header[1]) if _blank(v)}
    reported: set[int] = set()
    for rownum, values in rows:
        for i, value in enumerate(values):
            if not _blank(value) and i not in reported and (i in blank or i >= len(header[1])):
                reported.add(i)
                out.add(
                    _field_problem(
                        kind,
                        None,
                        "该列有数据但没有表头。",
                        "this column has values but no header.",
                        "补上表头（字段名），或删除这些数据。",
                        "add a header or remove the values.",
                        out.places[kind].sheet,
                        rownum,
                        _column_letter(i),
                    )
                )


def _read_table(kind: str, sheet: str, grid: Grid, out: _Read) -> list[dict]:
    out.places[kind] = _TablePlace(sheet)
    header = _header(grid, kind)
    if header is None:
        if any(not _blank(v) for _, values in grid for v in values):
            out.add(
                _field_problem(
                    kind,
                    None,
                    "找不到表头行。",
                    "no header row found.",
                    "第一行写字段名（中文或英文）。",
                    "put the field names in the first row.",
                    sheet,
                )
            )
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
                out.add(
                    _field_problem(
                        key,
                        name,
                        f"未知的项目“{name}”。",
                        f"unknown key {name!r}.",
                        "检查拼写，或删除这一行。",
                        "check the spelling or remove the row.",
                        sheet,
                        rownum,
                        "B" if not _blank(cells[1]) else "A",
                    )
                )
            continue
        if column.field in place.rows:
            out.add(
                _field_problem(
                    record_of(column.field),
                    column.field,
                    "该项目重复出现。",
                    f"{column.field} appears twice.",
                    "删除重复的行。",
                    "remove the duplicate row.",
                    sheet,
                    rownum,
                    "B",
                )
            )
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
    out.add(
        _field_problem(
            "instance",
            key,
            f"缺少工作表“{SHEETS[key]}”。",
            f"sheet {SHEETS[key]} ({key}) is missing.",
            "用 afterschool template 生成模板，按模板添加该工作表。",
            "add the sheet (see `afterschool template`).",
            SHEETS[key],
        ),
        *also,
    )


def _read_instance(grids: dict[str, Grid], source: str = "<workbook>") -> _Read:
    """Workbook sheets → raw instance data as in a JSON file, with places and cell problems."""
    out = _Read()
    raw = out.raw
    sheet = _find_sheet(grids, "school", source)
    if sheet is None:
        out.places["school"] = _KeyPlace(SHEETS["school"])
        _missing_sheet(out, "school", ("instance", "days"))
    else:
        values = _read_keyvalue(
            "school", sheet, grids[sheet], out, lambda f: "school" if f in SCHOOL_RECORD else "instance"
        )
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
        raise _file_problem(
            str(path), "工作簿中没有工作表。", "the workbook has no sheet.", "添加“学生”工作表。", "add a 学生 sheet."
        )
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
        raise InputRejected(
            Report(
                str(table_path),
                [
                    Problem(
                        "FMT-VALUE",
                        "students",
                        None,
                        Text(
                            f"报名表“{sheet}”中没有任何学生；导入会删除全部报名。",
                            f"the table {sheet} holds no students; importing it would remove every registration.",
                        ),
                        Text(
                            "检查导出的文件是否完整（表头下每行一名学生）。",
                            "check that the export is complete (one student per row under the header).",
                        ),
                        sheet=sheet,
                    )
                ],
            )
        )
    if isinstance(read.raw, dict):
        read.raw["students"] = students
    return _validate(read, data + table, f"{instance_path} + {table_path}")
