"""Issue 13: the best heuristic is the floor, and every heuristic's plan is a feasible start.

- each constructive planner's valid plan, mapped into the sectioning model as a complete hint,
  is a solution of that model (the model is no stricter than the rules where heuristics go);
- the plan the optimizer writes is never worse than the best heuristic on the documented
  priority order (preferences, then cost, then the highest load), at any time limit and worker count.
"""

from __future__ import annotations

from functools import cache

import pytest
from ortools.sat.python import cp_model

from instances.profiles import generate_profile
from models.load import dump_instance, load_bytes
from solver import heuristics
from solver.check import check_plan
from solver.model import objective, sectioning
from solver.model.data import build_problem
from solver.optimize import Options, optimize


@cache
def profile(name: str, seed: int, students: int | None = None):
    return load_bytes(dump_instance(generate_profile(name, seed, students)).encode(), f"{name}-{seed}")


def hint_is_feasible(L, activities) -> bool:
    P = build_problem(L, [activities])
    m, V = sectioning.build(P, objective.DEFAULT)
    placed = sectioning.add_hints(P, m, V, activities)
    assert placed == sum(1 for a in activities if a.kind in ("elective", "tutoring")), "every section matched"
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.fix_variables_to_their_hinted_value = True
    solver.parameters.max_time_in_seconds = 30
    return solver.solve(m) in (cp_model.OPTIMAL, cp_model.FEASIBLE)


@pytest.mark.parametrize("name,seed,students", [("budget-tight", 1, None), ("junior-2p", 2, 300), ("offsite", 3, 300)])
def test_every_heuristic_plan_is_a_feasible_hint(name, seed, students):
    L = profile(name, seed, students)
    candidates = heuristics.run_all(L, objective.DEFAULT)
    assert sum(c.valid for c in candidates) >= 2
    for c in candidates:
        if c.valid:
            assert hint_is_feasible(L, c.plan.activities), c.name


def test_example_heuristics_are_feasible_hints(example):
    for c in heuristics.run_all(example, objective.DEFAULT):
        assert c.valid and hint_is_feasible(example, c.plan.activities), c.name


@pytest.mark.parametrize("workers,limit", [(1, 0.5), (1, 4), (2, 2)])
def test_written_plan_never_worse_than_the_best_heuristic(workers, limit):
    L = profile("junior-2p", 1, 250)
    plan, violations, report = optimize(L, Options(time_limit=limit, workers=workers, seed=1))
    assert plan.status in ("optimal", "feasible") and not violations and check_plan(L, plan).valid
    # every planner with one worker; with two, those started within a fifth of the limit (the report names them)
    ran = {"fcfs"} | {
        s["stage"].removeprefix("heuristic ") for s in report.stages if s["stage"].startswith("heuristic ")
    }
    if workers == 1:
        assert ran == {name for name, *_ in heuristics.PLANNERS}
    top = heuristics.best([c for c in heuristics.run_all(L, objective.DEFAULT) if c.name in ran])
    assert heuristics.plan_key(L, plan, objective.DEFAULT) >= top.key


def test_no_cost_cap_by_default():
    assert Options().cost_cap is False
