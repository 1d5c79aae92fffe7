"""`python -m store …`: the storage from the command line (an operator's tool; acts as the local
user, every action recorded in the audit trail under `cli:<login name>`).

    python -m store upgrade                 # bring the schema up to date (the app does this on start)
    python -m store downgrade [--to base]   # undo migrations
    python -m store current                 # the database URL (password hidden) and schema revision
    python -m store import FILE --school ID [--scenario NAME] [-m MESSAGE]
    python -m store list [--school ID]      # schools and scenarios
    python -m store versions --school ID --scenario N
    python -m store export --school ID --scenario N [--version K] -o FILE
    python -m store audit [--school ID] [--limit 50]

`--url` (or AFTERSCHOOL_DB_URL) picks the database; the default is ~/.afterschool/afterschool.db.
Exit codes: 0 done, 2 bad input or refused, 3 conflict or internal error.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
import traceback
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from store.access import Actor, ConflictError, StoreError
from store.db import current_revision, database_url, describe, downgrade, head_revision, make_engine, upgrade
from store.repo import Repo


def _actor() -> Actor:
    try:
        who = getpass.getuser()
    except Exception:  # no login name (containers)
        who = "operator"
    return Actor(f"cli:{who}", f"命令行 {who}", "local")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m store", description="afterschool storage: schema, scenarios, audit")
    p.add_argument("--url", help="database URL (default: AFTERSCHOOL_DB_URL, else ~/.afterschool/afterschool.db)")
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser("upgrade", help="migrate the schema to the newest revision")
    d = sub.add_parser("downgrade", help="undo migrations")
    d.add_argument("--to", default="base", help="target revision (default: base, i.e. drop every table)")
    sub.add_parser("current", help="the database and its schema revision")
    i = sub.add_parser("import", help="an instance file as a new scenario, or a new version of one")
    i.add_argument("file", type=Path)
    i.add_argument("--school", required=True)
    i.add_argument("--scenario", help="scenario name (default: the file name); an existing one gets a new version")
    i.add_argument("-m", "--message", default="")
    ls = sub.add_parser("list", help="schools and their scenarios")
    ls.add_argument("--school")
    v = sub.add_parser("versions", help="a scenario's versions")
    v.add_argument("--school", required=True)
    v.add_argument("--scenario", type=int, required=True)
    e = sub.add_parser("export", help="a version's instance JSON")
    e.add_argument("--school", required=True)
    e.add_argument("--scenario", type=int, required=True)
    e.add_argument("--version", type=int)
    e.add_argument("-o", "--out", type=Path, required=True)
    a = sub.add_parser("audit", help="the audit trail, newest first")
    a.add_argument("--school")
    a.add_argument("--limit", type=int, default=50)
    return p


def main(argv: list[str] | None = None) -> int:
    """Every outcome is a message and an exit code: never a raw traceback."""
    args = _parser().parse_args(argv)
    try:
        return _main(args)
    except KeyboardInterrupt:
        print("已中断 interrupted", file=sys.stderr)
        return 3
    except SQLAlchemyError as exc:
        print(f"数据库错误 database error: {_db_message(exc)}", file=sys.stderr)
        return 3
    except Exception as exc:  # a bug of ours: say so plainly; the trace only for developers
        print(f"内部错误 internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        if "AFTERSCHOOL_DEBUG" in os.environ:
            traceback.print_exc()
        return 3


def _db_message(exc: SQLAlchemyError) -> str:
    """The driver's first line, without SQL text or parameters (they may hold data)."""
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc).strip().splitlines()
    return f"{type(orig or exc).__name__}: {text[0] if text else ''}"


def _main(args) -> int:
    url = database_url(args.url)
    engine = make_engine(url)
    try:
        if args.command == "downgrade":
            downgrade(engine, args.to)
            print(f"{describe(url)}: {current_revision(engine) or 'base (empty)'}")
            return 0
        upgrade(engine)
        if args.command in ("upgrade", "current"):
            print(f"{describe(url)}: revision {current_revision(engine)} (newest {head_revision()})")
            return 0
        return _run(Repo(engine), _actor(), args)
    except ConflictError as exc:
        print(exc, file=sys.stderr)
        return 3
    except StoreError as exc:
        print(exc, file=sys.stderr)
        return 2
    finally:
        engine.dispose()


def _run(repo: Repo, actor: Actor, args) -> int:
    if args.command == "import":
        from models.load import load_instance
        from models.problems import InputRejected

        try:
            loaded = load_instance(args.file)
        except InputRejected as exc:
            for p in exc.report.problems[:20]:
                print(f"{p.record} {p.field or ''} [{p.rule}] {p.message}", file=sys.stderr)
            return 2
        raw = (
            json.loads(args.file.read_text(encoding="utf-8"))
            if args.file.suffix == ".json"
            else loaded.instance.to_json_dict()
        )
        name = args.scenario or args.file.stem
        existing = next((s for s in repo.list_scenarios(actor, args.school) if s.name == name), None)
        if existing is None:
            sc, v = repo.create_scenario(
                actor,
                args.school,
                name,
                raw,
                args.message or f"导入 {args.file.name}",
                school_name=loaded.instance.school.name,
            )
        else:
            sc = existing
            v = repo.save_version(
                actor, args.school, sc.id, raw, based_on=sc.head, message=args.message or f"导入 {args.file.name}"
            )
        print(f"school {args.school} · scenario #{sc.id} {sc.name} · v{v.number} · {v.summary}")
        return 0
    if args.command == "list":
        schools = [s for s in repo.list_schools(actor) if not args.school or s.id == args.school]
        for school in schools:
            print(f"{school.id}\t{school.name}")
            for sc in repo.list_scenarios(actor, school.id):
                pub = f" · published plan #{sc.published_plan_id}" if sc.published_plan_id else ""
                print(f"  #{sc.id}\t{sc.name}\tv{sc.head}\t{sc.updated_at:%Y-%m-%d %H:%M} {sc.updated_by}{pub}")
        return 0
    if args.command == "versions":
        for v in repo.list_versions(actor, args.school, args.scenario):
            print(
                f"v{v.number}\t{v.created_at:%Y-%m-%d %H:%M}\t{v.created_by_name or v.created_by}\t"
                f"{'auto ' if v.auto else ''}{v.message}\t{v.summary}"
            )
        return 0
    if args.command == "export":
        number = args.version or repo.get_scenario(actor, args.school, args.scenario).head
        from models.files import check_writable, write_atomic
        from models.problems import InputRejected

        try:
            check_writable(args.out)
        except InputRejected as exc:
            print(exc.report.render(), file=sys.stderr)
            return 2
        write_atomic(args.out, repo.export_version(actor, args.school, args.scenario, number))
        print(f"{args.out}: v{number}")
        return 0
    if args.command == "audit":
        for r in repo.list_audit(actor, args.school, args.limit):
            print(
                f"{r.at:%Y-%m-%d %H:%M:%S}\t{r.user_id}\t{r.role}\t{r.school_id or '-'}\t{r.action}\t{r.target}"
                + ("" if r.ok else "\tREFUSED")
            )
        return 0
    raise AssertionError(args.command)
