"""Instance records ⇄ the data editor's tables (pandas DataFrames), with no Streamlit in sight.

Cells hold the Excel workbook's conventions (`models.excel.COLUMNS`): lists "3, 4", slots
"周一:P1", duties "周一 07:40-15:30"; booleans, numbers and enum values are typed columns. A table
turned back into records says exactly what a file would: a cell that cannot be read is kept as
typed (so a download loses nothing) and named by a problem.

The whole instance splits into `doc` (school, policy, days … as in the JSON file: `DOC_KEYS`) and
one table per record kind (`TABLES`); `split_raw` and `join_raw` go from one to the other.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pandas as pd

from models.excel import BOOL, COLUMNS, INT, MONEY, TABLE_KINDS, CellError, Column, Enum, ListOf
from models.labels import CATEGORY_LABELS, DAY_LABELS, LEVEL_LABELS, PERIOD_KIND_LABELS, STAFF_KIND_LABELS
from models.load import record_name
from models.messages import Text
from models.problems import Problem

TABLES: tuple[str, ...] = TABLE_KINDS  # periods, classes, rooms, courses, staff, institutions, students, pins
DOC_KEYS = ("format", "school", "policy", "days", "previous_plan")
OMIT = object()  # a field left out of its record (it takes its default)

# Tables always written into the instance, even empty (the others only when they have rows).
_ALWAYS = ("periods", "classes", "rooms", "courses", "staff", "students")
# The instance's keys in the order a file has them.
_ORDER = (
    "format",
    "school",
    "policy",
    "days",
    "periods",
    "classes",
    "rooms",
    "courses",
    "staff",
    "institutions",
    "students",
    "pins",
    "previous_plan",
)

# Which label group each enum column uses (for its display names in both languages).
_ENUM_GROUPS = {
    id(CATEGORY_LABELS): "category",
    id(LEVEL_LABELS): "level",
    id(PERIOD_KIND_LABELS): "period_kind",
    id(STAFF_KIND_LABELS): "staff_kind",
    id(DAY_LABELS): "day",
}


# ============================================================================ cells


def shape(column: Column) -> str:
    """How a field is edited: bool, int, money, enum, multi (a list of enum codes) or text."""
    ct = column.cell_type
    if ct is BOOL:
        return "bool"
    if ct is INT:
        return "int"
    if ct is MONEY:
        return "money"
    if isinstance(ct, Enum):
        return "enum"
    if isinstance(ct, ListOf) and isinstance(ct.item, Enum):
        return "multi"
    return "text"


def enum_group(column: Column) -> str:
    ct = column.cell_type.item if isinstance(column.cell_type, ListOf) else column.cell_type
    return _ENUM_GROUPS.get(id(ct.labels), "")


def blank(value: Any) -> bool:
    """An empty cell: None, NaN, pandas' NA, or only spaces."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple | dict) or hasattr(value, "tolist"):
        return False
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def to_cell(column: Column, value: Any) -> Any:
    """A field's JSON value as the editor shows it."""
    kind = shape(column)
    if kind == "bool":
        return bool(value) if value is not None else bool(column.default)
    if kind in ("int", "money"):
        return value if isinstance(value, int | float) and not isinstance(value, bool) else None
    if kind == "enum":
        return value if isinstance(value, str) else None
    if kind == "multi":
        return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []
    if isinstance(value, str) and column.cell_type.is_list:
        return value  # text that could not be read as a list (kept from an earlier edit): as typed
    try:
        return column.cell(value)
    except Exception:  # a value of the wrong type (an uploaded file with errors): show it as text
        return None if value is None else json.dumps(value, ensure_ascii=False)


def from_cell(column: Column, cell: Any) -> Any:
    """An editor cell as the field's JSON value, `OMIT` (left out: the default), or CellError."""
    kind = shape(column)
    if hasattr(cell, "tolist") and not isinstance(cell, str):
        cell = cell.tolist()  # numpy arrays from list columns
    if kind == "multi":
        if not isinstance(cell, list | tuple):
            return [] if column.required else OMIT
        return [str(v) for v in cell]
    if blank(cell):
        return [] if column.cell_type.is_list and column.required else OMIT
    if kind == "bool":
        return bool(cell)
    if kind in ("int", "money"):
        if isinstance(cell, float) and cell.is_integer():
            cell = int(cell)
        return column.cell_type.read(cell)
    if kind == "enum":
        return column.cell_type.read(str(cell))
    return column.read(str(cell))


