"""Issue 14, input: hostile files end in exit 2 with named problems (formats.md "Ranges"),
never a traceback or exit 3; nothing the contract forbids is accepted."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from models.load import dump_instance, load_bytes, parse_json
from models.problems import InputRejected
from tests.conftest import EXAMPLE, cli_main, example_raw


def rejected(raw_or_bytes) -> list[tuple[str, str, str | None]]:
    data = raw_or_bytes if isinstance(raw_or_bytes, bytes) else json.dumps(raw_or_bytes, ensure_ascii=False).encode()
    with pytest.raises(InputRejected) as exc:
        load_bytes(data, "t")
    return [(p.rule, p.record, p.field) for p in exc.value.report.errors]


# ------------------------------------------------------------------ FMT-JSON


@pytest.mark.parametrize(
    "text",
    [
        b"[" * 65 + b"]" * 65,  # deeper than 64
        b"[" * 100_000 + b"]" * 100_000,  # deep enough for a RecursionError in json
        b'{"format": NaN}',
        b'{"format": Infinity}',
        b'{"format": -Infinity}',
        b'{"format": 1e400}',  # overflows to infinity
        b'{"format": ' + b"7" * 5000 + b"}",  # more digits than Python converts
        b'{"format": 1, "format": 2}',
    ],
)
def test_nonstandard_json_is_fmt_json(text, tmp_path, capsys):
    f = tmp_path / "bad.json"
    f.write_bytes(text)
    code, out = cli_main(capsys, "validate", f)
    assert code == 2
    assert "[FMT-JSON]" in out


def test_64_levels_are_fine_65_are_not():
    assert parse_json(b"[" * 64 + b"]" * 64, "t") is not None
    with pytest.raises(InputRejected):
        parse_json(b"[" * 65 + b"]" * 65, "t")


def test_infinite_subsidy_no_longer_passes_r20(tmp_path, capsys):
    text = EXAMPLE.read_text(encoding="utf-8").replace('"budget_must_balance": false', '"budget_must_balance": true')
    raw = json.loads(text)
    raw.setdefault("policy", {})["subsidy_per_term"] = 0
    text = json.dumps(raw, ensure_ascii=False).replace('"subsidy_per_term": 0', '"subsidy_per_term": Infinity')
    f = tmp_path / "inf.json"
    f.write_text(text, encoding="utf-8")
    code, out = cli_main(capsys, "validate", f)
    assert code == 2 and "[FMT-JSON]" in out


# ------------------------------------------------------------------ FMT-VALUE: every range of formats.md

# (where, field, lowest allowed, highest allowed); `where` picks the record in the example.
RANGES = [
    ("classes", "grade", 1, 12),
    ("courses", "sessions_per_week", 1, 7),
    ("courses", "periods_per_session", 1, 12),
    ("courses", "min_size", 0, 1000),
    ("courses", "max_size", 1, 1000),
    ("courses", "max_sections", 0, 10_000),
    ("courses", "staff_per_section", 1, 20),
    ("rooms", "capacity", 0, 10_000),
    ("rooms", "travel_minutes", 0, 600),
    ("staff", "pay_per_period", 0, 10_000),
    ("staff", "max_periods_per_week", 0, 100),
    ("staff", "max_periods_per_day", 0, 24),
    ("students", "electives_per_week", 0, 20),
    ("policy", "basic_block_minutes", 0, 1440),
    ("policy", "evening_max_minutes", 0, 1440),
    ("policy", "max_onsite_minutes", 0, 1440),
    ("policy", "min_rest_minutes", 0, 1440),
    ("policy", "min_venue_minutes", 0, 1440),
    ("policy", "term_weeks", 1, 52),
    ("policy", "subsidy_per_term", 0, 10_000_000_000),
    ("policy", "max_group_size", 1, 1000),
    ("policy", "max_care_group_size", 1, 1000),
    ("policy", "homework_min_periods_per_day", 0, 12),
    ("policy", "tutoring_sessions_per_week", 0, 7),
    ("policy", "offsite_min_staff", 1, 20),
    ("policy", "min_teacher_pay_per_period", 0, 10_000),
]


def _set(raw: dict, where: str, fld: str, value) -> str:
    if where == "policy":
        raw.setdefault("policy", {})[fld] = value
        return "policy"
    rec = raw[where][0]
    rec[fld] = value
    return f"{where}[{rec['id']}]"


@pytest.mark.parametrize(("where", "fld", "lo", "hi"), RANGES, ids=[f"{w}.{f}" for w, f, _, _ in RANGES])
def test_every_range_is_enforced(where, fld, lo, hi):
    for value in (lo - 1, hi + 1, 10**40):
        raw = example_raw()
        record = _set(raw, where, fld, value)
        assert ("FMT-VALUE", record, fld) in rejected(raw), (fld, value)


def test_grades_list_range():
    raw = example_raw()
    raw["courses"][0]["grades"] = [3, 13]
    assert ("FMT-VALUE", f"courses[{raw['courses'][0]['id']}]", "grades[1]") in rejected(raw)


@pytest.mark.parametrize("bad", ["x" * 65, "a\x00b", "tab\there", "line\nbreak", ""])
def test_ids_are_1_to_64_chars_without_control_characters(bad):
    raw = example_raw()
    raw["students"][0]["id"] = bad
    problems = rejected(raw)
    assert any(rule == "FMT-VALUE" and fld == "id" and rec.startswith("students[") for rule, rec, fld in problems)
    # the record is never named with the raw control character in it
    assert all(rec.isprintable() for _, rec, _ in problems)


def test_id_of_64_chars_is_fine():
    raw = example_raw()
    old = raw["rooms"][0]["id"]
    new = "r" * 64
    text = json.dumps(raw, ensure_ascii=False).replace(f'"{old}"', f'"{new}"')
    assert load_bytes(text.encode(), "t").room[new]


@pytest.mark.parametrize("where", ["school", "rooms", "courses", "staff"])
def test_names_at_most_200(where):
    raw = example_raw()
    rec = raw["school"] if where == "school" else raw[where][0]
    rec["name"] = "名" * 200
    load_bytes(json.dumps(raw, ensure_ascii=False).encode(), "t")
    rec["name"] = "名" * 201
    assert any(r[0] == "FMT-VALUE" and r[2] == "name" for r in rejected(raw))


def test_huge_pay_no_longer_reaches_the_optimizer(tmp_path, capsys):
    raw = example_raw()
    raw["staff"][0]["pay_per_period"] = 10**30
    f = tmp_path / "pay.json"
    f.write_text(json.dumps(raw), encoding="utf-8")
    code, out = cli_main(capsys, "solve", f, "-o", tmp_path / "p.json", "--time-limit", "5")
    assert code == 2 and "[FMT-VALUE]" in out and "pay_per_period" in out
    assert not (tmp_path / "p.json").exists()


# ------------------------------------------------------------------ plans and the command line


def _valid_plan(tmp_path) -> Path:
    from models.load import load_instance
    from solver.baseline import baseline_plan

    plan, _ = baseline_plan(load_instance(EXAMPLE))
    p = tmp_path / "plan.json"
    p.write_text(plan.to_json(), encoding="utf-8")
    return p


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity", "1e999"])
@pytest.mark.parametrize("fld", ["objective", "bound"])
def test_check_rejects_a_non_finite_objective(tmp_path, capsys, fld, value):
    p = _valid_plan(tmp_path)
    raw = json.loads(p.read_text(encoding="utf-8"))
    raw[fld] = 12345
    p.write_text(json.dumps(raw).replace(f'"{fld}": 12345', f'"{fld}": {value}'), encoding="utf-8")
    code, out = cli_main(capsys, "check", EXAMPLE, p)
    assert code == 2 and "[FMT-JSON]" in out


def test_plan_model_refuses_non_finite_numbers():
    from pydantic import TypeAdapter, ValidationError

    from models.plan import Number

    for value in (math.nan, math.inf, -math.inf):
        with pytest.raises(ValidationError):
            TypeAdapter(Number).validate_python(value)


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "0", "-1"])
@pytest.mark.parametrize("command", ["solve", "district"])
def test_time_limit_must_be_positive_and_finite(tmp_path, capsys, command, value):
    target = EXAMPLE if command == "solve" else tmp_path / "district.json"
    code, out = cli_main(capsys, command, target, f"--time-limit={value}", "-o", tmp_path / "out")
    assert code == 2 and "time-limit" in out


@pytest.mark.parametrize("command", ["solve", "baseline"])
def test_bad_output_path_fails_before_any_work(tmp_path, capsys, command):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    for bad in (blocker / "plan.json", tmp_path):  # a file as a folder; a folder as the file
        code, out = cli_main(
            capsys, command, EXAMPLE, "-o", bad, *(["--time-limit", "600"] if command == "solve" else [])
        )
        assert code == 2 and "[FMT-FILE]" in out


def test_bad_output_path_export_convert_generate(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    bad = blocker / "x.json"
    plan = _valid_plan(tmp_path)
    for args in (
        ["convert", EXAMPLE, bad],
        ["generate", "--kind", "primary", "--students", "50", "-o", bad],
        ["export", plan, "--instance", EXAMPLE, "--what", "guide-html", "--out", bad],
        ["import-students", EXAMPLE, EXAMPLE, "-o", bad],
    ):
        code, out = cli_main(capsys, *args)
        assert code == 2 and "[FMT-FILE]" in out, args


# ------------------------------------------------------------------ writers keep the contract


def test_dump_instance_leaves_unset_optional_fields_out():
    from models.load import load_instance

    L = load_instance(EXAMPLE)
    text = dump_instance(L.instance)
    assert "previous_plan" not in text and ": null" not in text.replace('"subject": null', "").replace(
        '"level": null', ""
    ).replace('"qualification": null', "").replace('"institution": null', "").replace('"fee_waiver": null', "")
    assert load_bytes(text.encode(), "t").instance == L.instance


def test_pins_are_written_without_nulls():
    raw = example_raw()
    raw["pins"] = [{"activity": "A1", "room": raw["rooms"][0]["id"]}]
    L = load_bytes(json.dumps(raw, ensure_ascii=False).encode(), "t")
    out = json.loads(dump_instance(L.instance))
    assert out["pins"] == [{"activity": "A1", "room": raw["rooms"][0]["id"]}]


def test_legacy_null_previous_plan_still_loads():
    raw = example_raw()
    raw["previous_plan"] = None  # files written before issue 14 carry it
    L = load_bytes(json.dumps(raw, ensure_ascii=False).encode(), "t")
    assert L.instance.previous_plan is None


def test_schema_does_not_allow_null_where_the_spec_does_not(capsys):
    code, out = cli_main(capsys, "schema", "instance")
    assert code == 0
    schema = json.loads(out)
    top = schema["properties"]["previous_plan"]
    assert top.get("type") == "string" and "anyOf" not in top
    pin = schema["$defs"]["Pin"]["properties"]
    for fld in ("staff", "room", "slots", "students"):
        assert "null" not in json.dumps(pin[fld]), fld
