"""Printouts people post and keep: class and pupil timetables (PDF and PNG) and the notice for each
family (家长告知书), with pupils' names from an optional roster (`models.roster`).

Every PDF embeds its CJK font as a subset (`export.fonts`), numbers its pages ("第 2 页 / 共
31 页") and names the plan's version and date in every page's footer. PNGs (for the class chat
group, 班级群) are drawn with Pillow in the same font and colours as the screen and the workbook.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import io
from collections.abc import Callable
from dataclasses import dataclass, field

from export.fonts import pil_font, register_pdf_font
from export.i18n import label, tr
from export.timetable import Timetable
from models.load import Loaded
from models.plan import Activity, Plan
from models.roster import Roster

# ---------------------------------------------------------------------------- the plan's version and date


@dataclass(frozen=True)
class PrintInfo:
    """What every printout's footer says: which plan (its version) and when it was printed."""

    version: str
    date: dt.date = field(default_factory=dt.date.today)

    def footer(self, lang: str) -> str:
        return tr("p_footer", lang, version=self.version, date=self.date.isoformat())


def plan_fingerprint(plan: Plan) -> str:
    """A short fingerprint of the plan's content: the same plan always prints the same version."""
    return hashlib.sha256(plan.to_json().encode("utf-8")).hexdigest()[:8]


def default_info(plan: Plan, version: str | None = None, date: dt.date | None = None) -> PrintInfo:
    return PrintInfo(version or plan_fingerprint(plan), date or dt.date.today())


# ---------------------------------------------------------------------------- names


class Names:
    """Pupils' names from the roster, ids where there is none."""

    def __init__(self, roster: Roster | None):
        self.roster = roster

    def name(self, sid: str) -> str:
        return (self.roster.name(sid) if self.roster else "") or ""

    def label(self, sid: str) -> str:
        n = self.name(sid)
        return f"{n}（{sid}）" if n else sid


# ---------------------------------------------------------------------------- a grid, shared by PDF and PNG


@dataclass
class Cell:
    colour: str
    lines: list[str]


@dataclass
class Grid:
    title: str
    subtitle: str
    days: list[str]  # labels
    periods: list[str]  # labels (id and times)
    cells: list[list[list[Cell]]]  # [period][day] → entries


def timetable_grid(tt: Timetable, view: str, ident: str, lang: str, names: Names) -> Grid:
    cells = tt.cells(view, ident)
    rows = []
    for p in tt.periods:
        row = []
        for d in tt.days:
            row.append([Cell(e.colour, tt.lines(e, view, lang)) for e in cells.get((d, p), [])])
        rows.append(row)
    L = tt.L
    school = L.instance.school.name
    if view == "student":
        s = L.student.get(ident)
        title = tr(
            "p_pupil_title", lang, school=school, name=names.name(ident) or ident, id=ident, klass=s.class_ if s else ""
        )
    elif view == "class":
        title = tr("class_title", lang, school=school, klass=ident)
    else:
        title = tt.title(view, ident, lang)
    plabels = [tt.period_label(p) for p in tt.periods]
    return Grid(title, "", [label("day", d, lang) for d in tt.days], plabels, rows)


# ---------------------------------------------------------------------------- PNG


def _wrap(draw, text: str, font, width: int) -> list[str]:
    """Break `text` into lines no wider than `width` pixels (character by character: CJK has no spaces)."""
    out, line = [], ""
    for ch in text:
        if draw.textlength(line + ch, font=font) > width and line:
            out.append(line)
            line = ch.lstrip()
        else:
            line += ch
    if line:
        out.append(line)
    return out or [""]


