"""Printouts with names (roster), parents' notices, PNG timetables: real files, read back."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import openpyxl
import pypdfium2 as pdfium
import pytest
from PIL import Image

from export import attendance_workbook, guide_pdf
from export.printouts import (
    PrintInfo,
    class_pngs_zip,
    class_timetables_pdf,
    parent_notices_pdf,
    pupil_timetables_pdf,
    pupil_week,
    timetable_png,
)
from export.timetable import Timetable
from models.problems import InputRejected
from models.roster import match, read_roster
from tests.conftest import EXAMPLE, run_cli

ROSTER = Path(EXAMPLE).parent / "example-roster.csv"
INFO = PrintInfo("第 7 版", dt.date(2026, 9, 1))


@pytest.fixture(scope="module")
def roster():
    return read_roster(ROSTER)


def pdf_pages(data: bytes) -> list[str]:
    pdf = pdfium.PdfDocument(data)
    return [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]


def embeds_cjk_subset(data: bytes) -> bool:
    return b"/FontFile2" in data and b"+WenQuanYiMicroHei" in data and b"STSong" not in data


# ---------------------------------------------------------------------------- roster


def test_roster_csv_utf8_and_gbk_and_xlsx_read_the_same(tmp_path, roster):
    assert len(roster.pupils) == 40 and roster.name("S001") == "韩子涵"
    text = ROSTER.read_text(encoding="utf-8")
    gbk = tmp_path / "r.csv"
    gbk.write_bytes(text.encode("gbk"))
    assert read_roster(gbk).pupils == roster.pupils
    wb = openpyxl.Workbook()
    ws = wb.active
    for line in text.splitlines():
        ws.append(line.split(","))
    wb.save(tmp_path / "r.xlsx")
    assert read_roster(tmp_path / "r.xlsx").pupils == roster.pupils


def test_roster_match_reports_ids_only(example, roster):
    students = {s.id: s.class_ for s in example.instance.students}
    assert match(roster, students).clean
    students.pop("S001")
    students["S999"] = "3-1"
    m = match(roster, students)
    assert m.unknown == ["S001"] and m.missing == ["S999"]
    text = " ".join(m.lines())
    assert "S001" in text and "S999" in text and "韩子涵" not in text  # no personal data in reports


def test_bad_roster_names_row_and_field(tmp_path):
    f = tmp_path / "bad.csv"
    f.write_text("编号X,姓名\nS001,张三\n", encoding="utf-8")
    with pytest.raises(InputRejected) as e:
        read_roster(f)
    assert e.value.report.errors[0].field == "id"
    f.write_text("学号,姓名\nS001,张三\nS001,李四\nS003,\n", encoding="utf-8")
    with pytest.raises(InputRejected) as e:
        read_roster(f)
    probs = e.value.report.errors
    assert {(p.record, p.field, p.row) for p in probs} == {("roster[S001]", "id", 3), ("roster[S003]", "name", 4)}
    assert all("李四" not in p.message for p in probs)


# ---------------------------------------------------------------------------- PDFs


def test_notices_one_page_per_pupil_with_names_fee_and_pickup(example, example_plan, roster):
    pdf = parent_notices_pdf(example, example_plan, "3-1", "zh", roster, INFO)
    assert embeds_cjk_subset(pdf)
    pages = pdf_pages(pdf)
    pupils = [s for s in example.instance.students if s.class_ == "3-1"]
    assert len(pages) == len(pupils)
    tt = Timetable(example, example_plan)
    for s, page in zip(pupils, pages, strict=True):
        assert roster.name(s.id) in page and s.id in page
        assert f"尊敬的{roster.get(s.id).guardian}" in page
        assert "家长告知书" in page and "300 元" in page
        assert "方案版本 第 7 版" in page and "2026-09-01" in page
        for dp in pupil_week(tt, s.id, "zh"):
            assert dp.pickup in page
        for a in example_plan.activities:
            if s.id in a.students and a.kind == "elective":
                assert tt.course_name(a.course) in page
    assert "第 1 页 / 共" in pages[0]
    # English mode says it in English
    en = pdf_pages(parent_notices_pdf(example, example_plan, "3-1", "en", roster, INFO))[0]
    assert "Dear" in en and "Pick-up" in en and "page 1 of" in en


def test_notice_fee_after_waiver(example, example_plan, roster):
    waived = next((s for s in example.instance.students if s.fee_waiver), None)
    if waived is None:
        pytest.skip("the demo school has no waived pupil")
    pages = pdf_pages(parent_notices_pdf(example, example_plan, waived.class_, "zh", roster, INFO))
    page = next(p for p in pages if waived.id in p)
    assert "应缴 0 元" in page


def test_class_and_pupil_timetables(example, example_plan, roster):
    pdf = class_timetables_pdf(example, example_plan, "zh", roster, INFO)
    assert embeds_cjk_subset(pdf)
    text = "\n".join(pdf_pages(pdf))
    for c in example.instance.classes:
        assert f"{c.id} 班课后服务课表" in text
    assert "韩子涵" in text and "周一" in text and "math" not in text
    pages = pdf_pages(pupil_timetables_pdf(example, example_plan, "3-1", "zh", roster, INFO))
    assert len(pages) == sum(1 for s in example.instance.students if s.class_ == "3-1")
    assert "韩子涵" in pages[0] and "第 1 页 / 共" in pages[0]


def test_guide_pdf_embeds_font_and_says_subjects_in_chinese(example, example_plan):
    pdf = guide_pdf(example, example_plan, "zh", info=INFO)
    assert embeds_cjk_subset(pdf)
    text = "".join("".join(pdf_pages(pdf)).split())  # no line breaks
    assert "学科：数学" in text and "math" not in text
    assert "方案版本第7版" in text and "第1页/共" in text


# ---------------------------------------------------------------------------- PNG


def test_pngs(example, example_plan, roster):
    img = Image.open(io.BytesIO(timetable_png(example, example_plan, "student", "S001", "zh", roster, INFO)))
    assert img.format == "PNG" and img.width > 1000 and img.height > 200
    colours = {c for _, c in img.getcolors(1 << 20)}
    assert len(colours) > 20  # text and coloured cells, not a blank page
    z = zipfile.ZipFile(io.BytesIO(class_pngs_zip(example, example_plan, "3-1", "zh", roster, INFO)))
    names = z.namelist()
    assert "3-1.png" in names and "3-1-S001-韩子涵.png" in names


# ---------------------------------------------------------------------------- attendance with names


def test_attendance_with_roster_has_names(example, example_plan, roster):
    wb = openpyxl.load_workbook(io.BytesIO(attendance_workbook(example, example_plan, "zh", roster, INFO)))
    rows = list(wb["周一"].iter_rows(values_only=True))
    head = next(r for r in rows if r[0] == "序号")
    assert head[:4] == ("序号", "学号", "姓名", "班级")
    pupil = next(r for r in rows if r[1] == "S001")
    assert pupil[2] == "韩子涵"


# ---------------------------------------------------------------------------- CLI


def test_cli_notices_and_pngs(tmp_path, plan_file):
    out = tmp_path / "notices.pdf"
    r = run_cli(
        "export",
        plan_file,
        "--instance",
        EXAMPLE,
        "--roster",
        ROSTER,
        "--what",
        "notices",
        "--class",
        "3-1",
        "--plan-version",
        "v3",
        "--out",
        out,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    assert "韩子涵" in pdf_pages(out.read_bytes())[0]
    assert "韩子涵" not in r.stdout + r.stderr  # no personal data on the console
    out = tmp_path / "p.png"
    r = run_cli("export", plan_file, "--instance", EXAMPLE, "--what", "pupil-png", "--pupil", "S001", "--out", out)
    assert r.returncode == 0 and out.read_bytes().startswith(b"\x89PNG")


def test_cli_roster_problems(tmp_path, plan_file):
    bad = tmp_path / "r.csv"
    bad.write_text("学号,名字X\nS001,\n", encoding="utf-8")
    r = run_cli(
        "export",
        plan_file,
        "--instance",
        EXAMPLE,
        "--roster",
        bad,
        "--what",
        "notices",
        "--class",
        "3-1",
        "--out",
        tmp_path / "n.pdf",
    )
    assert r.returncode == 2 and "roster" in r.stdout and "Traceback" not in r.stdout + r.stderr
    partial = tmp_path / "p.csv"
    partial.write_text("学号,姓名\nS001,张三\nS777,李四\n", encoding="utf-8")
    r = run_cli(
        "export",
        plan_file,
        "--instance",
        EXAMPLE,
        "--roster",
        partial,
        "--what",
        "class-pdf",
        "--out",
        tmp_path / "c.pdf",
        "--lang",
        "zh",
    )
    assert r.returncode == 0, r.stderr
    assert "S777" in r.stderr and "39 名学生在花名册中没有记录" in r.stderr
    assert "张三" not in r.stderr
    r = run_cli("export", plan_file, "--instance", EXAMPLE, "--what", "notices", "--out", tmp_path / "n.pdf")
    assert r.returncode == 2 and "--class" in r.stderr
    assert json.loads(plan_file.read_text())["format"] == "afterschool-plan/1"
