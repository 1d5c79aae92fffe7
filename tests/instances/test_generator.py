"""The instance generator: reproducible, realistic (domain-facts.md), and feasible for the baseline."""

from __future__ import annotations

import time
from collections import Counter
from functools import cache

import pytest

from instances.generator import generate
from models.common import minutes
from models.instance import ELECTIVE
from models.load import Loaded, dump_instance, load_bytes
from solver.baseline import baseline_plan
from solver.check import check_plan

KINDS = ("primary", "junior", "nine_year")


@cache
def loaded(kind: str, n: int, seed: int) -> Loaded:
    text = dump_instance(generate(kind, n, seed))
    return load_bytes(text.encode("utf-8"), f"gen-{kind}-{n}-{seed}")


def grade(L: Loaded, student) -> int:
    return L.klass[student.class_].grade


# --------------------------------------------------------------------------- reproducibility


def test_same_seed_same_bytes_other_seed_other_bytes():
    a = dump_instance(generate("nine_year", 600, 5))
    assert a == dump_instance(generate("nine_year", 600, 5))
    assert a != dump_instance(generate("nine_year", 600, 6))


def test_exact_number_of_students_and_ids():
    inst = loaded("primary", 1234, 2).instance
    assert len(inst.students) == 1234
    assert inst.students[41].id == "S00042"
    assert inst.staff[0].id == "T001"
    assert any(s.id == "X01" for s in inst.staff)
    assert all(c.id == f"{c.grade}-{c.id.split('-')[1]}" for c in inst.classes)


def test_rejects_unknown_kind():
    with pytest.raises(ValueError):
        generate("senior", 300, 1)


# --------------------------------------------------------------------------- realistic properties


@pytest.mark.parametrize("kind", KINDS)
def test_classes_and_grades(kind):
    L = loaded(kind, 1500, 1)
    want = {"primary": set(range(1, 7)), "junior": set(range(7, 10)), "nine_year": set(range(1, 10))}[kind]
    assert {c.grade for c in L.instance.classes} == want
    sizes = Counter(s.class_ for s in L.instance.students)
    for c in L.instance.classes:
        lo, hi = (40, 45) if c.grade <= 6 else (45, 50)  # domain-facts §1, §2
        assert lo <= sizes[c.id] <= hi, (c.id, sizes[c.id])
        assert L.room[c.homeroom].capacity >= min(sizes[c.id], 45)


@pytest.mark.parametrize("kind", KINDS)
def test_registration_and_days(kind):
    L = loaded(kind, 1500, 2)
    students = L.instance.students
    registered = [s for s in students if s.days]
    assert 0.85 <= len(registered) / len(students) <= 0.96  # §4
    five = sum(1 for s in registered if len(s.days) == 5) / len(registered)
    assert abs(five - 0.712) < 0.03  # §4: 71.2% of participants attend all 5 days
    assert all(2 <= len(s.days) <= 5 for s in registered)
    for s in students:
        assert set(s.extended_days) <= set(s.days) and set(s.evening_days) <= set(s.days)
        if not s.days:
            assert not (s.choices or s.tutoring)
        else:
            assert 3 <= len(s.choices) <= 6


@pytest.mark.parametrize("kind", KINDS)
def test_extended_care_and_evening_study(kind):
    L = loaded(kind, 1500, 3)
    inst = L.instance
    primary = [s for s in inst.students if grade(L, s) <= 6]
    kinds = {p.kind for p in inst.periods}
    if primary:
        share = sum(1 for s in primary if s.extended_days) / len(primary)
        assert 0.12 <= share <= 0.18  # §4: ~15% stay to 18:00
        assert "extended" in kinds
    evening = [p for p in inst.periods if p.kind == "evening"]
    if kind == "primary":
        assert not evening
    else:
        assert evening
        assert max(minutes(p.end) for p in evening) <= minutes("20:30")
        assert max(minutes(p.end) for p in evening) - min(minutes(p.start) for p in evening) <= 120
        assert any(s.evening_days for s in inst.students)
    assert all(grade(L, s) >= 7 for s in inst.students if s.evening_days)


@pytest.mark.parametrize("kind", KINDS)
def test_basic_block_and_flexible_hours(kind):
    L = loaded(kind, 1500, 1)
    basic = [p for p in L.instance.periods if p.kind == "basic"]
    first, last = min(minutes(p.start) for p in basic), max(minutes(p.end) for p in basic)
    assert last - first >= 120 and last >= minutes("17:30")  # R3, R4
    teachers = [s for s in L.instance.staff if s.kind == "teacher"]
    starts = [minutes(d.start) for s in teachers for d in s.duties]
    assert all(minutes(d.end) <= first for s in teachers for d in s.duties)
    assert min(starts) >= minutes("07:30")
    if kind != "primary":  # evening duty: late starts (弹性上下班) so the day stays within 600 minutes
        assert any(x >= minutes("10:30") for x in starts)


@pytest.mark.parametrize("kind", KINDS)
def test_staff_ratio_and_mix(kind):
    L = loaded(kind, 1500, 1)
    staff = L.instance.staff
    teachers = [s for s in staff if s.kind == "teacher"]
    ratio = len(L.instance.students) / len(teachers)
    lo, hi = {"primary": (15.5, 17.5), "junior": (11.8, 13.4), "nine_year": (12.5, 16.5)}[kind]  # §2
    assert lo <= ratio <= hi
    assert all(s.pay_per_period >= 70 and s.max_periods_per_day <= 2 for s in teachers)
    serving = [s for s in teachers if s.max_periods_per_week > 0]
    assert 0.84 <= len(serving) / len(teachers) <= 0.96  # §4, §6: 86–95% take part
    assert all(4 <= s.max_periods_per_week <= 10 for s in serving)
    outside = [s for s in staff if s.kind not in ("teacher", "institution_staff")]
    assert outside and all(80 <= s.pay_per_period <= 200 for s in outside if s.certified)
    assert {"coach", "retired_teacher"} <= {s.kind for s in outside}


