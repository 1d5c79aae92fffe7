"""The workbook writer: an instance, or an empty template, as an .xlsx workbook.

One sheet per table, headers "中文名 + English field" on two lines with a note on each, dropdowns
for the fields that take one of a few values. A value no cell can hold unchanged is an
InputRejected naming its record and cell, never cut silently.
"""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path
from typing import Any, BinaryIO

from models.common import WEEKDAYS
from models.excel.codec import (
    COLUMNS,
    INT,
    MONEY,
    TABLE_KINDS,
    CellType,
    Column,
    _check_text,
    _column_letter,
    _Unwritable,
)
from models.files import write_atomic
from models.instance import INSTANCE_FORMAT, Instance, Policy
from models.labels import SHEETS
from models.loaded import record_name
from models.messages import Text
from models.problems import InputRejected, Problem, Report

_LAST_ROW = 10_000  # how far down dropdowns reach


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
        import xlsxwriter  # only when a workbook is written

        self.wb = xlsxwriter.Workbook(target, {"in_memory": True})
        self.header = self.wb.add_format(
            {"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "top"}
        )
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


def _put(ws, row: int, col: int, value: Any, fmt=None) -> None:
    if value is None:
        return
    if isinstance(value, str):
        _check_text(row, col, value)
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
        options = {
            "error_type": "information",
            "error_title": "多个取值 several values",
            "error_message": "多个取值用逗号分隔，如 周一, 周三。 Separate several values with commas.",
        }
    else:
        options = {
            "error_type": "warning",
            "error_title": "不在列表中 not in the list",
            "error_message": "请从列表中选择；也可填写英文代码。 Pick from the list; English codes work too.",
        }
    ws.data_validation(
        first_row, col, last_row, col, {"validate": "list", "source": list(cell_type.choices), **options}
    )


def _write_table(book: _Book, kind: str, records: list[dict]) -> None:
    columns = list(COLUMNS[kind].values())
    ws = book.sheet(SHEETS[kind], [c.header for c in columns], [c.note() for c in columns])
    grid = [[c.cell(record.get(c.field)) for c in columns] for record in records]
    for r, values in enumerate(grid, start=1):
        for c, value in enumerate(values):
            try:
                _put(ws, r, c, value, book.text)
            except _Unwritable as exc:
                raise _unwritable(
                    exc, record_name(kind, records[r - 1], r - 1), columns[c].field, SHEETS[kind]
                ) from None
    for c, column in enumerate(columns):
        numeric = column.cell_type in (INT, MONEY)
        ws.set_column(c, c, _width([column.header, *(row[c] for row in grid)]), None if numeric else book.text)
        _dropdown(ws, 1, _LAST_ROW, c, column.cell_type)
    ws.freeze_panes(1, 1)
    ws.autofilter(0, 0, max(len(grid), 1), len(columns) - 1)


_KEY_HEADERS = ["项目\nitem", "字段\nkey", "值\nvalue", "说明\nnote"]
_KEY_NOTES = [
    "参数的中文名。 What the row is.",
    "英文字段名（导入时使用）。 The field name, used on import.",
    "在此填写。 Fill in here.",
    "含义、规则与默认值。 Meaning, rule and default.",
]


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
    return InputRejected(
        Report(
            "<workbook>",
            [
                Problem(
                    "FMT-VALUE",
                    record,
                    fld,
                    Text(f"无法写入工作簿：{exc.zh}", f"cannot be written to the workbook: {exc.en}"),
                    Text(
                        "改短或删除不可见字符，或保存为 .json。",
                        "shorten it or remove invisible characters, or save as .json.",
                    ),
                    sheet=sheet,
                    row=exc.row + 1,
                    column=_column_letter(exc.col),
                )
            ],
        )
    )


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
