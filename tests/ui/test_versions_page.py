"""Storage in the app (AppTest): automatic and on-demand saves, the 方案与版本 page (versions,
compare, restore, plans and publishing), a conflict between two sessions, and roles with a faked
login (`at.user`): a scheduler sees and changes only their school, a viewer changes nothing, the
district administrator reads every school and the audit log."""

from __future__ import annotations

import copy
import os

import pytest
from streamlit.testing.v1 import AppTest

from solver.baseline import baseline_plan
from store.access import LOCAL, Actor
from store.db import open_repo
from tests.conftest import example_raw
from tests.ui.conftest import APP
from ui import jobs

AUTH = {
    "redirect_uri": "http://127.0.0.1:8501/oauth2callback",
    "cookie_secret": "0f" * 32,
    "client_id": "app",
    "client_secret": "secret",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}
USERS = {
    "sched-a": {"role": "scheduler", "school_id": "A", "name": "甲校排课员"},
    "view-a": {"role": "viewer", "school_id": "A", "name": "甲校查看者"},
    "sched-b": {"role": "scheduler", "school_id": "B", "name": "乙校排课员"},
    "admin": {"role": "district_admin", "name": "区教育局"},
}


def repo():
    return open_repo(os.environ["AFTERSCHOOL_DB_URL"])


def texts(at: AppTest) -> str:
    parts = []
    for kind in ("title", "subheader", "markdown", "caption", "error", "warning", "success", "info"):
        parts += [str(e.value) for e in getattr(at, kind)]
    return "\n".join(parts)


def app(user: str | None = None, query: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=90)
    if user is not None:
        at.secrets["auth"] = AUTH
        at.secrets["afterschool"] = {"trust_login_claims": True}  # no provider here to re-read claims from
        at.user = {"is_logged_in": True, "sub": user, "email": f"{user}@example.org", **USERS[user]}
    for k, v in (query or {}).items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def go(at: AppTest, page: str) -> AppTest:
    at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def edit(at: AppTest, table: str, rows: dict) -> AppTest:
    at.session_state["data_table"] = table
    at.run()
    at.session_state[f"ed_{table}_{at.session_state['ver']}"] = {
        "edited_rows": rows,
        "added_rows": [],
        "deleted_rows": [],
    }
    at.session_state["store_saved_at"] = 0.0  # the debounce has passed
    at.run()
    assert not at.exception
    return at


def seed_two_schools() -> dict:
    """School A (two versions, a plan) and school B (one version), saved by their schedulers."""
    r = repo()
    a_sched, b_sched = (
        Actor("sched-a", "甲校排课员", "scheduler", "A"),
        Actor("sched-b", "乙校排课员", "scheduler", "B"),
    )
    a, _ = r.create_scenario(a_sched, "A", "甲校秋季", example_raw(), school_name="甲校")
    raw2 = example_raw()
    raw2["policy"]["fee_per_term"] = 320
    r.save_version(a_sched, "A", a.id, raw2, based_on=1, message="收费 320")
    b_raw = copy.deepcopy(example_raw())
    b_raw["school"] = {**b_raw["school"], "id": "B", "name": "乙校"}
    b_raw["staff"][0]["name"] = "乙校秘密老师"
    b, _ = r.create_scenario(b_sched, "B", "乙校秋季", b_raw, school_name="乙校")
    return {"a": a, "b": b}


# ---------------------------------------------------------------------------- local mode