@pytest.mark.parametrize("kind", KINDS)
def test_catalogue(kind):
    L = loaded(kind, 1500, 2)
    courses = L.instance.courses
    electives = [c for c in courses if c.category in ELECTIVE]
    assert 25 <= len(electives) <= 40  # §5
    assert len({c.category for c in electives}) >= 8
    assert any(c.level == "advanced" for c in electives)
    for c in electives:
        assert 10 <= c.min_size <= 15 and 20 <= c.max_size <= 40 and 1 <= c.sessions_per_week <= 2
    cats = Counter(c.category for c in courses)
    assert cats["homework"] >= 1 and cats["tutoring"] >= 3
    assert (cats["evening_study"] == 1) == (kind != "primary")
    for c in courses:
        if c.category == "tutoring":
            assert c.subject in ("math", "chinese", "english") and c.level == "support" and c.qualification is None
    # popularity skew: some courses are oversubscribed on first choices alone
    first = Counter(L.kept_choices[s.id][0] for s in L.instance.students if L.kept_choices[s.id])
    assert any(first[c.id] > c.max_size * c.max_sections for c in electives)


@pytest.mark.parametrize("kind", KINDS)
def test_flags_and_waivers(kind):
    L = loaded(kind, 1500, 3)
    students = L.instance.students
    waived = [s for s in students if s.fee_waiver]
    assert waived and len(waived) / len(students) < 0.06 and {s.fee_waiver for s in waived} <= {"建档立卡", "低保"}
    assert 0.03 <= sum(1 for s in students if s.tutoring) / len(students) <= 0.10
    assert any(s.advanced for s in students)
    advanced = {c.id for c in L.instance.courses if c.level == "advanced"}
    assert all(s.advanced for s in students if advanced & set(s.choices))


def test_off_campus_venue_suits_a_course():
    for kind in KINDS:
        L = loaded(kind, 1500, 1)
        venues = [r for r in L.instance.rooms if r.off_campus]
        assert len(venues) == 1 and 10 <= venues[0].travel_minutes <= 20
        shortest = min(minutes(p.end) - minutes(p.start) for p in L.instance.periods if p.kind == "basic")
        assert 2 * venues[0].travel_minutes + L.policy.min_venue_minutes <= shortest  # R14
        assert any(venues[0].kind in c.room_kinds for c in L.instance.courses)
        assert not [w for w in L.warnings if w.rule == "R14"]


@pytest.mark.parametrize("kind", KINDS)
def test_only_intended_warnings(kind):
    L = loaded(kind, 1500, 2)
    rules = Counter(w.rule for w in L.warnings)
    assert set(rules) <= {"R2", "R11", "R12", "R13"}, rules
    unregistered = sum(1 for s in L.instance.students if not s.days)
    no_service = [w for w in L.warnings if w.rule == "R2"]  # one summary warning for all of them
    assert len(no_service) == 1 and no_service[0].message_en.startswith(f"{unregistered} students registered for no")
    assert rules["R11"] <= 0.02 * len(L.instance.students)  # a little registration noise
    bad = [i for i in L.instance.institutions if not i.approved or i.violation_record]
    assert bad  # R13: an unapproved or violating institution, with a staff member, warned about
    bad_staff = [s.id for s in L.instance.staff if s.institution in {i.id for i in bad}]
    assert bad_staff and all(any(w.rule == "R13" and s in w.where for w in L.warnings) for s in bad_staff)
    good = [i for i in L.instance.institutions if i.approved and not i.violation_record]
    assert good and any(s.institution == good[0].id for s in L.instance.staff)


# --------------------------------------------------------------------------- feasible by construction


def assert_baseline_valid(L: Loaded):
    plan, violations = baseline_plan(L)
    assert violations == [], [v.render() for v in violations[:5]]
    assert plan.status == "feasible"
    result = check_plan(L, plan)
    assert result.valid, [v.render() for v in result.violations[:5]]
    assert plan.costs.balance_per_term >= 0
    assert plan.metrics.students_served == sum(1 for s in L.instance.students if s.days)
    return plan


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("n", [300, 1500])
@pytest.mark.parametrize("kind", KINDS)
def test_baseline_finds_a_valid_plan(kind, n, seed):
    L = loaded(kind, n, seed)
    assert L.policy.budget_must_balance
    plan = assert_baseline_valid(L)
    assert plan.metrics.any_choice_rate > 0.5


def test_large_school_fast_and_valid():
    t0 = time.perf_counter()
    inst = generate("nine_year", 3000, 4)
    assert time.perf_counter() - t0 < 3.0
    L = load_bytes(dump_instance(inst).encode("utf-8"), "gen-3000")
    assert len(L.instance.students) == 3000
    assert_baseline_valid(L)


def test_cli_generate_writes_a_loadable_file(tmp_path, capsys):
    from cli import main

    out = tmp_path / "gen.json"
    assert main(["generate", "--kind", "junior", "--students", "300", "--seed", "1", "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == dump_instance(generate("junior", 300, 1))
    assert "300" in capsys.readouterr().out
