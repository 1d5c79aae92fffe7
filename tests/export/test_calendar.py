"""The school calendar: public holidays skipped, 调休 working days added (chinese-calendar), in the
attendance sheets, the parents' notices and the teachers' calendars."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import openpyxl
from dateutil.rrule import rruleset, rrulestr
from icalendar import Calendar

from export import attendance_workbook, teacher_ics, teachers_ics_zip
from export.calendar import school_calendar
from export.timetable import Timetable

WEEK = ["mon", "tue", "wed", "thu", "fri"]
START, END = dt.date(2026, 9, 1), dt.date(2026, 12, 31)


def test_national_day_is_skipped_and_the_makeup_saturday_runs_wednesday():
    cal = school_calendar(START, END, WEEK)
    dates = {d for d, _ in cal.runs}
    for d in range(1, 8):
        assert dt.date(2026, 10, d) not in dates  # 国庆节 and the days off in lieu
    assert (dt.date(2026, 10, 10), "wed") in cal.runs  # Saturday: 调休, makes up for Wednesday 7 October
    assert dt.date(2026, 10, 10) in cal.dates_of("wed")
    assert (dt.date(2026, 10, 1), "National Day") in cal.skipped
    assert cal.holiday_name("National Day") == "国庆节"
    assert all(d.weekday() < 5 or (d, c) in cal.makeup for d, c in cal.runs)
    assert not cal.notes


def test_years_without_data_are_plain_weeks_with_a_note():
    cal = school_calendar(dt.date(2027, 3, 1), dt.date(2027, 3, 14), WEEK)
    assert len(cal.runs) == 10 and any("2027" in n for n in cal.notes)


def _occurrences(ev) -> list[dt.date]:
    rs = rruleset()
    start = ev.decoded("dtstart")
    rs.rrule(rrulestr(ev["RRULE"].to_ical().decode(), dtstart=start))
    for prop, add in (("EXDATE", rs.exdate), ("RDATE", rs.rdate)):
        values = ev.get(prop)
        for v in values if isinstance(values, list) else [values] if values is not None else []:
            for d in v.dts:
                add(d.dt)
    return [x.date() for x in rs]


def test_teacher_calendar_skips_holidays_and_adds_makeup_days(example, example_plan):
    tt = Timetable(example, example_plan)
    wed = next(
        s
        for s in tt.staff_serving
        if any(s in a.staff and any(x.day == "wed" for x in a.slots) for a in example_plan.activities)
    )
    cal = Calendar.from_ical(teacher_ics(example, example_plan, wed, START, "zh", END))
    seen: list[dt.date] = []
    for ev in cal.walk("VEVENT"):
        seen += _occurrences(ev)
    assert seen and not [d for d in seen if dt.date(2026, 10, 1) <= d <= dt.date(2026, 10, 7)]
    assert dt.date(2026, 10, 10) in seen
    assert max(seen) <= END
    z = zipfile.ZipFile(io.BytesIO(teachers_ics_zip(example, example_plan, START, "zh", END)))
    assert len(z.namelist()) == len(tt.staff_serving)
    assert any(n.startswith(f"{wed}-") for n in z.namelist())


def test_attendance_lists_real_dates(example, example_plan):
    cal = school_calendar(START, END, list(example.days))
    wb = openpyxl.load_workbook(io.BytesIO(attendance_workbook(example, example_plan, "zh", calendar=cal)))
    wed = wb["周三"]["A3"].value
    assert "10月10日" in wed and "10月7日（国庆节）" in wed and "9月2日" in wed
    thu = wb["周四"]["A3"].value
    assert "10月1日（国庆节）" in thu and "10月1日、" not in thu.split("节假日")[0]
