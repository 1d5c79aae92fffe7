"""调整 Adjust: pin an activity (or its staff, room, times, pupils), mark a teacher absent or a room
closed for the rest of term, re-solve close to the current plan and list every change."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from export.changes import KINDS, describe_changes, head
from export.timetable import Timetable
from models.excel import COLUMNS
from ui import checking, session, solving, table_codec, widgets
from ui.i18n import lang, t, tr

ss = st.session_state
st.title(t("adj_title"))
st.caption(t("adj_intro"))
ps = widgets.require_plan(warn_stale=False)

lg = lang()
tt = Timetable(ps.loaded, ps.plan)
c = session.check()
job = solving.job()
running = job is not None and job.active
ss.setdefault("absent_backup", {})
ss.setdefault("closed_backup", {})


def _set_cell(kind: str, ident: str, field: str, value) -> object:
    """Change one cell of a table (the row with this id); returns the old cell."""
    df = ss.tables[kind].copy()
    hit = df.index[df["id"].astype("string") == ident]
    if len(hit) == 0:
        return None
    old = df.at[hit[0], field]
    df.at[hit[0], field] = value
    session.replace_table(kind, df)
    return old


# ---------------------------------------------------------------- pin
left, right = st.columns(2)
with left, st.container(border=True):
    st.markdown(f"**:material/push_pin: {t('pin_head')}**")
    acts = {a.id: a for a in ps.plan.activities}
    order = sorted(acts, key=lambda i: (acts[i].kind != "elective", i))
    aid = st.selectbox(
        t("pin_activity"),
        order,
        key="pin_activity",
        format_func=lambda i: f"{i} · {tt.course_name(acts[i].course)} · {tt.times_text(acts[i], lg)}",
    )
    what = st.pills(
        t("pin_what"),
        ["staff", "room", "slots", "students"],
        selection_mode="multi",
        default=["staff", "room", "slots"],
        format_func=lambda w: tr(f"pin_{w}", lg),
        key="pin_what",
    )
    if st.button(t("pin_add"), key="pin_add", icon=":material/push_pin:", disabled=not aid):
        a = acts[aid]
        pin = {"activity": aid}
        if "staff" in what:
            pin["staff"] = list(a.staff)
        if "room" in what:
            pin["room"] = a.room
        if "slots" in what:
            pin["slots"] = [s.model_dump() for s in a.slots]
        if "students" in what:
            pin["students"] = list(a.students)
        pins = ss.tables["pins"]
        pins = pins[pins["activity"].astype("string") != aid]
        session.replace_table(
            "pins",
            pd.concat([pins, table_codec.records_to_frame("pins", [pin])], ignore_index=True)
            if len(pins)
            else table_codec.records_to_frame("pins", [pin]),
        )
        st.toast(t("pin_added", a=aid))
        st.rerun()
    pins = ss.tables["pins"]
    st.caption(t("pins_now"))
    if len(pins) == 0:
        st.caption(t("pins_none"))
    for i, row in pins.iterrows():
        ident = str(row["activity"])
        kept = [t(f"pin_{w}") for w in ("staff", "room", "slots", "students") if not table_codec.blank(row[w])]
        p1, p2 = st.columns([4, 1])
        sep = "、" if lg == "zh" else ", "
        course = tt.course_name(acts[ident].course) if ident in acts else ""
        p1.markdown(f"- `{ident}` · {course} · {t('pin_kept', what=sep.join(kept))}")
        if p2.button(":material/close:", key=f"unpin_{i}_{ident}", help=t("pin_remove", a=ident)):
            session.replace_table("pins", pins.drop(index=i))
            st.rerun()

# ---------------------------------------------------------------- absent teacher, closed room
with right:
    with st.container(border=True):
        st.markdown(f"**:material/sick: {t('absent_head')}**")
        staff = ps.loaded.instance.staff
        load = {pc.staff: pc.periods_per_week for pc in ps.plan.costs.per_staff}
        absent = set(ss.absent_backup)  # (format_func may run outside the script: no session state in it)
        sid = st.selectbox(
            t("absent_pick"),
            [s.id for s in staff],
            key="absent_pick",
            format_func=lambda i: (
                f"{i} {tt.staff_name(i)} · "
                + (
                    tr("staff_absent", lg)
                    if i in absent
                    else tr("staff_load", lg, n=load[i])
                    if load.get(i)
                    else tr("staff_idle", lg)
                )
            ),
        )
        if st.button(t("absent_mark"), key="absent_mark", icon=":material/person_off:"):
            old = _set_cell("staff", sid, "max_periods_per_week", 0)
            if old is not None and sid not in ss.absent_backup:
                ss.absent_backup[sid] = old
            st.toast(t("absent_done", s=f"{sid} {tt.staff_name(sid)}"))
            st.rerun()
        for s, old in list(ss.absent_backup.items()):
            a1, a2 = st.columns([4, 1])
            a1.markdown("- " + t("absent_now", names=f"{s} {tt.staff_name(s)}"))
            if a2.button("↩", key=f"restore_{s}", help=t("absent_undo", s=s)):
                _set_cell("staff", s, "max_periods_per_week", old)
                del ss.absent_backup[s]
                st.rerun()
    with st.container(border=True):
        st.markdown(f"**:material/block: {t('room_head')}**")
        rid = st.selectbox(
            t("room_pick"),
            [r.id for r in ps.loaded.instance.rooms],
            key="room_pick",
            format_func=lambda i: f"{i} {tt.room_name(i)}",
        )
        if st.button(t("room_close"), key="room_close", icon=":material/block:"):
            every = [{"day": d, "period": p} for d in tt.days for p in tt.periods]
            old = _set_cell("rooms", rid, "unavailable", table_codec.to_cell(COLUMNS["rooms"]["unavailable"], every))
            if rid not in ss.closed_backup:
                ss.closed_backup[rid] = old
            st.toast(t("room_done", r=f"{rid} {tt.room_name(rid)}"))
            st.rerun()
        for r, old in list(ss.closed_backup.items()):
            r1, r2 = st.columns([4, 1])
            r1.markdown("- " + t("rooms_now", names=f"{r} {tt.room_name(r)}"))
            if r2.button("↩", key=f"reopen_{r}", help=t("room_undo", r=r)):
                _set_cell("rooms", r, "unavailable", old)
                del ss.closed_backup[r]
                st.rerun()

# ---------------------------------------------------------------- re-solve
with st.container(border=True):
    st.markdown(f"**:material/refresh: {t('resolve_head')}**")
    c = session.check()
    if not c.valid:
        st.error(t("data_invalid_block", n=len(c.errors)))
        for p in c.errors[:5]:
            st.markdown("- " + checking.problem_text(p, c)[0])
        st.page_link("app_pages/data.py", label=t("go_data"), icon=":material/table_chart:")
    q1, q2, q3 = st.columns([1, 1.6, 2.4], vertical_alignment="bottom")
    ss.setdefault("keep_resolve_limit", 20)
    limit = q1.number_input(
        t("time_limit"), min_value=5, max_value=1800, step=5, key="keep_resolve_limit", persist_state="session"
    )
    if q2.button(
        t("resolve"), type="primary", key="resolve", icon=":material/refresh:", disabled=running or not c.valid
    ):
        solving.start_solve(c.loaded, float(limit), previous=ps.plan, purpose="resolve")
        st.rerun()
    if running and q3.button(t("stop_solve"), key="stop_resolve", icon="⏹️"):
        job.stop()
    if job is not None and job.purpose == "resolve":
        widgets.solve_progress(chart=False)

outcome = session.attempt()
if outcome is not None and outcome.purpose == "resolve" and not running:
    if not outcome.valid:
        widgets.show_failure(outcome, "adjust")
    else:
        # the optimizer's list has ids; say it with names (三年级作业辅导 周三第2节：熊老师 → 李老师)
        changes = (
            describe_changes(outcome.loaded, outcome.previous, outcome.plan, lg) if outcome.previous is not None else []
        )
        st.subheader(t("changes_head", n=len(changes)))
        st.success(t("solve_done", status=t(f"status_{outcome.plan.status}"), s=outcome.plan.solve_seconds))
        if not changes:
            st.caption(t("no_changes"))
        for kind in KINDS:
            lines = [c.text for c in changes if c.kind == kind]
            if lines:
                with st.expander(f"{head(kind, lg)} · {len(lines)}", expanded=len(changes) <= 40):
                    st.markdown("\n".join(f"- {x}" for x in lines))
