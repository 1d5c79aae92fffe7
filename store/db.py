"""Where the data live, and bringing the schema up to date.

- `database_url()`: `AFTERSCHOOL_DB_URL` if set, else a SQLite file `~/.afterschool/afterschool.db`
  (created on first use: nothing to install). A district server sets a PostgreSQL URL
  (`postgresql://user:password@host/db`; the psycopg 3 driver is used).
- `make_engine(url)`: an engine with the right settings for each (SQLite: foreign keys on, a busy
  timeout, WAL; PostgreSQL: pre-ping).
- `upgrade(engine)` / `downgrade(engine)`: Alembic migrations (`store/migrations/`), also from the
  command line: `alembic -c store/alembic.ini upgrade head` or `python -m store upgrade`.
- `open_repo(url)`: engine + `upgrade` + `Repo`: what the app and the CLI call on start.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url

HERE = Path(__file__).resolve().parent
MIGRATIONS = HERE / "migrations"
DEFAULT_PATH = Path("~/.afterschool/afterschool.db")
_LOCK_KEY = 0x61667465  # pg_advisory_lock key while migrating ("afte")


def database_url(url: str | None = None) -> str:
    """The URL to use: the one given, else `AFTERSCHOOL_DB_URL`, else the local SQLite file."""
    url = url or os.environ.get("AFTERSCHOOL_DB_URL", "").strip()
    if not url:
        path = DEFAULT_PATH.expanduser()
        url = f"sqlite:///{path}"
    return normalise_url(url)


def normalise_url(url: str) -> str:
    """`postgresql://…` and `postgres://…` → the psycopg 3 driver; SQLite paths as given."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def describe(url: str) -> str:
    """A URL fit to show (password hidden)."""
    return make_url(url).render_as_string(hide_password=True)


def make_engine(url: str | None = None, **kwargs) -> Engine:
    url = database_url(url)
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        if u.database and u.database != ":memory:":
            Path(u.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False}, **kwargs)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            if u.database and u.database != ":memory:":
                cur.execute("PRAGMA journal_mode=WAL")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def alembic_config(engine: Engine):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    return cfg


def _with_lock(engine: Engine, fn) -> None:
    """Run `fn(connection)` holding a PostgreSQL advisory lock (several servers starting at once)."""
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _LOCK_KEY})
            conn.commit()
        try:
            fn(conn)
        finally:
            if engine.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _LOCK_KEY})
                conn.commit()


def _run(engine: Engine, command: str, target: str) -> None:
    from alembic import command as commands

    cfg = alembic_config(engine)

    def go(conn) -> None:
        cfg.attributes["connection"] = conn
        getattr(commands, command)(cfg, target)
        conn.commit()

    _with_lock(engine, go)


def upgrade(engine: Engine, target: str = "head") -> None:
    """Bring the schema to `target` (default: the newest). Safe to call on every start."""
    check_not_newer(engine)
    _run(engine, "upgrade", target)


def downgrade(engine: Engine, target: str = "base") -> None:
    _run(engine, "downgrade", target)


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(MIGRATIONS)).get_current_head()


def check_not_newer(engine: Engine) -> None:
    """Refuse a database migrated by a newer version of the program (never downgrade it by accident)."""
    from alembic.script import ScriptDirectory

    rev = current_revision(engine)
    if rev is None:
        return
    known = {s.revision for s in ScriptDirectory(str(MIGRATIONS)).walk_revisions()}
    if rev not in known:
        raise RuntimeError(
            f"数据库 {describe(str(engine.url))} 的结构版本 {rev} 比本程序新：请升级程序。 / "
            f"the database is at schema revision {rev}, newer than this program knows."
        )


def open_repo(url: str | None = None, migrate: bool = True):
    """The repository on the configured database, its schema brought up to date."""
    from store.repo import Repo

    engine = make_engine(url)
    if migrate:
        upgrade(engine)
    return Repo(engine)
