"""Fuzzing the readers (issue 14): mutate valid instances, plans, workbooks and CSV files; every
outcome is a valid load (exit 0) or a rejection naming its problems (exit 2) — never another
exception (exit 3, a traceback), and nothing the contract forbids is accepted.

Bounded so the suite stays fast: `AFTERSCHOOL_FUZZ_EXAMPLES` examples per target (default 30).
A longer run is a benchmark: `AFTERSCHOOL_FUZZ_EXAMPLES=2000 pytest tests/test_fuzz.py -s`.
The counts (tried / clean / crash / wrongly accepted) are printed at the end of the module and
written to `out/fuzz-counts.json`.

"Wrongly accepted": the loader accepted a document that the published JSON Schema (the strict
reading of formats.md: types, ranges, no unknown fields, no null outside "(opt, null)") rejects.
"""

from __future__ import annotations

import copy
import io
import json
import os
from collections import Counter
from pathlib import Path
from typing import Any

import jsonschema
import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.utils.exceptions import IllegalCharacterError

from models.excel import read_instance_bytes, replace_students, write_instance_workbook
from models.instance import Instance
from models.load import load_bytes, load_instance, parse_json
from models.plan import Plan
from models.plan_io import plan_from_data
from models.problems import InputRejected
from solver.baseline import baseline_plan
from solver.check import check_plan
from tests.conftest import EXAMPLE
from tests.models.test_excel import STUDENT_ROWS, csv_text

EXAMPLES = int(os.environ.get("AFTERSCHOOL_FUZZ_EXAMPLES", "30"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=os.environ.get("AFTERSCHOOL_FUZZ_RANDOM") is None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)
COUNTS: dict[str, Counter] = {}

EXAMPLE_RAW: dict = json.loads(EXAMPLE.read_text(encoding="utf-8"))
LOADED = load_instance(EXAMPLE)
PLAN_RAW: dict = json.loads(baseline_plan(LOADED)[0].to_json())
INSTANCE_SCHEMA = Instance.model_json_schema(by_alias=True)
PLAN_SCHEMA = Plan.model_json_schema(by_alias=True)

HOSTILE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.sampled_from([0, -1, 1, 13, 65, 101, 1441, 10**4 + 1, 10**10 + 1, 2**63, 10**300]),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
    st.sampled_from(
        [
            "",
            "\x00",
            "a\x00b",
            "x" * 65,
            "名" * 201,
            "12:60",
            "25:00",
            "mon",
            "周一",
            "-1",
            "1e999",
            "\u202e",
            "\ufeff",
            "\ud7ff",
        ]
    ),
    st.lists(st.integers(-5, 20), max_size=3),
    st.lists(st.text(max_size=3), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
    st.just([[[[[]]]]]),
)


def _paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix]
    if isinstance(value, dict):
        for k, v in value.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value[:3]):  # the first records of each list are enough
            out += _paths(v, (*prefix, i))
    return out


INSTANCE_PATHS = _paths(EXAMPLE_RAW)[1:]
_RANGED = {
    "grade",
    "grades",
    "sessions_per_week",
    "periods_per_session",
    "min_size",
    "max_size",
    "max_sections",
    "staff_per_section",
    "capacity",
    "travel_minutes",
    "pay_per_period",
    "max_periods_per_week",
    "max_periods_per_day",
    "electives_per_week",
    "id",
    "name",
    "policy",
}
# half the mutations hit a field formats.md gives a range (or an id, a name, the policy)
TARGETED = [p for p in INSTANCE_PATHS if p[-1] in _RANGED or (len(p) == 2 and p[0] == "policy")]
PLAN_PATHS = _paths(PLAN_RAW)[1:]


def _mutate(doc: Any, path: tuple, how: str, value: Any) -> Any:
    doc = copy.deepcopy(doc)
    parent = doc
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    if how == "delete":
        del parent[last]
    elif how == "extra" and isinstance(parent, dict):
        parent[f"{last}_extra"] = value
    elif how == "wrap":
        parent[last] = [parent[last]]
    else:
        parent[last] = value
    return doc


MUTATION = st.tuples(st.sampled_from(["set", "set", "set", "delete", "extra", "wrap"]), HOSTILE)


def _count(target: str, outcome: str) -> None:
    c = COUNTS.setdefault(target, Counter())
    c["tried"] += 1
    c[outcome] += 1


def _named(exc: InputRejected) -> bool:
    """A rejection names its problems: at least one error, each with a rule and a record."""
    return bool(exc.report.errors) and all(p.rule and p.record for p in exc.report.errors)


def _schema_ok(raw: Any, schema: dict) -> bool:
    try:
        jsonschema.validate(raw, schema)
        return True
    except jsonschema.ValidationError:
        return False


