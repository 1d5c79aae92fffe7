"""The repository: every read and write of schools' scenarios, versions, plans and the audit trail.

Every call takes the acting user (`Actor`) and the school it concerns, checks the actor against
that school first (`store.access`), and filters every query by that school: a scheduler of school
A gets `AccessDenied` for school B through any call, and a scenario, version or plan of school B
asked for under school A is simply `NotFound`. Viewers and the district administrator cannot
write. Refusals are written to the audit trail too.

Saves are optimistic: each states the version it was based on; the scenario's `head` moves from
that number to the next in one conditional UPDATE, so a save based on a stale version raises
`ConflictError` naming who saved in between — never a silent overwrite.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, overload

from sqlalchemy import Engine, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from store.access import AccessDenied, Actor, ConflictError, NotFound, StoreError, require_read, require_write
from store.diff import Change, contents, diff_instances, summary
from store.models import AuditRow, Draft, PlanRow, Publication, Scenario, School, Version, now

VALID_STATUSES = ("optimal", "feasible")
ACTIONS = ("login", "view", "save", "restore", "create", "plan", "publish", "unpublish", "export", "denied")


# ============================================================================ values handed out


@dataclass(frozen=True)
class SchoolInfo:
    id: str
    name: str


@dataclass(frozen=True)
class ScenarioInfo:
    id: int
    school_id: str
    name: str
    head: int  # the latest version number
    created_at: dt.datetime
    created_by: str
    updated_at: dt.datetime
    updated_by: str
    published_plan_id: int | None = None


@dataclass(frozen=True)
class VersionInfo:
    id: int
    school_id: str
    scenario_id: int
    number: int
    created_at: dt.datetime
    created_by: str
    created_by_name: str
    message: str
    auto: bool
    valid: bool
    sha256: str
    size: int
    summary: str
    n_changes: int
    restored_from: int | None


@dataclass(frozen=True)
class VersionData:
    info: VersionInfo
    text: str  # the instance JSON exactly as saved (its sha256 is info.sha256)
    changes: list[Change] = field(default_factory=list)  # against the previous version

    @property
    def instance(self) -> dict:
        return json.loads(self.text)


@dataclass(frozen=True)
class PlanInfo:
    id: int
    school_id: str
    scenario_id: int
    version_id: int
    version_number: int
    instance_sha256: str
    status: str
    objective: float | None
    purpose: str
    created_at: dt.datetime
    created_by: str
    created_by_name: str
    metrics: dict[str, Any]
    note: str
    published: bool = False

    @property
    def valid(self) -> bool:
        return self.status in VALID_STATUSES


@dataclass(frozen=True)
class AuditInfo:
    id: int
    at: dt.datetime
    user_id: str
    user_name: str
    role: str
    school_id: str | None
    action: str
    target: str
    detail: str
    ok: bool


# ============================================================================ helpers

SCHOOL_ID_MAX, NAME_MAX, USER_ID_MAX = 64, 200, 255  # the column widths (store.models)


@overload
def _fit(value: str, limit: int) -> str: ...
@overload
def _fit(value: str | None, limit: int) -> str | None: ...
def _fit(value: str | None, limit: int) -> str | None:
    """A value for a column the audit trail must always be able to write: NUL replaced, cut with …"""
    if value is None:
        return None
    value = value.replace("\x00", "\ufffd")
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _checked(value: str, limit: int, zh: str, en: str) -> str:
    """A user-given value for a column: refused (StoreError) when too long or holding NUL/control characters."""
    if len(value) > limit:
        raise StoreError(
            f"{zh}太长：最多 {limit} 个字符，实际 {len(value)} 个。 / the {en} is too long: at most {limit} "
            f"characters, got {len(value)}."
        )
    if any((ord(ch) < 32 and ch not in "\t\n\r") or ch == "\x7f" for ch in value):
        raise StoreError(f"{zh}含有控制字符（如 NUL）。 / the {en} holds control characters (such as NUL).")
    return value


def _check_school_id(school_id: str) -> str:
    school_id = _checked(school_id, SCHOOL_ID_MAX, "学校编号", "school id")
    if any(ch in school_id for ch in "\t\n\r"):
        raise StoreError("学校编号含有控制字符。 / the school id holds control characters.")
    return school_id


def _check_actor(actor: Actor) -> None:
    _checked(actor.user_id, USER_ID_MAX, "用户标识", "user id")


def instance_text(instance: dict | str) -> str:
    """The stored text of an instance: the app's own JSON form (indent 1, UTF-8), so its sha256 is
    the `Loaded.sha256` of a plan made from it."""
    if isinstance(instance, str):
        return instance
    return json.dumps(instance, ensure_ascii=False, indent=1)


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _pack(text: str) -> bytes:
    return zlib.compress(text.encode("utf-8"), 6)


def _unpack(blob: bytes) -> str:
    return zlib.decompress(blob).decode("utf-8")


def _plan_text(plan: Any) -> str:
    if isinstance(plan, str):
        return plan
    if isinstance(plan, dict):
        return json.dumps(plan, ensure_ascii=False, indent=1) + "\n"
    return plan.to_json()  # models.plan.Plan


def plan_metrics(plan: dict) -> dict[str, Any]:
    """The numbers a plans list shows, from a plan's JSON."""
    m = plan.get("metrics") or {}
    c = plan.get("costs") or {}
    return {
        "students": m.get("students"),
        "students_served": m.get("students_served"),
        "first_choice_rate": m.get("first_choice_rate"),
        "any_choice_rate": m.get("any_choice_rate"),
        "staff_pay_per_term": c.get("staff_pay_per_term"),
        "balance_per_term": c.get("balance_per_term"),
        "activities": len(plan.get("activities") or []),
        "compliance_failed": [x.get("rule") for x in plan.get("compliance") or [] if not x.get("ok")],
    }


