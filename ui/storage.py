"""The app's storage: who is using it (login and roles), which scenario and version the session
works on, saving (automatic and on demand), conflicts, and kept plans.

Two modes:
- **local** (the default: no `[auth]` in `.streamlit/secrets.toml`): no login; one user who may read
  and write every school (`store.access.LOCAL`); a SQLite file (`~/.afterschool/afterschool.db`, or
  `AFTERSCHOOL_DB_URL`).
- **server** (`[auth]` configured): `st.login` with the district's OIDC provider; the role and school
  come from the login's claims (`role`, `school_id`; names configurable under `[afterschool]`).

Every read and write goes through `store.repo.Repo` with the session's actor and a school id, so
scope is enforced there, not here. The only thing cached across sessions is the `Repo` (an engine,
no school data): `st.cache_resource` keyed by the database URL.

Session keys (`st.session_state`): `store_scenario` (ScenarioInfo or None: not saved yet),
`store_base` (the version number the next save is based on: the optimistic lock), `store_opened`
(the version whose content was loaded), `store_sha` (the sha256 of the content as last saved or
opened: the data are "dirty" when the current content differs), `store_saved_at`, `store_conflict`,
`store_origin` (data just loaded from a file or the demo and not saved yet: saved as a version of
their own before the edits made to them, with a message like "上传 school.xlsx").
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import logging
import time
from collections.abc import Callable
from typing import Any

import streamlit as st

from store.access import LOCAL, AccessDenied, Actor, ConflictError, NotFound, StoreError, actor_from_claims
from store.db import database_url, describe
from store.repo import PlanInfo, Repo, ScenarioInfo, VersionInfo
from ui import session
from ui.i18n import t

log = logging.getLogger("afterschool.ui.storage")

AUTOSAVE_SECONDS = 8.0  # at most one automatic version per this many seconds while editing (and on page change)
try:
    from zoneinfo import ZoneInfo

    LOCAL_TZ: dt.tzinfo = ZoneInfo("Asia/Shanghai")
except Exception:  # no tz database: UTC+8 has no daylight saving anyway
    LOCAL_TZ = dt.timezone(dt.timedelta(hours=8))


def _ss():
    return st.session_state


# ============================================================================ configuration


PLACEHOLDER_SECRETS = ("change-me", "changeme", "secret", "test", "example")
MIN_COOKIE_SECRET = 32


class ConfigError(Exception):
    """The server is not configured to run safely: it serves nothing but this message."""


def _load_secrets() -> tuple[Any, str | None]:
    """(the secrets, or {}; why the secrets file could not be read, if it exists but is broken)."""
    try:
        if st.secrets.load_if_toml_exists():
            return st.secrets, None
    except Exception as exc:  # a malformed secrets.toml: never read as "no login configured"
        return {}, f"{type(exc).__name__}: {exc}"
    # Streamlit answers "no secrets" for a file it cannot parse too: look at the files ourselves.
    import os
    import tomllib

    from streamlit import config

    for path in config.get_option("secrets.files") or []:
        if os.path.isfile(path):
            try:
                with open(path, "rb") as f:
                    tomllib.load(f)
            except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
                return {}, f"{path}: {exc}"
    return {}, None


def _secrets() -> Any:
    return _load_secrets()[0]


def mode() -> str:
    """`server` or `local`; ConfigError when the configuration is unsafe or contradictory (fail closed).

    The mode is `AFTERSCHOOL_MODE` (environment), else `[afterschool] mode`, else `server` when the
    secrets have an `[auth]` section (or a secrets file exists but cannot be read), else `local`.
    Server mode needs a working `[auth]` (see `check_auth`); local mode refuses an `[auth]` section.
    """
    import os

    secrets, broken = _load_secrets()
    chosen = (os.environ.get("AFTERSCHOOL_MODE") or "").strip().lower()
    if not chosen and not broken:
        chosen = str((secrets.get("afterschool") or {}).get("mode") or "").strip().lower()
    if not chosen:
        chosen = "server" if (broken or secrets.get("auth")) else "local"
    if chosen not in ("server", "local"):
        raise ConfigError(
            f"AFTERSCHOOL_MODE / [afterschool] mode 应为 server 或 local，实际是 {chosen!r}。 / "
            f"the mode must be server or local, got {chosen!r}."
        )
    if broken:
        raise ConfigError(
            f".streamlit/secrets.toml 无法读取，服务器不启动。 / .streamlit/secrets.toml cannot be read, "
            f"so the server does not start: {broken}"
        )
    if chosen == "local":
        if secrets.get("auth"):
            raise ConfigError(
                "配置了 [auth] 登录，却设为本机模式；请删去 [auth] 或设为 server。 / [auth] is configured "
                "but the mode is local: remove [auth] or set the mode to server."
            )
        return "local"
    check_auth(secrets.get("auth"))
    return "server"


def check_auth(auth: Any) -> None:
    """A working `[auth]`: every required key, a real cookie secret (not the example's placeholder)."""
    if not auth:
        raise ConfigError(
            "服务器模式需要 .streamlit/secrets.toml 中的 [auth] 登录配置。 / server mode needs an [auth] "
            "section in .streamlit/secrets.toml (see .streamlit/secrets.toml.example)."
        )
    auth = dict(auth)
    missing = [k for k in ("redirect_uri", "cookie_secret") if not str(auth.get(k) or "").strip()]
    keys = ("client_id", "client_secret", "server_metadata_url")
    providers = [dict(v) for v in auth.values() if hasattr(v, "keys")]
    if not all(auth.get(k) for k in keys) and not any(all(p.get(k) for k in keys) for p in providers):
        missing += [k for k in keys if not auth.get(k)]
    if missing:
        raise ConfigError(f"[auth] 缺少 {', '.join(missing)}。 / [auth] lacks {', '.join(missing)}.")
    secret = str(auth["cookie_secret"]).strip()
    if len(secret) < MIN_COOKIE_SECRET or any(p in secret.lower() for p in PLACEHOLDER_SECRETS):
        raise ConfigError(
            f"[auth] cookie_secret 是示例占位符或太短（至少 {MIN_COOKIE_SECRET} 个字符的随机串）。 / "
            f"[auth] cookie_secret is the example's placeholder or too short (use a random string of at "
            f'least {MIN_COOKIE_SECRET} characters: python -c "import secrets; '
            f'print(secrets.token_hex(32))").'
        )


def auth_configured() -> bool:
    """Server mode (a login is required). Never False because of a broken configuration: see `mode`."""
    try:
        return mode() == "server"
    except ConfigError:
        return True


def settings() -> dict:
    """The `[afterschool]` section of the secrets: `db_url`, `role_claim`, `school_claim`, `provider`."""
    section = _secrets().get("afterschool") or {}
    return dict(section)


def db_url() -> str:
    """The database: `AFTERSCHOOL_DB_URL`, else `[afterschool] db_url`, else the local SQLite file."""
    import os

    return database_url(os.environ.get("AFTERSCHOOL_DB_URL") or settings().get("db_url") or None)


@st.cache_resource(show_spinner=False, max_entries=8)
def _open_repo(url: str) -> Repo:
    """One repository per database URL and process; its schema is brought up to date once."""
    from store.db import open_repo

    return open_repo(url)


def repo() -> Repo:
    return _open_repo(db_url())


# ============================================================================ who is acting


def actor() -> Actor:
    """The session's actor (set by `gate`)."""
    return _ss().get("store_actor") or LOCAL


def gate() -> Actor:
    """Local mode: the local user. Server mode: the logged-in user's actor, or the login screen
    (and `st.stop()`); a login without a usable role is refused."""
    ss = _ss()
    try:
        running = mode()
    except ConfigError as exc:  # fail closed: no data, no local mode, just why
        ss.pop("store_actor", None)
        st.title(t("app_title"))
        st.error(str(exc), icon=":material/block:")
        st.stop()
    if running == "local":
        ss.store_actor = LOCAL
        return LOCAL
    if not st.user.get("is_logged_in", False):
        ss.pop("store_actor", None)
        st.title(t("app_title"))
        st.caption(t("app_caption"))
        st.info(t("login_needed"))
        provider = settings().get("provider")
        if st.button(t("login"), type="primary", key="login", icon=":material/login:"):
            st.login(provider) if provider else st.login()
        st.stop()
    cfg = settings()
    try:
        who = actor_from_claims(current_claims(ss), cfg.get("role_claim", "role"), cfg.get("school_claim", "school_id"))
    except AccessDenied as exc:
        st.error(str(exc))
        if st.button(t("logout"), key="logout_denied"):
            st.logout()
        st.stop()
    if ss.get("store_actor") != who:  # first run of this session for this user: a login
        if ss.get("store_actor") is not None:  # another user (or role, or school) in this tab: start afresh
            for key in [k for k in ss if k.startswith(("store_", "vs_", "au_")) or k in _SESSION_DATA]:
                del ss[key]
        ss.store_actor = who
        try:
            repo().record(who, who.school_id, "login", "app", f"{who.role} · {who.school_id or '*'}")
        except StoreError as exc:
            log.warning("login not recorded: %s", exc)
    return who


def current_claims(ss) -> dict:
    """The login's claims, with role and school as the identity provider says NOW: once per session
    they are re-read from the provider's userinfo endpoint with the login's access token (Streamlit's
    `expose_tokens = ["access"]` in `[auth]`), not trusted from the cookie set at login. A login whose
    ID token has expired is refused. Without an access token the cookie's claims are used only when
    `[afterschool] trust_login_claims = true` (say so knowingly: a role taken away at the provider
    then lasts until the cookie expires)."""
    claims = st.user.to_dict()
    exp = claims.get("exp")
    if isinstance(exp, int | float) and exp < time.time():
        raise AccessDenied("登录已过期，请重新登录。 / The login has expired; please log in again.")
    sub = claims.get("sub") or claims.get("email")
    cached = ss.get("store_claims")
    if cached is not None and cached[0] == sub:
        return cached[1]
    tokens = claims.pop("tokens", None) or {}
    try:
        tokens = dict(getattr(st.user, "tokens", None) or tokens)
    except Exception:
        tokens = dict(tokens)
    access = tokens.get("access")
    if access:
        fresh = userinfo(access)
        if fresh.get("sub") and claims.get("sub") and fresh["sub"] != claims["sub"]:
            raise AccessDenied("身份提供方返回的用户与登录不符。 / The provider's user differs from the login.")
        claims = {**claims, **fresh}
    elif not settings().get("trust_login_claims"):
        raise AccessDenied(
            '无法向身份提供方核实角色：请在 [auth] 中设置 expose_tokens = ["access"]。 / The role '
            'cannot be checked with the identity provider: set expose_tokens = ["access"] in [auth].'
        )
    ss.store_claims = (sub, claims)
    return claims


def userinfo(access_token: str) -> dict:
    """The provider's current claims for this access token (OIDC userinfo endpoint, via the discovery
    document of `server_metadata_url`); AccessDenied when the provider does not confirm them."""
    import httpx

    auth = dict(_secrets().get("auth") or {})
    provider = settings().get("provider")
    conf = dict(auth.get(provider) or {}) if provider else {}
    meta_url = conf.get("server_metadata_url") or auth.get("server_metadata_url")
    try:
        meta = httpx.get(meta_url, timeout=10).json()
        r = httpx.get(meta["userinfo_endpoint"], headers={"Authorization": f"Bearer {access_token}"}, timeout=10)
        r.raise_for_status()
        data = r.json()
    except Exception as exc:  # expired token, provider down, no userinfo endpoint: no access
        raise AccessDenied(
            f"身份提供方未确认登录（{type(exc).__name__}），请重新登录。 / The identity provider did not "
            f"confirm the login ({type(exc).__name__}); please log in again."
        ) from None
    if not isinstance(data, dict):
        raise AccessDenied("身份提供方的回答无法读取。 / The identity provider's answer cannot be read.")
    return data


# The session's school data (dropped when another user logs in within the same tab).
_SESSION_DATA = (
    "doc",
    "tables",
    "base",
    "source",
    "plan",
    "attempt",
    "job",
    "_check",
    "_check_of",
    "upload_problems",
    "focus",
    "baseline",
    "district_job",
    "district_report",
)


def writable() -> bool:
    """May this session change the data it shows? (The repository checks again on every save.)"""
    a = actor()
    if not a.writes_anything:
        return False
    sc = _ss().get("store_scenario")
    return a.can_write(sc.school_id) if sc is not None else True


def school_id() -> str | None:
    """The school whose data the session shows: a scheduler's or viewer's own; the district
    administrator's choice; in local mode the open scenario's school, else the data's school."""
    a, ss = actor(), _ss()
    if a.school_id:
        return a.school_id
    sc = ss.get("store_scenario")
    if sc is not None:
        return sc.school_id
    if a.role == "district_admin":
        return ss.get("store_admin_school")
    doc = ss.get("doc") or {}
    school = doc.get("school") if isinstance(doc.get("school"), dict) else {}
    sid = school.get("id")
    return sid if isinstance(sid, str) and sid.strip() else "local"


# ============================================================================ opening


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _current_text() -> tuple[str, bool]:
    c = session.check()
    return c.text, c.valid


def dirty() -> bool:
    ss = _ss()
    if "doc" not in ss:
        return False
    return _sha(_current_text()[0]) != ss.get("store_sha")


def _mark_synced(number: int | None = None, base: int | None = None) -> None:
    """The session's content as it is now is what is saved (or was opened)."""
    ss = _ss()
    ss.store_sha = _sha(_current_text()[0])
    if number is not None:
        ss.store_opened = number
    if base is not None:
        ss.store_base = base
    ss.store_conflict = None


def start_session() -> None:
    """First run of a session: the latest saved scenario (`open_initial`), else the demo school; no
    plan. Later runs: nothing."""
    session.init()
    if not session.has_data():
        open_initial()


def open_initial() -> bool:
    """A new session: the most recently saved scenario this actor may read (in the chosen school for
    the district administrator); else, for a writer, the demo school (saved at the first change).
    False when there is nothing to show (a reader in a school without data)."""
    a, ss = actor(), _ss()
    r = repo()
    if a.role == "local":
        recent = r.recent_scenarios(a, 1)
    else:
        school = a.school_id or _admin_school()
        recent = r.list_scenarios(a, school)[:1] if school else []
    if recent:
        open_scenario(recent[0])
        return True
    ss.store_scenario = None
    ss.store_base = 0
    ss.store_opened = 0
    if a.writes_anything:
        session.set_raw(session.demo_raw(), session.DEMO.name)
        _mark_synced()
        _set_origin(t("msg_demo"))
        return True
    session.set_raw(session.demo_raw(), session.DEMO.name)
    _mark_synced()
    ss.store_no_data = True
    return False


def _admin_school() -> str | None:
    ss = _ss()
    if ss.get("store_admin_school"):
        return ss.store_admin_school
    schools = repo().list_schools(actor())
    ss.store_admin_school = schools[0].id if schools else None
    return ss.store_admin_school


def open_scenario(sc: ScenarioInfo, number: int | None = None) -> VersionInfo:
    """Load a version (the latest by default) of a scenario into the session; the next save is based
    on the scenario's latest version (opening an old one and saving makes it the newest)."""
    ss = _ss()
    r = repo()
    fresh, data = r.open_version(actor(), sc.school_id, sc.id, number)  # one transaction: content and base agree
    session.set_raw(data.instance, fresh.name)  # the version is on the sidebar's scenario line
    ss.store_scenario = fresh
    ss.store_no_data = False
    ss.store_origin = None
    ss.pop("plan", None)
    ss.pop("attempt", None)
    _mark_synced(number=data.info.number, base=fresh.head)
    if number is None:
        _restore_draft(fresh)
    return data.info


def _restore_draft(sc: ScenarioInfo) -> None:
    """This user's unsaved edits of the scenario (kept while they were invalid), back in the session:
    dirty against the opened version, and based on the version they were made on (a save made by
    someone else since then is a conflict, as for any save)."""
    a, ss = actor(), _ss()
    if not a.can_write(sc.school_id):
        return
    try:
        draft = repo().get_draft(a, sc.school_id, sc.id)
    except StoreError as exc:
        log.warning("draft not read: %s", exc)
        return
    if draft is None:
        return
    base, text, at = draft
    try:
        raw = json.loads(text)
    except ValueError:
        return
    session.set_raw(raw, sc.name)
    ss.store_base = base
    ss.store_draft_at = at
    ss.store_draft_sha = _sha(_current_text()[0])
    ss.store_info = t("draft_restored", at=when(at))


def data_replaced(source: str, kind: str) -> None:
    """After an upload (`kind` "upload") or loading the demo ("demo"): in local mode a file of
    another school starts a new scenario (of that school); otherwise it becomes the next version.
    An upload is saved at once (when valid); the demo only once it is changed."""
    ss = _ss()
    sc = ss.get("store_scenario")
    doc = ss.get("doc") or {}
    school = (doc.get("school") or {}).get("id") if isinstance(doc.get("school"), dict) else None
    if actor().role == "local" and sc is not None and school and school != sc.school_id:
        ss.store_scenario = None
        ss.store_base = ss.store_opened = 0
    _set_origin(t("msg_upload", name=source) if kind == "upload" else t("msg_demo"))
    if kind == "upload":
        ss.store_sha = None  # unsaved: saved as soon as it is valid
    elif ss.get("store_scenario") is None:
        _mark_synced()  # the demo alone is not worth a scenario: saved once changed
    else:
        ss.store_sha = None


def _set_origin(message: str) -> None:
    """The data as just loaded (the demo, a file): saved first, as its own version, so the next
    version's changes read as the scheduler's edits."""
    text, valid = _current_text()
    _ss().store_origin = (text, valid, message)


# ============================================================================ saving


def save(message: str = "", auto: bool = False) -> VersionInfo | None:
    """Save the session's data as a new version (or a new scenario when none is open yet); data
    loaded from a file or the demo and not saved yet go first, as a version of their own.
    A conflict is kept in the session (shown in the sidebar) and nothing more is written."""
    ss = _ss()
    a = actor()
    text, valid = _current_text()
    r = repo()
    steps: list[tuple[str, bool, str, bool]] = []
    origin = ss.get("store_origin")
    if origin is not None:
        steps.append((origin[0], origin[1], origin[2], False))
    if origin is None or origin[0] != text:
        steps.append((text, valid, message.strip() or (t("msg_auto") if auto else ""), auto))
    v: VersionInfo | None = None
    try:
        for body, ok, msg, is_auto in steps:
            sc: ScenarioInfo | None = ss.get("store_scenario")
            if sc is None:
                doc = ss.get("doc") or {}
                school = doc.get("school") if isinstance(doc.get("school"), dict) else {}
                target = a.school_id or school_id() or "local"
                name = r.unique_name(a, target, str(school.get("name") or target))
                sc, v = r.create_scenario(
                    a, target, name, body, msg or t("msg_new"), valid=ok, school_name=str(school.get("name") or "")
                )
            else:
                v = r.save_version(
                    a, sc.school_id, sc.id, body, ss.get("store_base", sc.head), msg, auto=is_auto, valid=ok
                )
            ss.store_scenario = dataclasses.replace(sc, head=v.number, updated_at=v.created_at, updated_by=a.user_id)
            ss.store_base = ss.store_opened = v.number
            ss.store_origin = None  # (only the first step can be the origin)
    except ConflictError as exc:
        ss.store_conflict = exc
        return None
    except StoreError as exc:
        ss.store_error = str(exc)
        return None
    ss.store_origin = None
    ss.store_sha = _sha(text)
    ss.store_saved_at = time.monotonic()
    ss.store_last = v
    ss.store_error = None
    _drop_draft(ss.store_scenario)  # saved as a version: the draft is no longer needed
    session.set_source(ss.store_scenario.name)
    return v


def autosave(page_changed: bool) -> VersionInfo | None:
    """After a run: save valid changed data when the page changed or the last automatic save is at
    least AUTOSAVE_SECONDS old (the sidebar's ticker catches the rest)."""
    ss = _ss()
    if not writable() or ss.get("store_conflict") is not None or "doc" not in ss:
        return None
    text, valid = _current_text()
    if _sha(text) == ss.get("store_sha"):
        return None
    if not valid:
        keep_draft(text)  # invalid data are not a version, but never only in the session
        return None
    if not page_changed and time.monotonic() - ss.get("store_saved_at", 0.0) < AUTOSAVE_SECONDS:
        return None
    return save(auto=True)


def keep_draft(text: str) -> None:
    """Store the session's unsaved (invalid) data as this user's draft of the scenario, when it changed."""
    ss = _ss()
    sha = _sha(text)
    if ss.get("store_draft_sha") == sha:
        return
    sc: ScenarioInfo | None = ss.get("store_scenario")
    school = sc.school_id if sc is not None else (actor().school_id or school_id() or "local")
    try:
        repo().save_draft(
            actor(),
            school,
            sc.id if sc is not None else None,
            ss.get("store_base", sc.head if sc is not None else 0),
            text,
        )
    except StoreError as exc:
        ss.store_error = str(exc)
        return
    ss.store_draft_sha = sha


def _drop_draft(sc: ScenarioInfo | None) -> None:
    ss = _ss()
    if ss.get("store_draft_sha") is None:
        return
    try:
        if sc is not None:
            repo().drop_draft(actor(), sc.school_id, sc.id)
        repo().drop_draft(actor(), sc.school_id if sc is not None else (school_id() or "local"), None)
    except StoreError as exc:
        log.warning("draft not dropped: %s", exc)
    ss.store_draft_sha = None


def ensure_saved(message: str) -> VersionInfo | None:
    """The saved version holding exactly the session's data (saving it now if needed), or None
    when it cannot be saved (reader, conflict)."""
    ss = _ss()
    sc = ss.get("store_scenario")
    text, _ = _current_text()
    if sc is not None and _sha(text) == ss.get("store_sha"):
        found = repo().find_version(actor(), sc.school_id, sc.id, _sha(text))
        if found is not None:
            return found
    if not writable() or ss.get("store_conflict") is not None:
        return None
    return save(message)


def keep_plan(outcome: session.PlanState) -> PlanInfo | None:
    """Keep a finished solve's plan with the version it was made from (found by the instance's sha256)."""
    ss = _ss()
    sc = ss.get("store_scenario")
    if sc is None or not writable():
        return None
    r = repo()
    try:
        v = r.find_version(actor(), sc.school_id, sc.id, outcome.loaded.sha256)
        if v is None:
            return None
        info = r.save_plan(actor(), sc.school_id, sc.id, v.number, outcome.plan, purpose=outcome.purpose)
    except StoreError as exc:
        log.warning("plan not kept: %s", exc)
        return None
    outcome.stored_id, outcome.version_number = info.id, info.version_number
    return info


def plan_keeper(
    store: Repo, who: Actor, school: str, scenario_id: int, version_number: int
) -> Callable[[Any, str], PlanInfo]:
    """What a solve job calls when it finishes (on its own thread: no Streamlit calls): store the plan
    with the version it was made from, whether or not the tab is still open."""

    def keep(plan, purpose: str) -> PlanInfo:
        return store.save_plan(who, school, scenario_id, version_number, plan, purpose=purpose)

    return keep


def job_keeper(loaded) -> Callable[[Any, str], PlanInfo] | None:
    """The keeper for a solve of `loaded` in this session (None: nothing to keep it with)."""
    ss = _ss()
    sc = ss.get("store_scenario")
    if sc is None or not writable():
        return None
    try:
        v = repo().find_version(actor(), sc.school_id, sc.id, loaded.sha256)
    except StoreError:
        return None
    return None if v is None else plan_keeper(repo(), actor(), sc.school_id, sc.id, v.number)


def resolve_conflict(take_theirs: bool) -> None:
    """After a conflict: load the latest version (dropping this session's changes), or keep this
    session's data as a new scenario."""
    ss = _ss()
    sc: ScenarioInfo = ss.store_scenario
    if take_theirs:
        open_scenario(sc)
        return
    a = actor()
    text, valid = _current_text()
    r = repo()
    name = r.unique_name(a, sc.school_id, t("mine_name", name=sc.name))
    new, v = r.create_scenario(a, sc.school_id, name, text, t("msg_fork", name=sc.name, n=ss.store_base), valid=valid)
    ss.store_scenario = new
    ss.store_base = ss.store_opened = v.number
    ss.store_sha = _sha(text)
    ss.store_conflict = None
    session.set_source(new.name)


# ============================================================================ audit helpers


def audited(make: Callable[[], Any], what: str) -> Callable[[], Any]:
    """A download's data function that records the export (it runs on click, off the script thread:
    no Streamlit calls, the actor and school captured now)."""
    a, school, r = actor(), school_id(), repo()

    def run():
        data = make()
        try:
            r.record(a, school, "export", what)
        except StoreError as exc:  # a refusal must not hand out the data
            raise PermissionError(str(exc)) from exc
        return data

    return run


def when(ts: dt.datetime | None) -> str:
    return ts.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M:%S") if ts else ""


# ============================================================================ query parameters


def apply_query_params() -> None:
    """`?school=…` (a school to look at: the district administrator, or the local user) and
    `?scenario=N[&version=K]` (open a scenario of the current school). Anything the actor may not
    read is refused by the repository (and recorded); the refusal is shown, nothing is opened."""
    ss = _ss()
    qp = {k: st.query_params.get(k) for k in ("school", "scenario", "version") if st.query_params.get(k)}
    if not qp or ss.get("store_qp_done") == qp:
        return
    ss.store_qp_done = qp
    a, r = actor(), repo()
    try:
        school = qp.get("school") or school_id()
        if not school:
            return
        if "school" in qp:
            r.record(a, school, "view", "url ?school")  # AccessDenied (and recorded) for another school
        if "scenario" in qp:
            sc = r.get_scenario(a, school, int(qp["scenario"]))
            open_scenario(sc, int(qp["version"]) if "version" in qp else None)
        elif "school" in qp and school != school_id():
            if a.role == "district_admin":
                ss.store_admin_school = school
            recent = r.list_scenarios(a, school)[:1]
            if recent:
                open_scenario(recent[0])
    except (AccessDenied, NotFound) as exc:
        ss.store_refused = str(exc)
    except ValueError:
        ss.store_refused = t("bad_url")


def switch_school(school: str) -> None:
    """The district administrator (or the local user) looks at another school: its latest scenario."""
    ss = _ss()
    a = actor()
    if a.role == "district_admin":
        ss.store_admin_school = school
    recent = repo().list_scenarios(a, school)[:1]
    if recent:
        open_scenario(recent[0])
    else:
        ss.store_scenario = None
        ss.store_no_data = not a.writes_anything


# ============================================================================ sidebar


def sidebar() -> None:
    """Who is logged in, the open scenario and its state, Save (with a message), and a conflict."""
    ss = _ss()
    a = actor()
    if auth_configured():
        role = t(f"role_{a.role}")
        st.caption(t("sb_user", name=a.name, role=role, school=a.school_id or t("all_schools")))
        if st.button(t("logout"), key="logout", icon=":material/logout:"):
            st.logout()
    if a.role == "district_admin":
        schools = [s.id for s in repo().list_schools(a)]
        if schools:
            current = ss.get("store_admin_school") if ss.get("store_admin_school") in schools else schools[0]
            pick = st.selectbox(t("pick_school"), schools, index=schools.index(current), key="admin_school")
            if pick != current:
                switch_school(pick)
                st.rerun()
    info = ss.pop("store_info", None)
    if info:
        st.info(info, icon=":material/restore:")
    refused = ss.pop("store_refused", None)
    if refused:
        st.error(refused, icon=":material/block:")
    if ss.get("store_error"):
        st.error(ss.store_error)
    conflict: ConflictError | None = ss.get("store_conflict")
    if conflict is not None:
        st.warning(
            t("conflict", who="、".join(conflict.who), latest=conflict.latest, base=conflict.based_on),
            icon=":material/sync_problem:",
        )
        if st.button(t("conflict_theirs"), key="conflict_theirs"):
            resolve_conflict(True)
            st.rerun()
        if st.button(t("conflict_mine"), key="conflict_mine"):
            resolve_conflict(False)
            st.rerun()
    _status_fragment()
    if writable() and "doc" in ss:
        with st.popover(t("save"), icon=":material/save:"):
            msg = st.text_input(t("save_message"), key="save_message", placeholder=t("save_message_hint"))
            if st.button(t("save_now"), key="save_now", type="primary"):
                v = save(msg)
                if v is not None:
                    st.toast(t("saved", n=v.number))
                    ss.pop("save_message", None)
                st.rerun()


def _status_fragment() -> None:
    ss = _ss()
    # tick only while there is something autosave would save: invalid data are never saved
    # automatically, and a tick is a rerun that can swallow a click in the data editor
    pending = writable() and "doc" in ss and ss.get("store_conflict") is None and dirty() and _current_text()[1]

    @st.fragment(run_every=AUTOSAVE_SECONDS if pending else None)
    def status() -> None:
        if writable() and dirty():
            autosave(page_changed=False)  # no rerun: an open cell editor on the page is left alone
        sc: ScenarioInfo | None = ss.get("store_scenario")
        if sc is None:
            st.caption(t("sb_unsaved_new") if dirty() else t("sb_not_saved"))
            return
        opened = ss.get("store_opened", sc.head)
        line = t("sb_scenario", name=sc.name, n=opened)
        if opened != ss.get("store_base", sc.head):
            line += " " + t("sb_old_version", latest=ss.get("store_base"))
        st.caption(line)
        if ss.get("store_conflict") is not None:
            return
        if dirty():
            st.caption(t("sb_dirty") if _current_text()[1] else t("sb_dirty_invalid"))
        else:
            last = ss.get("store_last")
            st.caption(t("sb_saved", at=when(last.created_at)[11:]) if last is not None else t("sb_clean"))

    status()


def mode_caption() -> str:
    if auth_configured():
        return t("mode_server")
    return t("mode_local", db=describe(db_url()))
