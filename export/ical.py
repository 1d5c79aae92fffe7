"""A teacher's after-school sessions as an iCalendar file: one weekly event per session, repeating
over the term (to its last day, by default `policy.term_weeks` from the first), in Asia/Shanghai
time, with UIDs that stay the same when the plan is exported again (calendar apps then update, not
duplicate). Public holidays are left out (EXDATE) and 调休 working days added (RDATE) from the
school calendar (`export.calendar`). `teachers_ics_zip`: every serving teacher's file in one zip."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from export.i18n import label, tr
from export.timetable import Timetable
from models.common import DAYS
from models.load import Loaded
from models.plan import Plan

TZ = ZoneInfo("Asia/Shanghai")


def _first_on_or_after(start: dt.date, day: str) -> dt.date:
    return start + dt.timedelta(days=(DAYS.index(day) - start.weekday()) % 7)


def _at(date: dt.date, hhmm: str) -> dt.datetime:
    h, m = hhmm.split(":")
    return dt.datetime(date.year, date.month, date.day, int(h), int(m), tzinfo=TZ)


def term_end(loaded: Loaded, term_start: dt.date) -> dt.date:
    """The term's last day: `term_weeks` weeks from its first day."""
    return term_start + dt.timedelta(days=7 * loaded.policy.term_weeks - 1)


def teacher_ics(
    loaded: Loaded, plan: Plan, staff_id: str, term_start: dt.date, lang: str = "zh", term_last: dt.date | None = None
) -> bytes:
    """The .ics of one staff member's sessions; `KeyError` when the plan gives them nothing and
    they are not in the instance."""
    from export.calendar import school_calendar

    if staff_id not in loaded.staff and not any(staff_id in a.staff for a in plan.activities):
        raise KeyError(staff_id)
    last = term_last or term_end(loaded, term_start)
    school_cal = school_calendar(term_start, last, list(loaded.days))
    tt = Timetable(loaded, plan)
    school = loaded.instance.school
    name = tt.staff_name(staff_id)
    cal = Calendar()
    cal.add("prodid", "-//afterschool//after-school service planner//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", tr("ics_name", lang, name=name))
    cal.add("x-wr-timezone", "Asia/Shanghai")
    until = dt.datetime(last.year, last.month, last.day, 23, 59, 59, tzinfo=TZ).astimezone(dt.UTC)
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0)
    sep = "、" if lang == "zh" else ", "
    for a in plan.activities:
        if staff_id not in a.staff:
            continue
        others = sep.join(tt.staff_name(s) for s in a.staff if s != staff_id) or tr("none", lang)
        klass = f"{a.class_} · " if a.class_ else ""
        for run in tt.runs(a):
            first = _first_on_or_after(term_start, run.day)
            if first > last:
                continue
            ev = Event()
            ev.add(
                "uid", f"{school.id}/{term_start.isoformat()}/{staff_id}/{a.id}/{run.day}-{run.periods[0]}@afterschool"
            )
            ev.add("dtstamp", stamp)
            ev.add(
                "summary",
                f"{tt.course_name(a.course)}（{a.id}）" if lang == "zh" else f"{tt.course_name(a.course)} ({a.id})",
            )
            ev.add("dtstart", _at(first, run.start))
            ev.add("dtend", _at(first, run.end))
            ev.add("rrule", {"freq": "weekly", "until": until})
            skipped = [d for d, _ in school_cal.skipped_of(run.day) if d >= first]
            if skipped:  # public holidays: no session
                ev.add("exdate", [_at(d, run.start) for d in skipped])
            extra = [d for d, follows in school_cal.makeup if follows == run.day and d >= term_start]
            if extra:  # 调休 working days that run this weekday's timetable
                ev.add("rdate", [_at(d, run.start) for d in extra])
            ev.add("location", tt.room_name(a.room))
            ev.add(
                "description",
                tr(
                    "ics_desc",
                    lang,
                    kind=label("activity_kind", a.kind, lang),
                    klass=klass,
                    n=len(a.students),
                    others=others,
                ),
            )
            ev.add("categories", [label("category", tt.category(a.course), lang)])
            cal.add_component(ev)
    cal.add_missing_timezones()
    return cal.to_ical()


def teachers_ics_zip(
    loaded: Loaded, plan: Plan, term_start: dt.date, lang: str = "zh", term_last: dt.date | None = None
) -> bytes:
    """Every serving staff member's calendar in one zip: `<id>-<name>.ics`."""
    import io
    import zipfile

    tt = Timetable(loaded, plan)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for sid in tt.staff_serving:
            z.writestr(f"{sid}-{tt.staff_name(sid)}.ics", teacher_ics(loaded, plan, sid, term_start, lang, term_last))
    return buf.getvalue()
