"""审计日志 Audit log: who viewed or changed which school's data, and who was refused — for the
district administrator (and the local user). The repository refuses anyone else."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from store.access import AccessDenied
from store.repo import ACTIONS
from ui import storage
from ui.i18n import lang, t, tr

st.title(t("au_title"))
st.caption(t("au_intro"))
who = storage.actor()
lg = lang()
repo = storage.repo()
if not who.reads_all:
    st.error(t("au_only_admin"))
    st.stop()

ANY = "*"
schools = [ANY, *[s.id for s in repo.list_schools(who)]]
c1, c2, c3 = st.columns(3)
school = c1.selectbox(
    t("au_school"), schools, key="au_school", format_func=lambda s: tr("au_any", lg) if s == ANY else s
)
action = c2.selectbox(
    t("au_action"), [ANY, *ACTIONS], key="au_action", format_func=lambda s: tr("au_any", lg) if s == ANY else s
)
user = c3.text_input(t("au_user"), key="au_user").strip()
try:
    rows = repo.list_audit(
        who,
        None if school == ANY else school,
        limit=500,
        action=None if action == ANY else action,
        user_id=user or None,
    )
    total = repo.count_audit(who)
except AccessDenied as exc:
    st.error(str(exc))
    st.stop()
st.caption(t("au_count", n=total, shown=len(rows)))
table = pd.DataFrame(
    [
        {
            t("au_col_at"): storage.when(r.at),
            t("au_col_user"): f"{r.user_name} <{r.user_id}>" if r.user_name else r.user_id,
            t("au_col_role"): t(f"role_{r.role}") if r.role else "",
            t("au_col_school"): r.school_id or "—",
            t("au_col_action"): r.action,
            t("au_col_target"): r.target,
            t("au_col_detail"): r.detail,
            t("au_col_ok"): "✓" if r.ok else t("au_refused"),
        }
        for r in rows
    ]
)
if len(table):
    table = table.style.apply(
        lambda row: ["background-color: #FDE2E1" if row[t("au_col_ok")] != "✓" else "" for _ in row], axis=1
    )
st.dataframe(table, hide_index=True, width="stretch", height=min(38 + 35 * max(len(rows), 1), 800))
