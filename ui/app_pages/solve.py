"""求解 Solve: time limit and objective priorities; a background solve with a live chart of
objective and bound, the gap and a Stop button; the result, or why there is no plan."""

from __future__ import annotations

import dataclasses

import streamlit as st

from solver.model.objective import DEFAULT
from ui import session, solving, widgets
from ui.i18n import lang, t
from ui.words import one_language

ss = st.session_state
st.title(t("solve_title"))
st.caption(t("solve_intro"))

c = session.check()
job = solving.job()
running = job is not None and job.active

# ---------------------------------------------------------------- settings
left, right = st.columns([1, 2])
with left:
    ss.setdefault("keep_time_limit", 30)
    time_limit = st.number_input(
        t("time_limit"),
        min_value=5,
        max_value=1800,
        step=5,
        key="keep_time_limit",
        help=t("time_limit_help"),
        persist_state="session",
    )
with right, st.expander(t("weights")):
    st.caption(t("weights_intro"))
    w_any = st.number_input(t("w_any"), 0, 1000, DEFAULT.any_choice, key="keep_w_any", persist_state="session")
    cols = st.columns(len(DEFAULT.ranks))
    ranks = tuple(
        col.number_input(t("w_rank", r=i + 1), 0, 1000, v, key=f"keep_w_rank{i}", persist_state="session")
        for i, (col, v) in enumerate(zip(cols, DEFAULT.ranks, strict=True))
    )
    w_class = st.number_input(t("w_class"), 0, 100, DEFAULT.class_teacher, key="keep_w_class", persist_state="session")
weights = dataclasses.replace(
    DEFAULT, any_choice=int(w_any), ranks=tuple(int(r) for r in ranks), class_teacher=int(w_class)
)

if not c.valid:
    st.error(t("data_invalid_block", n=len(c.errors)))
    st.page_link("app_pages/data.py", label=t("go_data"), icon=":material/table_chart:")

b1, b2, _ = st.columns([1, 1, 4])
if b1.button(
    t("start_solve"), type="primary", disabled=running or not c.valid, key="start_solve", icon=":material/play_arrow:"
):
    solving.start_solve(c.loaded, float(time_limit), weights)
    st.rerun()
if b2.button(t("stop_solve"), disabled=not running, key="stop_solve", icon=":material/stop:"):
    job.stop()
    st.toast(t("stopping"))


# ---------------------------------------------------------------- live progress
widgets.solve_progress()

# ---------------------------------------------------------------- the result
if job is not None and job.state == "failed" and job.error:
    st.error(t("solve_failed", err=job.error))

ps = session.attempt() or session.plan_state()
if ps is not None and not running:
    plan = ps.plan
    st.subheader(t("solve_result"))
    if ps.valid:
        st.success(t("solve_done", status=t(f"status_{plan.status}"), s=plan.solve_seconds))
        st.caption(t("status_help"))
        m = plan.metrics
        k1, k2, k3, k4, k5 = st.columns(5)
        # served of those who registered for something: pupils who never registered are not "left out"
        registered = sum(1 for s in ps.loaded.instance.students if s.days or s.extended_days or s.evening_days)
        k1.metric(
            t("served"),
            f"{m.students_served}/{registered}",
            help=t("served_help", n=registered, out=m.students - registered, all=m.students),
        )
        k2.metric(t("first_choice"), f"{100 * m.first_choice_rate:.0f}%")
        k3.metric(t("any_choice"), f"{100 * m.any_choice_rate:.0f}%")
        k4.metric(t("term_cost"), f"{plan.costs.staff_pay_per_term:,}")
        k5.metric(t("balance"), f"{plan.costs.balance_per_term:,}")
        st.page_link("app_pages/timetable.py", label=t("view_timetable"), icon=":material/calendar_view_week:")
    else:
        widgets.show_failure(ps, "solve")
    if ps.fallback:
        st.caption(one_language(ps.fallback, lang()))
    with st.expander(t("plan_notes", n=len(plan.warnings))):
        for w in plan.warnings:
            st.markdown(f"- {one_language(w, lang())}")