def _scenario_info(row: Scenario, published: int | None) -> ScenarioInfo:
    return ScenarioInfo(
        row.id,
        row.school_id,
        row.name,
        row.head,
        row.created_at,
        row.created_by,
        row.updated_at,
        row.updated_by,
        published,
    )


def _version_info(row: Version) -> VersionInfo:
    return VersionInfo(
        row.id,
        row.school_id,
        row.scenario_id,
        row.number,
        row.created_at,
        row.created_by,
        row.created_by_name,
        row.message,
        row.auto,
        row.valid,
        row.sha256,
        row.size,
        row.summary,
        len(row.changes or []),
        row.restored_from,
    )


def _plan_info(row: PlanRow, published: bool) -> PlanInfo:
    return PlanInfo(
        row.id,
        row.school_id,
        row.scenario_id,
        row.version_id,
        row.version_number,
        row.instance_sha256,
        row.status,
        row.objective,
        row.purpose,
        row.created_at,
        row.created_by,
        row.created_by_name,
        dict(row.metrics or {}),
        row.note,
        published,
    )


def _audit_info(row: AuditRow) -> AuditInfo:
    return AuditInfo(
        row.id, row.at, row.user_id, row.user_name, row.role, row.school_id, row.action, row.target, row.detail, row.ok
    )


# ============================================================================ the repository


class _Stale(Exception):
    """The scenario's head moved: turned into ConflictError outside the failed transaction."""


