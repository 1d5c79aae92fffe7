"""The placement core on its own: items with copies (a count) take distinct patterns and share
their resources' clash rules."""

from __future__ import annotations

from ortools.sat.python import cp_model

from solver.placement.core import Item, Option, Placement


def lessons(slots: int, count: int, other: bool = False) -> Placement:
    """`count` copies of one lesson of teacher T in one of `slots` one-hour slots, and optionally a
    single lesson of T as well."""
    opts = [Option(k, k, ((0, k),)) for k in range(slots)]
    items = [Item("copies", opts, resources=("T",), count=count)]
    if other:
        items.append(Item("single", list(opts), resources=("T",)))
    return Placement(cp_model.CpModel(), items).build()


def solve(p: Placement):
    s = cp_model.CpSolver()
    s.parameters.num_workers = 1
    return s, s.solve(p.model)


def test_copies_take_distinct_patterns_and_read_back_in_order():
    p = lessons(slots=4, count=3, other=True)
    s, st = solve(p)
    assert st == cp_model.OPTIMAL
    copies = p.chosen_all(0, s.value)
    single = p.chosen(1, s.value)
    assert len(copies) == 3 and [o.pattern for o in copies] == sorted({o.pattern for o in copies})
    # the teacher's four hours hold the three copies and the single lesson, one each
    assert sorted([o.pattern for o in copies] + [single.pattern]) == [0, 1, 2, 3]


def test_more_copies_than_slots_is_infeasible():
    _, st = solve(lessons(slots=2, count=3))
    assert st == cp_model.INFEASIBLE


def test_optional_copies_may_stay_unplaced():
    p = lessons(slots=2, count=3)
    p.items[0].optional = True
    p = Placement(cp_model.CpModel(), p.items).build()
    s, st = solve(p)
    assert st == cp_model.OPTIMAL and len(p.chosen_all(0, s.value)) <= 2
