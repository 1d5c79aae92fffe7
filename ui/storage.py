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


def _secrets() -> Any:
    try:
        if st.secrets.load_if_toml_exists():
            return st.secrets
    except Exception:  # a broken secrets file is reported by Streamlit itself
        pass
    return {}


def auth_configured() -> bool:
    """Server mode: an `[auth]` section in the secrets."""
    return bool(_secrets().get("auth"))


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
    if not auth_configured():
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
        who = actor_from_claims(st.user.to_dict(), cfg.get("role_claim", "role"), cfg.get("school_claim", "school_id"))
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


# The session's school data (dropped when another user logs in within the same tab).
_SESSION_DATA = ("doc", "tables", "base", "source", "plan", "attempt", "job", "_check", "_check_of", "upload_problems",
                 "focus", "baseline", "district_job", "district_report")


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
    from ui import state

    c = state.check()
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


def open_initial() -> bool:
    """A new session: the most recently saved scenario this actor may read (in the chosen school for
    the district administrator); else, for a writer, the demo school (saved at the first change).
    False when there is nothing to show (a reader in a school without data)."""
    from ui import state

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
        state.set_raw(json.loads(state.DEMO.read_text(encoding="utf-8")), state.DEMO.name)
        _mark_synced()
        _set_origin(t("msg_demo"))
        return True
    state.set_raw(json.loads(state.DEMO.read_text(encoding="utf-8")), state.DEMO.name)
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
    from ui import state

    ss = _ss()
    r = repo()
    fresh, data = r.open_version(actor(), sc.school_id, sc.id, number)  # one transaction: content and base agree
    state.set_raw(data.instance, fresh.name)  # the version is on the sidebar's scenario line
    ss.store_scenario = fresh
    ss.store_no_data = False
    ss.store_origin = None
    ss.pop("plan", None)
    ss.pop("attempt", None)
    _mark_synced(number=data.info.number, base=fresh.head)
    return data.info


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
                sc, v = r.create_scenario(a, target, name, body, msg or t("msg_new"), valid=ok,
                                          school_name=str(school.get("name") or ""))
            else:
                v = r.save_version(a, sc.school_id, sc.id, body, ss.get("store_base", sc.head), msg, auto=is_auto,
                                   valid=ok)
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
    state_source(ss.store_scenario.name)
    return v


def state_source(text: str) -> None:
    _ss().source = text


def autosave(page_changed: bool) -> VersionInfo | None:
    """After a run: save valid changed data when the page changed or the last automatic save is at
    least AUTOSAVE_SECONDS old (the sidebar's ticker catches the rest)."""
    ss = _ss()
    if not writable() or ss.get("store_conflict") is not None or "doc" not in ss:
        return None
    text, valid = _current_text()
    if not valid or _sha(text) == ss.get("store_sha"):
        return None
    if not page_changed and time.monotonic() - ss.get("store_saved_at", 0.0) < AUTOSAVE_SECONDS:
        return None
    return save(auto=True)


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


def keep_plan(ps) -> PlanInfo | None:
    """Keep a finished solve's plan with the version it was made from (found by the instance's sha256)."""
    ss = _ss()
    sc = ss.get("store_scenario")
    if sc is None or not writable():
        return None
    r = repo()
    try:
        v = r.find_version(actor(), sc.school_id, sc.id, ps.loaded.sha256)
        if v is None:
            return None
        info = r.save_plan(actor(), sc.school_id, sc.id, v.number, ps.plan, purpose=ps.purpose)
    except StoreError as exc:
        log.warning("plan not kept: %s", exc)
        return None
    ps.stored_id, ps.version_number = info.id, info.version_number
    return info


def plan_keeper(r: Repo, a: Actor, school: str, scenario_id: int, version_number: int) -> Callable[[Any, str], PlanInfo]:
    """What a solve job calls when it finishes (on its own thread: no Streamlit calls): store the plan
    with the version it was made from, whether or not the tab is still open."""

    def keep(plan, purpose: str) -> PlanInfo:
        return r.save_plan(a, school, scenario_id, version_number, plan, purpose=purpose)

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
    state_source(new.name)


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
    refused = ss.pop("store_refused", None)
    if refused:
        st.error(refused, icon=":material/block:")
    if ss.get("store_error"):
        st.error(ss.store_error)
    conflict: ConflictError | None = ss.get("store_conflict")
    if conflict is not None:
        st.warning(t("conflict", who="、".join(conflict.who), latest=conflict.latest, base=conflict.based_on),
                   icon=":material/sync_problem:")
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
