"""The service guide (课后服务指南, R16): for each offering its type, content, staff, who may
join, capacity and times — as a printable HTML page and as a PDF (reportlab, built-in CJK font)."""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from export.i18n import label, tr
from export.timetable import CATEGORY_COLOURS, UNKNOWN_COLOUR, Timetable
from models.instance import Course
from models.load import Loaded
from models.plan import Activity, Plan

ASSIGNED = ("homework", "care", "evening_study")


@dataclass
class Section:
    activity: Activity
    times: str
    place: str
    staff: str
    enrolled: int
    capacity: int


@dataclass
class Offering:
    """One course of the catalogue as the guide presents it."""

    course: Course
    group: str  # "elective", "tutoring" or "assigned"
    type: str
    content: str
    target: str
    sections: list[Section] = field(default_factory=list)
    times: str = ""  # assigned services: when they run
    staff: str = ""
    note: str = ""
    place: str = ""

    @property
    def capacity(self) -> int:
        return sum(s.capacity for s in self.sections)

    @property
    def enrolled(self) -> int:
        return sum(s.enrolled for s in self.sections)

    @property
    def colour(self) -> str:
        return CATEGORY_COLOURS.get(self.course.category, UNKNOWN_COLOUR)


def _grades(grades: list[int], lang: str) -> str:
    gs = sorted(set(grades))
    if not gs:
        return ""
    if gs == list(range(gs[0], gs[-1] + 1)) and len(gs) > 2:
        return f"{gs[0]}–{gs[-1]}年级" if lang == "zh" else f"grades {gs[0]}–{gs[-1]}"
    return "、".join(str(g) for g in gs) + "年级" if lang == "zh" else "grades " + ", ".join(str(g) for g in gs)


def _names(names: list[str], lang: str, limit: int = 6) -> str:
    sep = "、" if lang == "zh" else ", "
    unique = list(dict.fromkeys(names))
    if len(unique) <= limit:
        return sep.join(unique)
    rest = len(unique) - limit
    return sep.join(unique[:limit]) + (f" 等 {len(unique)} 人" if lang == "zh" else f" and {rest} more")


def _capacity(loaded: Loaded, course: Course, activity: Activity) -> int:
    room = loaded.room.get(activity.room)
    cap = min(course.max_size, room.capacity if room else course.max_size)
    limit = loaded.policy.max_care_group_size if course.category == "care" else loaded.policy.max_group_size
    return min(cap, limit)


def offerings(loaded: Loaded, plan: Plan, lang: str = "zh") -> list[Offering]:
    """Every course of the catalogue, electives first, with the sections the plan runs."""
    tt = Timetable(loaded, plan)
    by_course: dict[str, list[Activity]] = {}
    for a in plan.activities:
        by_course.setdefault(a.course, []).append(a)
    out = []
    for c in loaded.instance.courses:
        acts = by_course.get(c.id, [])
        group = "assigned" if c.category in ASSIGNED else ("tutoring" if c.category == "tutoring" else "elective")
        content = c.name
        extras = []
        if c.level:
            extras.append(tr("g_level", lang, level=label("level", c.level, lang)))
        if c.subject:
            extras.append(tr("g_subject", lang, subject=label("subject", c.subject, lang)))
        if extras:
            content += "（" + "，".join(extras) + "）" if lang == "zh" else " (" + ", ".join(extras) + ")"
        target = _grades(c.grades, lang)
        if c.level == "advanced":
            target += "，" + tr("g_advanced", lang) if lang == "zh" else ", " + tr("g_advanced", lang)
        if group == "tutoring":
            target += "，" + tr("g_tutoring_target", lang) if lang == "zh" else ", " + tr("g_tutoring_target", lang)
        off = Offering(c, group, label("category", c.category, lang), content, target)
        sections = sorted(acts, key=lambda a: a.id)
        if group == "assigned":
            off.target = tr("g_homework_target", lang) if c.category == "homework" else tr("g_registered", lang)
            kinds = set(c.period_kinds)
            periods = [p for p in loaded.periods if p.kind in kinds]
            if periods:
                off.times = f"{tr('g_every_day', lang)} {periods[0].start}–{periods[-1].end}"
            off.staff = _names([tt.staff_name(s) for a in sections for s in a.staff], lang)
            limit = loaded.policy.max_care_group_size if c.category == "care" else loaded.policy.max_group_size
            off.note = (
                tr("g_group_cap", lang, n=min(limit, c.max_size))
                + ("，" if lang == "zh" else ", ")
                + tr("g_groups", lang, n=len(sections))
            )
            off.place = _names([tt.room_name(a.room) for a in sections], lang, limit=4)
        for a in sections:
            room = loaded.room.get(a.room)
            place = tt.room_name(a.room)
            if room is not None and room.off_campus:
                place += (
                    "（" + tr("g_off_campus", lang, m=room.travel_minutes, n=len(a.staff)) + "）"
                    if lang == "zh"
                    else " (" + tr("g_off_campus", lang, m=room.travel_minutes, n=len(a.staff)) + ")"
                )
            off.sections.append(
                Section(
                    a,
                    tt.times_text(a, lang),
                    place,
                    _names([tt.staff_name(s) for s in a.staff], lang),
                    len(a.students),
                    _capacity(loaded, c, a),
                )
            )
        out.append(off)
    order = {"elective": 0, "tutoring": 1, "assigned": 2}
    out.sort(key=lambda o: order[o.group])
    return out


