"""R14: an off-campus group travels inside its own slots with enough escorts."""

from models.plan import Activity
from solver.check import View, r14_off_campus
from tests.conftest import example_raw, load_raw


def venue_activity(staff: list[str], slots: list[dict]) -> Activity:
    return Activity(
        id="READ-1", course="READ", kind="elective", class_=None, room="LIB-XC", staff=staff, students=[], slots=slots
    )


def test_one_escort_is_not_enough(example):
    act = venue_activity(["T04"], [{"day": "tue", "period": "P1"}])
    assert [v.rule for v in r14_off_campus(View(example, [act]))] == ["R14"]


def test_two_escorts_and_time_for_both_journeys(example):
    act = venue_activity(["T04", "T08"], [{"day": "tue", "period": "P1"}])
    assert list(r14_off_campus(View(example, [act]))) == []


def test_session_too_short_for_the_journeys():
    raw = example_raw()
    next(r for r in raw["rooms"] if r["id"] == "LIB-XC")["travel_minutes"] = 20
    L = load_raw(raw)
    act = venue_activity(["T04", "T08"], [{"day": "tue", "period": "P1"}])
    assert [v.rule for v in r14_off_campus(View(L, [act]))] == ["R14"]
