"""Alembic environment: the database comes from the caller's connection (`store.db.upgrade`), else
from `-x url=…`, else `AFTERSCHOOL_DB_URL`, else the local SQLite file (see `store.db`)."""

from __future__ import annotations

from alembic import context

from store.db import database_url, make_engine
from store.models import Base

config = context.config
target_metadata = Base.metadata


def _configure_and_run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure_and_run(connection)
        return
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url") or None
    engine = make_engine(database_url(url))
    with engine.connect() as conn:
        _configure_and_run(conn)
        conn.commit()
    engine.dispose()


def run_migrations_offline() -> None:
    url = context.get_x_argument(as_dictionary=True).get("url") or database_url()
    context.configure(
        url=database_url(url), target_metadata=target_metadata, literal_binds=True, dialect_opts={"paramstyle": "named"}
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