# formats.md "Ranges", read independently of the models (so the check is not circular)
RANGES = {
    ("classes", "grade"): (1, 12),
    ("courses", "sessions_per_week"): (1, 7),
    ("courses", "periods_per_session"): (1, 12),
    ("courses", "min_size"): (0, 1000),
    ("courses", "max_size"): (1, 1000),
    ("courses", "max_sections"): (0, 10_000),
    ("courses", "staff_per_section"): (1, 20),
    ("rooms", "capacity"): (0, 10_000),
    ("rooms", "travel_minutes"): (0, 600),
    ("staff", "pay_per_period"): (0, 10_000),
    ("staff", "max_periods_per_week"): (0, 100),
    ("staff", "max_periods_per_day"): (0, 24),
    ("students", "electives_per_week"): (0, 20),
    **{
        ("policy", f): (0, 1440)
        for f in (
            "basic_block_minutes",
            "evening_max_minutes",
            "max_onsite_minutes",
            "min_rest_minutes",
            "min_venue_minutes",
        )
    },
    ("policy", "term_weeks"): (1, 52),
    ("policy", "subsidy_per_term"): (0, 10_000_000_000),
    ("policy", "max_group_size"): (1, 1000),
    ("policy", "max_care_group_size"): (1, 1000),
    ("policy", "homework_min_periods_per_day"): (0, 12),
    ("policy", "tutoring_sessions_per_week"): (0, 7),
    ("policy", "offsite_min_staff"): (1, 20),
    ("policy", "min_teacher_pay_per_period"): (0, 10_000),
}
LISTS = ("periods", "classes", "rooms", "courses", "staff", "institutions", "students")


def spec_violations(raw: dict) -> list[str]:
    """What formats.md's Ranges forbid in an instance document."""
    out = []

    def number(where: str, v: Any, lo: float, hi: float) -> None:
        if isinstance(v, bool) or not isinstance(v, int | float) or not (lo <= v <= hi):
            out.append(f"{where}={v!r}")

    for (kind, fld), (lo, hi) in RANGES.items():
        records = [raw.get("policy") or {}] if kind == "policy" else raw.get(kind) or []
        for r in records:
            if fld in r:
                number(f"{kind}.{fld}", r[fld], lo, hi)
    for c in raw.get("courses") or []:
        for g in c.get("grades") or []:
            number("courses.grades", g, 1, 12)
    for kind in LISTS:
        for r in raw.get(kind) or []:
            ident = r.get("id")
            if not (isinstance(ident, str) and 1 <= len(ident) <= 64 and ident.isprintable()):
                out.append(f"{kind}.id={ident!r}")
            if kind != "students" and kind not in ("periods", "classes") and len(str(r.get("name", ""))) > 200:
                out.append(f"{kind}.name too long")
    if len(str((raw.get("school") or {}).get("name", ""))) > 200:
        out.append("school.name too long")
    return out


def _legacy(raw: Any) -> bool:
    """Nulls the loader tolerates in files written before issue 14 (previous_plan, pin fields)."""
    return isinstance(raw, dict) and (
        raw.get("previous_plan", "") is None
        or any(isinstance(p, dict) and None in p.values() for p in raw.get("pins") or [])
    )


def _load_instance_text(target: str, data: bytes, raw: Any | None) -> None:
    try:
        loaded = load_bytes(data, "fuzz")
    except InputRejected as exc:
        assert _named(exc), exc.report.render()
        _count(target, "clean")  # exit 2 with named problems
        return
    except Exception:
        _count(target, "crash")
        raise
    if raw is not None and ((not _schema_ok(raw, INSTANCE_SCHEMA) and not _legacy(raw)) or spec_violations(raw)):
        _count(target, "wrongly_accepted")
        pytest.fail(f"accepted a document formats.md forbids: {spec_violations(raw)}")
    assert loaded.instance.school.id
    _count(target, "clean")  # exit 0, a valid load


# --------------------------------------------------------------------------- instances


@FUZZ
@given(path=st.one_of(st.sampled_from(TARGETED), st.sampled_from(INSTANCE_PATHS)), mutation=MUTATION)
def test_fuzz_instance_values(path, mutation):
    how, value = mutation
    raw = _mutate(EXAMPLE_RAW, path, how, value)
    _load_instance_text("instance", json.dumps(raw, ensure_ascii=False).encode("utf-8"), raw)


TOKENS = [
    b"NaN",
    b"Infinity",
    b"-Infinity",
    b"1e999",
    b"9" * 400,
    b"[" * 70,
    b"]",
    b"}",
    b",",
    b'"',
    b"\\",
    b'"a": 1, "a": 2',
    b"\x00",
    b"\xff",
    b"null",
    b"true",
    b"-0",
    b"1.5e-400",
]


