"""The record-level differ: records matched by id, fields named, added and removed records."""

from __future__ import annotations

from store.diff import Change, contents, diff_instances, summary
from tests.conftest import example_raw


def test_no_change_and_reordering_is_no_change():
    a = example_raw()
    b = example_raw()
    b["students"].reverse()
    assert diff_instances(a, b) == []
    assert summary([]) == "没有变化"


def test_changed_field_added_and_removed_records():
    a = example_raw()
    b = example_raw()
    b["students"][0]["days"] = ["mon", "tue"]  # S001
    b["staff"] = [s for s in b["staff"] if s["id"] != "T08"]
    b["students"].append({**b["students"][1], "id": "S999"})
    b["policy"]["fee_per_term"] = 400
    b["school"]["name"] = "新名字"
    lines = [c.render() for c in diff_instances(a, b)]
    assert 'students[S001].days: ["mon", "tue", "wed", "thu", "fri"] → ["mon", "tue"]' in lines
    assert any(line.startswith("staff[T08]: 删除") for line in lines)
    assert any(line.startswith("students[S999]: 新增") for line in lines)
    assert "policy.fee_per_term: 300 → 400" in lines
    assert 'school.name: "相城示范小学" → "新名字"' in lines
    assert len(lines) == 5
    assert summary(diff_instances(a, b)) == "school ~1, policy ~1, staff −1, students +1 ~1"
    en = [c.render("en") for c in diff_instances(a, b)]
    assert any(line.startswith("staff[T08]: removed") for line in en)


def test_missing_and_null_are_the_same_and_new_fields_show():
    a = {"students": [{"id": "S1", "fee_waiver": None}]}
    b = {"students": [{"id": "S1"}]}
    assert diff_instances(a, b) == []
    b = {"students": [{"id": "S1", "fee_waiver": "低保"}]}
    assert [c.render() for c in diff_instances(a, b)] == ['students[S1].fee_waiver: — → "低保"']


def test_records_without_usable_ids_and_pins_by_activity():
    a = {"students": [{"class": "3-1"}], "pins": [{"activity": "ROBOT-1", "room": "LAB"}]}
    b = {"students": [{"class": "3-2"}], "pins": [{"activity": "ROBOT-1", "room": "GYM"}]}
    lines = [c.render() for c in diff_instances(a, b)]
    assert lines == ['students[#1].class: "3-1" → "3-2"', 'pins[ROBOT-1].room: "LAB" → "GYM"']


def test_change_round_trip_and_contents():
    c = Change("students[S1].days", "changed", ["mon"], [])
    assert Change.from_dict(c.to_dict()) == c
    assert contents(example_raw()).startswith("periods 3, classes 3")


def test_summary_names_the_tables_in_chinese_for_the_app():
    from store.diff import localize

    stored = "school ~1, policy ~1, staff −1, students +1 ~1"
    assert localize(stored, "zh") == "学校 ~1, 政策 ~1, 教职工 −1, 学生 +1 ~1"
    assert localize(stored, "en") == stored
    assert localize("periods 3, classes 3, students 40", "zh") == "时段 3, 班级 3, 学生 40"