def test_local_autosave_versions_compare_restore_and_reopen():
    at = app()
    assert at.session_state["store_scenario"] is None  # the demo: not saved until changed
    edit(at, "staff", {0: {"pay_per_period": 90}})
    sc = at.session_state["store_scenario"]
    assert sc is not None and sc.head == 2  # v1 the demo as loaded, v2 the edit
    assert any("已自动保存" in c.value for c in at.sidebar.caption)
    edit(at, "staff", {0: {"pay_per_period": 50}})  # invalid (R19): never saved automatically
    assert at.session_state["store_scenario"].head == 2
    assert any("有修改（数据有错误" in c.value for c in at.sidebar.caption)
    edit(at, "staff", {0: {"pay_per_period": 95}})
    assert at.session_state["store_scenario"].head == 3

    go(at, "versions")
    shown = texts(at)
    assert "方案「相城示范小学」v3" in shown
    assert "教职工 T01 · 每课时报酬（元）：90 → 95" in shown  # what v3 changed, in words
    at.selectbox(key=f"vs_cmp_a_{sc.id}").set_value(1).run()
    at.selectbox(key=f"vs_cmp_b_{sc.id}").set_value(3).run()
    at.button(key="vs_compare").click().run()
    assert "v1 → v3：1 处修改" in texts(at) and "教职工 T01 · 每课时报酬（元）：80 → 95" in texts(at)
    assert {b.key for b in at.download_button} >= {"vs_export"}

    at.selectbox(key=f"vs_version_{sc.id}").set_value(1).run()
    at.button(key="vs_restore").click().run()
    assert not at.exception
    assert at.session_state["store_scenario"].head == 4
    staff = at.session_state["tables"]["staff"]
    assert int(staff.loc[staff["id"] == "T01", "pay_per_period"].iloc[0]) == 80  # the session shows the restore
    history = repo().list_versions(LOCAL, sc.school_id, sc.id)
    assert [(v.number, v.restored_from) for v in history][:1] == [(4, 1)]

    again = app()  # next week: the latest scenario opens by itself
    assert again.session_state["store_scenario"].id == sc.id and again.session_state["source"] == "相城示范小学"
    assert any("方案「相城示范小学」· v4" in c.value for c in again.sidebar.caption)


