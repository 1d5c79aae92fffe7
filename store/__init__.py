"""Storage of schools' scenarios, instance versions, plans and the audit trail (SQLAlchemy 2;
SQLite by default, PostgreSQL by URL; schema by Alembic). See `store.repo` for the API and
`store.access` for who may do what."""

from store.access import LOCAL, AccessDenied, Actor, ConflictError, NotFound, StoreError, actor_from_claims
from store.db import database_url, make_engine, open_repo
from store.diff import Change, diff_instances
from store.repo import PlanInfo, Repo, ScenarioInfo, VersionData, VersionInfo

__all__ = [
    "LOCAL",
    "AccessDenied",
    "Actor",
    "Change",
    "ConflictError",
    "NotFound",
    "PlanInfo",
    "Repo",
    "ScenarioInfo",
    "StoreError",
    "VersionData",
    "VersionInfo",
    "actor_from_claims",
    "database_url",
    "diff_instances",
    "make_engine",
    "open_repo",
]
