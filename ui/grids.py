"""Timetable grids as HTML (pandas Styler → `st.html`): days across, periods down, each activity a
coloured block (course category), several blocks where a class is split between activities.
The cell contents come from `export.timetable`, so screen and paper agree."""

from __future__ import annotations

import html

import pandas as pd

from export.i18n import label, tr
from export.timetable import CATEGORY_COLOURS, Timetable

_CSS = """
<style>
.tt-wrap { overflow-x: auto; }
.tt-wrap table { border-collapse: collapse; width: 100%; table-layout: fixed; font-size: 0.86rem; }
.tt-wrap th, .tt-wrap td { border: 1px solid #c9ced6; padding: 4px; vertical-align: top; }
.tt-wrap thead th { background: #eef2f7; text-align: center; font-weight: 600; }
.tt-wrap tbody th { background: #f7f8fa; text-align: left; width: 9.5em; font-weight: 600; white-space: nowrap; }
.tt-wrap .act { border-radius: 4px; padding: 3px 5px; margin: 0 0 3px 0; line-height: 1.3; }
.tt-wrap .act b { display: block; }
.tt-wrap .act span { display: block; color: #333; font-size: 0.8rem; }
.tt-legend span { display: inline-block; padding: 1px 8px; margin: 2px 4px 2px 0; border-radius: 4px;
                  font-size: 0.8rem; border: 1px solid #ddd; }
</style>
"""


def _block(tt: Timetable, entry, view: str, lang: str) -> str:
    lines = tt.lines(entry, view, lang)
    head = html.escape(lines[0])
    rest = "".join(f"<span>{html.escape(x)}</span>" for x in lines[1:])
    tip = html.escape(f"{entry.activity.id} · {label('activity_kind', entry.activity.kind, lang)}")
    return f'<div class="act" style="background:{entry.colour}" title="{tip}"><b>{head}</b>{rest}</div>'


def grid_frame(tt: Timetable, view: str, ident: str, lang: str = "zh") -> pd.DataFrame:
    """The grid as a DataFrame of HTML cells: rows periods (with times), columns days."""
    cells = tt.cells(view, ident)
    data = {
        label("day", d, lang): ["".join(_block(tt, e, view, lang) for e in cells.get((d, p), [])) for p in tt.periods]
        for d in tt.days
    }
    return pd.DataFrame(data, index=[tt.period_label(p) for p in tt.periods])


def grid_html(tt: Timetable, view: str, ident: str, lang: str = "zh") -> str:
    """A timetable grid as an HTML fragment (with its style), for `st.html` or printing."""
    df = grid_frame(tt, view, ident, lang)
    styler = df.style.hide(names=True, axis="index")
    table = styler.to_html()
    return f'{_CSS}<div class="tt-wrap">{table}</div>'


def legend_html(tt: Timetable, lang: str = "zh") -> str:
    """The colours of the categories that occur in the plan."""
    present = dict.fromkeys(tt.category(a.course) for a in tt.plan.activities)
    spans = "".join(
        f'<span style="background:{CATEGORY_COLOURS.get(c, "#fff")}">{html.escape(label("category", c, lang))}</span>'
        for c in present
        if c
    )
    return f'{_CSS}<div class="tt-legend">{html.escape(tr("category", lang))}：{spans}</div>'