def _service_times(loaded: Loaded, lang: str) -> list[tuple[str, str, str]]:
    return [(p.id, f"{p.start}–{p.end}", label("period_kind", p.kind, lang)) for p in loaded.periods]


def _fee_line(loaded: Loaded, lang: str) -> str:
    sep = "、" if lang == "zh" else ", "
    return tr("guide_fee", lang, fee=loaded.policy.fee_per_term, waivers=sep.join(loaded.policy.fee_waiver_categories))


def _days_line(loaded: Loaded, lang: str) -> str:
    sep = "、" if lang == "zh" else ", "
    return tr("guide_days", lang, days=sep.join(label("day", d, lang) for d in loaded.days))


# ---------------------------------------------------------------------------- HTML

_CSS = """
@page { size: A4; margin: 14mm 12mm; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", "SimSun", sans-serif;
       font-size: 11pt; color: #222; margin: 0 auto; max-width: 1000px; }
h1 { font-size: 18pt; margin: 0 0 4pt; } h2 { font-size: 13pt; margin: 16pt 0 6pt; border-bottom: 2px solid #4472C4; }
p.intro { color: #444; }
table { border-collapse: collapse; width: 100%; margin-bottom: 8pt; page-break-inside: auto; }
th, td { border: 1px solid #999; padding: 4pt 6pt; vertical-align: top; text-align: left; }
th { background: #DDEBF7; }
tr { page-break-inside: avoid; }
td.type { white-space: nowrap; }
table.times { width: auto; min-width: 40%; }
.sec { margin: 0 0 3pt; }
.muted { color: #777; }
* { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
@media print { .noprint { display: none; } }
"""


def _esc(text: object) -> str:
    return html.escape(str(text))


def _sections_html(offering: Offering, lang: str) -> tuple[str, str, str, str]:
    """Staff, capacity, times and place cells of an elective or tutoring offering."""
    if not offering.sections:
        na = f'<span class="muted">{_esc(tr("guide_not_open", lang))}</span>'
        return na, "0", na, na
    multi = len(offering.sections) > 1
    staff, times, places = [], [], []
    for i, s in enumerate(offering.sections, start=1):
        head = (
            f"{_esc(tr('g_section', lang, i=i))}："
            if multi and lang == "zh"
            else (f"{_esc(tr('g_section', lang, i=i))}: " if multi else "")
        )
        staff.append(f'<div class="sec">{head}{_esc(s.staff)}</div>')
        times.append(f'<div class="sec">{head}{_esc(s.times)}</div>')
        places.append(f'<div class="sec">{head}{_esc(s.place)}</div>')
    cap = f"{offering.capacity}"
    if multi:
        cap += f'<br><span class="muted">{_esc(tr("g_sections", lang, n=len(offering.sections)))}</span>'
    cap += f'<br><span class="muted">{_esc(tr("g_enrolled", lang, n=offering.enrolled))}</span>'
    return "".join(staff), cap, "".join(times), "".join(places)


def guide_html(loaded: Loaded, plan: Plan, lang: str = "zh") -> str:
    """The service guide as one self-contained HTML page, ready to print."""
    school = loaded.instance.school.name
    offs = offerings(loaded, plan, lang)
    out = [
        f'<!DOCTYPE html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">',
        f"<title>{_esc(tr('guide_title', lang, school=school))}</title><style>{_CSS}</style></head><body>",
        f"<h1>{_esc(tr('guide_title', lang, school=school))}</h1>",
        f'<p class="intro">{_esc(tr("guide_intro", lang))}</p>',
        f"<h2>{_esc(tr('guide_times', lang))}</h2>",
        f"<p>{_esc(_days_line(loaded, lang))}　{_esc(_fee_line(loaded, lang))}</p>",
        '<table class="times"><tr>'
        + "".join(f"<th>{_esc(tr(k, lang))}</th>" for k in ("period", "slots", "kind"))
        + "</tr>",
    ]
    for pid, span, kind in _service_times(loaded, lang):
        out.append(f"<tr><td>{_esc(pid)}</td><td>{_esc(span)}</td><td>{_esc(kind)}</td></tr>")
    out.append("</table>")
    heads = ("g_type", "g_content", "g_staff", "g_target", "g_capacity", "g_times", "g_place")
    for group, key in (("elective", "guide_electives"), ("tutoring", "guide_tutoring"), ("assigned", "guide_assigned")):
        rows = [o for o in offs if o.group == group]
        if not rows:
            continue
        out.append(f"<h2>{_esc(tr(key, lang))}</h2><table><tr>")
        out += [f"<th>{_esc(tr(h, lang))}</th>" for h in heads]
        out.append("</tr>")
        for o in rows:
            if group == "assigned":
                staff, cap, times, place = _esc(o.staff), _esc(o.note), _esc(o.times), _esc(o.place)
            else:
                staff, cap, times, place = _sections_html(o, lang)
            out.append(
                f'<tr><td class="type" style="background:{o.colour}">{_esc(o.type)}</td>'
                f"<td><b>{_esc(o.content)}</b></td><td>{staff}</td><td>{_esc(o.target)}</td>"
                f"<td>{cap}</td><td>{times}</td><td>{place}</td></tr>"
            )
        out.append("</table>")
    out.append(f'<p class="muted">{_esc(tr("printed_from", lang))}</p></body></html>')
    return "\n".join(out)


