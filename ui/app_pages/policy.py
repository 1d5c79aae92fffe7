"""政策 Policy: every rule R1–R25 with the policy's own words, what the planner does, and its
parameters (edited here, checked at once like any other data)."""

from __future__ import annotations

import json
from pathlib import Path

import streamlit as st

from models.excel import COLUMNS, CellError
from models.instance import Policy
from ui import checking, session, storage, widgets
from ui.i18n import lang, t

RULES = json.loads((Path(__file__).resolve().parents[1] / "policy_text.json").read_text(encoding="utf-8"))
ss = st.session_state
zh = lang() == "zh"

st.title(t("policy_title"))
st.caption(t("policy_intro"))
st.caption(f":material/description: {RULES['source_zh']}" + ("" if zh else f" — {RULES['source_en']}"))

policy = ss.doc.get("policy") if isinstance(ss.doc.get("policy"), dict) else {}
defaults = Policy().model_dump(mode="json")
columns = COLUMNS["policy"]
only_params = st.toggle(t("policy_filter"), key="policy_only_params", persist_state="session")
c = session.check()
problems = {}
for p in c.errors + c.warnings:
    if p.record == "policy" and p.field:
        problems.setdefault(p.field.split("[")[0], []).append(p)


def _store(field: str, key: str) -> None:
    """A widget's new value into the data (a callback: it runs before the page, so the check is fresh)."""
    col = columns[field]
    value = ss[key]
    if field == "fee_waiver_categories":
        value = col.cell_type.read(value) if str(value).strip() else []
    elif isinstance(value, str):
        try:
            value = col.cell_type.read(value)
        except CellError:
            pass  # kept as typed: the check names it
    elif isinstance(value, float) and value.is_integer():
        value = int(value)
    current = ss.doc.get("policy") if isinstance(ss.doc.get("policy"), dict) else {}
    session.update_doc("policy", {**current, field: value})


def _param(field: str) -> None:
    """One policy parameter's widget, and the problems the check finds in it."""
    col = columns[field]
    title = f"{col.label.zh}" if zh else field.replace("_", " ")
    help_ = widgets.column_help(col)
    current = policy.get(field, defaults.get(field))
    key = session.widget_key(f"pol_{field}")
    args = {"key": key, "on_change": _store, "args": (field, key), "disabled": not storage.writable()}
    if isinstance(defaults.get(field), bool):
        st.checkbox(title, value=bool(current), help=help_, **args)
    elif field == "fee_waiver_categories":
        st.text_input(
            title,
            value=", ".join(current or []) if isinstance(current, list) else str(current),
            help=f"{help_}  \n{t('waivers_help')}",
            **args,
        )
    elif isinstance(defaults.get(field), str):
        st.text_input(title, value=str(current), help=help_, **args)
    else:
        is_int = isinstance(defaults.get(field), int)
        value = current if isinstance(current, int | float) and not isinstance(current, bool) else defaults.get(field)
        st.number_input(
            title, value=int(value) if is_int else float(value), step=1 if is_int else 1.0, help=help_, **args
        )
    for p in problems.get(field, []):
        line, hint = checking.problem_text(p, c)
        (st.error if p.severity == "error" else st.warning)(f"{line}  \n{hint}" if hint else line)


kind_names = {"hard": t("kind_hard"), "input": t("kind_input"), "soft": t("kind_soft"), "report": t("kind_report")}
for rule in RULES["rules"]:
    if only_params and not rule["params"]:
        continue
    name = rule["name_zh"] if zh else rule["name_en"]
    with st.container(border=True):
        head, body = st.columns([1.1, 2])
        with head:
            st.markdown(f"#### {rule['rule']} · {name}")
            st.caption(
                t(
                    "policy_kind",
                    k="、".join(kind_names[k] for k in rule["kinds"])
                    if zh
                    else ", ".join(kind_names[k] for k in rule["kinds"]),
                )
            )
            if rule["params"]:
                for field in rule["params"]:
                    _param(field)
            else:
                st.caption(t("policy_no_params"))
        with body:
            st.markdown(f"**{t('policy_source', s=rule['section'])}**")
            st.markdown(f"> {rule['text']}")
            st.markdown(
                f"**{t('policy_does')}**：{rule['does_zh']}" if zh else f"**{t('policy_does')}**: {rule['does_en']}"
            )