@FUZZ
@given(pos=st.floats(0, 1), token=st.sampled_from(TOKENS), cut=st.booleans())
def test_fuzz_instance_text(pos, token, cut):
    text = json.dumps(EXAMPLE_RAW, ensure_ascii=False).encode("utf-8")
    at = int(pos * len(text))
    data = text[:at] + token + (b"" if cut else text[at:])
    raw = None
    try:
        raw = parse_json(data, "fuzz")
    except InputRejected:
        pass
    _load_instance_text("instance_text", data, raw)


# --------------------------------------------------------------------------- plans


@FUZZ
@given(path=st.sampled_from(PLAN_PATHS), mutation=MUTATION)
def test_fuzz_plan(path, mutation):
    how, value = mutation
    raw = _mutate(PLAN_RAW, path, how, value)
    data = json.dumps(raw, ensure_ascii=False).encode("utf-8")
    try:
        plan = plan_from_data(parse_json(data, "fuzz"), "fuzz")
    except InputRejected as exc:
        assert _named(exc), exc.report.render()
        _count("plan", "clean")
        return
    except Exception:
        _count("plan", "crash")
        raise
    if not _schema_ok(raw, PLAN_SCHEMA):
        _count("plan", "wrongly_accepted")
        pytest.fail("accepted a plan the schema rejects")
    try:
        check_plan(LOADED, plan)  # `check`: exit 0 or 1, never an exception
    except Exception:
        _count("plan", "crash")
        raise
    _count("plan", "clean")


# --------------------------------------------------------------------------- workbooks and CSV


def _example_book() -> bytes:
    buf = io.BytesIO()
    write_instance_workbook(LOADED.instance, buf)
    return buf.getvalue()


BOOK = _example_book()
CELL_VALUES = st.one_of(
    st.none(),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=10),
    st.sampled_from(["=1+1", "=A1", "周一，周九", "是", "否", "x" * 70, "2026-09-01", "TRUE", "#N/A"]),
)


@FUZZ
@given(
    sheet=st.sampled_from(["学校", "政策", "时段", "班级", "场地", "课程", "教职工", "学生"]),
    row=st.integers(1, 6),
    col=st.integers(1, 12),
    value=CELL_VALUES,
)
def test_fuzz_workbook(sheet, row, col, value):
    wb = openpyxl.load_workbook(io.BytesIO(BOOK))
    try:
        wb[sheet].cell(row=row, column=col, value=value)
    except IllegalCharacterError:  # no workbook can hold it: nothing to read
        return
    buf = io.BytesIO()
    wb.save(buf)
    try:
        read_instance_bytes(buf.getvalue(), "fuzz.xlsx")
        _count("workbook", "clean")
    except InputRejected as exc:
        assert _named(exc), exc.report.render()
        _count("workbook", "clean")
    except Exception:
        _count("workbook", "crash")
        raise


@FUZZ
@given(
    rows=st.lists(
        st.lists(
            st.one_of(st.text(max_size=8), st.sampled_from(["N9", "3-1", "周一", "1", "-3", "是", "\x00", "ROBOT"])),
            max_size=9,
        ),
        max_size=4,
    ),
    keep_header=st.booleans(),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]),
)
def test_fuzz_csv(tmp_path_factory, rows, keep_header, encoding):
    table = tmp_path_factory.mktemp("csv") / "students.csv"
    body = ([STUDENT_ROWS[0]] if keep_header else []) + rows
    try:
        table.write_bytes(csv_text(body).encode(encoding))
    except UnicodeEncodeError:
        return
    try:
        loaded = replace_students(EXAMPLE, table)
    except InputRejected as exc:
        assert _named(exc), exc.report.render()
        _count("csv", "clean")
        return
    except Exception:
        _count("csv", "crash")
        raise
    if not loaded.instance.students:  # a table that wipes every registration is never accepted
        _count("csv", "wrongly_accepted")
        pytest.fail("an empty registration table was accepted")
    _count("csv", "clean")


@pytest.fixture(scope="module", autouse=True)
def _report_counts():
    yield
    total = Counter()
    for c in COUNTS.values():
        total.update(c)
    summary = {
        "examples_per_target": EXAMPLES,
        "targets": {k: dict(v) for k, v in COUNTS.items()},
        "total": {k: total.get(k, 0) for k in ("tried", "clean", "crash", "wrongly_accepted")},
    }
    out = Path(__file__).resolve().parents[1] / "out"
    out.mkdir(exist_ok=True)
    (out / "fuzz-counts.json").write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
    print(f"\nfuzz: {summary['total']}")
