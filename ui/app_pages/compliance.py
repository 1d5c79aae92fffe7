"""合规与经费 Compliance and budget: R1–R25 pass/fail with detail, term income against cost, and
the plan's metrics beside the first-come-first-served plan's on the same data."""

from __future__ import annotations

import json
from pathlib import Path

import altair as alt
import pandas as pd
import streamlit as st

from solver.baseline import baseline_plan
from ui import widgets
from ui.i18n import lang, t
from ui.words import one_language

ss = st.session_state
st.title(t("comp_title"))
ps = widgets.require_plan()

zh = lang() == "zh"
plan = ps.plan
rules = {
    r["rule"]: r
    for r in json.loads((Path(__file__).resolve().parents[1] / "policy_text.json").read_text(encoding="utf-8"))["rules"]
}

# ---------------------------------------------------------------- R1–R25
bad = [x for x in plan.compliance if not x.ok]
(st.success if not bad else st.error)(t("comp_summary", ok=len(plan.compliance) - len(bad), bad=len(bad)))
rows = [
    {
        t("comp_rule"): x.rule,
        t("comp_name"): (rules.get(x.rule, {}).get("name_zh" if zh else "name_en", "")),
        t("comp_ok"): t("pass") if x.ok else t("fail"),
        t("comp_detail"): one_language(x.detail, lang()),
    }
    for x in plan.compliance
]
table = pd.DataFrame(rows).style.apply(
    lambda r: ["background-color: #FDE2E1" if r[t("comp_ok")] == t("fail") else "" for _ in r], axis=1
)
st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    height=min(38 + 35 * len(rows), 950),
    column_config={t("comp_detail"): st.column_config.TextColumn(width="large")},
)

# ---------------------------------------------------------------- budget
st.subheader(t("budget_head"))
c = plan.costs
income = c.fee_income_per_term + c.subsidy_per_term
m1, m2, m3, m4 = st.columns(4)
m1.metric(t("c_fees"), f"{c.fee_income_per_term:,}")
m2.metric(t("c_subsidy"), f"{c.subsidy_per_term:,}")
m3.metric(t("c_cost"), f"{c.staff_pay_per_term:,}")
m4.metric(t("c_balance"), f"{c.balance_per_term:,}", delta=None if c.balance_per_term >= 0 else t("fail"))
money = pd.DataFrame(
    [
        {t("plan_col"): t("income"), t("part"): t("c_fees"), t("amount"): c.fee_income_per_term},
        {t("plan_col"): t("income"), t("part"): t("c_subsidy"), t("amount"): c.subsidy_per_term},
        {t("plan_col"): t("cost"), t("part"): t("c_cost"), t("amount"): c.staff_pay_per_term},
    ]
)
st.altair_chart(
    alt.Chart(money)
    .mark_bar()
    .encode(
        y=alt.Y(f"{t('plan_col')}:N", title=None, sort=[t("income"), t("cost")]),
        x=alt.X(f"{t('amount')}:Q", title=t("amount")),
        color=alt.Color(
            f"{t('part')}:N",
            title=None,
            scale=alt.Scale(domain=[t("c_fees"), t("c_subsidy"), t("c_cost")], range=["#9ecae1", "#4292c6", "#fd8d3c"]),
        ),
        tooltip=[t("part"), t("amount")],
    )
    .properties(height=130),
    width="stretch",
)

# ---------------------------------------------------------------- against FCFS
st.subheader(t("compare_head"))
st.caption(t("compare_intro"))
cached = ss.get("baseline")
if cached is None or cached[0] != ps.loaded.sha256:
    with st.spinner("…"):
        base, _ = baseline_plan(ps.loaded)
    ss.baseline = (ps.loaded.sha256, base)
base = ss.baseline[1]
keys = (
    "students_served",
    "electives_requested",
    "electives_assigned",
    "first_choice_rate",
    "any_choice_rate",
    "staff_used",
    "external_staff_used",
    "max_staff_load",
    "min_staff_load",
)


def _fmt(key: str, value) -> str:
    return f"{100 * value:.1f}%" if key.endswith("_rate") else f"{value:,}"


rows = [
    {
        t("metric"): t(f"m_{k}"),
        t("this_plan"): _fmt(k, getattr(plan.metrics, k)),
        t("fcfs_plan"): _fmt(k, getattr(base.metrics, k)),
    }
    for k in keys
]
rows.append(
    {
        t("metric"): t("c_cost"),
        t("this_plan"): f"{plan.costs.staff_pay_per_term:,}",
        t("fcfs_plan"): f"{base.costs.staff_pay_per_term:,}",
    }
)
pm, bm = plan.metrics, base.metrics
if pm.electives_assigned < bm.electives_assigned and (
    pm.any_choice_rate > bm.any_choice_rate or pm.first_choice_rate > bm.first_choice_rate
):
    st.info(
        t(
            "compare_why",
            fewer=bm.electives_assigned - pm.electives_assigned,
            any_a=_fmt("any_choice_rate", pm.any_choice_rate),
            any_b=_fmt("any_choice_rate", bm.any_choice_rate),
            first_a=_fmt("first_choice_rate", pm.first_choice_rate),
            first_b=_fmt("first_choice_rate", bm.first_choice_rate),
        ),
        icon=":material/info:",
    )
left, right = st.columns([1, 1.2])
left.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
hist = []
for name, p in ((t("this_plan"), plan), (t("fcfs_plan"), base)):
    for rank, n in p.metrics.rank_histogram.items():
        hist.append({t("rank"): t("rank_n", n=rank), "order": int(rank), t("placements"): n, t("plan_col"): name})
if hist:
    right.altair_chart(
        alt.Chart(pd.DataFrame(hist), title=t("hist_title"))
        .mark_bar()
        .encode(
            x=alt.X(f"{t('rank')}:N", sort=alt.SortField("order"), title=t("rank"), axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset(f"{t('plan_col')}:N", sort=[t("this_plan"), t("fcfs_plan")]),
            y=alt.Y(f"{t('placements')}:Q", title=t("placements")),
            color=alt.Color(f"{t('plan_col')}:N", title=None, sort=[t("this_plan"), t("fcfs_plan")]),
            tooltip=[t("plan_col"), t("rank"), t("placements")],
        )
        .properties(height=280),
        width="stretch",
    )