def grid_png(grid: Grid, footer: str, scale: float = 1.0) -> bytes:
    """A timetable grid as a PNG image (white background, coloured entries, CJK text)."""
    from PIL import Image, ImageDraw

    s = scale
    title_f, head_f, cell_f, small_f = (
        pil_font(int(30 * s)),
        pil_font(int(20 * s)),
        pil_font(int(17 * s)),
        pil_font(int(15 * s)),
    )
    margin, left_w, col_w, pad, line_h = int(24 * s), int(150 * s), int(230 * s), int(6 * s), int(22 * s)
    width = 2 * margin + left_w + col_w * len(grid.days)
    probe = ImageDraw.Draw(Image.new("RGB", (10, 10)))
    # lay out every cell first: its wrapped lines and height
    laid: list[list[list[tuple[str, list[str]]]]] = []
    heights = []
    for row in grid.cells:
        lrow, h = [], int(56 * s)
        for entries in row:
            blocks, hh = [], pad
            for e in entries:
                lines = [
                    w
                    for i, ln in enumerate(e.lines)
                    for w in _wrap(probe, ln, cell_f if i == 0 else small_f, col_w - 4 * pad)
                ]
                blocks.append((e.colour, lines))
                hh += len(lines) * line_h + 2 * pad
            lrow.append(blocks)
            h = max(h, hh + pad)
        laid.append(lrow)
        heights.append(h)
    head_h = int(40 * s)
    title_lines = _wrap(probe, grid.title, title_f, width - 2 * margin)
    top = margin + len(title_lines) * int(40 * s) + int(10 * s)
    height = top + head_h + sum(heights) + int(60 * s)
    img = Image.new("RGB", (width, height), "white")
    d = ImageDraw.Draw(img)
    y = margin
    for ln in title_lines:
        d.text((margin, y), ln, fill="#1F3864", font=title_f)
        y += int(40 * s)
    x0, y0 = margin, top
    grey = "#999999"
    d.rectangle([x0, y0, width - margin, y0 + head_h], fill="#DDEBF7", outline=grey)
    for j, day in enumerate(grid.days):
        cx = x0 + left_w + j * col_w
        d.text((cx + col_w / 2, y0 + head_h / 2), day, fill="black", font=head_f, anchor="mm")
    y = y0 + head_h
    for i, laid_row in enumerate(laid):
        h = heights[i]
        d.rectangle([x0, y, x0 + left_w, y + h], fill="#F2F2F2", outline=grey)
        pid, _, times = grid.periods[i].partition(" ")
        d.text((x0 + pad * 2, y + pad * 2), pid, fill="black", font=head_f)
        d.text((x0 + pad * 2, y + pad * 2 + line_h + 4), times, fill="#555555", font=small_f)
        for j, laid_blocks in enumerate(laid_row):
            cx = x0 + left_w + j * col_w
            d.rectangle([cx, y, cx + col_w, y + h], outline=grey)
            by = y + pad
            for colour, lines in laid_blocks:
                bh = len(lines) * line_h + pad
                d.rounded_rectangle(
                    [cx + pad, by, cx + col_w - pad, by + bh], radius=int(5 * s), fill=colour, outline="#BBBBBB"
                )
                ty = by + pad // 2
                for k, ln in enumerate(lines):
                    d.text(
                        (cx + 2 * pad, ty),
                        ln,
                        fill="black" if k == 0 else "#333333",
                        font=cell_f if k == 0 else small_f,
                    )
                    ty += line_h
                by += bh + pad
        y += h
    d.text((margin, y + int(18 * s)), footer, fill="#777777", font=small_f)
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=True)
    return buf.getvalue()


def timetable_png(
    loaded: Loaded,
    plan: Plan,
    view: str,
    ident: str,
    lang: str = "zh",
    roster: Roster | None = None,
    info: PrintInfo | None = None,
) -> bytes:
    """One timetable (view "class", "student", "staff" or "room") as a PNG image."""
    info = info or default_info(plan)
    grid = timetable_grid(Timetable(loaded, plan), view, ident, lang, Names(roster))
    return grid_png(grid, f"{loaded.instance.school.name} · {info.footer(lang)}")


def class_pngs_zip(
    loaded: Loaded,
    plan: Plan,
    klass: str,
    lang: str = "zh",
    roster: Roster | None = None,
    info: PrintInfo | None = None,
) -> bytes:
    """A zip of PNGs: the class's timetable and one per pupil of the class."""
    import zipfile

    info = info or default_info(plan)
    tt = Timetable(loaded, plan)
    names = Names(roster)
    buf = io.BytesIO()
    footer = f"{loaded.instance.school.name} · {info.footer(lang)}"
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(f"{klass}.png", grid_png(timetable_grid(tt, "class", klass, lang, names), footer))
        for sid in tt.class_students.get(klass, []):
            stem = f"{klass}-{sid}" + (f"-{names.name(sid)}" if names.name(sid) else "")
            z.writestr(f"{stem}.png", grid_png(timetable_grid(tt, "student", sid, lang, names), footer))
    return buf.getvalue()


# ---------------------------------------------------------------------------- PDF plumbing