class Repo:
    """All storage calls. Thread-safe (one short transaction per call); share one per process."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    # ---------------------------------------------------------------- plumbing

    @contextmanager
    def _tx(self) -> Iterator[Session]:
        with self._sessions.begin() as s:
            yield s

    def _audit(
        self,
        s: Session,
        actor: Actor,
        school_id: str | None,
        action: str,
        target: str = "",
        detail: str = "",
        ok: bool = True,
    ) -> AuditRow:
        """One audit row; it always fits its columns (a refusal may name any id, however long)."""
        row = AuditRow(
            at=now(),
            user_id=_fit(actor.user_id, USER_ID_MAX),
            user_name=_fit(actor.name, NAME_MAX),
            role=actor.role,
            school_id=_fit(school_id, SCHOOL_ID_MAX),
            action=action,
            target=_fit(target, 200),
            detail=_fit(detail, 100_000),
            ok=ok,
        )
        s.add(row)
        return row

    def _refuse(self, actor: Actor, school_id: str, what: str, exc: AccessDenied) -> AccessDenied:
        with self._tx() as s:
            self._audit(s, actor, school_id, "denied", what, str(exc), ok=False)
        return exc

    def _read(self, actor: Actor, school_id: str, what: str) -> None:
        _check_actor(actor)
        try:
            require_read(actor, school_id)
        except AccessDenied as exc:
            raise self._refuse(actor, school_id, what, exc) from None

    def _write(self, actor: Actor, school_id: str, what: str) -> None:
        _check_actor(actor)
        try:
            require_write(actor, school_id)
        except AccessDenied as exc:
            raise self._refuse(actor, school_id, what, exc) from None

    @staticmethod
    def _scenario(s: Session, school_id: str, scenario_id: int) -> Scenario:
        row = s.scalar(select(Scenario).where(Scenario.id == scenario_id, Scenario.school_id == school_id))
        if row is None:
            raise NotFound(
                f"学校 {school_id} 没有方案 #{scenario_id}。 / no scenario #{scenario_id} in school {school_id}."
            )
        return row

    @staticmethod
    def _version(s: Session, school_id: str, scenario_id: int, number: int) -> Version:
        row = s.scalar(
            select(Version).where(
                Version.school_id == school_id, Version.scenario_id == scenario_id, Version.number == number
            )
        )
        if row is None:
            raise NotFound(f"方案 #{scenario_id} 没有版本 v{number}。 / scenario #{scenario_id} has no v{number}.")
        return row

    @staticmethod
    def _published_id(s: Session, school_id: str, scenario_id: int) -> int | None:
        return s.scalar(
            select(Publication.plan_id).where(
                Publication.school_id == school_id, Publication.scenario_id == scenario_id
            )
        )

    # ---------------------------------------------------------------- schools

    def list_schools(self, actor: Actor) -> list[SchoolInfo]:
        """The schools the actor may read (a scheduler or viewer: its own, once it has data)."""
        with self._tx() as s:
            q = select(School).order_by(School.id)
            if not actor.reads_all:
                q = q.where(School.id == actor.school_id)
            return [SchoolInfo(r.id, r.name) for r in s.scalars(q)]

    def ensure_school(self, actor: Actor, school_id: str, name: str = "") -> SchoolInfo:
        """The school's row, created on the first write to it."""
        school_id = school_id.strip()
        if not school_id:
            raise StoreError("学校编号不能为空。 / a school id is required.")
        self._write(actor, school_id, "school")
        _check_school_id(school_id)
        name = _checked(name, NAME_MAX, "学校名称", "school name")
        for attempt in (1, 2):  # two first writes at once: the loser finds the winner's row
            try:
                with self._tx() as s:
                    row = s.get(School, school_id)
                    if row is None:
                        row = School(id=school_id, name=name or school_id, created_at=now())
                        s.add(row)
                        s.flush()
                        self._audit(s, actor, school_id, "create", f"school {school_id}", row.name)
                    elif name and row.name in ("", school_id) and name != row.name:
                        row.name = name
                        self._audit(s, actor, school_id, "save", f"school {school_id}", f"name {name}")
                    return SchoolInfo(row.id, row.name)
            except IntegrityError:
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    # ---------------------------------------------------------------- scenarios

    def list_scenarios(self, actor: Actor, school_id: str, audit: bool = True) -> list[ScenarioInfo]:
        """The school's scenarios; recorded as a view (`audit=False` for the repository's own look-ups)."""
        self._read(actor, school_id, "scenarios")
        with self._tx() as s:
            pubs = dict(
                s.execute(
                    select(Publication.scenario_id, Publication.plan_id).where(Publication.school_id == school_id)
                ).all()
            )
            rows = s.scalars(
                select(Scenario)
                .where(Scenario.school_id == school_id)
                .order_by(Scenario.updated_at.desc(), Scenario.id.desc())
            )
            out = [_scenario_info(r, pubs.get(r.id)) for r in rows]
            if audit:
                self._audit(s, actor, school_id, "view", "scenarios", f"{len(out)} scenarios")
            return out

    def recent_scenarios(self, actor: Actor, limit: int = 20) -> list[ScenarioInfo]:
        """The latest scenarios of every school the actor may read, most recently saved first."""
        with self._tx() as s:
            q = select(Scenario).order_by(Scenario.updated_at.desc(), Scenario.id.desc()).limit(limit)
            if not actor.reads_all:
                q = q.where(Scenario.school_id == actor.school_id)
            rows = list(s.scalars(q))
            pubs = dict(
                s.execute(
                    select(Publication.scenario_id, Publication.plan_id).where(
                        Publication.scenario_id.in_([r.id for r in rows])
                    )
                ).all()
            )
            self._audit(
                s,
                actor,
                None if actor.reads_all else actor.school_id,
                "view",
                "recent scenarios",
                f"{len(rows)} scenarios",
            )
            return [_scenario_info(r, pubs.get(r.id)) for r in rows]

    def get_scenario(self, actor: Actor, school_id: str, scenario_id: int) -> ScenarioInfo:
        self._read(actor, school_id, f"scenario #{scenario_id}")
        with self._tx() as s:
            row = self._scenario(s, school_id, scenario_id)
            self._audit(s, actor, school_id, "view", f"scenario #{scenario_id}", row.name)
            return _scenario_info(row, self._published_id(s, school_id, scenario_id))

    def create_scenario(
        self,
        actor: Actor,
        school_id: str,
        name: str,
        instance: dict | str,
        message: str = "",
        school_name: str = "",
        valid: bool = True,
    ) -> tuple[ScenarioInfo, VersionInfo]:
        """A new scenario whose version 1 is `instance`."""
        name = name.strip()
        if not name:
            raise StoreError("方案名称不能为空。 / a scenario needs a name.")
        _checked(name, NAME_MAX, "方案名称", "scenario name")
        _checked(message, 100_000, "说明", "message")
        self.ensure_school(actor, school_id, school_name)
        text = instance_text(instance)
        try:
            with self._tx() as s:
                t = now()
                sc = Scenario(
                    school_id=school_id,
                    name=name,
                    head=1,
                    created_at=t,
                    created_by=actor.user_id,
                    updated_at=t,
                    updated_by=actor.user_id,
                )
                s.add(sc)
                s.flush()
                v = Version(
                    school_id=school_id,
                    scenario_id=sc.id,
                    number=1,
                    created_at=t,
                    created_by=actor.user_id,
                    created_by_name=_fit(actor.name, NAME_MAX),
                    message=message or "新建方案",
                    auto=False,
                    valid=valid,
                    sha256=sha256_text(text),
                    size=len(text.encode("utf-8")),
                    content=_pack(text),
                    changes=[],
                    summary=contents(json.loads(text)),
                    restored_from=None,
                )
                s.add(v)
                s.flush()
                self._audit(s, actor, school_id, "create", f"scenario #{sc.id} v1", name)
                return _scenario_info(sc, None), _version_info(v)
        except IntegrityError:
            raise StoreError(
                f"学校 {school_id} 已有名为「{name}」的方案。 / school {school_id} already has a scenario "
                f"named {name!r}."
            ) from None

    def unique_name(self, actor: Actor, school_id: str, base: str) -> str:
        """`base`, or `base (2)`, `base (3)` … whichever the school does not have yet."""
        taken = {sc.name for sc in self.list_scenarios(actor, school_id, audit=False)}
        if base not in taken:
            return base
        i = 2
        while f"{base} ({i})" in taken:
            i += 1
        return f"{base} ({i})"

    # ---------------------------------------------------------------- versions

    def save_version(
        self,
        actor: Actor,
        school_id: str,
        scenario_id: int,
        instance: dict | str,
        based_on: int,
        message: str = "",
        auto: bool = False,
        valid: bool = True,
        restored_from: int | None = None,
    ) -> VersionInfo:
        """A new version on top of `based_on`, which must still be the scenario's latest version;
        otherwise ConflictError, naming who saved in between (nothing is written)."""
        self._write(actor, school_id, f"scenario #{scenario_id}")
        _checked(message, 100_000, "说明", "message")
        text = instance_text(instance)
        try:
            return self._save(actor, school_id, scenario_id, text, based_on, message, auto, valid, restored_from)
        except _Stale:
            raise self._conflict(school_id, scenario_id, based_on) from None

    def _save(
        self,
        actor: Actor,
        school_id: str,
        scenario_id: int,
        text: str,
        based_on: int,
        message: str,
        auto: bool,
        valid: bool,
        restored_from: int | None,
    ) -> VersionInfo:
        with self._tx() as s:
            sc = self._scenario(s, school_id, scenario_id)
            t = now()
            moved = s.execute(
                update(Scenario)
                .where(Scenario.id == scenario_id, Scenario.school_id == school_id, Scenario.head == based_on)
                .values(head=based_on + 1, updated_at=t, updated_by=actor.user_id)
                .execution_options(synchronize_session=False)
            ).rowcount  # type: ignore[attr-defined]  # an UPDATE gives a CursorResult; SQLAlchemy types execute() as Result
            if moved != 1:
                raise _Stale
            previous = self._version(s, school_id, scenario_id, based_on) if based_on > 0 else None
            old = json.loads(_unpack(previous.content)) if previous is not None else None
            changes = diff_instances(old, json.loads(text))
            v = Version(
                school_id=school_id,
                scenario_id=sc.id,
                number=based_on + 1,
                created_at=t,
                created_by=actor.user_id,
                created_by_name=_fit(actor.name, NAME_MAX),
                message=message,
                auto=auto,
                valid=valid,
                sha256=sha256_text(text),
                size=len(text.encode("utf-8")),
                content=_pack(text),
                changes=[c.to_dict() for c in changes],
                summary=summary(changes),
                restored_from=restored_from,
            )
            s.add(v)
            s.flush()
            action = "restore" if restored_from is not None else "save"
            self._audit(
                s,
                actor,
                school_id,
                action,
                f"scenario #{scenario_id} v{v.number}",
                (message + " · " if message else "") + v.summary,
            )
            return _version_info(v)

    def _conflict(self, school_id: str, scenario_id: int, based_on: int) -> ConflictError:
        with self._tx() as s:
            sc = self._scenario(s, school_id, scenario_id)
            rows = s.execute(
                select(Version.number, Version.created_by_name, Version.created_by, Version.created_at)
                .where(Version.school_id == school_id, Version.scenario_id == scenario_id, Version.number > based_on)
                .order_by(Version.number)
            ).all()
            saved = [(n, name or who, at.isoformat(timespec="seconds")) for n, name, who, at in rows]
            return ConflictError(scenario_id, based_on, sc.head, saved)

    def restore_version(
        self, actor: Actor, school_id: str, scenario_id: int, number: int, based_on: int, message: str = ""
    ) -> VersionInfo:
        """Version `number`'s content as a new version on top of `based_on` (optimistic like any save)."""
        self._write(actor, school_id, f"scenario #{scenario_id}")
        with self._tx() as s:
            old = self._version(s, school_id, scenario_id, number)
            text, valid = _unpack(old.content), old.valid
        return self.save_version(
            actor,
            school_id,
            scenario_id,
            text,
            based_on,
            message or f"恢复到 v{number}",
            valid=valid,
            restored_from=number,
        )

    def list_versions(self, actor: Actor, school_id: str, scenario_id: int) -> list[VersionInfo]:
        """Every version of a scenario, newest first."""
        self._read(actor, school_id, f"scenario #{scenario_id}")
        with self._tx() as s:
            self._scenario(s, school_id, scenario_id)
            rows = s.scalars(
                select(Version)
                .where(Version.school_id == school_id, Version.scenario_id == scenario_id)
                .order_by(Version.number.desc())
            )
            out = [_version_info(r) for r in rows]
            self._audit(s, actor, school_id, "view", f"scenario #{scenario_id} versions", f"{len(out)} versions")
            return out

    def get_version(
        self, actor: Actor, school_id: str, scenario_id: int, number: int | None = None, audit: bool = True
    ) -> VersionData:
        """A version's instance (the latest when `number` is None); recorded as a view."""
        self._read(actor, school_id, f"scenario #{scenario_id} v{number or 'latest'}")
        with self._tx() as s:
            sc = self._scenario(s, school_id, scenario_id)
            row = self._version(s, school_id, scenario_id, number or sc.head)
            if audit:
                self._audit(s, actor, school_id, "view", f"scenario #{scenario_id} v{row.number}", sc.name)
            return VersionData(
                _version_info(row), _unpack(row.content), [Change.from_dict(c) for c in row.changes or []]
            )

    def open_version(
        self, actor: Actor, school_id: str, scenario_id: int, number: int | None = None
    ) -> tuple[ScenarioInfo, VersionData]:
        """A scenario (with its latest version number, the base of the next save) and a version's
        content (the latest when `number` is None), read in ONE transaction: a colleague's save can
        never fall between them (stale content with a new base would revert it at the next save)."""
        self._read(actor, school_id, f"scenario #{scenario_id} v{number or 'latest'}")
        with self._tx() as s:
            if s.get_bind().dialect.name == "postgresql":  # one snapshot for both reads
                s.connection(execution_options={"isolation_level": "REPEATABLE READ"})
            # The audit row is written first: on SQLite the write opens the transaction (plain reads
            # would each see the latest commit), so both reads below see one state.
            audit = self._audit(s, actor, school_id, "view", f"scenario #{scenario_id}")
            s.flush()
            sc = self._scenario(s, school_id, scenario_id)
            row = self._version(s, school_id, scenario_id, number or sc.head)
            audit.target, audit.detail = f"scenario #{scenario_id} v{row.number}", _fit(sc.name, 100_000)
            return (
                _scenario_info(sc, self._published_id(s, school_id, scenario_id)),
                VersionData(_version_info(row), _unpack(row.content), [Change.from_dict(c) for c in row.changes or []]),
            )

    def find_version(self, actor: Actor, school_id: str, scenario_id: int, sha256: str) -> VersionInfo | None:
        """The newest version of a scenario with this instance sha256, if any."""
        self._read(actor, school_id, f"scenario #{scenario_id}")
        with self._tx() as s:
            self._scenario(s, school_id, scenario_id)
            row = s.scalar(
                select(Version)
                .where(Version.school_id == school_id, Version.scenario_id == scenario_id, Version.sha256 == sha256)
                .order_by(Version.number.desc())
                .limit(1)
            )
            return _version_info(row) if row is not None else None

    def diff_versions(self, actor: Actor, school_id: str, scenario_id: int, a: int, b: int) -> list[Change]:
        """What changed from version `a` to version `b` (record by record)."""
        self._read(actor, school_id, f"scenario #{scenario_id} v{a}→v{b}")
        with self._tx() as s:
            va = self._version(s, school_id, scenario_id, a)
            vb = self._version(s, school_id, scenario_id, b)
            self._audit(s, actor, school_id, "view", f"scenario #{scenario_id} v{a}→v{b}", "diff")
            return diff_instances(json.loads(_unpack(va.content)), json.loads(_unpack(vb.content)))

    def export_version(self, actor: Actor, school_id: str, scenario_id: int, number: int) -> bytes:
        """A version's instance file (JSON bytes); recorded as an export."""
        self._read(actor, school_id, f"export scenario #{scenario_id} v{number}")
        with self._tx() as s:
            row = self._version(s, school_id, scenario_id, number)
            self._audit(s, actor, school_id, "export", f"scenario #{scenario_id} v{number}", "instance JSON")
            return _unpack(row.content).encode("utf-8")

    # ---------------------------------------------------------------- plans

    def save_plan(
        self,
        actor: Actor,
        school_id: str,
        scenario_id: int,
        version_number: int,
        plan: Any,
        purpose: str = "solve",
        note: str = "",
    ) -> PlanInfo:
        """Keep a plan made from version `version_number` (its instance sha256 must be that version's)."""
        self._write(actor, school_id, f"scenario #{scenario_id}")
        _checked(note, 100_000, "备注", "note")
        text = _plan_text(plan)
        data = json.loads(text)
        sha = (data.get("instance") or {}).get("sha256", "")
        with self._tx() as s:
            self._scenario(s, school_id, scenario_id)
            v = self._version(s, school_id, scenario_id, version_number)
            if sha != v.sha256:
                raise StoreError(
                    f"这个方案不是由 v{version_number} 生成的（实例 sha256 不同）。 / the plan was not made "
                    f"from v{version_number} (instance sha256 differs)."
                )
            objective = data.get("objective")
            row = PlanRow(
                school_id=school_id,
                scenario_id=scenario_id,
                version_id=v.id,
                version_number=v.number,
                instance_sha256=sha,
                status=str(data.get("status")),
                objective=float(objective) if isinstance(objective, int | float) else None,
                purpose=purpose,
                created_at=now(),
                created_by=actor.user_id,
                created_by_name=_fit(actor.name, NAME_MAX),
                metrics=plan_metrics(data),
                note=note,
                content=_pack(text),
            )
            s.add(row)
            s.flush()
            self._audit(
                s,
                actor,
                school_id,
                "plan",
                f"scenario #{scenario_id} plan #{row.id} (v{v.number})",
                f"{row.status} · {purpose}",
            )
            return _plan_info(row, False)

    def list_plans(self, actor: Actor, school_id: str, scenario_id: int) -> list[PlanInfo]:
        """A scenario's plans, newest first, each with the version it was made from."""
        self._read(actor, school_id, f"scenario #{scenario_id} plans")
        with self._tx() as s:
            self._scenario(s, school_id, scenario_id)
            pub = self._published_id(s, school_id, scenario_id)
            rows = s.scalars(
                select(PlanRow)
                .where(PlanRow.school_id == school_id, PlanRow.scenario_id == scenario_id)
                .order_by(PlanRow.id.desc())
            )
            out = [_plan_info(r, r.id == pub) for r in rows]
            self._audit(s, actor, school_id, "view", f"scenario #{scenario_id} plans", f"{len(out)} plans")
            return out

    def _plan(self, s: Session, school_id: str, plan_id: int) -> PlanRow:
        row = s.scalar(select(PlanRow).where(PlanRow.id == plan_id, PlanRow.school_id == school_id))
        if row is None:
            raise NotFound(f"学校 {school_id} 没有方案结果 #{plan_id}。 / no plan #{plan_id} in school {school_id}.")
        return row

    def get_plan(self, actor: Actor, school_id: str, plan_id: int) -> tuple[PlanInfo, str]:
        """A plan and its JSON; recorded as a view."""
        self._read(actor, school_id, f"plan #{plan_id}")
        with self._tx() as s:
            row = self._plan(s, school_id, plan_id)
            pub = self._published_id(s, school_id, row.scenario_id)
            self._audit(s, actor, school_id, "view", f"scenario #{row.scenario_id} plan #{plan_id}", "plan")
            return _plan_info(row, row.id == pub), _unpack(row.content)

    def export_plan(self, actor: Actor, school_id: str, plan_id: int) -> bytes:
        self._read(actor, school_id, f"export plan #{plan_id}")
        with self._tx() as s:
            row = self._plan(s, school_id, plan_id)
            self._audit(s, actor, school_id, "export", f"scenario #{row.scenario_id} plan #{plan_id}", "plan JSON")
            return _unpack(row.content).encode("utf-8")

    def publish_plan(self, actor: Actor, school_id: str, scenario_id: int, plan_id: int) -> PlanInfo:
        """Mark a valid plan as the scenario's published one (the one sent to parents); replaces any other."""
        self._write(actor, school_id, f"scenario #{scenario_id} publish")
        try:
            return self._publish(actor, school_id, scenario_id, plan_id)
        except IntegrityError:  # two first publishes at once: the loser replaces the winner's choice
            return self._publish(actor, school_id, scenario_id, plan_id)

    def _publish(self, actor: Actor, school_id: str, scenario_id: int, plan_id: int) -> PlanInfo:
        with self._tx() as s:
            self._scenario(s, school_id, scenario_id)
            row = self._plan(s, school_id, plan_id)
            if row.scenario_id != scenario_id:
                raise NotFound(
                    f"方案 #{scenario_id} 没有方案结果 #{plan_id}。 / plan #{plan_id} is not in scenario "
                    f"#{scenario_id}."
                )
            if row.status not in VALID_STATUSES:
                raise StoreError(
                    f"方案结果 #{plan_id} 无效（{row.status}），不能发布。 / plan #{plan_id} is not valid "
                    f"({row.status}) and cannot be published."
                )
            pub = s.get(Publication, scenario_id)
            before = pub.plan_id if pub is not None else None
            if pub is None:
                s.add(
                    Publication(
                        scenario_id=scenario_id,
                        school_id=school_id,
                        plan_id=plan_id,
                        published_at=now(),
                        published_by=actor.user_id,
                    )
                )
            else:
                pub.plan_id, pub.published_at, pub.published_by = plan_id, now(), actor.user_id
            s.flush()
            self._audit(
                s,
                actor,
                school_id,
                "publish",
                f"scenario #{scenario_id} plan #{plan_id} (v{row.version_number})",
                f"replaces plan #{before}" if before and before != plan_id else "",
            )
            return _plan_info(row, True)

    def unpublish(self, actor: Actor, school_id: str, scenario_id: int) -> None:
        self._write(actor, school_id, f"scenario #{scenario_id} unpublish")
        with self._tx() as s:
            self._scenario(s, school_id, scenario_id)
            pub = s.get(Publication, scenario_id)
            if pub is not None:
                self._audit(s, actor, school_id, "unpublish", f"scenario #{scenario_id} plan #{pub.plan_id}")
                s.delete(pub)

    def published_plan(self, actor: Actor, school_id: str, scenario_id: int) -> PlanInfo | None:
        self._read(actor, school_id, f"scenario #{scenario_id} published")
        with self._tx() as s:
            self._scenario(s, school_id, scenario_id)
            pid = self._published_id(s, school_id, scenario_id)
            self._audit(
                s,
                actor,
                school_id,
                "view",
                f"scenario #{scenario_id} published",
                f"plan #{pid}" if pid is not None else "none",
            )
            return _plan_info(self._plan(s, school_id, pid), True) if pid is not None else None

    # ---------------------------------------------------------------- drafts

    def save_draft(self, actor: Actor, school_id: str, scenario_id: int | None, base: int, text: str) -> None:
        """Keep this user's unsaved edits of a scenario (None: not saved as a scenario yet); replaces
        the previous draft. Only the user who wrote it reads it back (`get_draft`)."""
        self._write(actor, school_id, f"scenario #{scenario_id or 0} draft")
        _check_school_id(school_id)
        key = (actor.user_id, school_id, scenario_id or 0)
        for attempt in (1, 2):  # two tabs of one user saving a first draft at once
            try:
                with self._tx() as s:
                    row = s.scalar(
                        select(Draft).where(
                            Draft.user_id == key[0], Draft.school_id == key[1], Draft.scenario_id == key[2]
                        )
                    )
                    if row is None:
                        s.add(
                            Draft(
                                user_id=key[0],
                                school_id=key[1],
                                scenario_id=key[2],
                                base=base,
                                content=_pack(text),
                                updated_at=now(),
                            )
                        )
                    else:
                        row.base, row.content, row.updated_at = base, _pack(text), now()
                    self._audit(s, actor, school_id, "save", f"scenario #{scenario_id or 0} draft", "unsaved draft")
                return
            except IntegrityError:
                if attempt == 2:
                    raise

    def get_draft(self, actor: Actor, school_id: str, scenario_id: int | None) -> tuple[int, str, dt.datetime] | None:
        """This user's draft of a scenario: (base version, text, when), or None."""
        self._read(actor, school_id, f"scenario #{scenario_id or 0} draft")
        with self._tx() as s:
            row = s.scalar(
                select(Draft).where(
                    Draft.user_id == actor.user_id,
                    Draft.school_id == school_id,
                    Draft.scenario_id == (scenario_id or 0),
                )
            )
            if row is None:
                return None
            self._audit(s, actor, school_id, "view", f"scenario #{scenario_id or 0} draft", "unsaved draft")
            return row.base, _unpack(row.content), row.updated_at

    def drop_draft(self, actor: Actor, school_id: str, scenario_id: int | None) -> None:
        """The edits were saved (or thrown away): forget the draft."""
        _check_actor(actor)
        with self._tx() as s:
            row = s.scalar(
                select(Draft).where(
                    Draft.user_id == actor.user_id,
                    Draft.school_id == school_id,
                    Draft.scenario_id == (scenario_id or 0),
                )
            )
            if row is not None:
                s.delete(row)

    # ---------------------------------------------------------------- audit

    def record(self, actor: Actor, school_id: str | None, action: str, target: str = "", detail: str = "") -> None:
        """An event the app saw (login, a page showing a school's data). A view of a school the actor
        may not read is refused (and recorded as refused)."""
        if action not in ACTIONS:
            raise ValueError(f"unknown audit action {action!r}")
        if school_id is not None and action != "login":
            self._read(actor, school_id, target or action)
        with self._tx() as s:
            self._audit(s, actor, school_id, action, target, detail)

    def list_audit(
        self,
        actor: Actor,
        school_id: str | None = None,
        limit: int = 200,
        action: str | None = None,
        user_id: str | None = None,
    ) -> list[AuditInfo]:
        """The audit trail, newest first: the district administrator (and the local user) only."""
        if not actor.reads_all:
            raise self._refuse(
                actor,
                school_id or "*",
                "audit",
                AccessDenied(
                    f"{actor.label}（{actor.role}）无权查看审计记录。 / {actor.label} may not read the audit trail."
                ),
            )
        with self._tx() as s:
            q = select(AuditRow).order_by(AuditRow.id.desc()).limit(limit)
            if school_id:
                q = q.where(AuditRow.school_id == school_id)
            if action:
                q = q.where(AuditRow.action == action)
            if user_id:
                q = q.where(AuditRow.user_id == user_id)
            out = [_audit_info(r) for r in s.scalars(q)]
            self._audit(s, actor, school_id, "view", "audit", f"{len(out)} rows")  # after reading: not in `out`
            return out

    def count_audit(self, actor: Actor) -> int:
        if not actor.reads_all:
            raise self._refuse(actor, "*", "audit", AccessDenied("audit"))
        with self._tx() as s:
            return int(s.scalar(select(func.count()).select_from(AuditRow)) or 0)
