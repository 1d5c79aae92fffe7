"""Every constructive planner the project has, run and checked, ranked by the optimizer's own
lexicographic objective (issue 13: the best heuristic is the floor).

The planners are the sign-up platforms' rules (solver/baseline.py): first come, first served in
several arrival orders, and the rank-by-rank lottery (Boston) on the published ("demand") and a
more generous timetable, with several lotteries. Each plan goes through the checker; the best
valid one is where the optimizer starts, and the plan it writes is never worse than it on
`rank_key` — at any time limit and worker count, because the optimizer compares at the end.

Which planners run depends only on the instance (its size), never on the clock, so one worker
stays reproducible.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from models.load import Loaded
from models.plan import Plan
from solver.baseline import baseline_plan
from solver.model import objective

# (name, arrival or lottery seed, method, timetable); the first is the FCFS plan every report compares with
PLANNERS = (
    ("fcfs", None, "fcfs", "demand"),
    ("boston-1", 1, "boston", "demand"),
    ("boston-generous-1", 1, "boston", "generous"),
    ("fcfs-generous", None, "fcfs", "generous"),
    ("fcfs-1", 1, "fcfs", "demand"),
    ("boston-2", 2, "boston", "demand"),
    ("boston-generous-2", 2, "boston", "generous"),
    ("fcfs-2", 2, "fcfs", "demand"),
)
# pupils: each planner takes seconds at a large school, so fewer run there
SIZES = ((1000, 8), (2500, 4), (10**9, 3))


@dataclass
class Candidate:
    name: str
    plan: Plan
    valid: bool
    score: int
    seconds: float

    @property
    def key(self) -> tuple:
        return rank_key(self.score, self.plan)


def rank_key(score: int, plan: Plan) -> tuple:
    """The documented priority order: preferences (a)+(b) first, then term cost (c), then the
    highest load (d). Higher is better."""
    return (score, -round(plan.costs.staff_pay_per_term, 2), -plan.metrics.max_staff_load)


def plan_key(loaded: Loaded, plan: Plan, weights: objective.Weights) -> tuple:
    return rank_key(objective.plan_score(loaded, plan.activities, weights), plan)


def run_all(
    loaded: Loaded, weights: objective.Weights, only_fcfs: bool = False, seconds: float | None = None
) -> list[Candidate]:
    """Every planner's plan, checked (the first is FCFS in file order). `seconds`: stop starting
    new planners after this long (a wall-clock limit: leave it None where runs must be reproducible)."""
    n = next(k for limit, k in SIZES if len(loaded.instance.students) <= limit)
    planners = PLANNERS[:1] if only_fcfs else PLANNERS[:n]
    out: list[Candidate] = []
    t_start = time.perf_counter()
    for name, seed, method, timetable in planners:
        if seconds is not None and out and time.perf_counter() - t_start > seconds:
            break
        t0 = time.perf_counter()
        plan, violations = baseline_plan(loaded, seed, method, timetable)
        valid = plan.status == "feasible" and not violations
        score = objective.plan_score(loaded, plan.activities, weights) if valid else -1
        out.append(Candidate(name, plan, valid, score, time.perf_counter() - t0))
    return out


def best(candidates: list[Candidate]) -> Candidate | None:
    valid = [c for c in candidates if c.valid]
    return max(valid, key=lambda c: c.key) if valid else None
