"""formats.md "What loading rejects": one broken file per kind of problem, each named by record,
field and rule; and all problems of a file come back together."""

from __future__ import annotations

import json

import pytest

from models.load import load_bytes
from models.problems import InputRejected
from tests.conftest import example_raw, junior_raw


def problems(raw_or_bytes) -> list:
    data = raw_or_bytes if isinstance(raw_or_bytes, bytes) else json.dumps(raw_or_bytes, ensure_ascii=False).encode()
    with pytest.raises(InputRejected) as exc:
        load_bytes(data, "broken.json")
    return exc.value.report.errors


def only(raw, rule: str, record: str, field: str | None):
    errs = problems(raw)
    found = [(p.rule, p.record, p.field) for p in errs]
    assert (rule, record, field) in found, found
    p = next(p for p in errs if (p.rule, p.record, p.field) == (rule, record, field))
    assert p.message and p.message_en and p.hint and p.hint_en  # Chinese first, English alongside, a hint
    return errs


def by_id(raw: dict, kind: str, ident: str) -> dict:
    return next(x for x in raw[kind] if x["id"] == ident)


def mutate(change, base=example_raw):
    raw = base()
    change(raw)
    return raw


def test_malformed_json_names_line_and_column():
    errs = problems(b'{"format": "afterschool-instance/1",\n "school": {"id": "x",,}}')
    assert errs[0].rule == "FMT-JSON"
    assert "第 2 行" in errs[0].message and "line 2" in errs[0].message_en


def test_duplicate_json_key_would_lose_data():
    errs = problems(b'{"format": "afterschool-instance/1", "format": "afterschool-instance/1"}')
    assert errs[0].rule == "FMT-JSON" and errs[0].field == "format"


def test_unknown_field():
    only(mutate(lambda r: r["students"][1].update(clas="3-1")), "FMT-FIELD", "students[S002]", "clas")


def test_unknown_top_level_field():
    only(mutate(lambda r: r.update(studnets=[])), "FMT-FIELD", "instance", "studnets")


def test_missing_required_field():
    only(mutate(lambda r: r["courses"][2].pop("min_size")), "FMT-FIELD", "courses[FOOT]", "min_size")


def test_missing_required_list():
    only(mutate(lambda r: r.pop("students")), "FMT-FIELD", "instance", "students")


@pytest.mark.parametrize(
    "record,path,value,field",
    [
        ("rooms", (3, "capacity"), "60", "capacity"),
        ("students", (5, "electives_per_week"), 1.5, "electives_per_week"),
        ("rooms", (0, "off_campus"), "false", "off_campus"),
        ("students", (0, "days"), "mon,tue", "days"),
        ("staff", (0, "pay_per_period"), "80元", "pay_per_period"),
    ],
)
def test_wrong_type(record, path, value, field):
    raw = example_raw()
    raw[record][path[0]][path[1]] = value
    rid = raw[record][path[0]]["id"]
    only(raw, "FMT-TYPE", f"{record}[{rid}]", field)


def test_unknown_enum_value():
    only(mutate(lambda r: r["courses"][3].update(category="music")), "FMT-VALUE", "courses[CALLI]", "category")


def test_unknown_day_name():
    only(
        mutate(lambda r: r["staff"][1]["unavailable"][0].update(day="monday")),
        "FMT-VALUE",
        "staff[T02]",
        "unavailable[0].day",
    )


def test_duplicated_id():
    only(mutate(lambda r: r["students"].append(dict(r["students"][0]))), "FMT-ID", "students[S001]", "id")


@pytest.mark.parametrize(
    "change,record,field",
    [
        (lambda r: r["students"][0].update({"class": "3-9"}), "students[S001]", "class"),
        (lambda r: r["students"][0]["choices"].append("CHESS"), "students[S001]", "choices[3]"),
        (lambda r: r["classes"][0].update(homeroom="R999"), "classes[3-1]", "homeroom"),
        (lambda r: by_id(r, "staff", "X04").update(institution="INST-NONE"), "staff[X04]", "institution"),
        (lambda r: r["staff"][0]["classes"].append("9-1"), "staff[T01]", "classes[1]"),
        (lambda r: r["rooms"][3]["unavailable"][0].update(period="P7"), "rooms[GYM]", "unavailable[0].period"),
        (lambda r: r.update(pins=[{"activity": "A1", "room": "NOWHERE"}]), "pins[A1]", "room"),
    ],
)
def test_reference_points_nowhere(change, record, field):
    only(mutate(change), "FMT-REF", record, field)


@pytest.mark.parametrize("value", ["7:40", "24:00", "15.30", "3pm", ""])
def test_malformed_time(value):
    only(mutate(lambda r: r["periods"][0].update(start=value)), "FMT-TIME", "periods[P1]", "start")


def test_period_ending_before_start():
    only(mutate(lambda r: r["periods"][1].update(end="16:00")), "FMT-TIME", "periods[P2]", "end")


def test_duty_ending_before_start():
    only(mutate(lambda r: r["staff"][0]["duties"][0].update(end="07:00")), "FMT-TIME", "staff[T01]", "duties[0].end")


def test_evening_period_at_primary_school_R6():
    only(
        mutate(lambda r: r["periods"].append({"id": "E1", "start": "19:00", "end": "20:00", "kind": "evening"})),
        "R6",
        "periods[E1]",
        "kind",
    )


def test_student_below_grade_7_with_evening_days_R6():
    def change(r):
        r["students"][0]["evening_days"] = ["mon"]

    errs = only(mutate(change), "R6", "students[S001]", "evening_days")
    assert "3" in errs[0].message  # says which grade the pupil is in


