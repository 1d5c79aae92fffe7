"""CLI habits: --version, --json summaries, Ctrl-C writes the best checked plan (exit 130),
distinct exit codes, `db` and `app` in --help, shell completion, the change list in names."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

from cli import EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_NO_PLAN_IN_TIME
from export.changes import describe_changes
from tests.conftest import EXAMPLE, example_raw, load_raw

ROOT = Path(__file__).resolve().parents[2]


def _cli(*args, timeout=180) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cli", *map(str, args)], capture_output=True, text=True, timeout=timeout, cwd=ROOT
    )


def test_version_help_and_completion():
    r = _cli("--version")
    assert r.returncode == 0 and r.stdout.startswith("afterschool ")
    r = _cli("--help")
    for word in ("db", "app", "completion", "130", "4 时间限制内没有方案"):
        assert word in r.stdout
    r = _cli("completion", "bash")
    assert r.returncode == 0 and "afterschool" in r.stdout and "solve" in r.stdout and "--time-limit" in r.stdout
    assert len({EXIT_INTERNAL, EXIT_NO_PLAN_IN_TIME, EXIT_INTERRUPTED}) == 3


def test_solve_and_baseline_json(tmp_path):
    r = _cli("solve", EXAMPLE, "-o", tmp_path / "p.json", "--time-limit", "10", "--json")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["valid"] and d["status"] in ("optimal", "feasible") and d["exit_code"] == 0
    assert d["metrics"]["students"] == 40 and d["interrupted"] is False
    r = _cli("baseline", EXAMPLE, "-o", tmp_path / "b.json", "--json")
    assert r.returncode == 0 and json.loads(r.stdout)["method"] == "fcfs"


def test_verbose_passes_the_cpsat_log_through(tmp_path):
    r = _cli("solve", EXAMPLE, "-o", tmp_path / "p.json", "--time-limit", "5", "-v", "--json")
    assert r.returncode == 0, r.stderr[-2000:]
    assert "Starting CP-SAT solver" in r.stderr and json.loads(r.stdout)["valid"]  # stdout stays the summary


def test_change_list_speaks_names(tmp_path, example, example_plan):
    raw = example_raw()
    busy = max(example_plan.costs.per_staff, key=lambda c: c.periods_per_week).staff
    next(s for s in raw["staff"] if s["id"] == busy)["max_periods_per_week"] = 0  # absent
    L = load_raw(raw)
    prev = tmp_path / "prev.json"
    prev.write_text(example_plan.to_json(), encoding="utf-8")
    inst = tmp_path / "absent.json"
    inst.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    r = _cli("solve", inst, "--previous", prev, "-o", tmp_path / "new.json", "--time-limit", "10")
    assert r.returncode == 0, r.stdout + r.stderr
    name = example.staff[busy].name
    staff_lines = [x for x in r.stdout.splitlines() if f"{name} →" in x]
    assert staff_lines, r.stdout
    assert all("节：" in x for x in staff_lines)  # "三年级作业辅导 周三第2节：熊老师 → 李老师"
    assert busy not in "\n".join(staff_lines)  # names, not ids
    from models.plan_io import load_plan

    new, _ = load_plan(tmp_path / "new.json")
    en = describe_changes(L, example_plan, new, "en")
    assert en and all("节" not in c.text for c in en)


def test_ctrl_c_writes_the_best_checked_plan(tmp_path):
    out = tmp_path / "p.json"
    p = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cli",
            "solve",
            str(ROOT / "instances/medium-primary-1500.json"),
            "-o",
            str(out),
            "--time-limit",
            "600",
            "--workers",
            "1",
            "--json",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(8)
    p.send_signal(signal.SIGINT)
    stdout, stderr = p.communicate(timeout=120)
    assert p.returncode == EXIT_INTERRUPTED, stderr[-2000:]
    d = json.loads(stdout)
    assert d["interrupted"] and d["valid"], d
    r = _cli("check", ROOT / "instances/medium-primary-1500.json", out)
    assert r.returncode == 0, r.stdout[-2000:]


def test_app_command_serves_the_app(tmp_path):
    import os
    import socket
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "AFTERSCHOOL_DB_URL": f"sqlite:///{tmp_path / 'db.sqlite'}"}
    p = subprocess.Popen(
        [sys.executable, "-m", "cli", "app", "--headless", "--port", str(port), "--address", "127.0.0.1"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        ok = False
        while time.monotonic() < deadline and p.poll() is None:
            try:
                ok = urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2).read() == b"ok"
                break
            except OSError:
                time.sleep(0.3)
        assert ok, p.stdout.read() if p.poll() is not None else "no answer"
    finally:
        p.terminate()
        p.wait(timeout=20)
