"""Shared fixtures: the example instance, a small junior school, their valid baseline plans,
and helpers to corrupt a plan or an instance and see what the checker says."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from models.load import Loaded, load_bytes
from models.plan import Plan
from solver.baseline import baseline_plan
from solver.check import check_activities, check_plan

ROOT = Path(__file__).resolve().parents[1]
# The committed copy of ../shared/spec/example-instance.json, so tests run in any clone
# (test_example_copy_is_current checks it still matches when ../shared is there).
EXAMPLE = ROOT / "instances" / "example.json"
SHARED_EXAMPLE = ROOT.parent / "shared" / "spec" / "example-instance.json"


def load_raw(raw: dict, source: str = "test") -> Loaded:
    data = json.dumps(raw, ensure_ascii=False).encode("utf-8")
    return load_bytes(data, source)


def example_raw() -> dict:
    return json.loads(EXAMPLE.read_text(encoding="utf-8"))


def junior_raw() -> dict:
    """The example turned into a junior school with evening study (R6) and late-shift teachers."""
    raw = example_raw()
    raw["school"] = {"id": "xc-demo-junior", "name": "相城示范初中", "stage": "junior"}
    grade_map = {3: 7, 4: 8}
    for c in raw["classes"]:
        c["grade"] = grade_map[c["grade"]]
    for c in raw["courses"]:
        c["grades"] = sorted(
            {grade_map.get(g, g) for g in c["grades"] if g in grade_map}
            | ({7, 8, 9} if c["category"] in ("homework", "care") else set())
        )
    raw["periods"] += [
        {"id": "E1", "start": "19:00", "end": "19:50", "kind": "evening"},
        {"id": "E2", "start": "19:55", "end": "20:30", "kind": "evening"},
    ]
    raw["courses"].append(
        {
            "id": "EVE",
            "name": "晚自习",
            "category": "evening_study",
            "grades": [7, 8, 9],
            "sessions_per_week": 5,
            "periods_per_session": 1,
            "period_kinds": ["evening"],
            "min_size": 1,
            "max_size": 45,
            "max_sections": 20,
            "room_kinds": ["classroom"],
        }
    )
    late = [{"day": d, "start": "10:30", "end": "17:00"} for d in raw["days"]]
    for i in (9, 10, 11):
        raw["staff"].append(
            {
                "id": f"T{i:02d}",
                "name": f"晚班{i}老师",
                "kind": "teacher",
                "subjects": ["chinese"],
                "pay_per_period": 90,
                "max_periods_per_week": 6,
                "max_periods_per_day": 2,
                "duties": late,
            }
        )
    for i, s in enumerate(raw["students"]):
        if i % 4 == 0:
            s["evening_days"] = ["mon", "tue", "thu"]
    return raw


@pytest.fixture(scope="session")
def example() -> Loaded:
    return load_raw(example_raw(), "example")


@pytest.fixture(scope="session")
def example_plan(example) -> Plan:
    plan, violations = baseline_plan(example)
    assert violations == [] and plan.status == "feasible"
    return plan


@pytest.fixture(scope="session")
def junior() -> Loaded:
    return load_raw(junior_raw(), "junior")


@pytest.fixture(scope="session")
def junior_plan(junior) -> Plan:
    plan, violations = baseline_plan(junior)
    assert violations == [], [v.render() for v in violations]
    return plan


def plan_dict(plan: Plan) -> dict:
    return copy.deepcopy(plan.model_dump(mode="json", by_alias=True))


def rules_of(L: Loaded, plan: Plan | dict) -> set[str]:
    """Rule codes of every violation of a (possibly corrupted) plan, its reported numbers included."""
    if isinstance(plan, dict):
        plan = Plan.model_validate(plan)
    return {v.rule for v in check_plan(L, plan).violations}


def activity_rules(L: Loaded, plan: Plan | dict) -> set[str]:
    """Rule codes of the hard-rule violations of the activities alone."""
    if isinstance(plan, dict):
        plan = Plan.model_validate(plan)
    return {v.rule for v in check_activities(L, plan.activities)}


def find(plan: dict, pred: Callable[[dict], bool]) -> dict:
    return next(a for a in plan["activities"] if pred(a))


def at(a: dict, day: str, period: str) -> bool:
    return {"day": day, "period": period} in a["slots"]


def with_instance(raw_change: Callable[[dict], None], base: Callable[[], dict] = example_raw) -> Loaded:
    raw = base()
    raw_change(raw)
    return load_raw(raw)


def slots_of(a: dict) -> list[tuple[str, str]]:
    return [(s["day"], s["period"]) for s in a["slots"]]


def homework_at(plan: dict, L: Loaded, sid: str, day: str, period: str) -> dict:
    """The homework activity a student's class (or grade) has at a slot."""
    st = L.student[sid]
    return find(
        plan,
        lambda a: (
            a["kind"] == "homework"
            and at(a, day, period)
            and any(L.student[x].class_ == st.class_ for x in a["students"])
        ),
    )


def move(plan: dict, sid: str, src: dict, dst: dict) -> None:
    src["students"].remove(sid)
    dst["students"].append(sid)


# ---------------------------------------------------------------------------- the command line


def run_cli(*args, timeout: float = 120, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """`afterschool ARGS` in a fresh process (what a user's shell runs)."""
    return subprocess.run(
        [sys.executable, "-m", "cli", *map(str, args)], capture_output=True, text=True, timeout=timeout, cwd=cwd
    )


def cli_main(capsys, *args) -> tuple[int, str]:
    """`afterschool ARGS` in this process: the exit code and everything printed, never a traceback."""
    from cli import main

    try:
        code = main([str(a) for a in args])
    except SystemExit as exc:  # argparse's own usage errors
        code = exc.code
    out = capsys.readouterr()
    text = out.out + out.err
    assert "Traceback" not in text
    return code, text


@pytest.fixture(scope="module")
def plan_file(tmp_path_factory, example_plan):
    """The example's baseline plan as a file."""
    f = tmp_path_factory.mktemp("plan") / "plan.json"
    f.write_text(example_plan.to_json(), encoding="utf-8")
    return f


# Test files that take minutes (browsers, solver runs at real limits, a wheel build, fuzzing, FET):
# `make test` leaves them out for a quick loop; `make check` and CI run everything.
SLOW = {
    "ui/test_e2e.py",
    "ui/test_e2e_printouts.py",
    "ui/test_access_e2e.py",
    "ui/test_load.py",
    "test_wheel.py",
    "test_fuzz.py",
    "solver/test_district.py",
    "solver/test_floor.py",
    "benchmarks/test_fet.py",
    "benchmarks/test_peers.py",
    "solver/test_optimize.py",
    "instances/test_profiles.py",
    "solver/model/test_bounds_and_search.py",
}


def pytest_collection_modifyitems(config, items):
    tests = ROOT / "tests"
    for item in items:
        if Path(item.fspath).resolve().relative_to(tests).as_posix() in SLOW:
            item.add_marker(pytest.mark.slow)
