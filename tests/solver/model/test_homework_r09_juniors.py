"""R9 as written (issue 13): primary pupils keep a homework period each day they attend; junior
students may spend every basic period in clubs while their class's homework group is offered daily.
Model (`Problem.allowance`), baseline (`leaves_homework_time`) and the pre-checks share the reading."""

from __future__ import annotations

from models.plan import Activity
from solver.baseline import baseline_plan
from solver.check import check_activities, check_plan
from solver.model.data import build_problem
from solver.model.r09_homework import offer_junior_homework
from solver.model.sectioning import OpenSection
from solver.optimize import Options, optimize
from tests.conftest import example_raw, junior_raw, load_raw


def two_period_science(raw: dict, grades: list[int]) -> None:
    """SCI becomes one two-period session a week (both basic periods), wanted first by everyone."""
    sci = next(c for c in raw["courses"] if c["id"] == "SCI")
    sci.update(periods_per_session=2, sessions_per_week=1, grades=grades, max_size=24, min_size=5)
    for s in raw["students"]:
        s["choices"] = ["SCI", *[c for c in s["choices"] if c != "SCI"]]


def in_course(plan, course: str) -> list[str]:
    return [s for a in plan.activities if a.course == course for s in a.students]


def test_juniors_may_take_a_two_period_course():
    raw = junior_raw()
    two_period_science(raw, [7, 8])
    raw.setdefault("policy", {})["budget_must_balance"] = False  # the small school's budget is not the point here
    L = load_raw(raw)
    P = build_problem(L)
    junior = next(s for s in P.active_students if len(L.registered_slots(s)) >= 2)
    day = junior.days[0]
    assert P.allowance(junior, day) == 2  # both basic periods may go to clubs
    base, violations = baseline_plan(L)
    assert base.status == "feasible" and not violations
    assert in_course(base, "SCI"), "the baseline puts juniors in the two-period course"
    plan, violations, _ = optimize(L, Options(time_limit=5, workers=1))
    assert plan.status in ("optimal", "feasible") and not violations and check_plan(L, plan).valid
    assert in_course(plan, "SCI")


def test_primary_pupils_keep_their_homework_period():
    raw = example_raw()
    two_period_science(raw, [3, 4])
    L = load_raw(raw)
    P = build_problem(L)
    pupil = P.active_students[0]
    assert P.allowance(pupil, pupil.days[0]) == 1
    base, _ = baseline_plan(L)
    plan, violations, _ = optimize(L, Options(time_limit=5, workers=1))
    for p in (base, plan):
        assert not in_course(p, "SCI"), "a two-period session leaves no homework period"
    assert not violations


def test_a_junior_class_keeps_its_homework_group_each_day():
    """Everyone of a grade-7 class on Monday sits in a two-period section: one pupil moves back to
    homework so the class's group is still offered (the checker says R9 otherwise)."""
    raw = junior_raw()
    two_period_science(raw, [7, 8])
    L = load_raw(raw)
    P = build_problem(L)
    sci = next(i for i, sec in enumerate(P.sections) if sec.course.id == "SCI")
    spec = P.sections[sci]
    option = next(o for o in spec.options if {d for d, _ in o.slots} == {"mon"})
    klass = next(c.id for c in L.instance.classes if c.grade == 7)
    cls = [s.id for s in P.active_students if s.class_ == klass and "mon" in s.days]
    assert 5 < len(cls) <= option.cap
    full = [OpenSection(spec, option, cls, [])]
    kept = offer_junior_homework(L, full)
    assert len(kept[0].students) == len(cls) - 1
    # the checker agrees: with everyone in the section the class has no homework on Monday
    acts = [
        Activity(
            id="SCI-1",
            course="SCI",
            kind="elective",
            class_=None,
            slots=[{"day": d, "period": p} for d, p in option.slots],
            room=option.room or "LAB1",
            staff=[],
            students=cls,
        )
    ]
    rules = {v.rule for v in check_activities(L, acts)}
    assert "R9" in rules
