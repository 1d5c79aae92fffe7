"""formats.md "What loading warns about": the instance loads, the problem is said out loud, and
what it concerns is left out of the optimisation (never silently)."""

from __future__ import annotations

from tests.conftest import example_raw, junior_raw, load_raw


def warned(raw) -> set[tuple[str, str, str | None]]:
    return {(w.rule, w.record, w.field) for w in load_raw(raw).warnings}


def by_id(raw: dict, kind: str, ident: str) -> dict:
    return next(x for x in raw[kind] if x["id"] == ident)


def test_example_warns_only_about_its_unusable_staff(example):
    assert {(w.rule, w.record) for w in example.warnings} == {("R13", "staff[X04]"), ("R12", "staff[X05]")}
    assert all(w.severity == "warning" and w.message and w.message_en for w in example.warnings)


def test_unusable_staff_are_not_assignable(example):
    assert not example.assignable(example.staff["X04"])  # unapproved institution (R13)
    assert not example.assignable(example.staff["X05"])  # uncertified parent (R12)
    assert example.assignable(example.staff["X03"]) and example.assignable(example.staff["T01"])


def test_short_basic_block_R3_and_early_end_R4():
    raw = example_raw()
    by_id(raw, "periods", "P2")["end"] = "17:00"
    got = warned(raw)
    assert ("R3", "periods", None) in got and ("R4", "periods[P2]", "end") in got


def test_missing_weekday_R3():
    raw = example_raw()
    raw["days"] = ["mon", "tue", "wed", "thu"]
    for s in raw["students"]:
        for f in ("days", "extended_days"):
            s[f] = [d for d in s[f] if d != "fri"]
    assert ("R3", "instance", "days") in warned(raw)


def test_choices_left_out_with_reasons():
    raw = example_raw()
    s = by_id(raw, "students", "S001")  # grade 3
    s["choices"] = ["READ", "HW", "FOOT", "FOOT", "SCI"]  # READ is grade 4 only; HW is not an elective
    by_id(raw, "courses", "SCI")["level"] = "advanced"
    L = load_raw(raw)
    got = {(w.rule, w.field) for w in L.warnings if w.record == "students[S001]"}
    assert got == {("R11", "choices[0]"), ("R11", "choices[1]"), ("R11", "choices[3]"), ("R10", "choices[4]")}
    assert L.kept_choices["S001"] == ["FOOT"]


def test_off_campus_room_too_far_R14():
    raw = example_raw()
    by_id(raw, "rooms", "LIB-XC")["travel_minutes"] = 20  # 2×20 + 30 > 60-minute sessions
    L = load_raw(raw)
    assert ("R14", "rooms[LIB-XC]", "travel_minutes") in {(w.rule, w.record, w.field) for w in L.warnings}
    assert ("READ", "LIB-XC") in L.excluded_course_rooms


def test_off_campus_room_near_enough_is_kept(example):
    assert example.excluded_course_rooms == set()  # 2×15 + 30 = 60 fits a 60-minute period


def test_external_with_violation_record_R12():
    raw = example_raw()
    by_id(raw, "staff", "X01")["violation_record"] = True
    L = load_raw(raw)
    assert ("R12", "staff[X01]", "violation_record") in warned(raw)
    assert not L.assignable(L.staff["X01"])


def test_tutoring_need_no_course_can_meet_R10():
    raw = example_raw()
    by_id(raw, "students", "S001")["tutoring"] = ["english"]
    L = load_raw(raw)
    assert ("R10", "students[S001]", "tutoring") in warned(raw)
    assert ("S001", "english") in L.unmet_tutoring


def test_extended_care_without_basic_that_day_R5():
    raw = example_raw()
    by_id(raw, "students", "S005")["extended_days"] = ["mon"]  # S005 attends tue, wed, fri
    assert ("R5", "students[S005]", "extended_days") in warned(raw)


def test_warnings_do_not_reject_a_junior_school():
    L = load_raw(junior_raw())
    assert all(w.severity == "warning" for w in L.warnings)


def test_example_copy_is_current():
    import pytest

    from tests.conftest import EXAMPLE, SHARED_EXAMPLE

    if not SHARED_EXAMPLE.exists():
        pytest.skip("../shared is not beside this checkout")
    assert EXAMPLE.read_bytes() == SHARED_EXAMPLE.read_bytes()
