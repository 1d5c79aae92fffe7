"""导出 Export: what the school hands out — the timetable workbook, the service guide (HTML, PDF),
attendance sheets, class and pupil timetables (PDF, PNG), parents' notices, teachers' calendars,
and the plan file. Files are made on click. A roster (names, guardians) can be added here: it stays
in this session only (never saved, never in the audit trail), merged into the files at export."""

from __future__ import annotations

import datetime as dt

import streamlit as st

import export
from export import printouts
from export.calendar import school_calendar
from export.timetable import Timetable
from instances.demo import demo_files
from models.problems import InputRejected
from models.roster import match, read_roster
from ui import storage, widgets
from ui.i18n import LANGS, lang, t
from ui.words import one_language

ss = st.session_state
st.title(t("exp_title"))
ps = widgets.require_plan(need_activities=True)

loaded, plan = ps.loaded, ps.plan
school = loaded.instance.school.id
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

c1, c2, c3, _ = st.columns([1, 1, 1, 1], vertical_alignment="bottom")
if ss.get("keep_export_lang") not in LANGS:
    ss["keep_export_lang"] = lang()
out_lang = c1.segmented_control(
    t("exp_lang"),
    list(LANGS),
    format_func=LANGS.__getitem__,
    key="keep_export_lang",
    required=True,
    persist_state="session",
)
today = dt.date.today()
# the next term's usual start: 1 March or 1 September (the scheduler sets the real date)
default_start = min(
    d for d in (dt.date(today.year, 3, 1), dt.date(today.year, 9, 1), dt.date(today.year + 1, 3, 1)) if d >= today
)
ss.setdefault("keep_term_start", default_start)
term_start = c2.date_input(t("term_start"), key="keep_term_start", persist_state="session")
if ss.get("keep_term_end") is None or ss.get("keep_term_end_for") != term_start:
    ss["keep_term_end"] = export.term_end(loaded, term_start)  # term_weeks from the first day, until changed
    ss["keep_term_end_for"] = term_start
term_last = c3.date_input(t("term_end"), key="keep_term_end", min_value=term_start)
calendar = school_calendar(term_start, max(term_last, term_start), list(loaded.days))
st.caption(t("term_calendar_note", n=len(calendar.runs), off=len(calendar.skipped), makeup=len(calendar.makeup)))
for note in calendar.notes:
    st.caption(":material/info: " + one_language(note, lang()))


# ---------------------------------------------------------------- roster (names): this session only
with st.container(border=True):
    st.markdown(f"**:material/badge: {t('roster_head')}**  \n:gray[{t('roster_for')}]")
    r1, r2 = st.columns([3, 1], vertical_alignment="bottom")
    with r1:
        up = widgets.uploader(
            t("roster_upload"), ["csv", "xlsx", "xls", "ods"], key="roster_upload", help=t("roster_help")
        )
    demo = demo_files()["roster"]
    if school == "xc-demo-primary" and r2.button(t("roster_demo"), key="roster_demo", icon=":material/person:"):
        ss["roster_file"] = (demo.name, demo.read_bytes())
    if up is not None and ss.get("roster_file", (None,))[0] != up.name:
        ss["roster_file"] = (up.name, up.getvalue())
    roster = None
    if ss.get("roster_file"):
        name, data = ss["roster_file"]
        try:
            roster = read_roster(name, data)
        except InputRejected as exc:
            st.error(t("roster_bad", name=name))
            for p in exc.report.errors[:10]:
                st.markdown(f"- {p.cell or p.where}：{p.text.in_lang(lang())}")
        if roster is not None:
            m = match(roster, {s.id: s.class_ for s in loaded.instance.students})
            st.success(t("roster_ok", name=name, n=len(roster.pupils)))
            for line in m.lines(lang()):
                st.warning(line)
            if st.button(t("roster_clear"), key="roster_clear", icon=":material/delete:"):
                ss.pop("roster_file", None)
                st.rerun()

version = t("plan_version_n", n=ps.version_number) if ps.version_number else printouts.plan_fingerprint(plan)
info = printouts.PrintInfo(version, dt.date.today())
st.caption(t("plan_version_note", version=version, date=info.date.isoformat()))


def _row(title: str, make, name: str, mime: str, key: str, icon: str) -> None:
    a, b = st.columns([3, 1], vertical_alignment="center")
    a.markdown(f"**{title}**  \n:gray[{t(key.replace('dl_', 'exp_') + '_for')}]")
    b.download_button(
        t("download"),
        data=storage.audited(make, name),
        file_name=name,
        mime=mime,
        key=key,
        icon=icon,
        on_click="ignore",
        width="stretch",
    )


