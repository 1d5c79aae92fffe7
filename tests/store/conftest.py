"""Storage tests run on SQLite and, when `AFTERSCHOOL_TEST_PG_URL` is set, on a real PostgreSQL
server (each test in a schema of its own, dropped afterwards); skipped there otherwise."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine, text

from store.access import Actor
from store.db import make_engine, normalise_url, upgrade
from store.repo import Repo
from tests.conftest import example_raw

PG_URL = os.environ.get("AFTERSCHOOL_TEST_PG_URL", "").strip()

A_SCHED = Actor("sched-a", "甲校排课员", "scheduler", "A")
A_SCHED_2 = Actor("sched-a2", "甲校排课员二", "scheduler", "A")
A_VIEW = Actor("view-a", "甲校查看者", "viewer", "A")
B_SCHED = Actor("sched-b", "乙校排课员", "scheduler", "B")
ADMIN = Actor("admin", "区教育局", "district_admin")


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, tmp_path) -> Iterator[Engine]:
    """An empty database (no schema yet) on each backend."""
    if request.param == "sqlite":
        eng = make_engine(f"sqlite:///{tmp_path / 'store.db'}")
        yield eng
        eng.dispose()
        return
    if not PG_URL:
        pytest.skip("AFTERSCHOOL_TEST_PG_URL is not set (a PostgreSQL server for the storage tests)")
    url = normalise_url(PG_URL)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    eng = make_engine(url, connect_args={"options": f"-csearch_path={schema}"})
    try:
        yield eng
    finally:
        eng.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def repo(engine) -> Repo:
    upgrade(engine)
    return Repo(engine)


def raw_text(raw: dict) -> str:
    return json.dumps(raw, ensure_ascii=False, indent=1)


@pytest.fixture
def demo() -> dict:
    return example_raw()
