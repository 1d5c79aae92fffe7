"""Instances as Excel workbooks, and students tables as .xlsx or CSV: what schools keep and export.

The one front of the package; its parts, from the bottom up:

- `models.excel.codec`: cell values both ways (cell kinds, the columns of every sheet, the checks
  on what a cell can hold), and workbooks or CSV files read as grids of cells;
- `models.excel.reader`: workbook → instance data → a checked `Loaded`, every problem at its cell;
- `models.excel.writer`: instance → workbook, and the empty template.

The reader sits on `models.loaded` (the checks every instance goes through); `models.load`, the
front door for instance files, sits on this package.
"""

from models.excel.codec import (
    BOOL,
    COLUMNS,
    INT,
    MONEY,
    TABLE_KINDS,
    CellError,
    Column,
    Enum,
    ListOf,
    _xlsx_grids,
    decode_csv,
)
from models.excel.reader import _read_instance, read_instance_bytes, read_instance_workbook, replace_students
from models.excel.writer import write_instance_workbook, write_template

__all__ = [
    "BOOL",
    "COLUMNS",
    "INT",
    "MONEY",
    "TABLE_KINDS",
    "CellError",
    "Column",
    "Enum",
    "ListOf",
    "_read_instance",  # private: the app reads a workbook's cells without the checks (ui/state.py)
    "_xlsx_grids",  # private: likewise
    "decode_csv",
    "read_instance_bytes",
    "read_instance_workbook",
    "replace_students",
    "write_instance_workbook",
    "write_template",
]