def test_save_button_with_a_message_and_plans_publish():
    at = app()
    edit(at, "staff", {0: {"pay_per_period": 90}})
    at.session_state["data_table"] = "staff"
    at.session_state[f"ed_staff_{at.session_state['ver']}"] = {
        "edited_rows": {0: {"pay_per_period": 91}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()  # within the debounce: not saved yet
    sc = at.session_state["store_scenario"]
    assert sc.head == 2
    at.text_input(key="save_message").set_value("王老师课时费 91").run()
    at.button(key="save_now").click().run()
    v = repo().list_versions(LOCAL, sc.school_id, sc.id)[0]
    assert (v.number, v.message, v.auto) == (3, "王老师课时费 91", False)

    # a finished solve's plan is kept with the version it was made from
    loaded = at.session_state["_check"][1].loaded
    plan, _ = baseline_plan(loaded)
    job = jobs.SolveJob(loaded, 5.0, state="done", plan=plan)
    at.session_state["job"] = job
    at.run()
    assert not at.exception and job.harvested
    stored = repo().list_plans(LOCAL, sc.school_id, sc.id)
    assert [(p.version_number, p.instance_sha256) for p in stored] == [(3, loaded.sha256)]

    go(at, "versions")
    assert "v3" in texts(at)
    at.button(key="vs_publish").click().run()
    assert repo().published_plan(LOCAL, sc.school_id, sc.id).id == stored[0].id
    assert "已发布（发给家长的版本）：结果 #1，由 v3 生成" in texts(at)
    at.button(key="vs_open_plan").click().run()
    assert not at.exception and at.session_state["plan"].stored_id == stored[0].id


def test_two_sessions_editing_one_scenario_conflict_and_nothing_is_overwritten():
    first = app()
    edit(first, "staff", {0: {"pay_per_period": 90}})
    sc = first.session_state["store_scenario"]
    second = app()  # opens v2 too
    assert second.session_state["store_scenario"].head == 2
    edit(first, "staff", {1: {"pay_per_period": 99}})  # first saves v3
    assert first.session_state["store_scenario"].head == 3
    edit(second, "staff", {2: {"pay_per_period": 77}})  # based on v2: refused
    conflict = second.session_state["store_conflict"]
    assert conflict is not None and conflict.latest == 3 and conflict.who == ["本机用户"]
    assert any("在你之后保存了新版本" in w.value for w in second.sidebar.warning)
    latest = repo().get_version(LOCAL, sc.school_id, sc.id)
    assert latest.info.number == 3 and latest.instance["staff"][1]["pay_per_period"] == 99
    second.button(key="conflict_mine").click().run()
    kept = second.session_state["store_scenario"]
    assert kept.id != sc.id and kept.name == "相城示范小学（我的修改）"
    assert repo().get_version(LOCAL, kept.school_id, kept.id).instance["staff"][2]["pay_per_period"] == 77


# ---------------------------------------------------------------------------- roles (faked login)


def test_login_screen_without_a_session():
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": False}
    at.run()
    assert not at.exception
    assert [b.key for b in at.button] == ["login"] and "doc" not in at.session_state


def test_scheduler_of_a_sees_only_a_and_urls_to_b_are_refused():
    ids = seed_two_schools()
    at = app("sched-a")
    assert at.session_state["store_scenario"].school_id == "A"
    assert "乙校" not in texts(at)
    go(at, "versions")
    assert "甲校秋季" in texts(at) and "乙校秋季" not in texts(at)
    for url in ({"school": "B"}, {"scenario": str(ids["b"].id)}, {"school": "B", "scenario": str(ids["b"].id)}):
        at = app("sched-a", url)
        shown = texts(at)
        assert "乙校秘密老师" not in str(at.session_state["tables"]["staff"].to_dict())
        assert "无权" in shown or "没有方案" in shown, url
        assert at.session_state["store_scenario"].school_id == "A"
    refused = repo().list_audit(LOCAL, "B", action="denied")
    assert refused and refused[0].user_id == "sched-a"
    go(at, "solve")  # a scheduler may solve
    assert at.button(key="start_solve") is not None
    assert repo().list_audit(LOCAL, "A", action="login")[0].user_id == "sched-a"


def test_viewer_reads_but_cannot_write():
    seed_two_schools()
    at = app("view-a")
    assert at.session_state["store_scenario"].school_id == "A"
    assert not at.get("arrow_data_editor") and len(at.dataframe) >= 1  # the table is shown, not editable
    assert at.button(key="load_demo").disabled
    assert "save_now" not in {b.key for b in at.button}
    assert "只读" in texts(at)
    go(at, "policy")
    assert all(n.disabled for n in at.number_input)
    go(at, "versions")
    assert at.button(key="vs_restore").disabled
    for page in ("solve", "adjust", "audit", "district"):  # not routed for a viewer at all
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(f"app_pages/{page}.py")


def test_admin_reads_every_school_and_the_audit_log():
    seed_two_schools()
    at = app("admin")
    assert at.selectbox(key="admin_school").options == ["A", "B"]
    at.selectbox(key="admin_school").set_value("B").run()
    assert at.session_state["store_scenario"].school_id == "B"
    assert "乙校秘密老师" in str(at.session_state["tables"]["staff"].to_dict())
    assert at.button(key="load_demo").disabled
    go(at, "audit")
    shown = "\n".join(str(d.value) for d in at.dataframe)
    assert "sched-a" in shown and "admin" in shown
    other = app("sched-a")
    with pytest.raises(ValueError, match="Could not find a navigation page"):  # not routed for a scheduler
        other.switch_page("app_pages/audit.py")


def test_new_pages_in_english_and_readers_of_an_empty_school():
    for user in ("view-a", "admin"):  # nothing saved anywhere yet: only the versions page, which says so
        empty = app(user)
        assert empty.session_state["store_no_data"]
        assert "还没有保存的数据" in texts(empty) or "这所学校还没有方案" in texts(empty)
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            empty.switch_page("app_pages/data.py")
    at = app()
    edit(at, "staff", {0: {"pay_per_period": 90}})
    at.segmented_control(key="lang").set_value("en").run()
    go(at, "versions")
    assert "Scenarios and versions" in texts(at) and "staff[T01].pay_per_period: 80 → 90" in texts(at)
    go(at, "audit")
    assert "Audit log" in texts(at)


def test_another_login_in_the_same_tab_drops_the_previous_schools_data():
    seed_two_schools()
    at = app("sched-b")
    assert "乙校秘密老师" in str(at.session_state["tables"]["staff"].to_dict())
    at.user = {"is_logged_in": True, "sub": "sched-a", "email": "sched-a@example.org", **USERS["sched-a"]}
    at.run()
    assert not at.exception
    assert at.session_state["store_scenario"].school_id == "A"
    assert "乙校秘密老师" not in str(at.session_state["tables"]["staff"].to_dict())
