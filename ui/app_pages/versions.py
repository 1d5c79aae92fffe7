"""方案与版本 Scenarios and versions: a school's scenarios, every saved version (who, when, what
changed), open / compare / restore / export any version, the plans made from each version, and
the one plan marked published (sent to parents). Everything goes through the repository with the
session's user and school: another school's scenario is not found, whatever the URL says."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from store.access import StoreError
from store.diff import localize
from store.repo import ScenarioInfo
from ui import session, storage
from ui.i18n import lang, t, tr
from ui.words import change_line

ss = st.session_state
st.title(t("vs_title"))
st.caption(t("vs_intro"))

who = storage.actor()
repo = storage.repo()
lg = lang()  # format functions may run outside the script run (AppTest): they use this, not lang()


def _fail(exc: Exception) -> None:
    st.error(t("vs_refused", err=exc), icon=":material/block:")


# ---------------------------------------------------------------- which school
school = storage.school_id()
if who.role == "local":  # the local user may keep several schools
    schools = [s.id for s in repo.list_schools(who)]
    if school not in schools and schools:
        schools = [school, *schools] if school else schools
    if len(schools) > 1:
        school = st.selectbox(
            t("vs_school"), schools, index=schools.index(school) if school in schools else 0, key="vs_school"
        )
if not school:
    st.info(t("vs_none"))
    st.stop()
writer = who.can_write(school)

# ---------------------------------------------------------------- the session's scenario
current: ScenarioInfo | None = ss.get("store_scenario")
with st.container(border=True):
    if current is not None and current.school_id == school:
        st.markdown(
            t(
                "vs_current",
                name=current.name,
                n=ss.get("store_opened", current.head),
                latest=ss.get("store_base", current.head),
            )
        )
    else:
        st.markdown(t("vs_current_none"))

try:
    scenarios = repo.list_scenarios(who, school)
except StoreError as exc:
    _fail(exc)
    st.stop()

# ---------------------------------------------------------------- new scenario
if writer:
    with st.expander(t("vs_new"), icon=":material/add:"):
        name = st.text_input(t("vs_new_name"), key="vs_new_name")
        start = st.radio(
            t("vs_new_from"),
            ["current", "demo"],
            horizontal=True,
            key=f"vs_new_from_{lg}",
            format_func=lambda k: tr(f"vs_from_{k}", lg),
        )
        if st.button(t("vs_create"), key="vs_create", disabled=not name.strip()):
            storage.ensure_saved(t("msg_auto"))  # nothing of the current work is dropped
            if start == "demo":
                session.set_raw(session.demo_raw(), session.DEMO.name)
            text = session.check().text
            try:
                sc, v = repo.create_scenario(who, school, name.strip(), text, t("msg_new"), valid=session.check().valid)
                storage.open_scenario(sc)
                ss.pop("vs_new_name", None)
                st.toast(t("vs_created", name=sc.name))
                st.rerun()
            except StoreError as exc:
                _fail(exc)

st.subheader(t("vs_scenarios"))
if not scenarios:
    st.info(t("vs_none"))
    st.stop()

st.dataframe(
    pd.DataFrame(
        [
            {
                t("vs_col_id"): sc.id,
                t("vs_col_name"): sc.name,
                t("vs_col_latest"): f"v{sc.head}",
                t("vs_col_when"): storage.when(sc.updated_at),
                t("vs_col_who"): sc.updated_by,
                t("vs_col_published"): f"#{sc.published_plan_id}" if sc.published_plan_id else "",
            }
            for sc in scenarios
        ]
    ),
    hide_index=True,
    width="stretch",
)
ids = [sc.id for sc in scenarios]
by_id = {sc.id: sc for sc in scenarios}
if ss.get("vs_scenario") not in ids:
    ss["vs_scenario"] = current.id if current is not None and current.id in ids else ids[0]
chosen = by_id[
    st.selectbox(
        t("vs_pick_scenario"), ids, key="vs_scenario", format_func=lambda i: f"#{i} {by_id[i].name} · v{by_id[i].head}"
    )
]
if st.button(t("vs_open_latest"), key="vs_open_latest", icon=":material/folder_open:"):
    if writer:
        storage.ensure_saved(t("msg_auto"))
    try:
        info = storage.open_scenario(chosen)
        st.toast(t("vs_opened", name=chosen.name, n=info.number))
        st.rerun()
    except StoreError as exc:
        _fail(exc)

# ---------------------------------------------------------------- versions
versions = repo.list_versions(who, school, chosen.id)
numbers = [v.number for v in versions]
by_n = {v.number: v for v in versions}
st.subheader(t("vs_versions", n=len(versions)))
st.dataframe(
    pd.DataFrame(
        [
            {
                t("vs_col_version"): f"v{v.number}",
                t("vs_col_when"): storage.when(v.created_at),
                t("vs_col_who"): v.created_by_name or v.created_by,
                t("vs_col_message"): v.message,
                t("vs_col_auto"): "✓" if v.auto else "",
                t("vs_col_changes"): localize(v.summary, lg),
            }
            for v in versions
        ]
    ),
    hide_index=True,
    width="stretch",
)
vkey = f"vs_version_{chosen.id}"
if ss.get(vkey) not in numbers:
    ss[vkey] = numbers[0]
number = st.selectbox(
    t("vs_pick_version"),
    numbers,
    key=vkey,
    format_func=lambda n: (
        f"v{n} · {storage.when(by_n[n].created_at)} · {by_n[n].created_by_name or by_n[n].created_by}"
        + (f" · {by_n[n].message}" if by_n[n].message else "")
    ),
)
c1, c2, c3 = st.columns(3)
if c1.button(t("vs_open_version"), key="vs_open_version", icon=":material/history:"):
    if writer:
        storage.ensure_saved(t("msg_auto"))
    storage.open_scenario(chosen, number)
    st.toast(t("vs_opened", name=chosen.name, n=number))
    st.rerun()
if c2.button(
    t("vs_restore"), key="vs_restore", icon=":material/restore:", disabled=not writer or number == chosen.head
):
    mine = current is not None and current.id == chosen.id
    if mine:
        storage.ensure_saved(t("msg_auto"))  # unsaved edits become a version first: nothing is lost
    try:
        base = repo.get_scenario(who, school, chosen.id).head if mine else chosen.head
        v = repo.restore_version(who, school, chosen.id, number, based_on=base)
        if mine:
            storage.open_scenario(chosen)
        st.toast(t("vs_restored", old=number, n=v.number))
        st.rerun()
    except StoreError as exc:  # a conflict names who saved in between
        _fail(exc)
c3.download_button(
    t("vs_export"),
    data=lambda a=who, s=school, i=chosen.id, n=number: repo.export_version(a, s, i, n),
    file_name=f"{school}-{chosen.name}-v{number}.json",
    mime="application/json",
    key="vs_export",
    icon=":material/download:",
    on_click="ignore",
)

with st.expander(t("vs_changes_of", n=number), expanded=True):
    v = by_n[number]
    if number == 1:
        st.caption(t("vs_first", summary=localize(v.summary, lg)))
    else:
        cache = ss.setdefault("vs_changes", {})  # per session: the changes of a version never change
        key = (school, chosen.id, number)
        if key not in cache:
            cache[key] = [change_line(c, lg) for c in repo.diff_versions(who, school, chosen.id, number - 1, number)]
        lines = cache[key]
        if not lines:
            st.caption(t("vs_no_changes"))
        st.markdown("\n".join(f"- `{line}`" for line in lines[:200]))
        if len(lines) > 200:
            st.caption(t("vs_more", n=len(lines) - 200))

# ---------------------------------------------------------------- compare
if len(numbers) > 1:
    st.subheader(t("vs_compare"))
    a1, a2, a3 = st.columns([1, 1, 1], vertical_alignment="bottom")
    ka, kb = f"vs_cmp_a_{chosen.id}", f"vs_cmp_b_{chosen.id}"
    if ss.get(ka) not in numbers:
        ss[ka] = numbers[1]
    if ss.get(kb) not in numbers:
        ss[kb] = numbers[0]
    va = a1.selectbox(t("vs_cmp_a"), numbers, key=ka, format_func=lambda n: f"v{n}")
    vb = a2.selectbox(t("vs_cmp_b"), numbers, key=kb, format_func=lambda n: f"v{n}")
    if a3.button(t("vs_compare_btn"), key="vs_compare", icon=":material/compare_arrows:"):
        from store.diff import summary

        changes = repo.diff_versions(who, school, chosen.id, va, vb)
        ss.vs_diff = (school, chosen.id, va, vb, [change_line(c, lg) for c in changes], summary(changes, lg))
    shown = ss.get("vs_diff")
    if shown and shown[:2] == (school, chosen.id):
        _, _, da, db, lines, summ = shown
        st.markdown("**" + t("vs_diff_head", a=da, b=db, n=len(lines), summary=localize(summ, lg)) + "**")
        st.markdown("\n".join(f"- `{line}`" for line in lines[:300]))
        if len(lines) > 300:
            st.caption(t("vs_more", n=len(lines) - 300))

# ---------------------------------------------------------------- plans
plans = repo.list_plans(who, school, chosen.id)
st.subheader(t("vs_plans", n=len(plans)))
published = next((p for p in plans if p.published), None)
if published is not None:
    st.success(
        t("vs_published_now", id=published.id, n=published.version_number, at=storage.when(published.created_at))
    )
if not plans:
    st.caption(t("vs_no_plans"))
    st.stop()


def _pct(x) -> str:
    return f"{100 * x:.0f}%" if isinstance(x, int | float) else ""


st.dataframe(
    pd.DataFrame(
        [
            {
                t("vs_col_id"): f"#{p.id}",
                t("vs_col_when"): storage.when(p.created_at),
                t("vs_col_who"): p.created_by_name or p.created_by,
                t("vs_col_status"): t(f"status_{p.status}"),
                t("vs_col_from"): f"v{p.version_number}",
                t("vs_col_sha"): p.instance_sha256[:12],
                t("vs_col_served"): f"{p.metrics.get('students_served')}/{p.metrics.get('students')}",
                t("vs_col_first"): _pct(p.metrics.get("first_choice_rate")),
                t("vs_col_cost"): p.metrics.get("staff_pay_per_term"),
                t("vs_col_published"): "✓" if p.published else "",
            }
            for p in plans
        ]
    ),
    hide_index=True,
    width="stretch",
)
pids = [p.id for p in plans]
by_pid = {p.id: p for p in plans}
pkey = f"vs_plan_{chosen.id}"
if ss.get(pkey) not in pids:
    ss[pkey] = pids[0]
pid = st.selectbox(
    t("vs_pick_plan"),
    pids,
    key=pkey,
    format_func=lambda i: (
        f"#{i} · v{by_pid[i].version_number} · {tr('status_' + by_pid[i].status, lg)} · "
        f"{storage.when(by_pid[i].created_at)}" + (" · ✓" if by_pid[i].published else "")
    ),
)
chosen_plan = by_pid[pid]
p1, p2, p3 = st.columns(3)
if p1.button(
    t("vs_publish"),
    key="vs_publish",
    type="primary",
    icon=":material/campaign:",
    disabled=not writer or not chosen_plan.valid or chosen_plan.published,
):
    try:
        repo.publish_plan(who, school, chosen.id, pid)
        st.toast(t("vs_published", id=pid, n=chosen_plan.version_number))
        st.rerun()
    except StoreError as exc:
        _fail(exc)
if p2.button(t("vs_open_plan"), key="vs_open_plan", icon=":material/calendar_view_week:"):
    from models.load import load_bytes
    from models.plan_io import plan_from_data

    if writer:
        storage.ensure_saved(t("msg_auto"))
    info, text = repo.get_plan(who, school, pid)
    storage.open_scenario(chosen, info.version_number)
    version = repo.get_version(who, school, chosen.id, info.version_number, audit=False)
    loaded = load_bytes(version.text.encode("utf-8"), f"{chosen.name} v{info.version_number}")
    session.set_plan(
        session.PlanState(
            plan_from_data(json.loads(text), f"plan #{pid}"), loaded, stored_id=pid, version_number=info.version_number
        )
    )
    st.toast(t("vs_plan_opened", id=pid, n=info.version_number))
    st.switch_page("app_pages/timetable.py")
p3.download_button(
    t("vs_export_plan"),
    data=lambda a=who, s=school, i=pid: repo.export_plan(a, s, i),
    file_name=f"{school}-{chosen.name}-plan{pid}.json",
    mime="application/json",
    key="vs_export_plan",
    icon=":material/download:",
    on_click="ignore",
)