def test_evening_longer_than_max_R6():
    def change(r):
        r["periods"].append({"id": "E0", "start": "18:20", "end": "19:00", "kind": "evening"})

    only(mutate(change, junior_raw), "R6", "periods[E2]", "end")


def test_evening_ending_after_latest_end_R6():
    only(mutate(lambda r: r["periods"][-1].update(end="20:45"), junior_raw), "R6", "periods[E2]", "end")


def test_junior_evening_study_is_accepted():
    from tests.conftest import load_raw

    L = load_raw(junior_raw())
    assert any(s.evening_days for s in L.instance.students)


def test_new_lesson_course_R8():
    only(mutate(lambda r: r["courses"][7].update(new_lesson=True)), "R8", "courses[MATH-T]", "new_lesson")


def test_teacher_paid_under_minimum_R19():
    only(mutate(lambda r: r["staff"][2].update(pay_per_period=60)), "R19", "staff[T03]", "pay_per_period")


def test_external_staff_may_be_paid_less_than_teachers():
    from tests.conftest import load_raw

    load_raw(mutate(lambda r: by_id(r, "staff", "X01").update(pay_per_period=50)))  # a coach by agreement (R19)


def test_fee_over_300_R18():
    only(mutate(lambda r: r["policy"].update(fee_per_term=320)), "R18", "policy", "fee_per_term")


def test_waiver_not_in_policy_categories_R18():
    only(mutate(lambda r: r["students"][2].update(fee_waiver="单亲家庭")), "R18", "students[S003]", "fee_waiver")


def test_institution_staff_without_institution_R13():
    only(mutate(lambda r: by_id(r, "staff", "X03").update(institution=None)), "R13", "staff[X03]", "institution")


@pytest.mark.parametrize("field", ["days", "extended_days", "evening_days"])
def test_registered_day_not_a_service_day_R2(field):
    def change(r):
        r["days"] = ["mon", "tue", "wed", "thu"]
        for s in r["students"]:
            for f in ("days", "extended_days", "evening_days"):
                s[f] = [d for d in s[f] if d != "fri"]
        r["students"][0][field] = [*r["students"][0][field], "fri"]

    errs = problems(mutate(change, junior_raw))
    assert [(p.rule, p.record) for p in errs] == [("R2", "students[S001]")]
    assert errs[0].field.startswith(field + "[")


def test_every_problem_of_a_file_in_one_report():
    def change(r):
        r["students"][0]["class"] = "9-9"
        r["students"][1]["days"] = ["mon", "sat"]
        r["students"][3]["fee_waiver"] = "单亲"
        r["students"][4]["extra"] = 1
        r["staff"][0]["pay_per_period"] = 60
        r["staff"][1]["duties"][0]["start"] = "7:40"
        r["courses"][2]["new_lesson"] = True
        r["rooms"].append(dict(r["rooms"][0]))
        r["policy"]["fee_per_term"] = 350
        del r["classes"][2]["grade"]

    errs = problems(mutate(change))
    got = {(p.rule, p.record, p.field) for p in errs}
    assert got == {
        ("FMT-REF", "students[S001]", "class"),
        ("R2", "students[S002]", "days[1]"),
        ("R18", "students[S004]", "fee_waiver"),
        ("FMT-FIELD", "students[S005]", "extra"),
        ("R19", "staff[T01]", "pay_per_period"),
        ("FMT-TIME", "staff[T02]", "duties[0].start"),
        ("R8", "courses[FOOT]", "new_lesson"),
        ("FMT-ID", "rooms[R301]", "id"),
        ("R18", "policy", "fee_per_term"),
        ("FMT-FIELD", "classes[4-1]", "grade"),
    }


def test_a_broken_record_does_not_hide_references_to_it():
    # 3-1 is broken (no grade) but exists: students in 3-1 are not reported as pointing nowhere
    errs = problems(mutate(lambda r: r["classes"][0].pop("grade")))
    assert [(p.rule, p.record) for p in errs] == [("FMT-FIELD", "classes[3-1]")]


def test_record_without_usable_id_is_named_by_position():
    errs = problems(mutate(lambda r: r["students"][6].pop("id")))
    assert ("FMT-FIELD", "students[#7]", "id") in {(p.rule, p.record, p.field) for p in errs}


def test_not_an_object_and_wrong_format_tag():
    assert problems(b"[1, 2]")[0].rule == "FMT-TYPE"
    assert ("FMT-VALUE", "instance", "format") in {
        (p.rule, p.record, p.field) for p in problems(mutate(lambda r: r.update(format="afterschool-plan/1")))
    }


def test_optional_fields_take_documented_defaults():
    from tests.conftest import load_raw

    raw = example_raw()
    del raw["policy"]
    del raw["institutions"]
    for st in raw["staff"]:
        if st["kind"] == "institution_staff":
            st["kind"] = "coach"
            st["institution"] = None
    for s in raw["students"]:
        for key in ("extended_days", "evening_days", "fee_waiver", "electives_per_week", "tutoring", "advanced"):
            s.pop(key)
    L = load_raw(raw)
    pol = L.instance.policy
    assert (pol.off_work_time, pol.fee_per_term, pol.min_teacher_pay_per_period, pol.term_weeks) == (
        "17:30",
        300,
        70,
        18,
    )
    assert (pol.max_group_size, pol.max_care_group_size, pol.max_onsite_minutes, pol.min_rest_minutes) == (
        45,
        30,
        600,
        660,
    )
    assert pol.fee_waiver_categories == ["建档立卡", "低保"] and pol.budget_must_balance is False
    s = L.instance.students[0]
    assert (s.extended_days, s.evening_days, s.fee_waiver, s.electives_per_week, s.tutoring, s.advanced) == (
        [],
        [],
        None,
        1,
        [],
        False,
    )
    assert L.instance.pins == [] and L.instance.previous_plan is None
