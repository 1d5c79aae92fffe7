"""Excel and CSV import/export: lossless round trips, templates, and problems located to the cell."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from models.excel import (
    COLUMNS,
    TABLE_KINDS,
    read_instance_workbook,
    replace_students,
    write_instance_workbook,
    write_template,
)
from models.instance import RECORD_LISTS, Pin, Policy
from models.labels import SHEETS
from models.load import dump_instance, load_bytes, load_instance
from models.problems import InputRejected, Problem

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "instances" / "example.json"
SHEET_NAMES = ["学校", "政策", "时段", "班级", "场地", "课程", "教职工", "机构", "学生", "固定安排"]


@pytest.fixture(scope="module")
def example() -> dict:
    return json.loads(EXAMPLE.read_text(encoding="utf-8"))


@pytest.fixture
def example_xlsx(tmp_path) -> Path:
    path = tmp_path / "example.xlsx"
    write_instance_workbook(load_instance(EXAMPLE).instance, path)
    return path


def load_dict(data: dict):
    return load_bytes(json.dumps(data, ensure_ascii=False).encode("utf-8"), "<test>")


def edit(path: Path, changes: dict[tuple[str, str], object], out: Path | None = None) -> Path:
    """Change cells of a workbook as a person would in Excel, e.g. {("学生", "B6"): "9-9"}."""
    wb = openpyxl.load_workbook(path)
    for (sheet, ref), value in changes.items():
        wb[sheet][ref] = value
    out = out or path
    wb.save(out)
    return out


def rejected(fn, *args) -> list[Problem]:
    with pytest.raises(InputRejected) as exc:
        fn(*args)
    return exc.value.report.errors


def find(problems: list[Problem], record: str, field: str | None = None) -> Problem:
    hits = [p for p in problems if p.record == record and (field is None or p.field == field)]
    assert hits, f"no problem for {record}.{field} in {[(p.record, p.field, p.rule) for p in problems]}"
    return hits[0]


def at(problem: Problem) -> tuple:
    return problem.rule, problem.sheet, problem.row, problem.column


# ----------------------------------------------------------------------------- round trips


def test_example_round_trip_is_lossless(example_xlsx):
    original = load_instance(EXAMPLE)
    back = read_instance_workbook(example_xlsx)
    assert back.instance.model_dump() == original.instance.model_dump()
    assert dump_instance(back.instance) == dump_instance(original.instance)
    assert [(w.rule, w.record, w.field) for w in back.warnings] == [
        (w.rule, w.record, w.field) for w in original.warnings
    ]


def rich_instance(example: dict) -> dict:
    """The example with pins, a previous plan, fractional pay, Chinese ids and the empty/null corners."""
    data = copy.deepcopy(example)
    data["previous_plan"] = "plans/上一版.json"
    data["policy"]["subsidy_per_term"] = 40000.5
    data["policy"]["fee_waiver_categories"] = ["建档立卡", "低保", "残疾"]
    data["rooms"].append(
        {
            "id": "报告厅",
            "name": "=多功能厅, 二楼",
            "kind": "礼堂",
            "capacity": 200,
            "off_campus": False,
            "travel_minutes": 0,
            "unavailable": [{"day": "mon", "period": "P1"}, {"day": "fri", "period": "EXT"}],
        }
    )
    data["courses"][0]["period_kinds"] = []  # an explicit empty list where the default is ["basic"]
    data["courses"][1]["period_kinds"] = ["basic", "extended"]
    data["courses"][2]["level"] = "standard"
    data["courses"][2]["subject"] = "体育"
    x05 = next(s for s in data["staff"] if s["id"] == "X05")
    x05["pay_per_period"] = 12.5
    x05["duties"] = [{"day": "sat", "start": "07:05", "end": "09:00"}]
    next(s for s in data["staff"] if s["id"] == "X01")["pay_per_period"] = 100.30000000000001
    data["classes"].append({"id": "007", "grade": 4, "homeroom": "报告厅"})
    data["students"].append(
        {
            "id": "学生甲",
            "class": "007",
            "days": [],
            "extended_days": ["mon"],
            "evening_days": [],
            "fee_waiver": "残疾",
            "choices": ["READ"],
            "electives_per_week": 0,
            "tutoring": ["math", "语文"],
            "advanced": True,
        }
    )
    data["pins"] = [
        {
            "activity": "HW-3-1",
            "staff": ["T01"],
            "room": "R301",
            "slots": [{"day": "mon", "period": "P1"}, {"day": "tue", "period": "P1"}],
            "students": ["S001", "学生甲"],
        },
        {"activity": "CARE-1", "staff": [], "room": None, "slots": None, "students": []},
        {"activity": "空", "staff": None, "room": None, "slots": None, "students": None},
    ]
    return data


def test_rich_round_trip_keeps_pins_nulls_empty_lists_and_money(example, tmp_path):
    original = load_dict(rich_instance(example))
    path = tmp_path / "rich.xlsx"
    write_instance_workbook(original.instance, path)
    back = read_instance_workbook(path)
    assert back.instance.model_dump() == original.instance.model_dump()
    assert back.instance.pins[1].staff == [] and back.instance.pins[2].staff is None
    assert back.instance.courses[0].period_kinds == []
    assert back.instance.policy.subsidy_per_term == 40000.5
    assert back.instance.previous_plan == "plans/上一版.json"
    assert isinstance(back.instance.classes[0].grade, int)


def test_export_is_for_people(example_xlsx):
    wb = openpyxl.load_workbook(example_xlsx)
    assert wb.sheetnames == SHEET_NAMES
    students = wb["学生"]
    assert [c.value.split("\n")[0] for c in students[1]] == [
        "学号",
        "班级",
        "基本服务日",
        "延时托管日",
        "晚自习日",
        "减免类别",
        "志愿（按顺序）",
        "每周选课数",
        "需补习学科",
        "学有余力",
    ]
    assert students["A1"].font.b and students.freeze_panes == "B2" and students.auto_filter.ref
    assert students["C2"].value == "周一, 周二, 周三, 周四, 周五" and students["J2"].value == "否"
    assert wb["时段"]["D2"].value == "基本服务" and wb["学校"]["C5"].value == "小学"
    assert wb["教职工"]["N2"].value.startswith("周一 07:40-15:30, 周二 07:40-15:30")
    assert wb["场地"]["G5"].value == "周三:P2"
    policy = {row[1]: row for row in wb["政策"].iter_rows(min_row=2, values_only=True)}
    assert policy["off_work_time"][0] == "当地下班时间" and "R4" in policy["off_work_time"][3]


# ----------------------------------------------------------------------------- template


def test_template_has_sheets_notes_dropdowns_and_policy_defaults(tmp_path):
    path = tmp_path / "template.xlsx"
    write_template(path)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == SHEET_NAMES
    for name in SHEET_NAMES:
        headers = wb[name][1]
        assert all(cell.comment is not None and cell.comment.text for cell in headers), name
    assert "R6" in wb["学生"]["E1"].comment.text and "student id" in wb["学生"]["A1"].comment.text
    dropdowns = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in wb["课程"].data_validations.dataValidation}
    assert "作业辅导" in dropdowns["C2"] and "提高" in dropdowns["F2"] and "是" in dropdowns["G2"]
    staff_kinds = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in wb["教职工"].data_validations.dataValidation}
    assert "本校教师" in staff_kinds["C2"]
    policy = {row[1]: row[2] for row in wb["政策"].iter_rows(min_row=2, values_only=True)}
    assert policy["off_work_time"] == "17:30" and policy["fee_per_term"] == 300
    assert policy["budget_must_balance"] == "否" and policy["fee_waiver_categories"] == "建档立卡, 低保"
    assert set(policy) == set(Policy.model_fields)


def test_empty_template_is_rejected_for_the_missing_school_only(tmp_path):
    """Decision: an empty template names what must be filled in (the school); empty tables are fine."""
    path = tmp_path / "template.xlsx"
    write_template(path)
    errors = rejected(read_instance_workbook, path)
    assert sorted((p.record, p.field, p.rule, p.sheet, p.column) for p in errors) == [
        ("school", "id", "FMT-FIELD", "学校", "C"),
        ("school", "name", "FMT-FIELD", "学校", "C"),
        ("school", "stage", "FMT-FIELD", "学校", "C"),
    ]


def test_filled_template_loads(tmp_path):
    path = tmp_path / "template.xlsx"
    write_template(path)
    edit(path, {("学校", "C3"): "s1", ("学校", "C4"): "一小", ("学校", "C5"): "小学"})
    loaded = read_instance_workbook(path)
    assert loaded.instance.days == ["mon", "tue", "wed", "thu", "fri"]
    assert loaded.instance.policy == Policy() and loaded.instance.students == []


# ----------------------------------------------------------------------------- problems located to the cell


def test_unknown_class_points_at_the_cell(example_xlsx):
    edit(example_xlsx, {("学生", "B6"): "9-9"})
    problem = find(rejected(read_instance_workbook, example_xlsx), "students[S005]", "class")
    assert at(problem) == ("FMT-REF", "学生", 6, "B")
    assert "学生!B6" in problem.render()


@pytest.mark.parametrize(
    ("sheet", "ref", "value", "record", "field", "rule", "cell"),
    [
        ("班级", "B2", "三", "classes[3-1]", "grade", "FMT-TYPE", "B2"),
        ("班级", "B3", 3.5, "classes[3-2]", "grade", "FMT-TYPE", "B3"),
        ("时段", "C2", "25:00", "periods[P1]", "end", "FMT-TIME", "C2"),
        ("时段", "B3", "17:30", "periods[P2]", "end", "FMT-TIME", "C3"),  # starts when it ends: blamed on the end
        ("教职工", "N2", "周一 07:40-25:30", "staff[T01]", "duties[0].end", "FMT-TIME", "N2"),
        ("场地", "E2", "也许", "rooms[R301]", "off_campus", "FMT-VALUE", "E2"),
        ("学生", "C3", "周一, 周八", "students[S002]", "days", "FMT-VALUE", "C3"),
        ("场地", "G2", "周一P1", "rooms[R301]", "unavailable", "FMT-VALUE", "G2"),
        ("课程", "C2", "补课", "courses[HW]", "category", "FMT-VALUE", "C2"),
        ("学生", "G2", "ROBOT, NOPE", "students[S001]", "choices[1]", "FMT-REF", "G2"),
        ("学生", "E28", "周一", "students[S027]", "evening_days", "R6", "E28"),
        ("学生", "F2", "特困", "students[S001]", "fee_waiver", "R18", "F2"),
        ("教职工", "J2", 50, "staff[T01]", "pay_per_period", "R19", "J2"),
        ("政策", "C6", 350, "policy", "fee_per_term", "R18", "C6"),
        ("政策", "C3", "two hours", "policy", "basic_block_minutes", "FMT-TYPE", "C3"),
        ("学校", "C5", "大学", "school", "stage", "FMT-VALUE", "C5"),
    ],
)
def test_each_problem_names_its_cell(example_xlsx, sheet, ref, value, record, field, rule, cell):
    edit(example_xlsx, {(sheet, ref): value})
    problem = find(rejected(read_instance_workbook, example_xlsx), record, field)
    assert at(problem) == (rule, sheet, int(cell[1:]), cell[0])


def test_all_problems_of_a_workbook_come_in_one_report(example_xlsx):
    edit(
        example_xlsx,
        {
            ("学生", "B6"): "9-9",
            ("班级", "B2"): "三",
            ("时段", "C2"): "25:00",
            ("场地", "E2"): "也许",
            ("学生", "C3"): "周一, 周八",
            ("学生", "E28"): "周一",
            ("学生", "K1"): "备注",
            ("学生", "K2"): "x",
        },
    )
    errors = rejected(read_instance_workbook, example_xlsx)
    got = {(p.rule, p.sheet, p.row, p.column) for p in errors}
    assert got >= {
        ("FMT-REF", "学生", 6, "B"),
        ("FMT-TYPE", "班级", 2, "B"),
        ("FMT-TIME", "时段", 2, "C"),
        ("FMT-VALUE", "场地", 2, "E"),
        ("FMT-VALUE", "学生", 3, "C"),
        ("R6", "学生", 28, "E"),
        ("FMT-FIELD", "学生", 1, "K"),
    }
    assert all(p.sheet for p in errors)
    # a cell reported once, not again by the loader as "missing"
    assert len([p for p in errors if p.record == "classes[3-1]"]) == 1


def test_missing_sheet_and_columns(example_xlsx, tmp_path):
    wb = openpyxl.load_workbook(example_xlsx)
    del wb["学生"]
    wb.save(tmp_path / "no-students.xlsx")
    errors = rejected(read_instance_workbook, tmp_path / "no-students.xlsx")
    assert [(p.rule, p.record, p.field, p.sheet) for p in errors] == [("FMT-FIELD", "instance", "students", "学生")]

    wb = openpyxl.load_workbook(example_xlsx)
    wb["学生"].delete_cols(2)  # the 班级 column
    wb.save(tmp_path / "no-class.xlsx")
    errors = rejected(read_instance_workbook, tmp_path / "no-class.xlsx")
    assert [(p.rule, p.record, p.field, p.sheet, p.row) for p in errors] == [
        ("FMT-FIELD", "students", "class", "学生", 1)
    ]  # once, not once per student


def test_unknown_column_and_key_are_problems(example_xlsx):
    edit(example_xlsx, {("学生", "K1"): "昵称", ("政策", "B20"): "max_fun"})
    errors = rejected(read_instance_workbook, example_xlsx)
    assert at(find(errors, "students", "昵称")) == ("FMT-FIELD", "学生", 1, "K")
    assert at(find(errors, "policy", "max_fun")) == ("FMT-FIELD", "政策", 20, "B")


def test_duplicate_id_points_at_the_repeat(example_xlsx):
    edit(example_xlsx, {("学生", "A4"): "S002"})
    problem = find(rejected(read_instance_workbook, example_xlsx), "students[S002]", "id")
    assert at(problem) == ("FMT-ID", "学生", 4, "A")


def test_blank_required_cell_is_a_missing_field(example_xlsx):
    edit(example_xlsx, {("课程", "I3"): None})  # CARE periods_per_session
    assert at(find(rejected(read_instance_workbook, example_xlsx), "courses[CARE]", "periods_per_session")) == (
        "FMT-FIELD",
        "课程",
        3,
        "I",
    )


@pytest.mark.parametrize("content", [b"not a workbook", b"PK\x03\x04broken zip"])
def test_unreadable_workbook_is_one_file_problem(tmp_path, content):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(content)
    assert [p.rule for p in rejected(read_instance_workbook, path)] == ["FMT-FILE"]
    assert [p.rule for p in rejected(read_instance_workbook, tmp_path / "missing.xlsx")] == ["FMT-FILE"]


# ----------------------------------------------------------------------------- what people type


def test_codes_labels_separators_and_excel_types_are_accepted(example_xlsx, tmp_path):
    wb = openpyxl.load_workbook(example_xlsx)
    wb["学校"]["C5"] = "primary"
    wb["时段"]["D2"] = "basic"
    wb["时段"]["B2"] = dt.time(15, 30)
    wb["时段"]["B2"].number_format = "hh:mm"
    wb["时段"]["C2"] = "16:30:00"
    wb["时段"]["B3"] = "16：30"
    wb["学生"]["C2"] = "mon，tue、wed,Thursday, 星期五"
    wb["学生"]["J3"] = "FALSE"
    wb["学生"]["J4"] = 0
    wb["学生"]["H2"] = 1.0
    wb["学生"]["F2"] = "无"  # nothing waived
    wb["教职工"]["H2"] = "Y"
    wb["教职工"]["H3"] = True
    wb["教职工"]["C2"] = "teacher"
    wb["教职工"]["J2"] = "80元"
    wb["教职工"]["N2"] = "mon 7:40-15:30，周二 07:40~15:30、星期三 07:40-15:30, thu 07:40-15:30, fri 07:40-15:30"
    wb["场地"]["G5"] = "wed：P2"
    wb["课程"]["E2"] = "1-6"
    wb["课程"]["E3"] = "1,2,3,4,5,6"
    wb["政策"]["C10"] = "TRUE"
    wb.save(tmp_path / "typed.xlsx")
    assert (
        read_instance_workbook(tmp_path / "typed.xlsx").instance.model_dump()
        == load_instance(EXAMPLE).instance.model_dump()
    )


def test_plain_english_headers_and_a_title_row(example_xlsx, tmp_path):
    wb = openpyxl.load_workbook(example_xlsx)
    ws = wb["学生"]
    for cell in ws[1]:
        cell.value = cell.value.split("\n")[1]  # "class", "days", ...
    ws.insert_rows(1)
    ws["A1"] = "2024 秋季课后服务报名表"
    wb["班级"]["A1"], wb["班级"]["B1"], wb["班级"]["C1"] = "班级编号", "年级", "教室"
    wb["学生"]["B7"] = "9-9"  # S005, now on row 7
    wb.save(tmp_path / "english.xlsx")
    assert at(find(rejected(read_instance_workbook, tmp_path / "english.xlsx"), "students[S005]", "class")) == (
        "FMT-REF",
        "学生",
        7,
        "B",
    )


# ----------------------------------------------------------------------------- students only


STUDENT_ROWS = [
    ["学号", "班级", "基本服务日", "延时托管日", "减免类别", "志愿（按顺序）", "每周选课数", "学有余力"],
    ["N1", "3-1", "周一，周二，周三，周四，周五", "周三", "低保", "ROBOT、FOOT", "1", "否"],
    ["N2", "4-1", "周一,周三", "", "", "READ", "2", "是"],
]


def test_import_students_from_a_workbook(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "报名导出"
    for row in STUDENT_ROWS:
        wb.active.append(row)
    wb.save(tmp_path / "students.xlsx")
    loaded = replace_students(EXAMPLE, tmp_path / "students.xlsx")
    students = loaded.instance.students
    assert [s.id for s in students] == ["N1", "N2"]
    assert students[0].days == ["mon", "tue", "wed", "thu", "fri"] and students[0].fee_waiver == "低保"
    assert students[0].choices == ["ROBOT", "FOOT"] and students[1].advanced and students[1].electives_per_week == 2
    assert students[1].extended_days == [] and students[1].evening_days == []
    assert loaded.instance.courses == load_instance(EXAMPLE).instance.courses


def csv_text(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out).writerows(rows)  # quotes "周一,周三", ends lines with \r\n as Excel does
    return out.getvalue()


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gbk"])
def test_import_students_from_csv(tmp_path, encoding):
    """R17: registrations from the sign-up system come in as they are, in any of its encodings."""
    path = tmp_path / "students.csv"
    path.write_bytes(csv_text(STUDENT_ROWS).encode(encoding))
    students = replace_students(EXAMPLE, path).instance.students
    assert [(s.id, s.class_, s.fee_waiver) for s in students] == [("N1", "3-1", "低保"), ("N2", "4-1", None)]


def test_bad_csv_rows_are_reported_by_line(tmp_path, example_xlsx):
    path = tmp_path / "报名.csv"
    rows = ["学号,班级,基本服务日,每周选课数,晚自习", "N1,3-1,周一,1,", "", "N2,9-9,周一,两门,", "N3,3-1,周九,1,"]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8-sig")
    for instance in (EXAMPLE, example_xlsx):  # a JSON instance or a workbook
        errors = rejected(replace_students, instance, path)
        assert at(find(errors, "students[N2]", "class")) == ("FMT-REF", "报名.csv", 4, "B")
        assert at(find(errors, "students[N2]", "electives_per_week")) == ("FMT-TYPE", "报名.csv", 4, "D")
        assert at(find(errors, "students[N3]", "days")) == ("FMT-VALUE", "报名.csv", 5, "C")
        assert at(find(errors, "students", "晚自习")) == ("FMT-FIELD", "报名.csv", 1, "E")
        assert len(errors) == 4


def test_replacing_students_can_break_pins(example, tmp_path):
    data = copy.deepcopy(example)
    data["pins"] = [{"activity": "HW-3-1", "students": ["S001"]}]
    (tmp_path / "inst.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "s.csv").write_text(csv_text(STUDENT_ROWS[:2]), encoding="utf-8")
    problem = find(rejected(replace_students, tmp_path / "inst.json", tmp_path / "s.csv"), "pins[HW-3-1]")
    assert problem.rule == "FMT-REF" and problem.sheet is None  # the JSON instance has no cells


# ----------------------------------------------------------------------------- the tables match the format


def test_every_field_of_the_format_has_a_column():
    for kind in TABLE_KINDS:
        model = Pin if kind == "pins" else RECORD_LISTS[kind]
        assert list(COLUMNS[kind]) == [i.alias or n for n, i in model.model_fields.items()], kind
    assert set(COLUMNS["policy"]) == set(Policy.model_fields)
    assert set(SHEETS.values()) == set(SHEET_NAMES)


# ----------------------------------------------------------------------------- command line


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )


def test_cli_convert_template_validate_and_import(tmp_path):
    x = tmp_path / "x.json"
    x.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    run = cli("convert", str(x), str(tmp_path / "y.xlsx"), cwd=ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
    run = cli("convert", str(tmp_path / "y.xlsx"), str(tmp_path / "z.json"), cwd=ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
    assert json.loads((tmp_path / "z.json").read_text(encoding="utf-8")) == json.loads(
        dump_instance(load_instance(EXAMPLE).instance)
    )

    run = cli("template", str(tmp_path / "t.xlsx"), cwd=ROOT)
    assert run.returncode == 0 and openpyxl.load_workbook(tmp_path / "t.xlsx").sheetnames == SHEET_NAMES

    broken = edit(tmp_path / "y.xlsx", {("学生", "B6"): "9-9", ("班级", "B2"): "三"}, tmp_path / "broken.xlsx")
    run = cli("validate", str(broken), cwd=ROOT)
    assert run.returncode == 2
    assert "学生!B6" in run.stdout and "班级!B2" in run.stdout
    assert "Traceback" not in run.stdout + run.stderr

    csv_path = tmp_path / "students.csv"
    csv_path.write_bytes(csv_text(STUDENT_ROWS).encode("gbk"))
    run = cli("import-students", str(x), str(csv_path), "-o", str(tmp_path / "out.json"), cwd=ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
    assert [s.id for s in load_instance(tmp_path / "out.json").instance.students] == ["N1", "N2"]
