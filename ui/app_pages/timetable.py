"""课表 Timetables: grids (days × periods) by class, teacher, room and pupil, coloured by course
category; search a pupil or teacher; staff load, pay and daily hours on site (R23, R24)."""

from __future__ import annotations

import contextlib
import re

import pandas as pd
import streamlit as st

from export.timetable import Timetable
from ui import grids, widgets
from ui.i18n import label, lang, t, tr

ss = st.session_state
st.title(t("tt_title"))
ps = widgets.require_plan()

loaded, plan, lg = ps.loaded, ps.plan, lang()
tt = Timetable(loaded, plan)
VIEWS = ("class", "staff", "room", "student")
options = {
    "class": tt.classes,
    "staff": [s.id for s in loaded.instance.staff],
    "room": [r.id for r in loaded.instance.rooms],
    "student": [s.id for s in loaded.instance.students],
}
names = {
    "class": {c: c for c in tt.classes},
    "staff": {s.id: f"{s.id} {s.name}" for s in loaded.instance.staff},
    "room": {r.id: f"{r.id} {r.name}" for r in loaded.instance.rooms},
    "student": {s.id: f"{s.id}（{s.class_}）" for s in loaded.instance.students},
}


def _show(view: str, ident: str) -> None:
    ss["tt_view"] = view
    ss[f"tt_pick_{view}"] = ident


# ---------------------------------------------------------------- search
def _id_key(ident: str) -> tuple[str, int] | None:
    """ "S0042", "s42" and "S00042" are one id: letters and the number, zero padding aside."""
    m = re.match(r"^([A-Za-z-]*?)0*(\d+)$", ident.strip())
    return (m.group(1).lower(), int(m.group(2))) if m else None


def search(query: str) -> list[tuple[int, str, str]]:
    """(rank, view, id) best first: the exact id (padding aside), ids that start with it, ids that
    contain it, then names (staff; pupils' names when a roster is loaded on the Export page)."""
    q, qk = query.lower(), _id_key(query)
    pupil_names = {}
    if ss.get("roster_file"):
        from models.roster import read_roster

        with contextlib.suppress(Exception):  # a roster that cannot be read is reported on the Export page
            pupil_names = {k: p.name for k, p in read_roster(*ss["roster_file"]).pupils.items()}
    out = []
    for view, ids, name_of in (
        ("student", options["student"], pupil_names),
        ("staff", options["staff"], {s.id: s.name for s in loaded.instance.staff}),
    ):
        for ident in ids:
            low = ident.lower()
            name = name_of.get(ident, "")
            if low == q or (qk is not None and _id_key(ident) == qk):
                out.append((0, view, ident))
            elif low.startswith(q):
                out.append((1, view, ident))
            elif q in low:
                out.append((2, view, ident))
            elif name and q in name.lower():
                out.append((3, view, ident))
    return sorted(out, key=lambda h: (h[0], len(h[2]), h[2]))


search_col, view_col, pick_col = st.columns([1.3, 1.2, 1.3])
examples = [
    x for x in (options["student"][:1] + options["staff"][:1] + [s.name for s in loaded.instance.staff[:1]]) if x
]
query = search_col.text_input(t("tt_search"), key="tt_search", placeholder=" / ".join(examples)).strip()
if query and ss.get("tt_search_applied") != query:
    hits = search(query)
    exact = [h for h in hits if h[0] == 0]
    if len(exact) == 1 or len(hits) == 1:
        _show(*(exact or hits)[0][1:])
        ss["tt_search_applied"] = query
    elif not hits:
        st.caption(t("tt_not_found", q=query))
    else:
        st.caption(t("tt_found", n=len(hits)))
        cols = st.columns(min(len(hits), 6))
        for i, (_, view, ident) in enumerate(hits[:12]):
            cols[i % len(cols)].button(
                names[view][ident], key=f"hit_{view}_{ident}", on_click=_show, args=(view, ident)
            )

# ---------------------------------------------------------------- the grid
if ss.get("tt_view") not in VIEWS:
    ss["tt_view"] = "class"
view = view_col.segmented_control(
    t("tt_view"),
    VIEWS,
    format_func=lambda v: tr(f"view_{v}", lg),
    key="tt_view",
    required=True,
    persist_state="session",
)
opts = options[view]
if not opts:
    st.info(t("tt_empty"))
    st.stop()
pick_key = f"tt_pick_{view}"
if ss.get(pick_key) not in opts:
    served = tt.staff_serving if view == "staff" else (tt.rooms_used if view == "room" else opts)
    ss[pick_key] = (served or opts)[0]
ident = pick_col.selectbox(
    t("tt_pick"), opts, format_func=names[view].__getitem__, key=pick_key, persist_state="session"
)

st.markdown(f"#### {tt.title(view, ident, lg)}")
cells = tt.cells(view, ident)
if not any(cells.values()):
    if view == "staff":
        st.info(t("tt_staff_unused", name=tt.staff_name(ident)))
    elif view == "room":
        st.info(t("tt_room_unused", name=tt.room_name(ident)))
    elif view == "student":
        st.info(t("tt_pupil_unregistered"))
    else:
        st.info(t("tt_empty"))
st.html(grids.grid_html(tt, view, ident, lg))
st.html(grids.legend_html(tt, lg))

# ---------------------------------------------------------------- staff view
st.subheader(t("staff_view"))
st.caption(t("staff_view_intro"))
days = {(sd.staff, sd.day): sd for sd in plan.staff_days}
rows = []
for pc in plan.costs.per_staff:
    s = loaded.staff.get(pc.staff)
    row = {
        t("id"): pc.staff,
        t("name"): s.name if s else pc.staff,
        t("col_kind"): label("staff_kind", s.kind, lg) if s else "",
        t("col_load"): pc.periods_per_week,
        t("col_pay"): pc.pay_per_term,
    }
    for d in tt.days:
        sd = days.get((pc.staff, d))
        row[label("day", d, lg)] = (
            ""
            if sd is None
            else f"{sd.arrive}–{sd.leave}"
            + (f" {t('minutes_after', m=sd.minutes_after_off_work)}" if sd.minutes_after_off_work else "")
        )
    rows.append(row)
staff_df = pd.DataFrame(rows)
if view == "staff" and len(staff_df):
    staff_df = staff_df.style.apply(
        lambda r: ["background-color: #FFF2CC" if r[t("id")] == ident else "" for _ in r], axis=1
    )
st.dataframe(
    staff_df,
    hide_index=True,
    width="stretch",
    column_config={label("day", d, lg): st.column_config.TextColumn(width="medium") for d in tt.days},
)
