"""The session's solve: starting one in the background (`ui.jobs`) on the saved version of the
session's data, and taking its plan into the session once it ends (kept in the database by the job,
or here when the job could not keep it)."""

from __future__ import annotations

import streamlit as st

from models.load import Loaded
from models.plan import Plan
from solver.model.objective import DEFAULT
from ui import jobs, session, storage
from ui.i18n import t


def job() -> jobs.SolveJob | None:
    """The session's solve job (running or finished), if any."""
    return st.session_state.get("job")


def start_solve(
    loaded: Loaded, time_limit: float, weights=None, previous: Plan | None = None, purpose: str = "solve"
) -> None:
    storage.ensure_saved(t("msg_before_solve"))  # the plan will name the exact version it was made from
    st.session_state.job = jobs.start(
        loaded, time_limit, weights or DEFAULT, previous, purpose, keep=storage.job_keeper(loaded)
    )  # stored by the job: a closed tab loses nothing


def harvest() -> None:
    """Take a finished solve's plan into the session (once)."""
    j = job()
    if j is None or j.harvested or j.active:
        return
    j.harvested = True
    if j.state == "done" and j.plan is not None:
        outcome = session.PlanState(j.plan, j.loaded, j.changes, j.previous, j.fallback, j.purpose)
        if j.stored is not None:  # the job kept it already
            outcome.stored_id, outcome.version_number = j.stored.id, j.stored.version_number
        else:
            storage.keep_plan(outcome)
        session.set_attempt(outcome)
        if outcome.valid:
            session.set_plan(outcome)
