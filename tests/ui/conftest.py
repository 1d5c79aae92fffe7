"""Fixtures of the app's tests: AppTest sessions on the demo school, and for the browser tests
(`-m e2e`) one Streamlit server per test session driving Debian's /usr/bin/chromium."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "ui" / "app.py"
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
SERVERS: dict[str, subprocess.Popen] = {}  # url → the Streamlit server process


def pytest_configure(config):
    config.addinivalue_line("markers", "e2e: real-browser tests (Playwright + /usr/bin/chromium); skipped without it")


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(reason="/usr/bin/chromium is not installed (apt-get install chromium)")
    for item in items:
        if "e2e" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _own_database(tmp_path, monkeypatch):
    """Every app test saves into a database of its own (never the user's ~/.afterschool)."""
    monkeypatch.setenv("AFTERSCHOOL_DB_URL", f"sqlite:///{tmp_path / 'afterschool.db'}")


# ---------------------------------------------------------------------------- browser (pytest-playwright)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
            "--disable-dev-shm-usage",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # Streamlit scrolls an inner container: a tall viewport makes screenshots show whole pages.
    return {
        **browser_context_args,
        "viewport": {"width": 1400, "height": 2200},
        "locale": "zh-CN",
        "accept_downloads": True,
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(port: int, cwd: Path, env: dict, log_name: str) -> Iterator[str]:
    """A Streamlit server running the app on `port` (its output in test-artifacts/LOG_NAME), until
    the block ends; yields its URL once it answers its health check."""
    log_path = ARTIFACTS / log_name
    ARTIFACTS.mkdir(exist_ok=True)
    log = log_path.open("w")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(APP),
            "--server.headless=true",
            "--server.address=127.0.0.1",
            f"--server.port={port}",
            "--browser.gatherUsageStats=false",
            "--server.fileWatcherType=none",
            "--client.toolbarMode=viewer",
        ],
        cwd=cwd,
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONUNBUFFERED": "1", **env},
    )
    url = f"http://127.0.0.1:{port}"
    SERVERS[url] = proc  # (the load test reads the server's memory)
    deadline = time.monotonic() + 60
    while True:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError(f"the Streamlit server did not start; see {log_path}")
        time.sleep(0.2)
    try:
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@pytest.fixture(scope="session")
def app_url(tmp_path_factory):
    """One Streamlit server for the browser tests, on a free port; its output goes to a log file."""
    db = f"sqlite:///{tmp_path_factory.mktemp('db') / 'afterschool.db'}"
    with streamlit_server(_free_port(), ROOT, {"AFTERSCHOOL_DB_URL": db}, "streamlit-server.log") as url:
        yield url
