"""The plan as an Excel workbook to print: an overview, then one timetable per class, staff member
and room (days across, periods down, cells coloured by course category), formatted for A4
landscape, one page wide."""

from __future__ import annotations

import io

import xlsxwriter

from export.i18n import label, tr
from export.timetable import CATEGORY_COLOURS, UNKNOWN_COLOUR, Timetable, sheet_name
from models.load import Loaded
from models.plan import Plan, StaffDay

_DAY_WIDTH = 24
_LINE_HEIGHT = 15


class _Formats:
    def __init__(self, wb):
        self.wb = wb
        base = {"font_name": "SimSun", "font_size": 10, "valign": "top", "text_wrap": True, "border": 1}
        self.base = base
        self.title = wb.add_format({"font_name": "SimHei", "bold": True, "font_size": 14})
        self.subtitle = wb.add_format({"font_name": "SimSun", "font_size": 10, "font_color": "#595959"})
        self.head = wb.add_format({**base, "bold": True, "bg_color": "#BDD7EE", "align": "center", "valign": "vcenter"})
        self.row_head = wb.add_format({**base, "bold": True, "bg_color": "#F2F2F2", "valign": "vcenter"})
        self.cell = wb.add_format(base)
        self.number = wb.add_format({**base, "num_format": "0"})
        self.pct = wb.add_format({**base, "num_format": "0.0%"})
        self.bold = wb.add_format({"bold": True, "font_name": "SimHei", "font_size": 11})
        self._fills: dict[str, object] = {}

    def fill(self, category: str):
        colour = CATEGORY_COLOURS.get(category, UNKNOWN_COLOUR)
        if colour not in self._fills:
            self._fills[colour] = self.wb.add_format({**self.base, "bg_color": colour})
        return self._fills[colour]


def _print_setup(ws, title: str, one_page: bool, repeat_row: int | None = None) -> None:
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.center_horizontally()
    ws.fit_to_pages(1, 1 if one_page else 0)
    ws.set_header(f'&L&"SimSun"{title.replace("&", "&&")}')
    ws.set_footer("&R&P / &N")
    if repeat_row is not None:
        ws.repeat_rows(repeat_row)


def _grid(ws, fm: _Formats, tt: Timetable, view: str, ident: str, lang: str, top: int) -> int:
    """Write one timetable grid at row `top`; return the next free row."""
    cells = tt.cells(view, ident)
    ws.write_string(top, 0, tr("period", lang), fm.head)
    for c, day in enumerate(tt.days, start=1):
        ws.write_string(top, c, label("day", day, lang), fm.head)
    row = top + 1
    for p in tt.periods:
        ws.write_string(row, 0, tt.period_label(p), fm.row_head)
        height = 2
        for c, day in enumerate(tt.days, start=1):
            entries = cells.get((day, p), [])
            if not entries:
                ws.write_blank(row, c, None, fm.cell)
                continue
            blocks = ["\n".join(tt.lines(e, view, lang)) for e in entries]
            text = "\n\n".join(blocks)
            height = max(height, text.count("\n") + 1)
            ws.write_string(row, c, text, fm.fill(entries[0].category))
        ws.set_row(row, _LINE_HEIGHT * height)
        row += 1
    return row


def _grid_sheet(wb, fm: _Formats, tt: Timetable, view: str, ident: str, name: str, lang: str) -> None:
    ws = wb.add_worksheet(name)
    title = tt.title(view, ident, lang)
    ws.write_string(0, 0, title, fm.title)
    ws.set_row(0, 22)
    ws.set_column(0, 0, 16)
    ws.set_column(1, len(tt.days), _DAY_WIDTH)
    row = _grid(ws, fm, tt, view, ident, lang, 2)
    one_page = True
    if view == "class":
        row = _class_students(ws, fm, tt, ident, lang, row + 1)
        one_page = False
    _print_setup(ws, title, one_page)


def _class_students(ws, fm: _Formats, tt: Timetable, klass: str, lang: str, top: int) -> int:
    """Below a class's grid: each pupil's activity in every slot (rows pupils, columns slots)."""
    slots = [(d, p) for d in tt.days for p in tt.periods]
    ws.write_string(top, 0, tr("where_students", lang), fm.bold)
    head = top + 1
    ws.write_string(head, 0, tr("student", lang), fm.head)
    for c, (d, p) in enumerate(slots, start=1):
        ws.write_string(head, c, f"{label('day', d, lang)} {p}", fm.head)
    row = head + 1
    for sid in tt.class_students.get(klass, []):
        ws.write_string(row, 0, sid, fm.row_head)
        for c, (d, p) in enumerate(slots, start=1):
            a = tt.student_slot.get((sid, d, p))
            if a is None:
                ws.write_blank(row, c, None, fm.cell)
            else:
                ws.write_string(row, c, tt.course_name(a.course), fm.fill(tt.category(a.course)))
        row += 1
    if len(slots) > len(tt.days):
        ws.set_column(len(tt.days) + 1, len(slots), 11)
    return row


