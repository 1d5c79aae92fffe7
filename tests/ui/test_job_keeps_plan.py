"""Issue 14: a finished solve's plan is stored server-side by the job itself, whether or not the
tab that started it is still open (no harvest, no session). Real solver, real SQLite store."""

from __future__ import annotations

import json

from models.load import load_bytes
from store.db import make_engine, upgrade
from store.repo import Repo
from tests.conftest import example_raw
from tests.store.conftest import A_SCHED
from ui import jobs
from ui.storage import plan_keeper


def test_the_job_stores_its_plan_without_the_tab(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'store.db'}")
    upgrade(engine)
    repo = Repo(engine)
    text = json.dumps(example_raw(), ensure_ascii=False, indent=1)
    sc, v = repo.create_scenario(A_SCHED, "A", "秋季", text)
    loaded = load_bytes(text.encode("utf-8"), "t")
    job = jobs.start(loaded, 5.0, keep=plan_keeper(repo, A_SCHED, "A", sc.id, v.number))
    assert jobs.wait(job, 120)
    # nobody harvested the job (the tab was closed): the plan is in the store all the same
    plans = repo.list_plans(A_SCHED, "A", sc.id)
    assert job.state == "done" and job.stored is not None and job.store_error is None
    assert [p.id for p in plans] == [job.stored.id] and plans[0].version_number == v.number
    engine.dispose()


def test_a_failing_store_is_reported_on_the_job(tmp_path):
    text = json.dumps(example_raw(), ensure_ascii=False, indent=1)
    loaded = load_bytes(text.encode("utf-8"), "t")

    def broken(plan, purpose):
        raise OSError("disk full")

    job = jobs.start(loaded, 3.0, keep=broken)
    assert jobs.wait(job, 120)
    assert job.state == "done" and job.plan is not None and "disk full" in job.store_error
