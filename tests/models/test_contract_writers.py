"""Issue 14, the contract both ways: every file the project writes reads back under a strict
reading of formats.md — the published JSON Schema (`afterschool schema instance|plan`) and no null
except where formats.md marks a field "(opt, null)" (or a plan's objective, bound, activity class)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from cli import main
from tests.conftest import EXAMPLE
from tests.models.test_excel import STUDENT_ROWS, csv_text

# Paths (with [] for any list index) where formats.md allows null.
NULLABLE = {
    "instance": {
        "courses[].subject",
        "courses[].level",
        "courses[].qualification",
        "staff[].institution",
        "students[].fee_waiver",
    },
    "plan": {"objective", "bound", "activities[].class"},
}


def nulls(value, path: str = "") -> list[str]:
    if value is None:
        return [path]
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in nulls(v, f"{path}.{k}" if path else k)]
    if isinstance(value, list):
        return [p for v in value for p in nulls(v, f"{path}[]")]
    return []


def schema(capsys, which: str) -> dict:
    assert main(["schema", which]) == 0
    return json.loads(capsys.readouterr().out)


def strict_read(capsys, path: Path, which: str) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.validate(data, schema(capsys, which))
    extra = [p for p in nulls(data) if re.sub(r"\[\]", "[]", p) not in NULLABLE[which]]
    assert not extra, f"{path.name}: null at {extra[:5]}"


def test_the_schema_itself_has_no_null_outside_the_spec(capsys):
    inst = schema(capsys, "instance")
    for fld in ("previous_plan",):
        assert "null" not in json.dumps(inst["properties"][fld])
    assert "null" not in json.dumps(inst["$defs"]["Pin"]["properties"])


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("writers")
    table = d / "students.csv"
    table.write_text(csv_text(STUDENT_ROWS), encoding="utf-8")
    out = {
        "convert": d / "convert.json",
        "convert-xlsx-json": d / "back.json",
        "import": d / "import.json",
        "generate": d / "generated.json",
        "baseline": d / "baseline-plan.json",
        "solve": d / "solve-plan.json",
    }
    runs = [
        ["convert", EXAMPLE, out["convert"]],
        ["convert", EXAMPLE, d / "x.xlsx"],
        ["convert", d / "x.xlsx", out["convert-xlsx-json"]],
        ["import-students", EXAMPLE, table, "-o", out["import"]],
        ["generate", "--kind", "junior", "--students", "60", "-o", out["generate"]],
        ["baseline", EXAMPLE, "-o", out["baseline"]],
        ["solve", EXAMPLE, "-o", out["solve"], "--time-limit", "5", "--workers", "1", "--quiet"],
    ]
    for args in runs:
        assert main([str(a) for a in args]) in (0, 1), args
    return out


@pytest.mark.parametrize("name", ["convert", "convert-xlsx-json", "import", "generate"])
def test_instance_writers_keep_the_contract(written, capsys, name):
    strict_read(capsys, written[name], "instance")
    assert "previous_plan" not in written[name].read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["baseline", "solve"])
def test_plan_writers_keep_the_contract(written, capsys, name):
    strict_read(capsys, written[name], "plan")


def test_the_strict_reader_catches_a_null_previous_plan(tmp_path, capsys):
    raw = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    raw["previous_plan"] = None
    f = tmp_path / "old.json"
    f.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(jsonschema.ValidationError):
        strict_read(capsys, f, "instance")
