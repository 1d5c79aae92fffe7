"""Attendance sheets (R21): one worksheet per service day, one block per activity session with its
pupils, columns to tick and sign, and where each pupil goes next (handover) or when they leave
(dismissal). Each block starts on a new printed page."""

from __future__ import annotations

import io

import xlsxwriter

from export.i18n import label, tr
from export.timetable import CATEGORY_COLOURS, UNKNOWN_COLOUR, Timetable, sheet_name
from models.load import Loaded
from models.plan import Plan
from models.roster import Roster

_COLUMNS = ("att_no", "att_student", "att_class", "att_in", "att_absent", "att_next", "att_out", "att_note")
_WIDTHS = (6, 12, 9, 12, 14, 30, 14, 18)


def attendance_workbook(
    loaded: Loaded, plan: Plan, lang: str = "zh", roster: Roster | None = None, info=None, calendar=None
) -> bytes:
    """An .xlsx with a sheet per day; block per activity session: pupils (id, name from the roster
    when one is given, class), sign columns. `info` (a `printouts.PrintInfo`) names the plan's
    version and date in the page footer. With a school calendar (`export.calendar`) each day's
    sheet lists the term's real dates of that timetable (holidays left out, 调休 days added)."""
    from export.printouts import default_info

    info = info or default_info(plan)
    tt = Timetable(loaded, plan)
    columns = _COLUMNS if roster is None else (*_COLUMNS[:2], "name", *_COLUMNS[2:])
    widths = _WIDTHS if roster is None else (*_WIDTHS[:2], 10, *_WIDTHS[2:])
    last = len(columns) - 1
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    base = {"font_name": "SimSun", "font_size": 10, "border": 1, "valign": "vcenter"}
    title_f = wb.add_format({"font_name": "SimHei", "bold": True, "font_size": 14})
    legend_f = wb.add_format({"font_name": "SimSun", "font_size": 9, "font_color": "#595959", "text_wrap": True})
    head_f = wb.add_format({**base, "bold": True, "bg_color": "#F2F2F2", "align": "center", "text_wrap": True})
    cell_f = wb.add_format(base)
    next_f = wb.add_format({**base, "text_wrap": True, "font_size": 9})
    foot_f = wb.add_format({"font_name": "SimSun", "font_size": 10})
    block_fmts: dict[str, object] = {}
    used: set[str] = set()
    for day in tt.days:
        sessions = []
        for a in plan.activities:
            for run in tt.runs(a):
                if run.day == day:
                    sessions.append((loaded.period_index.get(run.periods[0], 0), a.kind != "elective", a.id, a, run))
        if not sessions:
            continue
        sessions.sort(key=lambda t: t[:3])
        ws = wb.add_worksheet(sheet_name(label("day", day, lang), used))
        title = tr("att_title", lang, school=loaded.instance.school.name, day=label("day", day, lang))
        ws.write_string(0, 0, title, title_f)
        ws.merge_range(1, 0, 1, last, tr("att_legend", lang), legend_f)
        ws.set_row(1, 28)
        if calendar is not None:
            from export.calendar import dates_text

            text = tr("att_dates", lang, n=len(calendar.dates_of(day)), dates=dates_text(calendar.dates_of(day), lang))
            off = calendar.skipped_of(day)
            if off:
                sep = "、" if lang == "zh" else ", "
                text += tr(
                    "att_off",
                    lang,
                    dates=sep.join(
                        f"{dates_text([d], lang)}（{calendar.holiday_name(n, lang)}）"
                        if lang == "zh"
                        else f"{dates_text([d], lang)} ({calendar.holiday_name(n, lang)})"
                        for d, n in off
                    ),
                )
            ws.merge_range(2, 0, 2, last, text, legend_f)
            ws.set_row(2, 15 * (1 + len(text) // 70))
        for c, w in enumerate(widths):
            ws.set_column(c, c, w)
        row = 3
        breaks = []
        for _, _, _, a, run in sessions:
            if row > 3:
                breaks.append(row)
            colour = CATEGORY_COLOURS.get(tt.category(a.course), UNKNOWN_COLOUR)
            if colour not in block_fmts:
                block_fmts[colour] = wb.add_format({**base, "bold": True, "bg_color": colour, "text_wrap": True})
            staff = "、".join(tt.staff_name(s) for s in a.staff) or tr("none", lang)
            text = tr(
                "att_block",
                lang,
                course=tt.course_name(a.course),
                id=a.id,
                time=f"{run.start}–{run.end}",
                room=tt.room_name(a.room),
                staff=staff,
                n=len(a.students),
            )
            ws.merge_range(row, 0, row, last, text, block_fmts[colour])
            ws.set_row(row, 30)
            row += 1
            for c, key in enumerate(columns):
                ws.write_string(row, c, tr(key, lang), head_f)
            row += 1
            pupils = sorted(a.students, key=lambda s: (tt.class_of(s), s))
            for i, sid in enumerate(pupils, start=1):
                nxt, when = tt.next_after(sid, day, run.periods[-1])
                then = (
                    tr("att_handover", lang, course=tt.course_name(nxt.course), room=tt.room_name(nxt.room))
                    if nxt is not None
                    else tr("att_dismiss", lang, time=when)
                )
                ws.write_number(row, 0, i, cell_f)
                ws.write_string(row, 1, sid, cell_f)
                k = 2
                if roster is not None:
                    ws.write_string(row, k, roster.name(sid), cell_f)
                    k += 1
                ws.write_string(row, k, tt.class_of(sid), cell_f)
                for c in (k + 1, k + 2):
                    ws.write_blank(row, c, None, cell_f)
                ws.write_string(row, k + 3, then, next_f)
                for c in (k + 4, k + 5):
                    ws.write_blank(row, c, None, cell_f)
                ws.set_row(row, 20)
                row += 1
            ws.write_string(row, 0, tr("att_footer", lang), foot_f)
            row += 2
        ws.set_portrait()
        ws.set_paper(9)
        ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
        ws.set_print_scale(85)  # fits A4 width; "fit to page" would make Excel ignore the page breaks
        ws.set_header(f'&L&"SimSun"{title.replace("&", "&&")}')
        ws.set_footer(f'&L&"SimSun"{info.footer(lang).replace("&", "&&")}&R&P / &N')
        if breaks:
            ws.set_h_pagebreaks(breaks)
    if not used:  # a plan without activities: one sheet that says so
        wb.add_worksheet(tr("overview", lang)).write_string(0, 0, tr("none", lang))
    wb.close()
    return buf.getvalue()