with st.container(border=True):
    _row(
        t("exp_workbook"),
        lambda: export.plan_workbook(loaded, plan, out_lang),
        f"{school}-timetables.xlsx",
        XLSX,
        "dl_workbook",
        ":material/grid_on:",
    )
    _row(
        t("exp_guide_html"),
        lambda: export.guide_html(loaded, plan, out_lang).encode("utf-8"),
        f"{school}-guide.html",
        "text/html",
        "dl_guide_html",
        ":material/language:",
    )
    _row(
        t("exp_guide_pdf"),
        lambda: export.guide_pdf(loaded, plan, out_lang, info=info),
        f"{school}-guide.pdf",
        "application/pdf",
        "dl_guide_pdf",
        ":material/picture_as_pdf:",
    )
    _row(
        t("exp_attendance"),
        lambda: export.attendance_workbook(loaded, plan, out_lang, roster, info, calendar),
        f"{school}-attendance.xlsx",
        XLSX,
        "dl_attendance",
        ":material/fact_check:",
    )
    _row(
        t("exp_class_pdf"),
        lambda: printouts.class_timetables_pdf(loaded, plan, out_lang, roster, info),
        f"{school}-classes.pdf",
        "application/pdf",
        "dl_class_pdf",
        ":material/picture_as_pdf:",
    )
    _row(
        t("exp_plan"),
        lambda: plan.to_json().encode("utf-8"),
        f"{school}-plan.json",
        "application/json",
        "dl_plan",
        ":material/save:",
    )

# ---------------------------------------------------------------- per class: pupils' timetables, notices, pictures
with st.container(border=True):
    tt = Timetable(loaded, plan)
    st.markdown(f"**:material/groups: {t('exp_per_class')}**  \n:gray[{t('exp_per_class_for')}]")
    classes = tt.classes
    klass = st.selectbox(t("class"), classes, key="exp_class")
    if klass:
        k1, k2, k3, k4 = st.columns(4)
        k1.download_button(
            t("dl_notices"),
            data=storage.audited(
                lambda: printouts.parent_notices_pdf(loaded, plan, klass, out_lang, roster, info, calendar),
                f"{school}-{klass}-notices.pdf",
            ),
            file_name=f"{school}-{klass}-notices.pdf",
            mime="application/pdf",
            key="dl_notices",
            icon=":material/mail:",
            on_click="ignore",
            width="stretch",
        )
        k2.download_button(
            t("dl_pupil_pdf"),
            data=storage.audited(
                lambda: printouts.pupil_timetables_pdf(loaded, plan, klass, out_lang, roster, info),
                f"{school}-{klass}-pupils.pdf",
            ),
            file_name=f"{school}-{klass}-pupils.pdf",
            mime="application/pdf",
            key="dl_pupil_pdf",
            icon=":material/picture_as_pdf:",
            on_click="ignore",
            width="stretch",
        )
        k3.download_button(
            t("dl_class_png"),
            data=storage.audited(
                lambda: printouts.timetable_png(loaded, plan, "class", klass, out_lang, roster, info),
                f"{school}-{klass}.png",
            ),
            file_name=f"{school}-{klass}.png",
            mime="image/png",
            key="dl_class_png",
            icon=":material/image:",
            on_click="ignore",
            width="stretch",
        )
        k4.download_button(
            t("dl_class_pngs"),
            data=storage.audited(
                lambda: printouts.class_pngs_zip(loaded, plan, klass, out_lang, roster, info),
                f"{school}-{klass}-png.zip",
            ),
            file_name=f"{school}-{klass}-png.zip",
            mime="application/zip",
            key="dl_class_pngs",
            icon=":material/folder_zip:",
            on_click="ignore",
            width="stretch",
        )
        with st.expander(t("preview_class_png"), expanded=False):
            st.image(printouts.timetable_png(loaded, plan, "class", klass, out_lang, roster, info))

with st.container(border=True):
    serving = tt.staff_serving
    a, b, d = st.columns([2, 1.4, 1], vertical_alignment="center")
    a.markdown(f"**{t('exp_ics')}**  \n:gray[{t('exp_ics_for')}]")
    who = b.selectbox(
        t("exp_teacher"),
        serving,
        format_func=lambda s: f"{s} {tt.staff_name(s)}",
        key="ics_teacher",
        label_visibility="collapsed",
    )
    if who:
        d.download_button(
            t("download"),
            data=storage.audited(
                lambda: export.teacher_ics(loaded, plan, who, term_start, out_lang, term_last), f"{school}-{who}.ics"
            ),
            file_name=f"{school}-{who}.ics",
            mime="text/calendar",
            key="dl_ics",
            icon=":material/event:",
            on_click="ignore",
            width="stretch",
        )
    z1, z2 = st.columns([3.4, 1], vertical_alignment="center")
    z1.markdown(f"**{t('exp_ics_zip')}**")
    z2.download_button(
        t("download"),
        data=storage.audited(
            lambda: export.teachers_ics_zip(loaded, plan, term_start, out_lang, term_last), f"{school}-calendars.zip"
        ),
        file_name=f"{school}-calendars.zip",
        mime="application/zip",
        key="dl_ics_zip",
        icon=":material/folder_zip:",
        on_click="ignore",
        width="stretch",
    )

with st.expander(t("preview_guide"), expanded=False):
    st.iframe(export.guide_html(loaded, plan, out_lang), height=700)  # every value in it is escaped
