"""数据 Data: load the demo or a file, edit every table, see each problem beside its table."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from models.excel import COLUMNS
from models.instance import STAGE_GRADES
from models.problems import Problem
from ui import checking, files, session, storage, table_codec, widgets
from ui.i18n import label, lang, t, tr
from ui.words import field_name, record_name, table_of_record

ss = st.session_state
ro = not storage.writable()  # a viewer or the district administrator: nothing here changes the data
lg = lang()  # format functions may be called outside the script run (AppTest): they use this, not lang()
st.title(t("data_title"))
st.caption(t("data_intro"))

# ---------------------------------------------------------------- sources and downloads
left, middle, right = st.columns([1.1, 2.2, 1.6])
with left:
    if st.button(t("load_demo"), key="load_demo", icon=":material/school:", disabled=ro):
        session.set_raw(session.demo_raw(), session.DEMO.name)
        storage.data_replaced(session.DEMO.name, "demo")
        st.toast(t("demo_loaded"))
        st.rerun()
with middle:
    up = widgets.uploader(t("upload"), ["json", "xlsx", "xls", "ods"], key="upload", help=t("upload_help"), disabled=ro)
    if up is not None and not ro and ss.get("upload_seen") != up.file_id:
        ss.upload_seen = up.file_id
        raw, problems = files.read_upload(up.name, up.getvalue())
        if raw is None:
            ss.upload_error = (up.name, problems)
        else:
            ss.upload_error = None
            session.set_raw(raw, up.name, problems)
            storage.data_replaced(up.name, "upload")
            first = next((checking.table_of(p) for p in session.check().errors), None)
            ss["data_table"] = first if first in ("school", *table_codec.TABLES) else ss.get("data_table", "students")
            st.toast(t("uploaded", name=up.name))
            st.rerun()
downloads = right.container()

failed = ss.get("upload_error")
if failed:
    name, problems = failed
    st.error(t("upload_failed", name=name))
    for p in problems[:20]:
        line, hint = checking.problem_text(p)
        st.markdown(f"- {line}  \n  {hint}")

status_box = st.container()

uploaded = [p for p in ss.get("upload_problems", []) if p.severity == "error" or p.rule.startswith("FMT")]
if uploaded:
    with st.expander(t("upload_problems", name=ss.source, n=len(uploaded)), expanded=False):
        for p in uploaded[:100]:
            line, hint = checking.problem_text(p)
            st.markdown(f"- {line}  \n  {hint}")

# ---------------------------------------------------------------- which table
# The chooser is drawn above the table but after it (its labels count this run's edit too).
choices = ["school", *table_codec.TABLES]
focus = ss.get("focus")
if focus and focus.split("[", 1)[0] in choices:
    ss["data_table"] = focus.split("[", 1)[0]
if ss.get("data_table") not in choices:
    ss["data_table"] = "students"
kind = ss["data_table"]
chooser_box = st.container()
problems_box = st.container()


def _where(problem: Problem) -> str:
    """The table (a choice of this page) a problem is shown beside."""
    table = checking.table_of(problem)
    return table if table in choices else "school"


# ---------------------------------------------------------------- the chosen table
if kind == "school":
    school = ss.doc.get("school") if isinstance(ss.doc.get("school"), dict) else {}
    c1, c2, c3 = st.columns(3)
    sid = c1.text_input(
        t("school_id"), value=str(school.get("id", "")), key=session.widget_key("school_id"), disabled=ro
    )
    name = c2.text_input(
        t("school_name"), value=str(school.get("name", "")), key=session.widget_key("school_name"), disabled=ro
    )
    stages = list(STAGE_GRADES)
    stage_now = school.get("stage") if school.get("stage") in stages else stages[0]
    stage = c3.selectbox(
        t("school_stage"),
        stages,
        index=stages.index(stage_now),
        format_func=lambda s: label("stage", s, lg),
        key=session.widget_key("school_stage"),
        disabled=ro,
    )
    days_now = [d for d in ss.doc.get("days", []) if isinstance(d, str)] if isinstance(ss.doc.get("days"), list) else []
    all_days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    days = st.multiselect(
        t("service_days"),
        all_days,
        default=[d for d in days_now if d in all_days],
        format_func=lambda d: label("day", d, lg),
        key=session.widget_key("school_days"),
        disabled=ro,
    )
    new_school = {**school, "id": sid, "name": name, "stage": stage}
    if new_school != school and not ro:
        session.update_doc("school", new_school)
    if days != days_now and not ro:
        session.update_doc("days", days)
else:
    st.caption(t("editor_help"))
    if focus:
        f1, f2 = st.columns([5, 1])
        f1.info(t("focus_record", record=focus))
        if f2.button(t("focus_clear"), key="focus_clear"):
            ss.focus = None
            st.rerun()
    edited = widgets.table_editor(kind)
    if focus and focus.startswith(f"{kind}["):
        ident = focus[len(kind) + 1 : -1]
        key = "activity" if kind == "pins" else "id"
        hit = edited[edited[key].astype("string") == ident] if key in edited else edited.iloc[0:0]
        if len(hit):
            st.dataframe(hit, hide_index=True, column_config=widgets.column_config(kind))
    with st.expander(t("columns_guide")):
        rows = [
            {
                t("col_field"): f"{widgets.column_title(c)} (`{f}`)",
                t("col_message"): widgets.column_help(c).replace("  \n", " · "),
            }
            for f, c in COLUMNS[kind].items()
        ]
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")

# ---------------------------------------------------------------- the check of the data as edited now
c = session.check()
with status_box:
    if c.valid:
        i = c.loaded.instance
        st.success(
            t(
                "status_valid",
                students=len(i.students),
                staff=len(i.staff),
                courses=len(i.courses),
                rooms=len(i.rooms),
                classes=len(i.classes),
            )
        )
    else:
        where = {}
        for p in c.errors:
            where[_where(p)] = where.get(_where(p), 0) + 1
        sep = "、" if lang() == "zh" else ", "
        st.error(
            t("status_invalid", errors=len(c.errors), warnings=len(c.warnings))
            + "  \n"
            + t("errors_in", tables=sep.join(f"{t('tbl_' + k)} {n}" for k, n in where.items()))
        )

if c.valid:
    ss["last_warnings"] = list(c.warnings)
here_errors = [p for p in c.errors if _where(p) == kind]
here_warnings = [p for p in c.warnings if _where(p) == kind]
# while an error stops the cross-record checks their warnings are not computed: keep showing the last ones
stale_warnings = [] if c.valid or here_warnings else [p for p in ss.get("last_warnings", []) if _where(p) == kind]
with problems_box:
    if not here_errors and not here_warnings:
        st.caption(":material/check_circle: " + t("no_problems_here"))
    shown = 0
    for p in here_errors + here_warnings:
        if shown >= 25:
            break
        line, hint = checking.problem_text(p, c)
        text = f"{line}  \n{hint}" if hint else line
        (st.error if p.severity == "error" else st.warning)(
            text, icon=":material/error:" if p.severity == "error" else ":material/warning:"
        )
        shown += 1
    if stale_warnings:
        with st.expander(t("stale_warnings", n=len(stale_warnings))):
            for p in stale_warnings[:50]:
                line, hint = checking.problem_text(p, c)
                st.warning(f"{line}  \n{hint}" if hint else line, icon=":material/warning:")
    rest = (here_errors + here_warnings)[shown:]
    if rest:
        st.caption(t("more_problems", n=len(rest)))
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        t("col_row"): c.row(p),
                        t("col_record"): record_name(p.record, lang()),
                        t("col_field"): field_name(table_of_record(p.record), p.field, lang()),
                        t("col_rule"): p.rule,
                        t("col_severity"): t(f"sev_{p.severity}"),
                        t("col_message"): p.text.in_lang(lang()),
                        t("col_hint"): p.hint_text.in_lang(lang()),
                    }
                    for p in rest
                ]
            ),
            hide_index=True,
            width="stretch",
        )

counts: dict[str, int] = {}
for p in c.errors:
    counts[_where(p)] = counts.get(_where(p), 0) + 1
with chooser_box:
    st.segmented_control(
        t("table"),
        choices,
        key="data_table",
        required=True,
        persist_state="session",
        format_func=lambda k: tr(f"tbl_{k}", lg) + (f" :red[:material/error: {counts[k]}]" if counts.get(k) else ""),
    )

with downloads:
    st.download_button(
        t("dl_template"),
        files.template_xlsx(),
        file_name="afterschool-template.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="dl_template",
        icon=":material/description:",
        on_click="ignore",
    )
    stem = (ss.doc.get("school") or {}).get("id", "instance") if isinstance(ss.doc.get("school"), dict) else "instance"
    st.download_button(
        t("dl_json"),
        storage.audited(lambda text=c.text: text.encode("utf-8"), "instance JSON"),
        file_name=f"{stem}.json",
        mime="application/json",
        key="dl_json",
        icon=":material/save:",
        on_click="ignore",
    )
    if c.valid:
        st.download_button(
            t("dl_xlsx"),
            storage.audited(lambda c=c: files.instance_xlsx(c), "instance Excel"),
            file_name=f"{stem}.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key="dl_xlsx",
            icon=":material/grid_on:",
            on_click="ignore",
        )
    else:
        st.caption(t("dl_xlsx_blocked", err=len(c.errors)))
