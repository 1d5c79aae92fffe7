"""导出 Export: what the school hands out — the timetable workbook, the service guide (HTML, PDF),
attendance sheets, a teacher's calendar, and the plan file. Files are made on click."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from solver import export
from solver.export.timetable import Timetable
from ui import state, storage
from ui.i18n import LANGS, lang, t

ss = st.session_state
st.title(t("exp_title"))
ps = state.require_plan(need_activities=True)

L, plan = ps.loaded, ps.plan
school = L.instance.school.id
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

c1, c2, _ = st.columns([1, 1, 2], vertical_alignment="bottom")
if ss.get("keep_export_lang") not in LANGS:
    ss["keep_export_lang"] = lang()
out_lang = c1.segmented_control(t("exp_lang"), list(LANGS), format_func=LANGS.__getitem__, key="keep_export_lang",
                                required=True, persist_state="session")
today = dt.date.today()
# the next term's usual start: 1 March or 1 September (the scheduler sets the real date)
default_start = min(d for d in (dt.date(today.year, 3, 1), dt.date(today.year, 9, 1), dt.date(today.year + 1, 3, 1))
                    if d >= today)
ss.setdefault("keep_term_start", default_start)
term_start = c2.date_input(t("term_start"), key="keep_term_start", persist_state="session")
st.caption(t("term_weeks_note", w=L.policy.term_weeks, end=export.term_end(L, term_start).isoformat()))


def _row(title: str, make, name: str, mime: str, key: str, icon: str) -> None:
    a, b = st.columns([3, 1], vertical_alignment="center")
    a.markdown(f"**{title}**  \n:gray[{t(key.replace('dl_', 'exp_') + '_for')}]")
    b.download_button(t("download"), data=storage.audited(make, name), file_name=name, mime=mime, key=key, icon=icon, on_click="ignore",
                      width="stretch")


with st.container(border=True):
    _row(t("exp_workbook"), lambda: export.plan_workbook(L, plan, out_lang), f"{school}-timetables.xlsx", XLSX,
         "dl_workbook", ":material/grid_on:")
    _row(t("exp_guide_html"), lambda: export.guide_html(L, plan, out_lang).encode("utf-8"), f"{school}-guide.html",
         "text/html", "dl_guide_html", ":material/language:")
    _row(t("exp_guide_pdf"), lambda: export.guide_pdf(L, plan, out_lang), f"{school}-guide.pdf", "application/pdf",
         "dl_guide_pdf", ":material/picture_as_pdf:")
    _row(t("exp_attendance"), lambda: export.attendance_workbook(L, plan, out_lang), f"{school}-attendance.xlsx",
         XLSX, "dl_attendance", ":material/fact_check:")
    _row(t("exp_plan"), lambda: plan.to_json().encode("utf-8"), f"{school}-plan.json", "application/json",
         "dl_plan", ":material/save:")

with st.container(border=True):
    tt = Timetable(L, plan)
    serving = tt.staff_serving
    a, b, d = st.columns([2, 1.4, 1], vertical_alignment="center")
    a.markdown(f"**{t('exp_ics')}**  \n:gray[{t('exp_ics_for')}]")
    who = b.selectbox(t("exp_teacher"), serving, format_func=lambda s: f"{s} {tt.staff_name(s)}", key="ics_teacher",
                      label_visibility="collapsed")
    if who:
        d.download_button(t("download"), data=storage.audited(lambda: export.teacher_ics(L, plan, who, term_start,
                                                                                         out_lang), f"{school}-{who}.ics"),
                          file_name=f"{school}-{who}.ics", mime="text/calendar", key="dl_ics", icon=":material/event:",
                          on_click="ignore", width="stretch")

with st.expander(t("preview_guide"), expanded=False):
    st.iframe(export.guide_html(L, plan, out_lang), height=700)  # every value in it is escaped
