"""Holiday care (R7): a generated holiday instance expands into weekly instances that the term's
optimizer solves and the term's checker passes; the same commands solve and check it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from instances.holiday import generate_holiday
from models.holiday import load_holiday
from models.problems import InputRejected
from solver.holiday import week_instance
from tests.conftest import run_cli

ROOT = Path(__file__).resolve().parents[2]


def _cli(*args):
    return run_cli(*args, timeout=300, cwd=ROOT)


@pytest.fixture(scope="module")
def holiday_file(tmp_path_factory):
    f = tmp_path_factory.mktemp("holiday") / "holiday.json"
    r = _cli("generate", "--kind", "holiday", "--students", 150, "--weeks", 2, "--seed", 2, "-o", f)
    assert r.returncode == 0, r.stdout + r.stderr
    return f


def test_week_expansion(holiday_file):
    H = load_holiday(holiday_file)
    assert {p.kind for p in H.periods} == {"morning", "noon", "afternoon"}
    for week in H.weeks:
        raw = week_instance(H, week)
        assert {p["kind"] for p in raw["periods"]} == {"basic"}
        assert {c["id"] for c in raw["classes"]} == {g.id for g in H.groups}
        assert {s["id"] for s in raw["staff"]} == {v.id for v in H.staff if week.id in v.weeks}
        assert {s["id"] for s in raw["students"]} == {c.id for c in H.children if week.id in c.weeks}
        assert raw["policy"]["fee_per_term"] == H.policy.fee_per_week and raw["policy"]["term_weeks"] == 1
        assert any(c["category"] == "homework" for c in raw["courses"])  # supervised group care


def test_solve_and_check_with_the_same_commands(holiday_file, tmp_path):
    plan = tmp_path / "plan.json"
    r = _cli("solve", holiday_file, "-o", plan, "--time-limit", 8, "--workers", 1, "--json")
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    summary = json.loads(r.stdout)
    assert summary["valid_weeks"] == summary["weeks"] == 2
    doc = json.loads(plan.read_text(encoding="utf-8"))
    assert doc["format"] == "afterschool-holiday-plan/1"
    for w in doc["weeks"]:
        p = w["plan"]
        assert p["status"] in ("optimal", "feasible")
        assert p["metrics"]["students_served"] == p["metrics"]["students"] > 0
        assert {c["rule"] for c in p["compliance"] if not c["ok"]} == set()
    r = _cli("check", holiday_file, plan)
    assert r.returncode == 0 and r.stdout.count("方案有效") == 2, r.stdout
    # a child left without supervision in one slot: the checker says so (R2/R21), exit 1
    week = doc["weeks"][0]["plan"]
    a = next(a for a in week["activities"] if a["kind"] == "homework" and a["students"])
    a["students"] = a["students"][1:]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    r = _cli("check", holiday_file, bad)
    assert r.returncode == 1 and "无效" in r.stdout


def test_bad_holiday_file_names_record_and_field(tmp_path):
    d = generate_holiday(60, 1, 1)
    d["children"][0]["group"] = "NOPE"
    d["staff"][0]["weeks"] = ["W9"]
    d["weeks"][0]["start"] = "2027-07-13"  # a Tuesday
    f = tmp_path / "h.json"
    f.write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(InputRejected) as e:
        load_holiday(f)
    where = {(p.record.split("[")[0], p.field) for p in e.value.report.errors}
    assert {("children", "group"), ("staff", "weeks[0]"), ("weeks", "start")} <= where
    r = _cli("validate", f)
    assert r.returncode == 2 and "children[" in r.stdout and "Traceback" not in r.stdout + r.stderr
