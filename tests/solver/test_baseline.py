"""The first-come-first-served baseline behaves like a sign-up platform and returns valid plans."""

from __future__ import annotations

import pytest

from solver.baseline import Baseline, baseline_plan
from solver.check import check_plan
from tests.conftest import example_raw, load_raw


def by_id(raw: dict, kind: str, ident: str) -> dict:
    return next(x for x in raw[kind] if x["id"] == ident)


@pytest.mark.parametrize("seed", [None, 1, 2, 3, 4, 5])
def test_example_valid_in_any_arrival_order(example, seed):
    plan, violations = baseline_plan(example, seed)
    assert violations == [] and plan.status == "feasible"
    assert check_plan(example, plan).valid


def test_first_come_first_served():
    # one seat of robotics: the first student in file order who ranks it first gets it
    raw = example_raw()
    robot = by_id(raw, "courses", "ROBOT")
    robot.update(min_size=1, max_size=1, max_sections=1)
    L = load_raw(raw)
    plan, violations = baseline_plan(L)
    assert violations == []
    section = next(a for a in plan.activities if a.course == "ROBOT")
    first = next(s.id for s in L.instance.students if L.kept_choices[s.id][0] == "ROBOT")
    assert section.students == [first]


def test_section_below_minimum_is_cancelled_and_students_sign_up_again(example):
    plan, _ = baseline_plan(example)
    assert all(a.course != "READ" for a in plan.activities)  # 3 takers < 5: cancelled
    assert any("取消 READ-1" in w for w in plan.warnings)
    readers = [s.id for s in example.instance.students if "READ" in example.kept_choices[s.id]]
    placed = {s for a in plan.activities if a.kind == "elective" for s in a.students}
    assert set(readers) <= placed  # they got another of their choices


def test_homework_merged_within_grade_when_the_budget_requires(example):
    plan, _ = baseline_plan(example)  # the example's budget only balances with merged groups
    merged = [a for a in plan.activities if a.kind == "homework" and a.class_ is None]
    assert merged and plan.costs.balance_per_term >= 0
    raw = example_raw()
    raw["policy"]["subsidy_per_term"] = 200000
    for st in raw["staff"]:
        st["max_periods_per_week"] = 10  # and staff enough for a group per class
    plan2, violations = baseline_plan(load_raw(raw))
    assert violations == []
    merged2 = [a for a in plan2.activities if a.kind == "homework" and a.class_ is None]
    # with money and staff to spare, classes keep their own groups except where a classroom is taken
    classrooms = {r.id for r in example.instance.rooms if r.kind == "classroom"}
    for a in merged2:
        busy = {b.room for b in plan2.activities if b.kind != "homework" and b.slots == a.slots}
        assert busy & classrooms
    assert len(merged2) < len(merged)


def test_off_campus_course_only_where_the_journey_fits():
    # P1 becomes 50 minutes: 2 × 15 travel + 30 at the library no longer fits there (R14)
    raw = example_raw()
    by_id(raw, "periods", "P1")["end"] = "16:20"
    by_id(raw, "periods", "P2")["start"] = "16:20"
    by_id(raw, "courses", "READ")["min_size"] = 1
    for s in raw["students"][26:]:
        s["choices"] = ["READ", *[c for c in s["choices"] if c != "READ"]]
    L = load_raw(raw)
    plan, violations = baseline_plan(L)
    assert violations == []
    read = [a for a in plan.activities if a.course == "READ"]
    assert read and all(s.period == "P2" for a in read for s in a.slots)
    assert all(len(a.staff) >= 2 for a in read)  # escorts off campus


def test_no_valid_plan_is_reported_not_faked():
    raw = example_raw()
    for st in raw["staff"]:
        if st["id"] in ("T04", "T08"):  # the only teachers who can stay until 18:30 (R24)
            st["max_periods_per_week"] = 0
    L = load_raw(raw)
    plan, _ = baseline_plan(L)
    assert plan.status == "unknown"
    assert any("R21/R24/R25" in w or "R5" in w for w in plan.warnings)


def test_no_supervision_course_for_a_grade_is_a_shortfall_not_a_crash():
    raw = example_raw()
    raw["courses"] = [c for c in raw["courses"] if c.get("category") != "homework"]
    base = Baseline(load_raw(raw))
    assert base.run() is None
    assert any("no homework course for grade" in note for note in base.notes)
