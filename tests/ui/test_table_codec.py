"""The data editor's table codec (`ui.table_codec`) without a browser or Streamlit: instance records
to typed DataFrames and back, in the workbook's cell conventions, losing nothing a file would keep."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from models.excel import COLUMNS
from models.load import load_data
from tests.ui.conftest import ROOT
from ui.table_codec import (
    OMIT,
    TABLES,
    blank,
    frame_to_records,
    from_cell,
    join_raw,
    records_to_frame,
    split_raw,
    to_cell,
)

DEMO = ROOT / "instances" / "example.json"


@pytest.fixture(scope="module")
def demo() -> dict:
    return json.loads(DEMO.read_text(encoding="utf-8"))


def test_the_codec_needs_no_streamlit():
    code = "import sys, ui.table_codec; sys.exit('streamlit' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0


def test_the_demo_school_survives_a_round_trip_through_the_tables(demo):
    doc, tables = split_raw(demo)
    assert set(doc) == {"format", "school", "policy", "days"} and set(tables) == set(TABLES)
    assert len(tables["students"]) == len(demo["students"]) and len(tables["pins"]) == 0
    back, problems, rows = join_raw(doc, tables)
    assert problems == []
    assert list(back) == [
        "format",
        "school",
        "policy",
        "days",
        "periods",
        "classes",
        "rooms",
        "courses",
        "staff",
        "institutions",
        "students",
    ]  # a file's order; no empty pins
    last = demo["students"][-1]["id"]
    assert (
        rows["students[S001]"] == 1 and rows["staff[T01]"] == 1 and rows[f"students[{last}]"] == len(demo["students"])
    )
    # null and empty optional fields are left out (they take their defaults): the same instance
    before = load_data(demo, json.dumps(demo).encode(), "demo").instance
    after = load_data(back, json.dumps(back).encode(), "tables").instance
    assert after == before
    for kind in TABLES:
        if kind in demo:
            assert [r["id"] for r in back[kind]] == [r["id"] for r in demo[kind]]  # arrival order kept


def test_tables_to_records_and_back_give_the_same_tables(demo):
    _, tables = split_raw(demo)
    for kind, df in tables.items():
        records, problems, _ = frame_to_records(kind, df)
        assert problems == []
        pd.testing.assert_frame_equal(records_to_frame(kind, records), df)


def test_cells_follow_the_workbook_conventions(demo):
    _, tables = split_raw(demo)
    staff = tables["staff"].iloc[0]
    assert staff["duties"] == "周一 07:40-15:30, 周二 07:40-15:30, 周三 07:40-15:30, 周四 07:40-15:30, 周五 07:40-15:30"
    assert staff["qualifications"] == "calligraphy" and bool(staff["certified"]) is True
    course = tables["courses"].iloc[0]
    assert course["grades"] == "1, 2, 3, 4, 5, 6" and course["period_kinds"] == ["basic"]  # text list; enum list
    assert str(tables["courses"]["sessions_per_week"].dtype) == "Int64"
    assert str(tables["staff"]["pay_per_period"].dtype) == "Float64"
    assert tables["students"]["advanced"].dtype == bool
    duties = COLUMNS["staff"]["duties"]
    assert from_cell(duties, staff["duties"]) == demo["staff"][0]["duties"]
    assert from_cell(COLUMNS["courses"]["grades"], "3, 4") == [3, 4]
    assert from_cell(COLUMNS["courses"]["sessions_per_week"], 5.0) == 5  # a float the editor made, as an int


def test_blank_cells_take_the_default_and_blank_rows_vanish():
    assert blank(None) and blank("  ") and blank(pd.NA) and blank(float("nan"))
    assert not blank(0) and not blank(False) and not blank([]) and not blank("x")
    assert from_cell(COLUMNS["students"]["fee_waiver"], "") is OMIT
    assert from_cell(COLUMNS["students"]["days"], None) == []  # a required list: empty, not left out
    df = records_to_frame("students", [{"id": "S9", "class": "3-1", "days": ["mon"]}, {}])
    assert len(df) == 2
    records, problems, rows = frame_to_records("students", df)
    assert records == [
        {"id": "S9", "class": "3-1", "days": ["mon"], "extended_days": [], "evening_days": [], "advanced": False}
    ]
    assert problems == [] and rows == {"students[S9]": 1}


def test_an_unreadable_cell_is_kept_as_typed_and_named_by_a_problem(demo):
    doc, tables = split_raw(demo)
    courses = tables["courses"].copy()
    courses.loc[1, "grades"] = "3, x"
    raw, problems, rows = join_raw(doc, {**tables, "courses": courses})
    second = demo["courses"][1]["id"]
    assert raw["courses"][1]["grades"] == "3, x"  # kept, so a download loses nothing
    assert [(p.rule, p.record, p.field, p.row, p.severity) for p in problems] == [
        ("FMT-TYPE", f"courses[{second}]", "grades", 2, "error")
    ]
    assert to_cell(COLUMNS["courses"]["grades"], "3, x") == "3, x"  # and shown again as typed
    assert rows[f"courses[{second}]"] == 2


def test_values_of_the_wrong_type_are_shown_not_lost():
    df = records_to_frame("rooms", [{"id": "R1", "capacity": "forty", "unavailable": {"odd": 1}}, "not a record"])
    assert pd.isna(df.loc[0, "capacity"])  # a typed number column shows nothing for text
    assert df.loc[0, "unavailable"] == '{"odd": 1}'  # shown as its JSON text
    assert df.loc[1].isna()["id"]  # a non-record is an empty row
