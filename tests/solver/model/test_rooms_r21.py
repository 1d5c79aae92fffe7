"""Rooms (R21, R14): a course needs a room of its kind, open and big enough."""

from tests.solver.model.helpers import by_id, members, solve_variant


def test_room_capacity_caps_the_section():
    def change(raw):
        by_id(raw, "rooms", "ART").update(capacity=4)
        by_id(raw, "courses", "CALLI").update(room_kinds=["art"], min_size=1)

    _, plan = solve_variant(change)
    assert 0 < len(members(plan, "CALLI")) <= 4


def test_closed_room_keeps_the_course_out():
    def change(raw):
        art = by_id(raw, "rooms", "ART")
        art["unavailable"] = [{"day": d, "period": p} for d in raw["days"] for p in ("P1", "P2")]
        by_id(raw, "courses", "CALLI").update(room_kinds=["art"])

    _, plan = solve_variant(change)
    assert members(plan, "CALLI") == []