# ============================================================================ tables


def records_to_frame(kind: str, records: list[Any]) -> pd.DataFrame:
    """One table's records (a list of JSON objects; anything else counts as an empty record) as the
    editor's typed DataFrame, one column per field of `models.excel.COLUMNS[kind]`."""
    columns = COLUMNS[kind]
    rows = []
    for rec in records:
        rec = rec if isinstance(rec, dict) else {}
        rows.append({f: to_cell(c, rec.get(f)) for f, c in columns.items()})
    df = pd.DataFrame(rows, columns=list(columns))
    for f, c in columns.items():
        kind_of_column = shape(c)
        if kind_of_column == "bool":
            df[f] = df[f].astype("bool")
        elif kind_of_column == "int":
            df[f] = df[f].astype("Int64")
        elif kind_of_column == "money":
            df[f] = pd.to_numeric(df[f], errors="coerce").astype("Float64")
        elif kind_of_column == "multi":
            df[f] = df[f].astype("object")
        else:
            df[f] = df[f].astype("string")
    return df


def _row_blank(columns: dict[str, Column], row: dict) -> bool:
    return all(
        blank(row.get(f)) or shape(c) == "bool" or (shape(c) == "multi" and not list(row.get(f) or []))
        for f, c in columns.items()
    )


def frame_to_records(kind: str, df: pd.DataFrame) -> tuple[list[dict], list[Problem], dict[str, int]]:
    """Table rows → records, the cells that could not be read, and each record's row (1-based)."""
    columns = COLUMNS[kind]
    records, problems, rows = [], [], {}
    for i, row in enumerate(df.to_dict("records")):
        if _row_blank(columns, row):
            continue
        rec: dict[str, Any] = {}
        bad: list[tuple[str, CellError]] = []
        for f, c in columns.items():
            if f not in row:
                continue
            try:
                value = from_cell(c, row[f])
            except CellError as err:  # kept as typed, so a download loses nothing; the problem names it
                bad.append((f, err))
                value = row[f] if isinstance(row[f], str) else str(row[f])
            if value is not OMIT:
                rec[f] = value
        name = record_name(kind, rec, len(records))
        rows.setdefault(name, i + 1)
        for f, err in bad:
            problems.append(Problem(err.rule, name, f, Text(err.zh, err.en), Text(err.hint_zh, err.hint_en), row=i + 1))
        records.append(rec)
    return records, problems, rows


# ============================================================================ the whole instance


def split_raw(raw: dict) -> tuple[dict, dict[str, pd.DataFrame]]:
    """Instance data (as in a JSON file) as its `doc` (a deep copy of the `DOC_KEYS` it has) and one
    table per kind in `TABLES` (empty when the data have no list for it)."""
    doc = {k: copy.deepcopy(raw[k]) for k in DOC_KEYS if k in raw}
    tables = {k: records_to_frame(k, raw[k] if isinstance(raw.get(k), list) else []) for k in TABLES}
    return doc, tables


def join_raw(doc: dict, tables: dict[str, pd.DataFrame]) -> tuple[dict, list[Problem], dict[str, int]]:
    """`doc` and the tables back as instance data (keys in a file's order), the cells that could not
    be read, and each record's row in its table (record name → 1-based row)."""
    raw: dict[str, Any] = {k: copy.deepcopy(v) for k, v in doc.items()}
    problems: list[Problem] = []
    rows: dict[str, int] = {}
    for kind in TABLES:
        records, bad, where = frame_to_records(kind, tables[kind])
        if records or kind in _ALWAYS:
            raw[kind] = records
        problems += bad
        rows.update(where)
    return {k: raw[k] for k in _ORDER if k in raw}, problems, rows
