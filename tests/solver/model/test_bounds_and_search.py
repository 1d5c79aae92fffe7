"""Issue 13: the bounds hold, our own LNS only moves up and is reproducible, and a staffing
failure is repaired by closing the least valuable section instead of falling back."""

from __future__ import annotations

from functools import cache

import pytest
from ortools.sat.python import cp_model

from instances.profiles import generate_profile
from models.load import dump_instance, load_bytes
from solver import heuristics
from solver.baseline import Baseline
from solver.model import lns, lp_bound, objective, relaxation, sectioning
from solver.model.data import build_problem
from solver.model.run import Settings
from solver.optimize import Options, _repair, _section_value, optimize


@cache
def profile(name: str, seed: int, students: int | None = None):
    return load_bytes(dump_instance(generate_profile(name, seed, students)).encode(), f"{name}-{seed}")


def model_best(L) -> float:
    """The best solution CP-SAT finds for the whole sectioning model (no ceiling added)."""
    P = build_problem(L)
    m, _ = sectioning.build(P, objective.DEFAULT)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_deterministic_time = 10
    assert solver.solve(m) in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    return solver.objective_value


def test_lp_bound_is_above_the_models_solutions(example):
    P = build_problem(example)
    b = lp_bound.bound(P, objective.DEFAULT)
    assert b is not None and b >= model_best(example)


@pytest.mark.parametrize(
    "name,seed,students", [("budget-tight", 1, None), ("junior-2p", 2, 300), ("offsite", 3, 300), ("shortage", 1, 300)]
)
def test_bounds_are_above_every_plan(name, seed, students):
    L = profile(name, seed, students)
    P = build_problem(L)
    lp = lp_bound.bound(P, objective.DEFAULT)
    relax = relaxation.bound(P, objective.DEFAULT, time_limit=10, workers=1)
    plan, _, _ = optimize(L, Options(time_limit=4, workers=1))
    scores = [objective.plan_score(L, plan.activities, objective.DEFAULT)]
    scores += [c.score for c in heuristics.run_all(L, objective.DEFAULT) if c.valid]
    assert lp is not None and lp >= max(scores)
    assert relax is not None and relax >= max(scores)


def lns_run(L, budget: float):
    top = heuristics.best(heuristics.run_all(L, objective.DEFAULT))
    P = build_problem(L, [top.plan.activities])
    m, V = sectioning.build(P, objective.DEFAULT)
    sectioning.add_hints(P, m, V, top.plan.activities)
    start = dict(zip(m.proto.solution_hint.vars, m.proto.solution_hint.values, strict=True))
    best, value, stats, _ = lns.improve(P, m, V, start, top.score, budget, Settings(workers=1, seed=3))
    return m, best, value, top.score, stats


def test_lns_moves_up_to_a_solution_of_the_model_and_is_reproducible():
    L = profile("junior-2p", 1, 250)
    m, best, value, start, stats = lns_run(L, 3.0)
    assert value >= start and stats.iterations > 0
    # the incumbent is a solution of the whole model, with exactly that objective
    fixed = m.clone()
    for k, v in best.items():
        fixed.add(fixed.get_int_var_from_proto_index(k) == v)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.solve(fixed) == cp_model.OPTIMAL and solver.objective_value == value
    _, best2, value2, _, _ = lns_run(L, 3.0)
    assert (value2, best2) == (value, best)  # one worker: the same search every time


def test_repair_closes_the_least_valuable_section_named_in_the_conflict():
    L = profile("budget-tight", 1)
    plan, _, _ = optimize(L, Options(time_limit=3, workers=1))
    P = build_problem(L, [plan.activities])
    m, V = sectioning.build(P, objective.DEFAULT)
    sectioning.add_hints(P, m, V, plan.activities)
    res = sectioning.solve(
        P,
        time_limit=1,
        settings=Settings(workers=1),
        weights=objective.DEFAULT,
        hint=plan.activities,
        fixed_share=1.0,
        lns_share=0,
    )
    sections = res.sections
    value = _section_value(L, sections, objective.DEFAULT)
    named = sorted(value, key=lambda i: value[i])[-3:]  # the three most valuable sections
    core = [sections[i].spec.name for i in named]
    smaller = _repair(L, sections, core, objective.DEFAULT)
    closed = {s.spec.name for s in sections} - {s.spec.name for s in smaller}
    assert len(closed) == 1 and closed.pop() in core  # only a named one, never an innocent one


def test_fcfs_budget_repair_cancels_the_dearest_section_first(example):
    raw = example.instance.to_json_dict()
    raw["policy"]["budget_must_balance"] = True
    b = Baseline(example)
    b.plan_tutoring()
    b.publish_sections()
    b.run_sign_up()
    ledger, _ = b.supervise(merge=False) or b.supervise(merge=True)
    cost = b.cost(ledger)
    sections = [g for gs in b.sections.values() for g in gs]
    dearest = max(sections, key=lambda g: (b.pay(g), -len(g.students), g.id))
    # a subsidy one yuan short of what the plan costs: one section goes, the dearest
    raw["policy"]["subsidy_per_term"] = max(0, cost - b.income() + raw["policy"].get("subsidy_per_term", 0) - 1)
    L = load_bytes(dump_instance(type(example.instance).model_validate(raw)).encode(), "tight")
    tight = Baseline(L)
    assert tight.run() is not None
    budget_cuts = tight.cancelled[len(b.cancelled) :]  # after the minimum-size cancellations both make
    assert budget_cuts and budget_cuts[0] == dearest.id
