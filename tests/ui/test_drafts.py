"""Issue 14: invalid edits are kept as an unsaved draft in the store, so a closed tab or a restart
loses nothing; saving the fixed data as a version drops the draft. AppTest sessions, real SQLite."""

from __future__ import annotations

from store.access import LOCAL
from tests.ui.test_versions_page import app, edit, repo


def test_invalid_edits_survive_a_closed_tab_and_are_dropped_once_saved():
    at = app()
    edit(at, "staff", {0: {"pay_per_period": 90}})  # valid: saved as a version
    sc = at.session_state["store_scenario"]
    edit(at, "staff", {0: {"pay_per_period": 50}})  # invalid (R19): not a version…
    assert at.session_state["store_scenario"].head == sc.head
    draft = repo().get_draft(LOCAL, sc.school_id, sc.id)  # …but kept in the store
    assert draft is not None and draft[0] == sc.head and '"pay_per_period": 50' in draft[1]

    again = app()  # the tab was closed (or the server restarted): a new session
    staff = again.session_state["tables"]["staff"]
    assert int(staff.loc[staff["id"] == "T01", "pay_per_period"].iloc[0]) == 50  # the edit is back
    assert any("未保存的修改" in i.value for i in again.sidebar.info)
    assert again.session_state["store_base"] == sc.head

    edit(again, "staff", {0: {"pay_per_period": 95}})  # fixed: saved as the next version, draft gone
    assert again.session_state["store_scenario"].head == sc.head + 1
    assert repo().get_draft(LOCAL, sc.school_id, sc.id) is None
    third = app()
    staff = third.session_state["tables"]["staff"]
    assert int(staff.loc[staff["id"] == "T01", "pay_per_period"].iloc[0]) == 95
    assert not any("未保存的修改" in i.value for i in third.sidebar.info)
