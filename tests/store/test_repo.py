"""The repository on SQLite and PostgreSQL: migrations, versions and restore, the optimistic lock,
plans tied to versions, publishing, scope (every call, every role) and the audit trail."""

from __future__ import annotations

import copy
import inspect
import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import inspect as sa_inspect
from sqlalchemy import text

from models.load import load_bytes
from solver.baseline import baseline_plan
from store.access import LOCAL, AccessDenied, ConflictError, NotFound, StoreError
from store.db import current_revision, downgrade, head_revision, upgrade
from store.models import Base
from store.repo import Repo, instance_text, sha256_text
from tests.store.conftest import A_SCHED, A_SCHED_2, A_VIEW, ADMIN, B_SCHED

ROOT = Path(__file__).resolve().parents[2]
TABLES = {"schools", "scenarios", "versions", "plans", "publications", "audit", "drafts"}


def plan_for(text: str):
    """The FCFS plan of an instance text (its sha256 is the text's)."""
    plan, violations = baseline_plan(load_bytes(text.encode("utf-8"), "test"))
    assert not violations
    return plan


def two_schools(repo: Repo, demo: dict):
    a, _ = repo.create_scenario(A_SCHED, "A", "秋季方案", demo, school_name="甲校")
    b_raw = copy.deepcopy(demo)
    b_raw["school"] = {**b_raw["school"], "id": "B", "name": "乙校"}
    b, _ = repo.create_scenario(B_SCHED, "B", "秋季方案", b_raw, school_name="乙校")
    return a, b


# ---------------------------------------------------------------------------- migrations


def test_migrations_up_and_down(engine):
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    assert TABLES <= set(sa_inspect(engine).get_table_names())
    upgrade(engine)  # again: nothing to do (the app calls it on every start)
    downgrade(engine)
    assert current_revision(engine) is None
    assert not TABLES & set(sa_inspect(engine).get_table_names())
    upgrade(engine)
    assert current_revision(engine) == head_revision()


def test_migrations_match_the_models(engine):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    upgrade(engine)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": False}), Base.metadata)
    assert diff == []


