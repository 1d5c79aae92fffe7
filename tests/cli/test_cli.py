"""The command line as a user runs it: exit codes 0/1/2, every problem listed, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import EXAMPLE, example_raw


def run(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cli", *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=300
    )


def no_traceback(r: subprocess.CompletedProcess) -> None:
    assert "Traceback" not in r.stdout + r.stderr


def test_validate_example_ok():
    r = run("validate", EXAMPLE)
    assert r.returncode == 0, r.stdout
    assert "有效 valid" in r.stdout and "R13" in r.stdout and "R12" in r.stdout  # warnings listed


def test_validate_broken_file_lists_every_problem(tmp_path):
    raw = example_raw()
    raw["students"][0]["class"] = "9-9"
    raw["students"][2]["evening_days"] = ["mon"]
    raw["staff"][0]["pay_per_period"] = 50
    raw["courses"][2]["new_lesson"] = True
    raw["periods"][0]["start"] = "3:30"
    f = tmp_path / "broken.json"
    f.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    r = run("validate", f)
    assert r.returncode == 2
    no_traceback(r)
    for rule, where in [
        ("FMT-REF", "students[S001].class"),
        ("R6", "students[S003].evening_days"),
        ("R19", "staff[T01].pay_per_period"),
        ("R8", "courses[FOOT].new_lesson"),
        ("FMT-TIME", "periods[P1].start"),
    ]:
        assert f"[{rule}]" in r.stdout and where in r.stdout
    assert "5 个错误 errors" in r.stdout
    js = run("validate", f, "--json")
    assert js.returncode == 2
    errors = json.loads(js.stdout)["errors"]
    assert {(e["rule"], e["record"], e["field"]) for e in errors} >= {("R8", "courses[FOOT]", "new_lesson")}


@pytest.mark.parametrize("content", [b"", b"{not json", b"\xff\xfe\x00garbage", b"[]", b"null"])
def test_validate_garbage_exits_2(tmp_path, content):
    f = tmp_path / "x.json"
    f.write_bytes(content)
    r = run("validate", f)
    assert r.returncode == 2
    no_traceback(r)


def test_missing_file_and_folder_exit_2(tmp_path):
    for path in (tmp_path / "nope.json", tmp_path):
        r = run("validate", path)
        assert r.returncode == 2 and "FMT-FILE" in r.stdout
        no_traceback(r)


def test_baseline_then_check(tmp_path):
    plan = tmp_path / "plan.json"
    r = run("baseline", EXAMPLE, "-o", plan)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "第一志愿 first choice" in r.stdout
    r = run("check", EXAMPLE, plan)
    assert r.returncode == 0 and "方案有效 plan is valid" in r.stdout
    # corrupt it: a student goes missing from every activity
    data = json.loads(plan.read_text(encoding="utf-8"))
    for a in data["activities"]:
        if "S001" in a["students"]:
            a["students"].remove("S001")
    plan.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    r = run("check", EXAMPLE, plan)
    assert r.returncode == 1 and "[R2]" in r.stdout and "S001" in r.stdout
    no_traceback(r)
    js = run("check", EXAMPLE, plan, "--json")
    assert js.returncode == 1 and not json.loads(js.stdout)["valid"]


def test_check_unreadable_plan_exits_2(tmp_path):
    bad = tmp_path / "plan.json"
    bad.write_text('{"format": "afterschool-plan/1", "activities": [{"id": "A1", "room": 5}]}', encoding="utf-8")
    r = run("check", EXAMPLE, bad)
    assert r.returncode == 2 and "activities[A1]" in r.stdout and "FMT-" in r.stdout
    no_traceback(r)


def test_baseline_on_impossible_instance_exits_1(tmp_path):
    raw = example_raw()
    for st in raw["staff"]:
        st["max_periods_per_week"] = 0  # nobody may serve
    f = tmp_path / "i.json"
    f.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    r = run("baseline", f, "-o", tmp_path / "p.json")
    assert r.returncode == 1
    no_traceback(r)
    plan = json.loads((tmp_path / "p.json").read_text(encoding="utf-8"))
    assert plan["status"] == "unknown"  # never written as valid


def test_schema_prints_json_schema():
    for which in ("instance", "plan"):
        r = run("schema", which)
        assert r.returncode == 0
        schema = json.loads(r.stdout)
        assert schema["additionalProperties"] is False
    inst = json.loads(run("schema", "instance").stdout)
    assert "class" in inst["$defs"]["Student"]["properties"]


@pytest.mark.parametrize(
    "args", [[], ["frobnicate"], ["check", "only-one"], ["generate", "--kind", "castle"], ["schema", "timetable"]]
)
def test_usage_errors_exit_2(args):
    r = run(*args)
    assert r.returncode == 2
    no_traceback(r)


@pytest.mark.parametrize(
    "cmd", ["validate", "check", "baseline", "generate", "template", "schema", "convert", "import-students"]
)
def test_help_explains_each_command(cmd):
    r = run(cmd, "--help")
    assert r.returncode == 0 and len(r.stdout) > 200


def test_db_command_imports_a_scenario_and_lists_its_versions(tmp_path):
    url = f"sqlite:///{tmp_path / 'a.db'}"
    r = run("db", "--url", url, "import", EXAMPLE, "--school", "S1", "--scenario", "秋季", "-m", "first")
    assert r.returncode == 0, r.stderr
    r = run("db", "--url", url, "list", "--school", "S1")
    assert r.returncode == 0 and "秋季" in r.stdout
    r = run("db", "--url", url, "export", "--school", "S1", "--scenario", "1", "-o", tmp_path / "back.json")
    assert r.returncode == 0, r.stderr
    assert json.loads((tmp_path / "back.json").read_text(encoding="utf-8")) == example_raw()
