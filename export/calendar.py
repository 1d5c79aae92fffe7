"""The school calendar: which real dates of a term the weekly timetable runs on.

From the term's first and last day and the instance's service days: public holidays are skipped and
调休 working days (a Saturday or Sunday declared a working day to make up for a bridge holiday) are
added, from the `chinese-calendar` package (the State Council's yearly notices). A 调休 working day
follows the timetable of the weekday it makes up for: it is paired, in date order, with the
in-lieu days off (调休放假的工作日) of the same holiday — e.g. Saturday 10 October 2026 runs
Wednesday's timetable, because Wednesday 7 October was given off for National Day. Years the
package has no data for yet are planned as plain weeks, with a note saying so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from models.common import DAYS

HOLIDAY_NAMES_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}


@dataclass
class SchoolCalendar:
    start: dt.date
    end: dt.date
    days: list[str]  # the instance's service days ("mon" …)
    runs: list[tuple[dt.date, str]] = field(default_factory=list)  # (date, weekday whose timetable runs)
    skipped: list[tuple[dt.date, str]] = field(default_factory=list)  # (service weekday date, holiday name)
    makeup: list[tuple[dt.date, str]] = field(default_factory=list)  # (调休 weekend date, weekday it follows)
    notes: list[str] = field(default_factory=list)

    def dates_of(self, day: str) -> list[dt.date]:
        """The dates on which `day`'s timetable runs (its own weekdays, and 调休 days following it)."""
        return [d for d, code in self.runs if code == day]

    def skipped_of(self, day: str) -> list[tuple[dt.date, str]]:
        return [(d, n) for d, n in self.skipped if DAYS[d.weekday()] == day]

    def holiday_name(self, name: str, lang: str = "zh") -> str:
        return HOLIDAY_NAMES_ZH.get(name, name) if lang == "zh" else name


def _info(date: dt.date):
    """(is_holiday, is_workday, holiday name, in lieu) or None when the package has no data for the year."""
    import chinese_calendar as cc

    try:
        holiday, name = cc.get_holiday_detail(date)
        return holiday, cc.is_workday(date), name, cc.is_in_lieu(date)
    except NotImplementedError:
        return None


def school_calendar(start: dt.date, end: dt.date, days: list[str]) -> SchoolCalendar:
    """The term's dates: service weekdays that are not holidays, plus 调休 working days."""
    if end < start:
        raise ValueError(f"学期结束 {end} 早于开始 {start} / the term ends before it starts")
    cal = SchoolCalendar(start, end, list(days))
    unknown_years: set[int] = set()
    makeups: list[tuple[dt.date, str]] = []  # (weekend working day, holiday name)
    lieu: dict[str, list[dt.date]] = {}
    d = start
    while d <= end:
        code = DAYS[d.weekday()]
        info = _info(d)
        if info is None:
            unknown_years.add(d.year)
            if code in days:
                cal.runs.append((d, code))
        else:
            holiday, workday, name, in_lieu = info
            if d.weekday() >= 5 and workday and name:
                makeups.append((d, name))
            elif code in days and holiday and d.weekday() < 5:
                cal.skipped.append((d, name or "holiday"))
            elif code in days and not holiday:
                cal.runs.append((d, code))
            if in_lieu and name and d.weekday() < 5:
                lieu.setdefault(name, []).append(d)
        d += dt.timedelta(days=1)
    # in-lieu days of the term's holidays that fall outside the term still pair with a makeup day inside it
    for day, name in makeups:
        if name not in lieu:
            lieu[name] = []
            probe = day - dt.timedelta(days=40)
            while probe <= day + dt.timedelta(days=40):
                info = _info(probe)
                if info and info[3] and info[2] == name and probe.weekday() < 5:
                    lieu[name].append(probe)
                probe += dt.timedelta(days=1)
    used: dict[str, int] = {}
    for day, name in makeups:
        pool = sorted(lieu.get(name, []))
        i = used.get(name, 0)
        used[name] = i + 1
        follows = DAYS[pool[i].weekday()] if i < len(pool) else None
        if follows and follows in days:
            cal.runs.append((day, follows))
            cal.makeup.append((day, follows))
        else:
            cal.notes.append(
                f"{day.isoformat()} 调休上班，但找不到对应的工作日课表，未安排课后服务 / a make-up working day "
                "with no weekday to follow: no service"
            )
    cal.runs.sort()
    for y in sorted(unknown_years):
        cal.notes.append(
            f"{y} 年的节假日安排尚未收录（chinese-calendar），该年按平常周安排 / no holiday data for {y} yet: "
            "plain weeks"
        )
    return cal


def dates_text(dates: list[dt.date], lang: str = "zh") -> str:
    if lang == "zh":
        return "、".join(f"{d.month}月{d.day}日" for d in dates)
    return ", ".join(d.strftime("%d %b") for d in dates)
