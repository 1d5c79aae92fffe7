"""Issue 14, workbooks and CSV: formulas, empty tables, two sheets for one table, values a cell
cannot hold, warnings printed: refused or warned about, never lost silently."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from models.excel import read_instance_workbook, replace_students, write_instance_workbook
from models.load import load_bytes, load_instance
from models.problems import InputRejected
from tests.conftest import EXAMPLE, cli_main, example_raw
from tests.models.test_excel import STUDENT_ROWS, csv_text


@pytest.fixture
def example_xlsx(tmp_path) -> Path:
    path = tmp_path / "example.xlsx"
    write_instance_workbook(load_instance(EXAMPLE).instance, path)
    return path


def test_formula_without_a_cached_value_is_rejected_by_cell(example_xlsx):
    wb = openpyxl.load_workbook(example_xlsx)
    wb["学生"]["G3"] = "=1+1"  # written by a program: no value computed yet, would read as blank
    wb.save(example_xlsx)
    with pytest.raises(InputRejected) as exc:
        read_instance_workbook(example_xlsx)
    p = exc.value.report.errors[0]
    assert (p.rule, p.sheet, p.row, p.column) == ("FMT-VALUE", "学生", 3, "G")
    assert "formula" in p.message_en


def _students_book(
    path: Path,
    rows: list[list],
    formula_at: tuple[int, int, str, object] | None = None,
    sheets: tuple[str, ...] = ("学生",),
) -> Path:
    wb = xlsxwriter.Workbook(str(path))
    for name in sheets:
        ws = wb.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                ws.write_string(r, c, value)
        if formula_at:
            r, c, formula, value = formula_at
            ws.write_formula(r, c, formula, None, value)  # with the value Excel would have shown
    wb.close()
    return path


def test_formula_with_a_cached_value_reads_that_value(tmp_path):
    path = _students_book(tmp_path / "s.xlsx", STUDENT_ROWS, formula_at=(2, 6, "=1+2", 3))
    students = replace_students(EXAMPLE, path).instance.students
    assert students[1].electives_per_week == 3


def test_two_sheets_for_one_table_is_an_error(tmp_path, capsys):
    path = _students_book(tmp_path / "s.xlsx", STUDENT_ROWS, sheets=("学生", "students"))
    code, out = cli_main(capsys, "import-students", EXAMPLE, path, "-o", tmp_path / "out.json")
    assert code == 2 and "[FMT-FIELD]" in out and "students" in out
    assert not (tmp_path / "out.json").exists()


def test_instance_workbook_with_two_student_sheets_is_an_error(example_xlsx):
    wb = openpyxl.load_workbook(example_xlsx)
    wb.copy_worksheet(wb["学生"]).title = "students"
    wb.save(example_xlsx)
    with pytest.raises(InputRejected) as exc:
        read_instance_workbook(example_xlsx)
    assert exc.value.report.errors[0].rule == "FMT-FIELD"


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", "学号,班级,基本服务日\r\n".encode(), b"\r\n\r\n"])
def test_empty_csv_does_not_wipe_registrations(tmp_path, capsys, content):
    table = tmp_path / "students.csv"
    table.write_bytes(content)
    out = tmp_path / "out.json"
    out.write_text("old", encoding="utf-8")
    code, text = cli_main(capsys, "import-students", EXAMPLE, table, "-o", out)
    assert code == 2 and "[FMT-VALUE]" in text and "registration" in text
    assert out.read_text(encoding="utf-8") == "old"


@pytest.mark.parametrize("command", ["import-students", "convert"])
def test_warnings_are_printed(tmp_path, capsys, command):
    table = tmp_path / "students.csv"
    table.write_text(csv_text(STUDENT_ROWS), encoding="utf-8")
    args = (
        [EXAMPLE, table, "-o", tmp_path / "o.json"] if command == "import-students" else [EXAMPLE, tmp_path / "o.json"]
    )
    code, text = cli_main(capsys, command, *args)
    assert code == 0
    assert "警告 warnings" in text and "[R12]" in text  # the example has an uncertified external person


@pytest.mark.parametrize(
    ("where", "value", "what"),
    [
        ("qualification", "x" * 33_000, "32767"),
        ("qualification", "a\x00b", "control character"),
        ("qualification", "bell\x07", "control character"),
    ],
)
def test_values_a_cell_cannot_hold_are_refused_not_cut(tmp_path, capsys, where, value, what):
    raw = example_raw()
    raw["staff"][0]["qualifications"] = [value]
    src = tmp_path / "in.json"
    src.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "out.xlsx"
    code, text = cli_main(capsys, "convert", src, out)
    assert code == 2 and what in text and f"staff[{raw['staff'][0]['id']}]" in text and "教职工" in text
    assert not out.exists()
    # JSON holds it fine
    code, _ = cli_main(capsys, "convert", src, tmp_path / "out.json")
    assert code == 0
    assert load_bytes((tmp_path / "out.json").read_bytes(), "t").staff[raw["staff"][0]["id"]].qualifications == [value]


def test_a_failed_workbook_write_keeps_the_old_file(tmp_path):
    raw = example_raw()
    raw["staff"][0]["qualifications"] = ["a\x00b"]
    L = load_bytes(json.dumps(raw, ensure_ascii=False).encode(), "t")
    out = tmp_path / "keep.xlsx"
    write_instance_workbook(load_instance(EXAMPLE).instance, out)
    before = out.read_bytes()
    with pytest.raises(InputRejected):
        write_instance_workbook(L.instance, out)
    assert out.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["keep.xlsx"]  # no temporary file left behind
