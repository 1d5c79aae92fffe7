"""Reusable Streamlit components of the app's pages: a file uploader that speaks the session's
language, the typed table editor, the "solve first" guard of the plan pages, the running solve's
progress (with its chart), why a solve gave no valid plan, and the sidebar's data and plan status.

`st.file_uploader` writes "Upload" and "200MB per file • JSON, XLSX" in English whatever the
page's language; `uploader` puts the same widget on the page and, in Chinese
mode, replaces those words with Chinese ones by CSS (the words are drawn by the browser: nothing
changes in how the upload works).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from models.excel import COLUMNS, Column, ListOf
from ui import jobs, session, solving, storage
from ui.i18n import label, lang, t
from ui.session import PlanState
from ui.table_codec import enum_group, shape
from ui.words import one_language, record_ref

# ============================================================================ uploads


_CSS = """<style>
[data-testid="stFileUploaderDropzoneInstructions"] span { font-size: 0 !important; }
[data-testid="stFileUploaderDropzoneInstructions"] span::after { content: "%(limit)s"; font-size: 0.8rem; }
[data-testid="stFileUploaderDropzone"] button[data-testid="stBaseButton-secondary"] p { font-size: 0 !important; }
[data-testid="stFileUploaderDropzone"] button[data-testid="stBaseButton-secondary"] p::after {
  content: "%(browse)s"; font-size: 0.875rem; }
</style>"""


def uploader(label: str, types: list[str], **kwargs):
    """`st.file_uploader` with its built-in English words in the session's language."""
    if lang() == "zh":
        exts = "、".join(x.upper() for x in types)
        st.html(_CSS % {"limit": t("up_limit", types=exts), "browse": t("up_browse")})
    return st.file_uploader(label, type=types, **kwargs)


# ============================================================================ table editors


def column_title(column: Column) -> str:
    title = column.label.zh if lang() == "zh" else column.field.replace("_", " ")
    return f"{title} *" if column.required else title


def column_help(column: Column) -> str:
    lab = column.label
    zh = lang() == "zh"
    parts = [
        f"{lab.zh} · `{column.field}`",
        lab.note_zh if zh else lab.note_en,
        (column.cell_type.zh if zh else column.cell_type.en),
    ]
    parts.append(t("required") if column.required else t("default_is", d=column.shown_default()))
    if lab.rule:
        parts.append(f"{t('col_rule')} {lab.rule}")
    return "  \n".join(p for p in parts if p)


def column_config(kind: str) -> dict:
    """Typed columns of a table's editor (the same for a table and language: edits are kept)."""
    cc = st.column_config
    out = {}
    for f, c in COLUMNS[kind].items():
        title, help_ = column_title(c), column_help(c)
        kind_of_column = shape(c)
        if kind_of_column == "bool":
            out[f] = cc.CheckboxColumn(title, help=help_, default=bool(c.default))
        elif kind_of_column == "int":
            out[f] = cc.NumberColumn(title, help=help_, step=1, format="%d")
        elif kind_of_column == "money":
            out[f] = cc.NumberColumn(title, help=help_)
        elif kind_of_column in ("enum", "multi"):
            group = enum_group(c)
            item = c.cell_type.item if isinstance(c.cell_type, ListOf) else c.cell_type
            codes = list(item.labels)
            if lang() == "zh":

                def fmt(code: str, g: str = group) -> str:
                    return label(g, code, "zh")
            else:

                def fmt(code: str, g: str = group) -> str:
                    return label(g, code, "en")

            if kind_of_column == "enum":
                out[f] = cc.SelectboxColumn(title, help=help_, options=codes, format_func=fmt, required=c.required)
            else:
                out[f] = cc.MultiselectColumn(title, help=help_, options=codes, format_func=fmt)
        else:
            out[f] = cc.TextColumn(title, help=help_)
    return out


def table_editor(kind: str) -> pd.DataFrame:
    """The editor of one table; its edits go into the session's tables at once."""
    base = session.editor_base(kind)
    height = min(38 + 35 * (len(base) + 2), 600)
    if not storage.writable():  # a viewer or the district administrator: shown, never changed
        st.dataframe(base, hide_index=True, column_config=column_config(kind), height=height, width="stretch")
        return base
    # Streamlit cannot sort an editor that adds and deletes rows (streamlit#10790): a sortable view of
    # the same table, read-only, for finding things in a big one; the file's order (arrival order,
    # which the FCFS baseline uses) is never changed by sorting.
    if len(base) > 20 and st.toggle(t("sort_view"), key=f"sort_view_{kind}", help=t("sort_view_help")):
        st.dataframe(
            session.table(kind), hide_index=True, column_config=column_config(kind), height=height, width="stretch"
        )
        return session.table(kind)
    edited = st.data_editor(
        base,
        key=session.editor_key(kind),
        num_rows="dynamic",
        hide_index=True,
        column_config=column_config(kind),
        height=height,
        width="stretch",
        placeholder="",
    )
    session.keep_edit(kind, edited)
    return edited


# ============================================================================ plans and solves


def require_plan(warn_stale: bool = True, need_activities: bool = False) -> PlanState:
    """The current plan for a page that shows one; without it, a pointer to the solve page and a
    stop. A plan made from other data than the page's is flagged."""
    current = session.plan_state()
    if current is None or (need_activities and not current.plan.activities):
        st.info(t("need_plan"))
        st.page_link("app_pages/solve.py", label=t("go_solve"), icon=":material/settings:")
        st.stop()
    if warn_stale and session.is_stale(current):
        st.warning(t("stale_plan"))
    return current