def _canvas_maker(footer_left: str, lang: str):
    """A reportlab canvas class that writes "page i of n" and the plan's version on every page."""
    from reportlab.pdfgen import canvas

    font = register_pdf_font()

    class NumberedCanvas(canvas.Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            n = len(self._pages)
            for i, page in enumerate(self._pages, start=1):
                self.__dict__.update(page)
                w, _h = self._pagesize
                self.setFont(font, 8)
                self.setFillColorRGB(0.35, 0.35, 0.35)
                self.drawString(12 * 2.8346, 6 * 2.8346, footer_left)
                self.drawRightString(w - 12 * 2.8346, 6 * 2.8346, tr("p_page", lang, i=i, n=n))
                super().showPage()
            super().save()

    return NumberedCanvas


@dataclass
class _Styles:
    font: str
    title: object
    h2: object
    body: object
    small: object
    cell: object
    cell_small: object


def _styles() -> _Styles:
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle

    f = register_pdf_font()
    body = ParagraphStyle("b", fontName=f, fontSize=10, leading=14, wordWrap="CJK")
    return _Styles(
        f,
        ParagraphStyle("t", fontName=f, fontSize=16, leading=21, spaceAfter=4, textColor=colors.HexColor("#1F3864")),
        ParagraphStyle(
            "h2", fontName=f, fontSize=12, leading=16, spaceBefore=6, spaceAfter=3, textColor=colors.HexColor("#1F3864")
        ),
        body,
        ParagraphStyle("s", parent=body, fontSize=8.5, leading=11, textColor=colors.HexColor("#555555")),
        ParagraphStyle("c", parent=body, fontSize=8.5, leading=10.5),
        ParagraphStyle("cs", parent=body, fontSize=7.5, leading=9.5, textColor=colors.HexColor("#333333")),
    )


def para(text: str, style) -> object:
    from reportlab.platypus import Paragraph

    return Paragraph(html.escape(text).replace("\n", "<br/>"), style)


def build_pdf(story: list, *, title: str, author: str, footer: str, lang: str, landscape_page: bool = False) -> bytes:
    """A4 PDF of `story`, the CJK font embedded, every page numbered with `footer` beside the number."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=landscape(A4) if landscape_page else A4,
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=12 * mm,
        bottomMargin=14 * mm,
        title=title,
        author=author,
        creator="afterschool",
    )
    doc.build(story, canvasmaker=_canvas_maker(footer, lang))
    return buf.getvalue()


def _grid_table(grid: Grid, st: _Styles, width_mm: float):
    from reportlab.lib import colors
    from reportlab.lib.units import mm
    from reportlab.platypus import Table, TableStyle

    left = 26
    col = (width_mm - left) / max(1, len(grid.days))
    data = [[para("", st.cell)] + [para(d, st.cell) for d in grid.days]]
    styles = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDEBF7")),
        ("BACKGROUND", (0, 1), (0, -1), colors.HexColor("#F2F2F2")),
    ]
    for i, row in enumerate(grid.cells, start=1):
        cells = [para(grid.periods[i - 1].replace(" ", "\n"), st.cell)]
        for j, entries in enumerate(row, start=1):
            if not entries:
                cells.append("")
                continue
            if len(entries) == 1:
                e = entries[0]
                cells.append([para(e.lines[0], st.cell)] + [para(x, st.cell_small) for x in e.lines[1:]])
                styles.append(("BACKGROUND", (j, i), (j, i), colors.HexColor(e.colour)))
            else:
                inner = Table(
                    [[[para(e.lines[0], st.cell)] + [para(x, st.cell_small) for x in e.lines[1:]]] for e in entries],
                    colWidths=[(col - 3) * mm],
                )
                inner.setStyle(
                    TableStyle(
                        [("BACKGROUND", (0, k), (0, k), colors.HexColor(e.colour)) for k, e in enumerate(entries)]
                        + [
                            ("LINEBELOW", (0, 0), (-1, -2), 0.3, colors.white),
                            ("LEFTPADDING", (0, 0), (-1, -1), 2),
                            ("RIGHTPADDING", (0, 0), (-1, -1), 2),
                        ]
                    )
                )
                cells.append(inner)
        data.append(cells)
    t = Table(data, colWidths=[left * mm] + [col * mm] * len(grid.days), repeatRows=1, hAlign="LEFT")
    t.setStyle(TableStyle(styles))
    return t


def _page_footer(loaded: Loaded, info: PrintInfo, lang: str) -> str:
    return f"{loaded.instance.school.name} · {info.footer(lang)}"


# ---------------------------------------------------------------------------- class and pupil timetables


def _electives_of(tt: Timetable, sid: str, lang: str) -> str:
    sep = "、" if lang == "zh" else "; "
    acts = [a for a in tt.plan.activities if sid in a.students and a.kind in ("elective", "tutoring")]
    return sep.join(f"{tt.course_name(a.course)} {tt.times_text(a, lang)}" for a in sorted(acts, key=lambda a: a.id))


def class_timetables_pdf(
    loaded: Loaded,
    plan: Plan,
    lang: str = "zh",
    roster: Roster | None = None,
    info: PrintInfo | None = None,
    classes: list[str] | None = None,
) -> bytes:
    """Each class's timetable on its own page(s), followed by its pupils (names from the roster) and
    the clubs each one attends."""
    from reportlab.lib import colors
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, Spacer, Table, TableStyle

    info = info or default_info(plan)
    tt = Timetable(loaded, plan)
    names = Names(roster)
    st = _styles()
    story: list = []
    for k, cid in enumerate(classes or tt.classes):
        if k:
            story.append(PageBreak())
        grid = timetable_grid(tt, "class", cid, lang, names)
        story += [para(grid.title, st.title), _grid_table(grid, st, 273), Spacer(1, 4 * mm)]
        pupils = tt.class_students.get(cid, [])
        if pupils:
            story.append(para(tr("p_class_pupils", lang, n=len(pupils)), st.h2))
            rows = [[para(tr(h, lang), st.cell) for h in ("att_no", "att_student", "name", "p_clubs")]]
            for i, sid in enumerate(pupils, start=1):
                rows.append(
                    [
                        para(str(i), st.cell),
                        para(sid, st.cell),
                        para(names.name(sid), st.cell),
                        para(_electives_of(tt, sid, lang) or tr("none", lang), st.cell_small),
                    ]
                )
            t = Table(rows, colWidths=[12 * mm, 24 * mm, 30 * mm, 207 * mm], repeatRows=1, hAlign="LEFT")
            t.setStyle(
                TableStyle(
                    [
                        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#F2F2F2")),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ]
                )
            )
            story.append(t)
    school = loaded.instance.school.name
    return build_pdf(
        story,
        title=tr("p_class_doc", lang, school=school),
        author=school,
        footer=_page_footer(loaded, info, lang),
        lang=lang,
        landscape_page=True,
    )


def pupil_timetables_pdf(
    loaded: Loaded,
    plan: Plan,
    klass: str,
    lang: str = "zh",
    roster: Roster | None = None,
    info: PrintInfo | None = None,
) -> bytes:
    """One page per pupil of `klass`: the pupil's own week."""
    from reportlab.platypus import PageBreak

    info = info or default_info(plan)
    tt = Timetable(loaded, plan)
    names = Names(roster)
    st = _styles()
    story: list = []
    for k, sid in enumerate(tt.class_students.get(klass, [])):
        if k:
            story.append(PageBreak())
        grid = timetable_grid(tt, "student", sid, lang, names)
        story += [para(grid.title, st.title), _grid_table(grid, st, 273)]
    if not story:
        story.append(para(tr("none", lang), st.body))
    school = loaded.instance.school.name
    return build_pdf(
        story,
        title=tr("p_pupil_doc", lang, school=school, klass=klass),
        author=school,
        footer=_page_footer(loaded, info, lang),
        lang=lang,
        landscape_page=True,
    )


# ---------------------------------------------------------------------------- parents' notices (家长告知书)


@dataclass
class DayPlan:
    day: str
    items: list[tuple[str, str, str, str]]  # (time, what, place, who)
    pickup: str  # when to collect the pupil


def pupil_week(tt: Timetable, sid: str, lang: str) -> list[DayPlan]:
    """The pupil's week, day by day: each session (time, what, place, staff) and the pick-up time."""
    out = []
    seen: set[tuple[str, str]] = set()
    for day in tt.days:
        items: list[tuple[int, str, str, str, str]] = []
        last_end = ""
        for p in tt.periods:
            a: Activity | None = tt.student_slot.get((sid, day, p))
            if a is None or (a.id, day) in seen:
                continue
            seen.add((a.id, day))
            for run in tt.runs(a):
                if run.day != day:
                    continue
                what = tt.course_name(a.course)
                if a.kind == "homework" and a.class_ is None:
                    what += "（合班）" if lang == "zh" else " (merged classes)"
                items.append(
                    (
                        tt.L.period_index[run.periods[0]],
                        f"{run.start}–{run.end}",
                        what,
                        tt.room_name(a.room),
                        ("、" if lang == "zh" else ", ").join(tt.staff_name(s) for s in a.staff),
                    )
                )
                last_end = max(last_end, run.end)
        if items:
            items.sort()
            out.append(DayPlan(day, [i[1:] for i in items], last_end))
    return out


def fee_text(loaded: Loaded, sid: str, lang: str) -> str:
    """The term's fee after waivers (R18)."""
    s = loaded.student.get(sid)
    fee = loaded.policy.fee_per_term
    if s is not None and s.fee_waiver and s.fee_waiver in loaded.policy.fee_waiver_categories:
        return tr("n_fee_waived", lang, fee=fee, category=s.fee_waiver)
    return tr("n_fee", lang, fee=fee)


def parent_notices_pdf(
    loaded: Loaded,
    plan: Plan,
    klass: str,
    lang: str = "zh",
    roster: Roster | None = None,
    info: PrintInfo | None = None,
    calendar=None,
) -> bytes:
    """The notice for each family of `klass` (家长告知书): one page per pupil with the pupil's clubs,
    days, times, places, the fee after waivers (R18) and when to collect the pupil."""
    from reportlab.lib import colors
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, PageBreak, Spacer, Table, TableStyle

    info = info or default_info(plan)
    tt = Timetable(loaded, plan)
    names = Names(roster)
    st = _styles()
    school = loaded.instance.school.name
    story: list = []
    for k, sid in enumerate(tt.class_students.get(klass, [])):
        if k:
            story.append(PageBreak())
        pupil = roster.get(sid) if roster else None
        guardian = pupil.guardian if pupil and pupil.guardian else ""
        story.append(para(tr("n_title", lang, school=school), st.title))
        story.append(para(tr("n_pupil", lang, name=names.name(sid) or "＿＿＿＿", id=sid, klass=klass), st.body))
        story.append(Spacer(1, 2 * mm))
        story.append(para(tr("n_dear", lang, guardian=guardian or tr("n_guardian", lang)), st.body))
        story.append(para(tr("n_intro", lang), st.body))
        if calendar is not None:
            story.append(
                para(tr("n_term", lang, start=calendar.start.isoformat(), end=calendar.end.isoformat()), st.body)
            )
        week = pupil_week(tt, sid, lang)
        story.append(para(tr("n_week", lang), st.h2))
        rows = [[para(tr(h, lang), st.cell) for h in ("day", "n_time", "n_what", "g_place", "g_staff", "n_pickup")]]
        spans = []
        for dp in week:
            first = len(rows)
            for j, (time, what, place, who) in enumerate(dp.items):
                rows.append(
                    [
                        para(label("day", dp.day, lang), st.cell) if j == 0 else "",
                        para(time, st.cell),
                        para(what, st.cell),
                        para(place, st.cell),
                        para(who, st.cell_small),
                        para(dp.pickup, st.cell) if j == 0 else "",
                    ]
                )
            if len(dp.items) > 1:
                spans += [("SPAN", (0, first), (0, len(rows) - 1)), ("SPAN", (5, first), (5, len(rows) - 1))]
        if not week:
            rows.append([para(tr("n_not_registered", lang), st.cell), "", "", "", "", ""])
            spans.append(("SPAN", (0, 1), (-1, 1)))
        t = Table(rows, colWidths=[16 * mm, 26 * mm, 42 * mm, 36 * mm, 38 * mm, 28 * mm], repeatRows=1, hAlign="LEFT")
        t.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDEBF7")),
                    *spans,
                ]
            )
        )
        story.append(t)
        clubs = [a for a in plan.activities if sid in a.students and a.kind in ("elective", "tutoring")]
        story.append(para(tr("n_clubs", lang), st.h2))
        if clubs:
            for a in sorted(clubs, key=lambda a: a.id):
                story.append(
                    para(
                        tr(
                            "n_club_line",
                            lang,
                            course=tt.course_name(a.course),
                            kind=label("category", tt.category(a.course), lang),
                            times=tt.times_text(a, lang),
                            place=tt.room_name(a.room),
                            staff=("、" if lang == "zh" else ", ").join(tt.staff_name(s) for s in a.staff),
                        ),
                        st.body,
                    )
                )
        else:
            story.append(para(tr("n_no_clubs", lang), st.body))
        story.append(para(tr("n_fee_head", lang), st.h2))
        story.append(para(fee_text(loaded, sid, lang), st.body))
        story.append(para(tr("n_pickup_note", lang), st.body))
        story.append(Spacer(1, 6 * mm))
        story.append(
            KeepTogether(
                [
                    para(tr("n_sign", lang), st.body),
                    Spacer(1, 2 * mm),
                    para(tr("n_school_sign", lang, school=school, date=info.date.isoformat()), st.small),
                ]
            )
        )
    if not story:
        story.append(para(tr("none", lang), st.body))
    return build_pdf(
        story,
        title=tr("n_doc", lang, school=school, klass=klass),
        author=school,
        footer=_page_footer(loaded, info, lang),
        lang=lang,
    )


PRINTOUTS: dict[str, Callable] = {
    "class-pdf": class_timetables_pdf,
    "pupil-pdf": pupil_timetables_pdf,
    "notices": parent_notices_pdf,
}