def test_alembic_command_line(engine):
    """`alembic -c store/alembic.ini -x url=… upgrade head` and `downgrade base` (what an operator types)."""
    url = engine.url.render_as_string(hide_password=False)
    if engine.dialect.name == "postgresql":  # this test's own schema
        with engine.connect() as conn:
            schema = conn.execute(text("SELECT current_schema()")).scalar_one()
        url += ("&" if "?" in url else "?") + f"options=-csearch_path%3D{schema}"
    for step in (["upgrade", "head"], ["downgrade", "base"], ["upgrade", "head"]):
        run = subprocess.run(
            [sys.executable, "-m", "alembic", "-c", str(ROOT / "store" / "alembic.ini"), "-x", f"url={url}", *step],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert run.returncode == 0, run.stderr
    assert current_revision(engine) == head_revision()


# ---------------------------------------------------------------------------- versions


def test_version_history_diff_and_restore(repo, demo):
    sc, v1 = repo.create_scenario(A_SCHED, "A", "秋季方案", demo, message="从示例学校开始", school_name="甲校")
    assert (sc.head, v1.number, v1.created_by, v1.message) == (1, 1, "sched-a", "从示例学校开始")
    assert v1.sha256 == sha256_text(instance_text(demo))

    edited = copy.deepcopy(demo)
    edited["students"][0]["days"] = ["mon", "tue"]
    v2 = repo.save_version(A_SCHED, "A", sc.id, edited, based_on=1, message="S001 只周一周二")
    assert v2.number == 2 and v2.summary == "students ~1" and v2.n_changes == 1
    edited2 = copy.deepcopy(edited)
    del edited2["students"][-1]
    v3 = repo.save_version(A_SCHED_2, "A", sc.id, edited2, based_on=2, auto=True)
    assert v3.auto and v3.created_by_name == "甲校排课员二"

    history = repo.list_versions(A_SCHED, "A", sc.id)
    assert [v.number for v in history] == [3, 2, 1]
    opened = repo.get_version(A_VIEW, "A", sc.id, 2)
    assert opened.instance == edited and opened.info.sha256 == sha256_text(opened.text)
    assert [c.render() for c in opened.changes] == [
        'students[S001].days: ["mon", "tue", "wed", "thu", "fri"] → ["mon", "tue"]'
    ]
    assert repo.get_version(A_SCHED, "A", sc.id).info.number == 3  # the latest

    lines = [c.render() for c in repo.diff_versions(A_SCHED, "A", sc.id, 1, 3)]
    assert len(lines) == 2 and any(line.startswith("students[S040]: 删除") for line in lines)

    v4 = repo.restore_version(A_SCHED, "A", sc.id, 1, based_on=3)
    assert (v4.number, v4.restored_from, v4.message) == (4, 1, "恢复到 v1")
    assert repo.get_version(A_SCHED, "A", sc.id, 4).instance == demo
    assert v4.sha256 == v1.sha256
    assert json.loads(repo.export_version(A_VIEW, "A", sc.id, 2)) == edited
    assert repo.get_scenario(A_SCHED, "A", sc.id).head == 4
    with pytest.raises(NotFound):
        repo.get_version(A_SCHED, "A", sc.id, 9)


def test_scenario_names_are_unique_per_school(repo, demo):
    repo.create_scenario(A_SCHED, "A", "秋季方案", demo)
    with pytest.raises(StoreError, match="已有名为"):
        repo.create_scenario(A_SCHED, "A", "秋季方案", demo)
    assert repo.unique_name(A_SCHED, "A", "秋季方案") == "秋季方案 (2)"
    repo.create_scenario(B_SCHED, "B", "秋季方案", demo)  # another school may use the name


# ---------------------------------------------------------------------------- optimistic locking


def test_concurrent_edit_conflict_names_who_saved(repo, demo):
    sc, _ = repo.create_scenario(A_SCHED, "A", "秋季方案", demo)
    mine = copy.deepcopy(demo)
    mine["policy"]["fee_per_term"] = 400
    theirs = copy.deepcopy(demo)
    theirs["policy"]["fee_per_term"] = 350
    # two sessions opened v1; the first saves, the second's save is refused
    repo.save_version(A_SCHED_2, "A", sc.id, theirs, based_on=1, message="收费 350")
    with pytest.raises(ConflictError) as err:
        repo.save_version(A_SCHED, "A", sc.id, mine, based_on=1, message="收费 400")
    assert err.value.who == ["甲校排课员二"] and err.value.latest == 2 and err.value.based_on == 1
    assert "甲校排课员二" in str(err.value) and "v2" in str(err.value)
    latest = repo.get_version(A_SCHED, "A", sc.id)
    assert latest.info.number == 2 and latest.instance["policy"]["fee_per_term"] == 350  # not overwritten
    with pytest.raises(ConflictError):  # restoring is a save too
        repo.restore_version(A_SCHED, "A", sc.id, 1, based_on=1)
    v3 = repo.save_version(A_SCHED, "A", sc.id, mine, based_on=2, message="收费 400")  # after reloading
    assert v3.number == 3


def test_simultaneous_saves_one_wins(repo, demo):
    """Eight threads save on top of the same version at once: exactly one succeeds."""
    sc, _ = repo.create_scenario(A_SCHED, "A", "秋季方案", demo)
    results: list[str] = []
    barrier = threading.Barrier(8)

    def save(i: int) -> None:
        raw = copy.deepcopy(demo)
        raw["policy"]["fee_per_term"] = 300 + i
        barrier.wait()
        try:
            repo.save_version(A_SCHED, "A", sc.id, raw, based_on=1)
            results.append("ok")
        except ConflictError:
            results.append("conflict")

    threads = [threading.Thread(target=save, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(results) == ["conflict"] * 7 + ["ok"]
    assert [v.number for v in repo.list_versions(A_SCHED, "A", sc.id)] == [2, 1]


# ---------------------------------------------------------------------------- plans and publishing


def test_plans_record_their_instance_version_and_publish(repo, demo):
    sc, v1 = repo.create_scenario(A_SCHED, "A", "秋季方案", demo)
    text1 = repo.get_version(A_SCHED, "A", sc.id, 1).text
    plan1 = plan_for(text1)
    p1 = repo.save_plan(A_SCHED, "A", sc.id, 1, plan1, purpose="baseline")
    assert (p1.version_id, p1.version_number, p1.instance_sha256) == (v1.id, 1, v1.sha256)
    assert p1.metrics["students"] == 40 and p1.valid

    edited = copy.deepcopy(demo)
    edited["students"][0]["choices"] = ["SCI"]
    repo.save_version(A_SCHED, "A", sc.id, edited, based_on=1)
    with pytest.raises(StoreError, match="不是由 v2 生成的"):
        repo.save_plan(A_SCHED, "A", sc.id, 2, plan1)  # made from v1, not v2
    text2 = repo.get_version(A_SCHED, "A", sc.id, 2).text
    p2 = repo.save_plan(A_SCHED, "A", sc.id, 2, plan_for(text2))
    assert repo.find_version(A_SCHED, "A", sc.id, sha256_text(text2)).number == 2

    plans = repo.list_plans(A_VIEW, "A", sc.id)
    assert [(p.id, p.version_number) for p in plans] == [(p2.id, 2), (p1.id, 1)]
    assert repo.published_plan(A_SCHED, "A", sc.id) is None

    repo.publish_plan(A_SCHED, "A", sc.id, p1.id)
    assert repo.published_plan(A_VIEW, "A", sc.id).id == p1.id
    repo.publish_plan(A_SCHED, "A", sc.id, p2.id)  # one published plan per scenario
    assert [p.id for p in repo.list_plans(A_SCHED, "A", sc.id) if p.published] == [p2.id]
    assert repo.get_scenario(A_SCHED, "A", sc.id).published_plan_id == p2.id
    info, text = repo.get_plan(A_VIEW, "A", p2.id)
    assert info.published and json.loads(text)["instance"]["sha256"] == sha256_text(text2)
    assert json.loads(repo.export_plan(A_VIEW, "A", p1.id))["status"] == plan1.status

    bad = json.loads(plan1.to_json())
    bad["status"] = "unknown"
    p3 = repo.save_plan(A_SCHED, "A", sc.id, 1, bad)
    with pytest.raises(StoreError, match="不能发布"):
        repo.publish_plan(A_SCHED, "A", sc.id, p3.id)
    repo.unpublish(A_SCHED, "A", sc.id)
    assert repo.published_plan(A_SCHED, "A", sc.id) is None


# ---------------------------------------------------------------------------- scope


def _calls(repo: Repo, school: str, scenario: int, plan: int, instance: dict) -> dict:
    """Every public repository call that names a school, with arguments for `school`'s records."""
    return {
        "ensure_school": ("w", lambda a: repo.ensure_school(a, school)),
        "list_scenarios": ("r", lambda a: repo.list_scenarios(a, school)),
        "get_scenario": ("r", lambda a: repo.get_scenario(a, school, scenario)),
        "create_scenario": ("w", lambda a: repo.create_scenario(a, school, f"新方案 {a.user_id}", instance)),
        "unique_name": ("r", lambda a: repo.unique_name(a, school, "x")),
        "save_version": ("w", lambda a: repo.save_version(a, school, scenario, instance, based_on=1)),
        "restore_version": ("w", lambda a: repo.restore_version(a, school, scenario, 1, based_on=1)),
        "list_versions": ("r", lambda a: repo.list_versions(a, school, scenario)),
        "get_version": ("r", lambda a: repo.get_version(a, school, scenario, 1)),
        "find_version": ("r", lambda a: repo.find_version(a, school, scenario, "0" * 64)),
        "diff_versions": ("r", lambda a: repo.diff_versions(a, school, scenario, 1, 1)),
        "export_version": ("r", lambda a: repo.export_version(a, school, scenario, 1)),
        "open_version": ("r", lambda a: repo.open_version(a, school, scenario)),
        "save_draft": ("w", lambda a: repo.save_draft(a, school, scenario, 1, "{}")),
        "get_draft": ("r", lambda a: repo.get_draft(a, school, scenario)),
        "save_plan": ("w", lambda a: repo.save_plan(a, school, scenario, 1, {"instance": {"sha256": "x"}})),
        "list_plans": ("r", lambda a: repo.list_plans(a, school, scenario)),
        "get_plan": ("r", lambda a: repo.get_plan(a, school, plan)),
        "export_plan": ("r", lambda a: repo.export_plan(a, school, plan)),
        "publish_plan": ("w", lambda a: repo.publish_plan(a, school, scenario, plan)),
        "unpublish": ("w", lambda a: repo.unpublish(a, school, scenario)),
        "published_plan": ("r", lambda a: repo.published_plan(a, school, scenario)),
        "record": ("r", lambda a: repo.record(a, school, "view", "page")),
        "list_audit": ("admin", lambda a: repo.list_audit(a, school)),
        "count_audit": ("admin", lambda a: repo.count_audit(a)),
    }


def _setup_scope(repo: Repo, demo: dict):
    a, b = two_schools(repo, demo)
    pa = repo.save_plan(A_SCHED, "A", a.id, 1, plan_for(repo.get_version(A_SCHED, "A", a.id, 1).text))
    pb = repo.save_plan(B_SCHED, "B", b.id, 1, plan_for(repo.get_version(B_SCHED, "B", b.id, 1).text))
    return a, b, pa, pb


def test_every_repo_call_is_covered_by_the_scope_test(repo, demo):
    public = {n for n, f in inspect.getmembers(Repo, inspect.isfunction) if not n.startswith("_")}
    # filtered by the actor's own scope (tested below); drop_draft touches only the actor's own drafts
    unscoped = {"list_schools", "recent_scenarios", "drop_draft"}
    assert public - unscoped == set(_calls(repo, "A", 1, 1, demo))


def test_scheduler_of_a_cannot_read_or_write_b_through_any_call(repo, demo):
    _a, b, _pa, pb = _setup_scope(repo, demo)
    for name, (_, call) in _calls(repo, "B", b.id, pb.id, demo).items():
        with pytest.raises(AccessDenied):
            call(A_SCHED)
            pytest.fail(f"{name} let the scheduler of A reach school B")
    # B's records asked for under A's school: not found (the id alone never reaches B)
    for name, (_kind, call) in _calls(repo, "A", b.id, pb.id, demo).items():
        if name in (
            "get_scenario",
            "list_versions",
            "get_version",
            "diff_versions",
            "export_version",
            "get_plan",
            "export_plan",
            "list_plans",
            "published_plan",
            "save_version",
            "restore_version",
            "save_plan",
            "publish_plan",
            "unpublish",
            "find_version",
        ):
            with pytest.raises(NotFound):
                call(A_SCHED)
                pytest.fail(f"{name} found school B's record under school A")
    assert [s.id for s in repo.list_schools(A_SCHED)] == ["A"]
    assert {s.school_id for s in repo.recent_scenarios(A_SCHED)} == {"A"}
    # B's data is unchanged
    assert repo.get_scenario(B_SCHED, "B", b.id).head == 1
    assert repo.published_plan(B_SCHED, "B", b.id) is None


def test_viewer_cannot_write_admin_reads_all_writes_nothing(repo, demo):
    a, b, pa, pb = _setup_scope(repo, demo)
    for _name, (kind, call) in _calls(repo, "A", a.id, pa.id, demo).items():
        if kind == "w":
            with pytest.raises(AccessDenied):
                call(A_VIEW)
            with pytest.raises(AccessDenied):
                call(ADMIN)
        elif kind == "r":
            call(A_VIEW)
            call(ADMIN)
        else:
            with pytest.raises(AccessDenied):
                call(A_VIEW)
            call(ADMIN)
    for school, sc, plan in (("A", a, pa), ("B", b, pb)):
        assert repo.get_version(ADMIN, school, sc.id).info.number == 1
        assert repo.get_plan(ADMIN, school, plan.id)[0].id == plan.id
    assert [s.id for s in repo.list_schools(ADMIN)] == ["A", "B"]
    assert {s.school_id for s in repo.recent_scenarios(ADMIN)} == {"A", "B"}
    assert repo.get_scenario(A_SCHED, "A", a.id).head == 1  # nothing written by the refused calls
    with pytest.raises(AccessDenied):
        repo.list_audit(A_SCHED)


# ---------------------------------------------------------------------------- audit


def test_audit_rows_for_views_changes_and_refusals(repo, demo):
    sc, _ = repo.create_scenario(A_SCHED, "A", "秋季方案", demo)
    repo.record(A_SCHED, "A", "login")
    repo.get_version(A_VIEW, "A", sc.id, 1)
    edited = copy.deepcopy(demo)
    edited["policy"]["fee_per_term"] = 400
    repo.save_version(A_SCHED, "A", sc.id, edited, based_on=1, message="收费")
    repo.restore_version(A_SCHED, "A", sc.id, 1, based_on=2)
    repo.export_version(A_VIEW, "A", sc.id, 2)
    p = repo.save_plan(A_SCHED, "A", sc.id, 3, plan_for(repo.get_version(A_SCHED, "A", sc.id, 3).text))
    repo.publish_plan(A_SCHED, "A", sc.id, p.id)
    with pytest.raises(AccessDenied):
        repo.get_version(B_SCHED, "A", sc.id, 1)
    rows = repo.list_audit(ADMIN, "A")
    seen = [(r.action, r.user_id, r.ok) for r in reversed(rows)]
    # the school's creation (ensure_school, a write) and the scenario's
    assert seen == [
        ("create", "sched-a", True),
        ("create", "sched-a", True),
        ("login", "sched-a", True),
        ("view", "view-a", True),
        ("save", "sched-a", True),
        ("restore", "sched-a", True),
        ("export", "view-a", True),
        ("view", "sched-a", True),
        ("plan", "sched-a", True),
        ("publish", "sched-a", True),
        ("denied", "sched-b", False),
    ]
    save = next(r for r in rows if r.action == "save")
    assert save.target == f"scenario #{sc.id} v2" and "policy ~1" in save.detail
    assert rows[0].at >= rows[-1].at and rows[0].at.tzinfo is not None
    assert [r.action for r in repo.list_audit(LOCAL, action="denied")] == ["denied"]
    assert repo.count_audit(ADMIN) == len(repo.list_audit(ADMIN, limit=1000))