def progress_chart(points: list[jobs.Point]):
    """The preference stages' objective and bound over time (an Altair chart), or None before any."""
    import altair as alt  # (only when there is a chart to draw: it takes a while to import)

    pts = [p for p in points if p.stage in jobs.PREFERENCE_STAGES]
    if not pts:
        return None
    x, y, s = t("seconds"), t("score"), t("series")
    rows = [{x: p.seconds, y: p.objective, s: t("objective")} for p in pts]
    rows += [{x: p.seconds, y: p.bound, s: t("bound")} for p in pts]
    return (
        alt.Chart(pd.DataFrame(rows))
        .mark_line(point=True, interpolate="step-after")
        .encode(
            x=alt.X(f"{x}:Q", title=x),
            y=alt.Y(f"{y}:Q", title=y, scale=alt.Scale(zero=False)),
            color=alt.Color(
                f"{s}:N", title=None, scale=alt.Scale(domain=[t("objective"), t("bound")], range=["#1f77b4", "#ff7f0e"])
            ),
        )
        .properties(height=260)
    )


def solve_progress(chart: bool = True) -> None:
    """The running (or last) solve: stage, time, objective, bound, gap and their chart; polled
    every half second while the solve runs, and a full rerun when it ends."""
    j = solving.job()
    running = j is not None and j.active

    @st.fragment(run_every=0.5 if running else None)
    def panel() -> None:
        current = solving.job()
        if current is None:
            return
        snap = current.snapshot()
        if snap["state"] == "queued":
            st.info(t("solve_queued"))
        elif current.active:
            stage = t(f"stage_{snap['stage']}") if snap["stage"] else t("solve_prepare")
            st.progress(
                min(1.0, snap["seconds"] / max(current.time_limit, 1)),
                text=t("solve_running", stage=stage, s=snap["seconds"], limit=current.time_limit),
            )
            if snap["stopping"]:
                st.caption(t("stopping"))
        pref = [p for p in snap["points"] if p.stage in jobs.PREFERENCE_STAGES]
        if pref and chart:
            last = pref[-1]
            m1, m2, m3 = st.columns(3)
            m1.metric(t("objective"), f"{last.objective:,.0f}", help=t("objective_help"))
            m2.metric(t("bound"), f"{last.bound:,.0f}", help=t("bound_help"))
            m3.metric(t("gap"), f"{100 * last.gap:.1f}%", help=t("gap_help"))
            figure = progress_chart(snap["points"])
            if figure is not None:
                st.altair_chart(figure, width="stretch")
        if not current.active and not current.harvested and not current.announced:
            current.announced = True
            st.rerun()

    panel()


def show_failure(outcome: PlanState, key: str) -> None:
    """Why a solve gave no valid plan: the explanation with buttons to the records it names
    (infeasible), or the checker's findings (no valid plan in time)."""
    plan = outcome.plan
    if plan.status == "infeasible":
        st.error(t("infeasible_title"))
        for i, e in enumerate(plan.explanation):
            with st.container(border=True):
                st.markdown(f"**[{e.rule}]** {one_language(e.detail, lang())}")
                if e.records:
                    st.caption(t("infeasible_records"))
                    cols = st.columns(min(len(e.records), 6))
                    for j, rec in enumerate(e.records[:12]):
                        target = record_ref(outcome.loaded, rec)
                        if cols[j % len(cols)].button(rec, key=f"{key}_rec_{i}_{j}", help=t("show_record", r=target)):
                            if target.startswith("policy"):
                                st.switch_page("app_pages/policy.py")
                            session.set_focus(target)
                            st.switch_page("app_pages/data.py")
    else:
        st.error(t("unknown_title"))
        found = [
            w
            for w in plan.warnings
            if w.startswith("[") and not w.startswith(("[R3]", "[R4]", "[R12]", "[R13]", "[R14]", "[R10]", "[R11]"))
        ]
        for w in found[-10:]:
            st.markdown(f"- {one_language(w, lang())}")
    if session.plan_state() is not None and session.plan_state() is not outcome:
        st.info(t("kept_previous"))


# ============================================================================ sidebar


def sidebar_status() -> None:
    """Data and plan status; while a solve runs, a ticking line that reruns the app when it ends."""
    current_check = session.check()
    st.caption(t("sb_data", source=session.source()))
    st.caption(t("sb_valid") if current_check.valid else t("sb_invalid", n=len(current_check.errors)))
    current = session.plan_state()
    if current is not None:
        st.caption(t("sb_plan", status=t(f"status_{current.plan.status}"), n=len(current.plan.activities)))
    else:
        st.caption(t("sb_no_plan"))
    j = solving.job()
    running = j is not None and j.active

    @st.fragment(run_every=1.0 if running else None)
    def ticker() -> None:
        job = solving.job()
        if job is None:
            return
        if job.active:
            snap = job.snapshot()
            st.caption(t("sb_queued") if snap["state"] == "queued" else t("sb_running", s=snap["seconds"]))
        elif not job.announced and not job.harvested:
            job.announced = True
            st.rerun()

    ticker()
