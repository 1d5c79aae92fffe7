"""Old Excel (.xls) and OpenDocument (.ods) workbooks, read through python-calamine.

Registration platforms and WPS often export `.xls` or `.ods`; the importers read `.xlsx`. This
turns such a workbook into an `.xlsx` with the same sheets, cells and positions (so a problem's
sheet, row and column still point at the user's file), which the existing readers then take.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from models.messages import Text
from models.problems import InputRejected, Problem, Report

SUFFIXES = (".xls", ".ods")


def is_calamine(name: str | Path) -> bool:
    return str(name).lower().endswith(SUFFIXES)


def to_xlsx_bytes(data: bytes, source: str) -> bytes:
    """The workbook as .xlsx bytes; `InputRejected` (FMT-FILE) when it cannot be read."""
    import xlsxwriter
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = [(name, wb.get_sheet_by_name(name).to_python(skip_empty_area=False)) for name in wb.sheet_names]
    except Exception as exc:  # calamine's errors for a broken or foreign file
        raise InputRejected(
            Report(
                source,
                [
                    Problem(
                        "FMT-FILE",
                        Path(source).name,
                        None,
                        Text(f"无法读取表格文件：{exc}", f"cannot read the workbook: {exc}"),
                        Text(
                            "用 Excel 或 WPS 另存为 .xlsx 后再试。", "save it as .xlsx in Excel or WPS and try again."
                        ),
                    )
                ],
            )
        ) from None
    buf = io.BytesIO()
    out = xlsxwriter.Workbook(buf, {"in_memory": True})
    date_f = out.add_format({"num_format": "yyyy-mm-dd"})
    for name, rows in sheets:
        ws = out.add_worksheet(name[:31])
        for r, row in enumerate(rows):
            for c, cell in enumerate(row):
                if cell is None or cell == "":
                    continue
                if isinstance(cell, bool):
                    ws.write_boolean(r, c, cell)
                elif isinstance(cell, int | float):
                    ws.write_number(r, c, cell)
                elif isinstance(cell, dt.datetime | dt.date):
                    ws.write_datetime(
                        r,
                        c,
                        cell if isinstance(cell, dt.datetime) else dt.datetime(cell.year, cell.month, cell.day),
                        date_f,
                    )
                elif isinstance(cell, dt.time):
                    ws.write_string(r, c, cell.strftime("%H:%M"))
                elif isinstance(cell, dt.timedelta):
                    minutes = int(cell.total_seconds() // 60)
                    ws.write_string(r, c, f"{minutes // 60:02d}:{minutes % 60:02d}")
                else:
                    ws.write_string(r, c, str(cell))
    out.close()
    return buf.getvalue()
