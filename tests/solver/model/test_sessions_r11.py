"""Sessions and slots (R10/R11): capacity and minimum size bind even where more students would
raise the objective."""

from tests.solver.model.helpers import by_id, members, solve_variant


def test_capacity_caps_a_popular_course():
    def change(raw):
        by_id(raw, "courses", "FOOT").update(max_size=3, max_sections=1, min_size=1)
        for s in raw["students"][:10]:
            s["choices"] = ["FOOT", *[c for c in s["choices"] if c != "FOOT"]]

    _, plan = solve_variant(change)
    assert len(members(plan, "FOOT")) == 3


def test_below_minimum_size_does_not_run():
    def change(raw):
        by_id(raw, "courses", "ROBOT").update(min_size=30)  # more than want it

    _, plan = solve_variant(change)
    assert members(plan, "ROBOT") == []