# ---------------------------------------------------------------------------- PDF


def guide_pdf(loaded: Loaded, plan: Plan, lang: str = "zh", info=None) -> bytes:
    """The service guide as an A4 landscape PDF: the CJK font embedded as a subset, every page
    numbered and naming the plan's version and date (`info`, a `printouts.PrintInfo`)."""
    from reportlab.lib import colors
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

    from export.fonts import register_pdf_font
    from export.printouts import build_pdf, default_info

    info = info or default_info(plan)
    _FONT = register_pdf_font()
    school = loaded.instance.school.name
    title_style = ParagraphStyle("t", fontName=_FONT, fontSize=17, leading=22, spaceAfter=4)
    h2 = ParagraphStyle(
        "h2",
        fontName=_FONT,
        fontSize=12.5,
        leading=16,
        spaceBefore=8,
        spaceAfter=4,
        textColor=colors.HexColor("#1F3864"),
    )
    body = ParagraphStyle("b", fontName=_FONT, fontSize=9, leading=12, wordWrap="CJK")
    small = ParagraphStyle("s", parent=body, fontSize=8, leading=10, textColor=colors.HexColor("#555555"))
    head = ParagraphStyle("h", parent=body, fontSize=9)

    def para(text: str, style=body) -> Paragraph:
        return Paragraph(html.escape(text).replace("\n", "<br/>"), style)

    story = [
        para(tr("guide_title", lang, school=school), title_style),
        para(tr("guide_intro", lang), small),
        Spacer(1, 4 * mm),
        para(tr("guide_times", lang), h2),
        para(f"{_days_line(loaded, lang)}　{_fee_line(loaded, lang)}"),
    ]
    times = [[para(tr(k, lang), head) for k in ("period", "slots", "kind")]]
    times += [[para(a), para(b), para(c)] for a, b, c in _service_times(loaded, lang)]
    t = Table(times, colWidths=[30 * mm, 40 * mm, 40 * mm], hAlign="LEFT")
    t.setStyle(
        TableStyle(
            [("GRID", (0, 0), (-1, -1), 0.5, colors.grey), ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDEBF7"))]
        )
    )
    story += [Spacer(1, 2 * mm), t]
    widths = [22, 48, 42, 45, 22, 48, 46]
    heads = ("g_type", "g_content", "g_staff", "g_target", "g_capacity", "g_times", "g_place")
    offs = offerings(loaded, plan, lang)
    for group, key in (("elective", "guide_electives"), ("tutoring", "guide_tutoring"), ("assigned", "guide_assigned")):
        rows = [o for o in offs if o.group == group]
        if not rows:
            continue
        data = [[para(tr(h, lang), head) for h in heads]]
        styles = [
            ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDEBF7")),
        ]
        for o in rows:
            if group == "assigned":
                cells = [o.staff, o.note, o.times, o.place]
            elif not o.sections:
                na = tr("guide_not_open", lang)
                cells = [na, "0", na, na]
            else:
                multi = len(o.sections) > 1
                pre = [
                    (tr("g_section", lang, i=i) + ("：" if lang == "zh" else ": ")) if multi else ""
                    for i in range(1, len(o.sections) + 1)
                ]
                cells = [
                    "\n".join(p + s.staff for p, s in zip(pre, o.sections, strict=True)),
                    f"{o.capacity}\n{tr('g_enrolled', lang, n=o.enrolled)}",
                    "\n".join(p + s.times for p, s in zip(pre, o.sections, strict=True)),
                    "\n".join(p + s.place for p, s in zip(pre, o.sections, strict=True)),
                ]
            data.append(
                [
                    para(o.type),
                    para(o.content),
                    para(cells[0]),
                    para(o.target),
                    para(cells[1]),
                    para(cells[2]),
                    para(cells[3]),
                ]
            )
            styles.append(("BACKGROUND", (0, len(data) - 1), (0, len(data) - 1), colors.HexColor(o.colour)))
        table = Table(data, colWidths=[w * mm for w in widths], repeatRows=1, hAlign="LEFT")
        table.setStyle(TableStyle(styles))
        story.append(KeepTogether([para(tr(key, lang), h2), table]))  # no heading alone at a page's foot
    story += [Spacer(1, 4 * mm), para(tr("printed_from", lang), small)]
    return build_pdf(
        story,
        title=tr("guide_title", lang, school=school),
        author=school,
        footer=f"{school} · {info.footer(lang)}",
        lang=lang,
        landscape_page=True,
    )
