"""What the school hands out (export/): each file opens and says what it should."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from icalendar import Calendar

from export import (
    attendance_workbook,
    guide_html,
    guide_pdf,
    offerings,
    plan_workbook,
    teacher_ics,
    term_end,
)
from export.timetable import Timetable, sheet_name
from tests.conftest import EXAMPLE, example_raw, run_cli

TERM = dt.date(2026, 9, 1)  # a Tuesday


def _slot_of(plan, student: str, day: str, period: str):
    for a in plan.activities:
        if student in a.students and any(s.day == day and s.period == period for s in a.slots):
            return a
    return None


# ---------------------------------------------------------------------------- workbook


def test_workbook_has_a_printable_sheet_per_class_teacher_and_room(example, example_plan):
    wb = openpyxl.load_workbook(io.BytesIO(plan_workbook(example, example_plan)))
    names = wb.sheetnames
    assert names[:2] == ["总览", "教职工"]
    for c in example.instance.classes:
        assert f"班{c.id}" in names
    tt = Timetable(example, example_plan)
    for sid in tt.staff_serving:
        assert any(n.startswith(f"师{sid} ") for n in names)
    for rid in tt.rooms_used:
        assert any(n.startswith(f"室{rid} ") for n in names)
    ws = wb["班3-1"]
    assert ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws["A1"].value.endswith("3-1 班课后服务课表")


def test_workbook_puts_a_known_pupil_in_the_right_cell(example, example_plan):
    ws = openpyxl.load_workbook(io.BytesIO(plan_workbook(example, example_plan)))["班3-1"]
    rows = list(ws.iter_rows(values_only=True))
    head = next(i for i, r in enumerate(rows) if r[0] == "学生")
    columns = {v: j for j, v in enumerate(rows[head]) if v}
    s001 = next(r for r in rows[head + 1 :] if r[0] == "S001")
    for day, label in (("mon", "周一"), ("wed", "周三"), ("fri", "周五")):
        for period in ("P1", "P2", "EXT"):
            a = _slot_of(example_plan, "S001", day, period)
            cell = s001[columns[f"{label} {period}"]]
            assert cell == (example.course[a.course].name if a else None), (day, period)
    # the grid: the P1 row, Monday column names every activity holding 3-1 pupils then
    grid_head = next(i for i, r in enumerate(rows) if r[0] == "时段")
    p1 = next(r for r in rows[grid_head + 1 :] if r[0] and r[0].startswith("P1 "))
    monday = p1[rows[grid_head].index("周一")]
    members = {s.id for s in example.instance.students if s.class_ == "3-1"}
    for a in example_plan.activities:
        if any(s.day == "mon" and s.period == "P1" for s in a.slots) and members & set(a.students):
            assert example.course[a.course].name in monday


def test_workbook_in_english(example, example_plan):
    wb = openpyxl.load_workbook(io.BytesIO(plan_workbook(example, example_plan, "en")))
    assert wb.sheetnames[0] == "Overview"
    assert "Class 3-1" in wb.sheetnames
    rows = list(wb["Class 3-1"].iter_rows(values_only=True))
    assert ("Period", "Mon", "Tue", "Wed", "Thu", "Fri") == rows[2][:6]


def test_sheet_names_are_valid_and_unique():
    used: set[str] = set()
    names = [
        sheet_name("室" + "很长的场地名称" * 6, used),
        sheet_name("室" + "很长的场地名称" * 6, used),
        sheet_name("a/b:c*d?[e]", used),
    ]
    assert all(len(n) <= 31 for n in names)
    assert len({n.lower() for n in names}) == 3
    assert not re.search(r"[\[\]:*?/\\]", names[2])


# ---------------------------------------------------------------------------- guide (R16)


def test_guide_html_names_every_elective_with_capacity_and_times(example, example_plan):
    page = guide_html(example, example_plan)
    assert page.startswith("<!DOCTYPE html>") and "课后服务指南" in page and "@page" in page
    tt = Timetable(example, example_plan)
    offs = {o.course.id: o for o in offerings(example, example_plan)}
    electives = [
        c for c in example.instance.courses if c.category not in ("homework", "tutoring", "care", "evening_study")
    ]
    assert electives
    for c in electives:
        assert c.name in page
        o = offs[c.id]
        if o.sections:
            assert f"<td>{o.capacity}<br>" in page
            for s in o.sections:
                assert tt.times_text(s.activity) in page
        else:
            assert "本学期未开班" in page
    for o in offs.values():  # type, content, staff, target grades
        assert o.type in page and o.target in page
    assert "300 元" in page  # the fee (R18)


def test_guide_capacity_is_the_sum_of_sections(example, example_plan):
    for o in offerings(example, example_plan):
        if o.group == "elective":
            for s in o.sections:
                room = example.room[s.activity.room]
                assert s.capacity == min(o.course.max_size, room.capacity, example.policy.max_group_size)
                assert s.enrolled == len(s.activity.students) <= s.capacity


def test_guide_in_english_is_escaped(example, example_plan):
    raw = example_raw()
    raw["courses"][2]["name"] = "Football <b>&</b> fun"
    from tests.conftest import load_raw

    L = load_raw(raw)
    page = guide_html(L, example_plan, "en")
    assert "service guide" in page and "Football &lt;b&gt;&amp;&lt;/b&gt; fun" in page


def test_guide_pdf_has_pages(example, example_plan):
    for lang in ("zh", "en"):
        pdf = guide_pdf(example, example_plan, lang)
        assert pdf.startswith(b"%PDF")
        assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) >= 1
        assert b"/FontFile2" in pdf and b"+WenQuanYiMicroHei" in pdf  # the CJK font embedded as a subset


# ---------------------------------------------------------------------------- attendance (R21)


def test_attendance_has_a_sheet_per_day_and_a_block_per_activity(example, example_plan):
    wb = openpyxl.load_workbook(io.BytesIO(attendance_workbook(example, example_plan)))
    assert wb.sheetnames == ["周一", "周二", "周三", "周四", "周五"]
    rows = list(wb["周一"].iter_rows(values_only=True))
    text = [r[0] for r in rows if isinstance(r[0], str)]
    monday = [a for a in example_plan.activities if any(s.day == "mon" for s in a.slots)]
    for a in monday:
        assert any(f"（{a.id}）" in x for x in text), a.id
    # one block: its pupils, sign columns, and where each goes next
    a = next(a for a in monday if a.kind == "elective")
    start = next(i for i, r in enumerate(rows) if isinstance(r[0], str) and f"（{a.id}）" in r[0])
    assert rows[start + 1][:4] == ("序号", "学号", "班级", "到（签到）")
    pupils = []
    for r in rows[start + 2 :]:
        if not isinstance(r[0], int):
            break
        pupils.append(r[1])
        assert r[5].startswith("→ ") or r[5].startswith("离校 ")
    assert sorted(pupils) == sorted(a.students)


def test_attendance_dismissal_time_is_the_end_of_the_last_activity(example, example_plan):
    tt = Timetable(example, example_plan)
    for s in example.instance.students:
        for day in s.days:
            nxt, when = tt.next_after(s.id, day, "P2")
            if nxt is None:
                assert when == ("18:30" if day in s.extended_days else "17:30")
            else:
                assert s.id in nxt.students


# ---------------------------------------------------------------------------- calendar


def test_teacher_ics_parses_back_with_weekly_sessions(example, example_plan):
    staff = next(s for s in Timetable(example, example_plan).staff_serving)
    data = teacher_ics(example, example_plan, staff, TERM)
    cal = Calendar.from_ical(data)
    assert any(c.name == "VTIMEZONE" and str(c["TZID"]) == "Asia/Shanghai" for c in cal.walk())
    events = [c for c in cal.walk() if c.name == "VEVENT"]
    tt = Timetable(example, example_plan)
    runs = [(a, r) for a in example_plan.activities if staff in a.staff for r in tt.runs(a)]
    assert len(events) == len(runs) > 0
    last = term_end(example, TERM)
    for ev in events:
        start = ev.decoded("dtstart")
        assert start.tzinfo is not None and start.utcoffset() == dt.timedelta(hours=8)
        assert TERM <= start.date() < TERM + dt.timedelta(days=7)
        rule = ev["RRULE"]
        assert rule["FREQ"] == ["WEEKLY"]
        until = rule["UNTIL"][0]
        assert until.astimezone(ZoneInfo("Asia/Shanghai")).date() == last
        assert str(ev["UID"]).startswith(f"{example.instance.school.id}/2026-09-01/{staff}/")
    # what each event says: the course and the room
    summaries = {str(ev["SUMMARY"]) for ev in events}
    for a, _ in runs:
        assert f"{example.course[a.course].name}（{a.id}）" in summaries


def test_teacher_ics_uids_are_stable(example, example_plan):
    staff = Timetable(example, example_plan).staff_serving[0]

    def uids(data: bytes) -> list[str]:
        return sorted(str(e["UID"]) for e in Calendar.from_ical(data).walk() if e.name == "VEVENT")

    assert uids(teacher_ics(example, example_plan, staff, TERM)) == uids(
        teacher_ics(example, example_plan, staff, TERM, "en")
    )


def test_teacher_ics_unknown_staff(example, example_plan):
    with pytest.raises(KeyError):
        teacher_ics(example, example_plan, "NOBODY", TERM)


def test_term_end(example):
    assert term_end(example, TERM) == dt.date(2027, 1, 4)  # 18 weeks, Monday before the 19th Tuesday


# ---------------------------------------------------------------------------- CLI


@pytest.mark.parametrize(
    "what, magic",
    [
        ("workbook", b"PK"),
        ("attendance", b"PK"),
        ("guide-pdf", b"%PDF"),
        ("guide-html", b"<!DOCTYPE html>"),
        ("ics", b"BEGIN:VCALENDAR"),
    ],
)
def test_cli_export(tmp_path, plan_file, what, magic):
    out = tmp_path / "out" / f"file-{what}"
    extra = ["--teacher", "T01"] if what == "ics" else []
    r = run_cli("export", plan_file, "--instance", EXAMPLE, "--what", what, "--out", out, "--lang", "en", *extra)
    assert r.returncode == 0, r.stdout + r.stderr
    assert out.read_bytes().startswith(magic)


def test_cli_export_bad_input_exits_2(tmp_path, plan_file):
    raw = example_raw()
    raw["staff"][0]["pay_per_period"] = 50
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    r = run_cli("export", plan_file, "--instance", bad, "--what", "workbook", "--out", tmp_path / "x.xlsx")
    assert r.returncode == 2 and "staff[T01]" in r.stdout and "R19" in r.stdout
    assert "Traceback" not in r.stdout + r.stderr
    r = run_cli("export", plan_file, "--instance", EXAMPLE, "--what", "ics", "--out", tmp_path / "x.ics")
    assert r.returncode == 2 and "--teacher" in r.stderr
    r = run_cli(
        "export", plan_file, "--instance", EXAMPLE, "--what", "ics", "--teacher", "T99", "--out", tmp_path / "x.ics"
    )
    assert r.returncode == 2 and "T99" in r.stderr
    r = run_cli(
        "export",
        plan_file,
        "--instance",
        EXAMPLE,
        "--what",
        "workbook",
        "--term-start",
        "2026-13-01",
        "--out",
        tmp_path / "x.xlsx",
    )
    assert r.returncode == 2
    r = run_cli(
        "export", tmp_path / "missing.json", "--instance", EXAMPLE, "--what", "workbook", "--out", tmp_path / "x.xlsx"
    )
    assert r.returncode == 2 and "FMT-FILE" in r.stdout
