"""Instance files in and out of the app: an uploaded JSON or Excel file (.xlsx, .xls, .ods) read as
instance data to edit, and the Excel workbooks offered for download (the data, the blank template).
No Streamlit here."""

from __future__ import annotations

import io

from models.calamine import is_calamine, to_xlsx_bytes
from models.excel import read_instance_bytes, write_instance_workbook, write_template
from models.load import load_data, parse_json
from models.messages import Text
from models.problems import InputRejected, Problem
from ui.checking import Check


def read_upload(name: str, data: bytes) -> tuple[dict | None, list[Problem]]:
    """An uploaded JSON or Excel file as instance data to edit, and the problems found in it.

    A file the loader rejects is still opened when it can be read, so its problems can be fixed
    in the tables; only an unreadable file gives None.
    """
    if is_calamine(name):  # .xls / .ods through python-calamine, then as an .xlsx with the same cells
        try:
            data = to_xlsx_bytes(data, name)
        except InputRejected as exc:
            return None, exc.report.problems
        name = name.rsplit(".", 1)[0] + ".xlsx"
    if name.lower().endswith((".xlsx", ".xlsm")):
        try:
            loaded = read_instance_bytes(data, name)
            return loaded.instance.to_json_dict(), list(loaded.warnings)
        except InputRejected as exc:
            problems = exc.report.problems
            try:  # the workbook's cells as instance data, errors and all (private helpers of models.excel)
                from models.excel import _read_instance, _xlsx_grids

                raw = _read_instance(_xlsx_grids(data, name)).raw
            except Exception:
                return None, problems
            return (raw if isinstance(raw, dict) and raw else None), problems
    try:
        raw = parse_json(data, name)
    except InputRejected as exc:
        return None, exc.report.problems
    if not isinstance(raw, dict):
        return None, [
            Problem(
                "FMT-TYPE", "instance", None, Text("文件顶层应为 JSON 对象。", "the top level must be a JSON object.")
            )
        ]
    try:
        loaded = load_data(raw, data, name)
        return raw, list(loaded.warnings)
    except InputRejected as exc:
        return raw, exc.report.problems


def instance_xlsx(check: Check) -> bytes:
    """The checked (valid) data as the instance workbook."""
    buf = io.BytesIO()
    write_instance_workbook(check.loaded.instance, buf)
    return buf.getvalue()


def template_xlsx() -> bytes:
    """The blank workbook to fill in."""
    buf = io.BytesIO()
    write_template(buf)
    return buf.getvalue()
