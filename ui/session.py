"""The app's session state: the instance being edited, its check, and the current plan — what lives
in `st.session_state` for them, and the cache of the check.

The instance lives in two parts: `doc` (school, policy, days … as in the JSON file) and one
DataFrame per table (`tables`), which is what the editors show and change. Every run turns them
back into instance data and checks it with the library's loader (`ui.checking.check_raw`), so a
table says exactly what a file would (the cells' conventions: `ui.table_codec`).

Editors keep their edits in widget state keyed `ed_<table>_<version>` on top of a frozen `base`
DataFrame; each run copies the edited result into `tables`, so edits survive page changes (when
Streamlit drops a widget's state the editor restarts from `tables`). Replacing data bumps the
version, which starts every editor afresh.

Session keys: `lang`, `ver`, `doc`, `tables`, `base`, `source` (where the data came from: a file,
the demo, a scenario), `upload_problems`, `focus` (a record to show on the Data page), `_check` and
`_check_of` (the cached check), `plan` (the current valid plan) and `attempt` (the last solve's
outcome).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from models.load import Loaded
from models.plan import Plan
from models.problems import Problem
from ui.checking import Check, check_raw
from ui.table_codec import OMIT, join_raw, split_raw

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "instances" / "example.json"


def _ss():
    return st.session_state


def init() -> None:
    """The session's defaults (language, editor version); the data come from `ui.storage.start_session`."""
    ss = _ss()
    ss.setdefault("lang", "zh")
    ss.setdefault("ver", 0)


def has_data() -> bool:
    """Has the session instance data (from a scenario, the demo or a file)?"""
    return "doc" in _ss()


def source() -> str:
    """Where the session's data came from (a file, the demo, a scenario's name)."""
    return _ss().source


def set_source(text: str) -> None:
    _ss().source = text


def set_focus(record: str) -> None:
    """The record (e.g. `students[S0042]`) the Data page should show next."""
    _ss().focus = record


# ============================================================================ the data


def set_raw(raw: dict, source: str, upload_problems: list[Problem] | None = None) -> None:
    """Replace the whole instance (a load or an upload): every editor starts afresh."""
    ss = _ss()
    ss.doc, ss.tables = split_raw(raw)
    ss.base = dict(ss.tables)
    ss.source = source
    ss.upload_problems = upload_problems or []
    ss.focus = None
    ss.ver = ss.get("ver", 0) + 1
    ss.pop("_check", None)
    ss.pop("_check_of", None)


def demo_raw() -> dict:
    """The demo school's instance data."""
    return json.loads(DEMO.read_text(encoding="utf-8"))


def editor_key(kind: str) -> str:
    return f"ed_{kind}_{_ss().ver}"


def widget_key(name: str) -> str:
    """A key for a widget showing instance data: new whenever the data are replaced."""
    return f"{name}_{_ss().ver}"


def restart_editors() -> None:
    """Start every editor afresh from the current tables (language switch, table changed in code)."""
    ss = _ss()
    ss.base = dict(ss.tables)
    ss.ver += 1


def replace_table(kind: str, df: pd.DataFrame) -> None:
    ss = _ss()
    ss.tables = {**ss.tables, kind: df.reset_index(drop=True)}
    restart_editors()


def editor_base(kind: str) -> pd.DataFrame:
    """The frozen table a table's editor starts from; when the editor has no state (first show, or
    Streamlit dropped it on a page change) it restarts from the current table."""
    ss = _ss()
    if editor_key(kind) not in ss:
        ss.base = {**ss.base, kind: ss.tables[kind]}
    return ss.base[kind]


def table(kind: str) -> pd.DataFrame:
    """The current table of `kind` (with this run's edits)."""
    return _ss().tables[kind]


def keep_edit(kind: str, df: pd.DataFrame) -> None:
    """An editor's result as the current table (its editor keeps its own base)."""
    ss = _ss()
    ss.tables = {**ss.tables, kind: df}


def update_doc(key: str, value: Any) -> None:
    ss = _ss()
    doc = dict(ss.doc)
    if value is OMIT:
        doc.pop(key, None)
    else:
        doc[key] = value
    ss.doc = doc


def current_raw() -> tuple[dict, list[Problem], dict[str, int]]:
    """The session's data as instance data, the cells that could not be read, and each record's row."""
    ss = _ss()
    return join_raw(ss.doc, ss.tables)


def check() -> Check:
    """The check of the current data (cached until the data change).

    The data change only by replacing `ss.tables` or `ss.doc` (never in place), so while both are
    the very objects the last check was made of, it still holds (the app asks several times a run:
    pages, sidebar, saving)."""
    ss = _ss()
    cached = ss.get("_check")
    made_of = ss.get("_check_of")
    if cached is not None and made_of is not None and made_of[0] is ss.tables and made_of[1] is ss.doc:
        return cached[1]
    raw, problems, rows = current_raw()
    key = json.dumps([raw, [(p.record, p.field, p.message) for p in problems]], ensure_ascii=False, sort_keys=True)
    if cached is None or cached[0] != key:
        cached = (key, check_raw(raw, problems, rows))
        ss["_check"] = cached
    ss["_check_of"] = (ss.tables, ss.doc)  # held, so the identities cannot be reused by new objects
    return cached[1]


# ============================================================================ the plan


@dataclass
class PlanState:
    plan: Plan
    loaded: Loaded  # the instance the plan was made for
    changes: list[str] = field(default_factory=list)
    previous: Plan | None = None
    fallback: str | None = None
    purpose: str = "solve"
    stored_id: int | None = None  # the plan's id in the database, once kept
    version_number: int | None = None  # the scenario version it was made from

    @property
    def valid(self) -> bool:
        return self.plan.status in ("optimal", "feasible")


def plan_state() -> PlanState | None:
    """The current plan: the last valid one (a failed re-solve never replaces it)."""
    return _ss().get("plan")


def attempt() -> PlanState | None:
    """The last solve's outcome, valid or not (what the Solve and Adjust pages report)."""
    return _ss().get("attempt")


def set_attempt(outcome: PlanState) -> None:
    _ss().attempt = outcome


def set_plan(outcome: PlanState) -> None:
    _ss().plan = outcome


def is_stale(outcome: PlanState) -> bool:
    """Was the plan made from other data than the session's (or are the session's data invalid)?"""
    current = check()
    return not current.valid or current.loaded.sha256 != outcome.loaded.sha256