def _overview(wb, fm: _Formats, tt: Timetable, plan: Plan, lang: str, name: str) -> None:
    L = tt.L
    ws = wb.add_worksheet(name)
    school = L.instance.school
    title = f"{school.name} · {tr('overview', lang)}"
    ws.write_string(0, 0, title, fm.title)
    ws.write_string(
        1,
        0,
        f"{tr('plan_status', lang)}: {tr('status_' + plan.status, lang)}    {tr('printed_from', lang)}",
        fm.subtitle,
    )
    ws.set_column(0, 0, 30)
    ws.set_column(1, 1, 16)
    ws.set_column(2, 8, 14)
    m = plan.metrics
    row = 3
    ws.write_string(row, 0, tr("metric", lang), fm.head)
    ws.write_string(row, 1, tr("value", lang), fm.head)
    for key in (
        "students",
        "students_served",
        "electives_requested",
        "electives_assigned",
        "first_choice_rate",
        "any_choice_rate",
        "staff_used",
        "external_staff_used",
        "max_staff_load",
        "min_staff_load",
    ):
        row += 1
        ws.write_string(row, 0, tr(f"m_{key}", lang), fm.row_head)
        value = getattr(m, key)
        ws.write_number(row, 1, value, fm.pct if key.endswith("_rate") else fm.number)
    c = plan.costs
    row += 2
    for key, value in (
        ("c_fees", c.fee_income_per_term),
        ("c_subsidy", c.subsidy_per_term),
        ("c_income", c.fee_income_per_term + c.subsidy_per_term),
        ("c_cost", c.staff_pay_per_term),
        ("c_balance", c.balance_per_term),
    ):
        ws.write_string(row, 0, tr(key, lang), fm.row_head)
        ws.write_number(row, 1, value, fm.number)
        row += 1
    row += 1
    ws.write_string(row, 0, tr("activities", lang), fm.bold)
    row += 1
    heads = ["activity", "course", "category", "kind", "class", "slots", "room", "staff", "size"]
    for i, h in enumerate(heads):
        ws.write_string(row, i, tr(h, lang), fm.head)
    first = row
    for a in plan.activities:
        row += 1
        values = [
            a.id,
            tt.course_name(a.course),
            label("category", tt.category(a.course), lang),
            label("activity_kind", a.kind, lang),
            a.class_ or "",
            tt.times_text(a, lang),
            tt.room_name(a.room),
            "、".join(tt.staff_name(s) for s in a.staff),
        ]
        for i, v in enumerate(values):
            ws.write_string(row, i, v, fm.cell)
        ws.write_number(row, len(values), len(a.students), fm.number)
    ws.autofilter(first, 0, max(row, first), len(heads) - 1)
    ws.set_column(5, 5, 30)
    ws.set_column(7, 7, 20)
    _print_setup(ws, title, one_page=False, repeat_row=first)


def _staff_sheet(wb, fm: _Formats, tt: Timetable, plan: Plan, lang: str, name: str) -> None:
    """Each staff member's weekly load, term pay and on-site hours per day (R23, R24)."""
    ws = wb.add_worksheet(name)
    title = f"{tt.L.instance.school.name} · {tr('periods_per_week', lang)} / {tr('pay_per_term', lang)}"
    ws.write_string(0, 0, title, fm.title)
    heads = [tr("id", lang), tr("name", lang), tr("periods_per_week", lang), tr("pay_per_term", lang)]
    heads += [label("day", d, lang) for d in tt.days]
    for i, h in enumerate(heads):
        ws.write_string(2, i, h, fm.head)
    days: dict[tuple[str, str], StaffDay] = {(sd.staff, sd.day): sd for sd in plan.staff_days}
    row = 2
    for pc in plan.costs.per_staff:
        row += 1
        ws.write_string(row, 0, pc.staff, fm.cell)
        ws.write_string(row, 1, tt.staff_name(pc.staff), fm.cell)
        ws.write_number(row, 2, pc.periods_per_week, fm.number)
        ws.write_number(row, 3, pc.pay_per_term, fm.number)
        for i, d in enumerate(tt.days, start=4):
            sd = days.get((pc.staff, d))
            text = (
                ""
                if sd is None
                else f"{sd.arrive}–{sd.leave}"
                + (f" (+{sd.minutes_after_off_work}′)" if sd.minutes_after_off_work else "")
            )
            ws.write_string(row, i, text, fm.cell)
    ws.set_column(0, 0, 10)
    ws.set_column(1, 1, 16)
    ws.set_column(2, 3, 14)
    ws.set_column(4, 3 + len(tt.days), 18)
    _print_setup(ws, title, one_page=False, repeat_row=2)


def plan_workbook(loaded: Loaded, plan: Plan, lang: str = "zh") -> bytes:
    """The plan as a printable .xlsx: overview, staff load and pay, then a sheet per class, staff
    member (who serves) and room (that is used)."""
    tt = Timetable(loaded, plan)
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    fm = _Formats(wb)
    used: set[str] = set()
    _overview(wb, fm, tt, plan, lang, sheet_name(tr("overview", lang), used))
    _staff_sheet(wb, fm, tt, plan, lang, sheet_name(tr("staff", lang), used))
    for cid in tt.classes:
        _grid_sheet(wb, fm, tt, "class", cid, sheet_name(tr("sheet_class", lang, id=cid), used), lang)
    for sid in tt.staff_serving:
        name = f"{tr('sheet_staff', lang, id=sid)} {tt.staff_name(sid)}"
        _grid_sheet(wb, fm, tt, "staff", sid, sheet_name(name, used), lang)
    for rid in tt.rooms_used:
        name = f"{tr('sheet_room', lang, id=rid)} {tt.room_name(rid)}"
        _grid_sheet(wb, fm, tt, "room", rid, sheet_name(name, used), lang)
    wb.close()
    return buf.getvalue()
