""".xls/.ods workbooks through python-calamine: a roster and a registration export read the same as
their .xlsx or CSV twins."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from models.calamine import to_xlsx_bytes
from models.problems import InputRejected
from models.roster import read_roster
from tests.conftest import EXAMPLE

ROSTER = Path(EXAMPLE).parent / "example-roster.csv"


def ods(sheets: dict[str, list[list[object]]]) -> bytes:
    """A minimal OpenDocument spreadsheet (what LibreOffice or WPS saves), written by hand."""
    body = []
    for name, rows in sheets.items():
        body.append(f'<table:table table:name="{escape(name)}">')
        for row in rows:
            cells = []
            for v in row:
                if isinstance(v, int | float) and not isinstance(v, bool):
                    cells.append(
                        f'<table:table-cell office:value-type="float" office:value="{v}"><text:p>{v}</text:p>'
                        "</table:table-cell>"
                    )
                else:
                    cells.append(
                        f'<table:table-cell office:value-type="string"><text:p>{escape(str(v))}</text:p>'
                        "</table:table-cell>"
                    )
            body.append("<table:table-row>" + "".join(cells) + "</table:table-row>")
        body.append("</table:table>")
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        "<office:body><office:spreadsheet>" + "".join(body) + "</office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def test_roster_from_ods(tmp_path):
    rows = [line.split(",") for line in ROSTER.read_text(encoding="utf-8").splitlines()]
    f = tmp_path / "roster.ods"
    f.write_bytes(ods({"花名册": rows}))
    assert read_roster(f).pupils == read_roster(ROSTER).pupils


def test_ods_becomes_xlsx_with_the_same_cells():
    import openpyxl

    wb = openpyxl.load_workbook(
        io.BytesIO(to_xlsx_bytes(ods({"学生": [["学号", "班级"], ["S001", "3-1"], [7, 2.5]]}), "x.ods"))
    )
    ws = wb["学生"]
    assert [[c.value for c in r] for r in ws.iter_rows()] == [["学号", "班级"], ["S001", "3-1"], [7, 2.5]]


def test_broken_workbook_is_a_file_problem(tmp_path):
    with pytest.raises(InputRejected) as e:
        to_xlsx_bytes(b"not a workbook", "reg.xls")
    assert e.value.report.errors[0].rule == "FMT-FILE"
    f = tmp_path / "reg.xls"
    f.write_bytes(b"not a workbook")
    r = subprocess.run(
        [sys.executable, "-m", "cli", "import-students", EXAMPLE, f, "-o", tmp_path / "o.json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 2 and "FMT-FILE" in r.stdout and "Traceback" not in r.stdout + r.stderr


def test_import_students_from_ods(tmp_path):
    """The students sheet of an .ods registration export replaces the registrations."""
    import openpyxl

    xlsx = tmp_path / "school.xlsx"
    subprocess.run(
        [sys.executable, "-m", "cli", "convert", EXAMPLE, xlsx], check=True, capture_output=True, timeout=120
    )
    ws = openpyxl.load_workbook(xlsx)["学生"]
    rows = [[("" if c.value is None else c.value) for c in r] for r in ws.iter_rows()]
    f = tmp_path / "reg.ods"
    f.write_bytes(ods({"学生": rows}))
    r = subprocess.run(
        [sys.executable, "-m", "cli", "import-students", EXAMPLE, f, "-o", tmp_path / "o.json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    assert "40 名学生" in r.stdout
