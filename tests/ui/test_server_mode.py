"""Issue 14, access: a district server never opens without a working login. Server mode is an
explicit setting (AFTERSCHOOL_MODE or [afterschool] mode, or an [auth] section); a missing,
malformed or placeholder configuration stops the app with a message instead of running in local
mode. AppTest sessions, and real Streamlit servers in a browser for the secrets file itself."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from streamlit.testing.v1 import AppTest

from tests.ui import selectors as ui
from tests.ui.conftest import APP, ROOT, _free_port, streamlit_server
from ui.storage import ConfigError, check_auth

GOOD = {
    "redirect_uri": "http://127.0.0.1:8501/oauth2callback",
    "cookie_secret": "3a" * 32,
    "client_id": "app",
    "client_secret": "s",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}


@pytest.mark.parametrize(
    ("auth", "says"),
    [
        (None, "needs an [auth]"),
        ({**GOOD, "cookie_secret": "change-me-to-a-long-random-string"}, "placeholder"),
        ({**GOOD, "cookie_secret": "short"}, "placeholder or too short"),
        ({k: v for k, v in GOOD.items() if k != "redirect_uri"}, "redirect_uri"),
        ({k: v for k, v in GOOD.items() if k != "client_id"}, "client_id"),
    ],
)
def test_check_auth_refuses_what_cannot_work(auth, says):
    with pytest.raises(ConfigError, match=says.replace("[", r"\[").replace("]", r"\]")):
        check_auth(auth)


def test_check_auth_accepts_a_complete_configuration():
    check_auth(GOOD)
    shared = {k: GOOD[k] for k in ("redirect_uri", "cookie_secret")}
    check_auth({**shared, "district": {k: GOOD[k] for k in ("client_id", "client_secret", "server_metadata_url")}})


def _run(monkeypatch, env_mode: str | None, auth: dict | None = None) -> AppTest:
    if env_mode is None:
        monkeypatch.delenv("AFTERSCHOOL_MODE", raising=False)
    else:
        monkeypatch.setenv("AFTERSCHOOL_MODE", env_mode)
    at = AppTest.from_file(str(APP), default_timeout=90)
    if auth is not None:
        at.secrets["auth"] = auth
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _errors(at: AppTest) -> str:
    return "\n".join(str(e.value) for e in at.error)


def test_explicit_server_mode_without_auth_refuses(monkeypatch):
    at = _run(monkeypatch, "server")
    assert "server mode needs an [auth]" in _errors(at)
    assert not at.data_editor and not at.button  # no data, no login button: nothing served


def test_placeholder_cookie_secret_refuses(monkeypatch):
    at = _run(monkeypatch, None, {**GOOD, "cookie_secret": "change-me-to-a-long-random-string"})
    assert "placeholder" in _errors(at) and not at.data_editor


def test_local_mode_with_auth_is_a_contradiction(monkeypatch):
    at = _run(monkeypatch, "local", GOOD)
    assert "mode is local" in _errors(at) and not at.data_editor


def test_unknown_mode_refuses(monkeypatch):
    at = _run(monkeypatch, "servre")
    assert "server or local" in _errors(at)


def test_a_working_server_configuration_shows_the_login(monkeypatch):
    at = _run(monkeypatch, "server", GOOD)
    assert not at.error and any(b.label == "登录" for b in at.button)


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("secrets", "env", "says"),
    [
        ('[auth\nredirect_uri = "x"\n', {}, "cannot be read"),  # malformed: never local mode
        (None, {"AFTERSCHOOL_MODE": "server"}, "needs an [auth]"),  # missing
    ],
)
def test_a_real_server_with_a_broken_configuration_serves_only_the_message(page: Page, tmp_path, secrets, env, says):
    (tmp_path / ".streamlit").mkdir()
    if secrets is not None:
        (tmp_path / ".streamlit" / "secrets.toml").write_text(secrets, encoding="utf-8")
    env = {"AFTERSCHOOL_DB_URL": f"sqlite:///{tmp_path / 'db.db'}", "PYTHONPATH": str(ROOT), **env}
    with streamlit_server(_free_port(), tmp_path, env, "streamlit-config-refused.log") as url:
        page.goto(url)
        ui.wait_for_app(page)
        expect(page.get_by_text(says, exact=False).first).to_be_visible()
        expect(page.get_by_test_id("stSidebarNav")).to_have_count(0)
        expect(page.get_by_test_id("stDataFrame")).to_have_count(0)
