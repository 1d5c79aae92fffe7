"""Pins of a re-solve, reported metrics, and the plan file contract."""

from models.plan import Plan
from solver.check import check_plan
from tests.conftest import activity_rules, find, plan_dict, rules_of, with_instance


def test_pinned_staff_room_slots_and_students_kept(example_plan):
    a = example_plan.activities[0]
    pin = {
        "activity": a.id,
        "staff": a.staff,
        "room": a.room,
        "slots": [s.model_dump() for s in a.slots],
        "students": a.students[:2],
    }
    L = with_instance(lambda r: r.update(pins=[pin]))
    assert activity_rules(L, example_plan) == set()


def test_pins_broken(example_plan):
    a = example_plan.activities[0]
    other_student = next(s for s in example_plan.activities[-1].students if s not in a.students)
    pins = [
        {"activity": a.id, "room": "R302"},
        {"activity": a.id, "staff": ["T08"]},
        {"activity": a.id, "slots": [{"day": "fri", "period": "P2"}]},
        {"activity": a.id, "students": [other_student]},
        {"activity": "GONE"},
    ]
    L = with_instance(lambda r: r.update(pins=pins))
    from solver.check import View
    from solver.check import pins as pin_check

    assert [v.rule for v in pin_check(View(L, example_plan.activities))] == ["PIN"] * 5


def test_reported_metric_differs(example, example_plan):
    p = plan_dict(example_plan)
    p["metrics"]["first_choice_rate"] = 0.99
    p["metrics"]["rank_histogram"]["1"] += 1
    assert rules_of(example, p) == {"METRICS"}


def test_metrics_recomputed(example, example_plan):
    m = example_plan.metrics
    assert m.students == 40 and m.students_served == 40
    with_choice = [s for s in example.instance.students if example.kept_choices[s.id]]
    placed = {}
    for a in example_plan.activities:
        if a.kind == "elective":
            for s in a.students:
                placed.setdefault(s, set()).add(a.course)
    first = sum(1 for s in with_choice if example.kept_choices[s.id][0] in placed.get(s.id, ()))
    assert m.first_choice_rate == first / len(with_choice)
    assert sum(m.rank_histogram.values()) == m.electives_assigned == sum(len(v) for v in placed.values())
    assert m.electives_requested == sum(
        min(s.electives_per_week, len(example.kept_choices[s.id])) for s in example.instance.students
    )


def test_duplicated_activity_id_and_unknown_references(example, example_plan):
    p = plan_dict(example_plan)
    p["activities"].append(dict(p["activities"][0]))
    find(p, lambda a: a["kind"] == "homework")["room"] = "R999"
    rules = activity_rules(example, p)
    assert {"FMT-ID", "FMT-REF"} <= rules


def test_kind_not_matching_the_course(example, example_plan):
    p = plan_dict(example_plan)
    find(p, lambda a: a["course"] == "FOOT")["kind"] = "tutoring"
    assert "FMT-VALUE" in activity_rules(example, p)


def test_plan_for_another_school_and_missing_compliance(example, example_plan):
    p = plan_dict(example_plan)
    p["instance"]["school"] = "other"
    p["compliance"].pop()
    assert {"FMT-REF", "FMT-VALUE"} <= rules_of(example, p)


def test_edited_instance_is_noted_not_rejected(example_plan):
    L = with_instance(lambda r: r["school"].update(name="改名了"))
    result = check_plan(L, example_plan)
    assert result.valid and any("sha256" in n for n in result.notes)


def test_infeasible_plan_is_not_a_plan(example, example_plan):
    p = plan_dict(example_plan)
    p["status"] = "infeasible"
    assert not check_plan(example, Plan.model_validate(p)).valid
