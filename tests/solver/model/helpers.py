"""Solve a small variation of the example school and check the plan."""

from __future__ import annotations

from collections.abc import Callable

from models.plan import Plan
from solver.check import check_plan
from solver.optimize import Options, optimize
from tests.conftest import example_raw, load_raw


def solve_variant(change: Callable[[dict], None], time_limit: float = 5) -> tuple[object, Plan]:
    raw = example_raw()
    change(raw)
    L = load_raw(raw)
    plan, violations, report = optimize(L, Options(time_limit=time_limit, workers=1, seed=1))
    assert report.fallback is None, report.fallback  # the optimizer's own plan, not the baseline's
    assert plan.status in ("optimal", "feasible") and violations == []
    assert check_plan(L, plan).valid
    return L, plan


def by_id(raw: dict, kind: str, ident: str) -> dict:
    return next(x for x in raw[kind] if x["id"] == ident)


def members(plan: Plan, course: str) -> list[str]:
    return [s for a in plan.activities if a.course == course for s in a.students]
