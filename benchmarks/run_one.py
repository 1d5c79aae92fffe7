"""One benchmark run, in its own process (so its peak RSS is the run's): the baselines and the
optimizer on one instance, every plan checked, written as JSON.

python -m benchmarks.run_one INSTANCE --time-limit 120 --workers 2 --seed 1 --out FILE
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import statistics
import time
from pathlib import Path

import ortools

from models.load import load_instance
from models.plan import Plan
from solver import heuristics
from solver.baseline import baseline_plan
from solver.check import check_plan
from solver.model import objective
from solver.optimize import Options, optimize

CHECKPOINTS = (10, 30, 60, 120, 300)


def quality(L, plan: Plan) -> dict:
    """What a school and a benchmark care about, from a checked plan."""
    m, c = plan.metrics, plan.costs
    placed: dict[str, set[str]] = {}
    for a in plan.activities:
        if a.kind == "elective":
            for s in a.students:
                placed.setdefault(s, set()).add(a.course)
    with_choice = [s for s in L.instance.students if L.kept_choices[s.id] and L.registered[s.id]]
    loads = [x.periods_per_week for x in c.per_staff]
    return {
        "first_choice_rate": m.first_choice_rate,
        "any_choice_rate": m.any_choice_rate,
        "rank_histogram": m.rank_histogram,
        "electives_assigned": m.electives_assigned,
        "students_without_choice": sum(
            1 for s in with_choice if not placed.get(s.id, set()) & set(L.kept_choices[s.id])
        ),
        "sections_open": sum(1 for a in plan.activities if a.kind in ("elective", "tutoring")),
        "sections_cancelled": sum(1 for w in plan.warnings if "取消" in w and ("below minimum" in w or "budget" in w)),
        "staff_used": m.staff_used,
        "external_staff_used": m.external_staff_used,
        "max_load": m.max_staff_load,
        "min_load": m.min_staff_load,
        "load_stdev": round(statistics.pstdev(loads), 3) if loads else 0.0,
        "term_cost": c.staff_pay_per_term,
        "term_income": c.fee_income_per_term + c.subsidy_per_term,
        "balance": c.balance_per_term,
    }


def baselines(L) -> dict:
    out = {}
    for name, seed, method in [
        ("fcfs_file", None, "fcfs"),
        ("fcfs_s1", 1, "fcfs"),
        ("fcfs_s2", 2, "fcfs"),
        ("fcfs_s3", 3, "fcfs"),
        ("boston_s1", 1, "boston"),
        ("boston_s2", 2, "boston"),
        ("boston_s3", 3, "boston"),
    ]:
        t = time.perf_counter()
        plan, _ = baseline_plan(L, seed, method)
        valid = plan.status == "feasible" and check_plan(L, plan).valid
        out[name] = {
            "valid": valid,
            "seconds": round(time.perf_counter() - t, 3),
            **(quality(L, plan) if valid else {}),
        }
    return out


def at(trace: list[dict], seconds: float, ceiling: float | None) -> dict:
    """The preference objective and its proven bound as they stood at `seconds`."""
    seen = [e for e in trace if e["seconds"] <= seconds and e["stage"] in ("students", "sections")]
    if not seen:
        return {"objective": None, "bound": ceiling, "gap": None}
    objective = max(e["objective"] for e in seen)
    bounds = [e["bound"] for e in seen if e["stage"] == "sections"]
    bound = min([*bounds, *([ceiling] if ceiling is not None else [])], default=None)
    gap = abs(bound - objective) / max(1.0, abs(objective)) if bound is not None else None
    return {"objective": objective, "bound": bound, "gap": round(gap, 5) if gap is not None else None}


def run(instance: str, time_limit: float, workers: int, seed: int) -> dict:
    t0 = time.perf_counter()
    L = load_instance(instance)
    load_s = time.perf_counter() - t0
    base = baselines(L)
    cands = heuristics.run_all(L, objective.DEFAULT)
    top = heuristics.best(cands)
    t1 = time.perf_counter()
    plan, _, report = optimize(L, Options(time_limit=time_limit, workers=workers, seed=seed))
    wall = time.perf_counter() - t1
    checked = check_plan(L, plan)
    trace = [
        {"stage": e.stage, "seconds": round(e.seconds, 3), "objective": e.objective, "bound": e.bound}
        for e in report.trace
    ]
    sec = [s for s in report.stages if s["stage"] == "sectioning"]
    staff = [s for s in report.stages if s["stage"] == "staffing"]
    ceiling = sec[-1].get("ceiling") if sec else None
    baseline_stage = report.stages[0] if report.stages else {}
    improved = [e["seconds"] for e in trace if e["stage"] in ("students", "sections")]
    result = {
        "instance": Path(instance).name,
        "family": Path(instance).name.rsplit("-s", 1)[0],
        "set": Path(instance).parent.name if Path(instance).parent.name in ("profiles", "heldout") else "classic",
        "students": len(L.instance.students),
        "time_limit": time_limit,
        "workers": workers,
        "seed": seed,
        "ortools": ortools.__version__,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "load_seconds": round(load_s, 3),
        "wall_seconds": round(wall, 2),
        "status": plan.status,
        "valid": checked.valid and plan.status in ("optimal", "feasible"),
        "fallback": report.fallback,
        "model": {
            "sectioning_variables": sec[-1]["variables"] if sec else None,
            "sectioning_constraints": sec[-1]["constraints"] if sec else None,
            "staffing_variables": staff[-1]["variables"] if staff else None,
        },
        "first_valid_seconds": baseline_stage.get("seconds") if baseline_stage.get("valid") else None,
        "first_improved_seconds": min(improved) if improved else None,
        "checkpoints": {str(c): at(trace, c, ceiling) for c in CHECKPOINTS if c <= time_limit * 1.01},
        "final": {
            "preference": {
                "objective": sec[-1]["objective"] if sec else None,
                "bound": sec[-1]["bound"] if sec else None,
            },
            "cost": {
                "objective": staff[-1]["objective"] if staff else None,
                "bound": staff[-1]["bound"] if staff else None,
            },
        },
        "optimizer": quality(L, plan) if checked.valid else {},
        "baselines": base,
        "trace": trace,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    # issue 13: the optimizer against the best heuristic and the bound on its own objective
    score = objective.plan_score(L, plan.activities, objective.DEFAULT) if checked.valid else None
    bound = sec[-1]["bound"] if sec else None
    best_score = top.score if top is not None else None
    result["preference"] = {
        "optimizer": score,
        "best_heuristic": best_score,
        "bound": bound,
        "best_heuristic_name": top.name if top is not None else None,
        "headroom_captured": round((score - best_score) / (bound - best_score), 3)
        if None not in (score, best_score, bound) and bound > best_score
        else None,
        "gap": round((bound - score) / max(1.0, score), 5) if None not in (score, bound) else None,
    }
    result["heuristics"] = {
        c.name: {
            "valid": c.valid,
            "score": c.score,
            "seconds": round(c.seconds, 3),
            **(
                {
                    "first_choice_rate": c.plan.metrics.first_choice_rate,
                    "any_choice_rate": c.plan.metrics.any_choice_rate,
                    "term_cost": c.plan.costs.staff_pay_per_term,
                }
                if c.valid
                else {}
            ),
        }
        for c in cands
    }
    result["stages"] = report.stages
    for level in result["final"].values():
        if level["objective"] is not None and level["bound"] is not None:
            level["gap"] = round(abs(level["bound"] - level["objective"]) / max(1.0, abs(level["objective"])), 5)
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("instance")
    ap.add_argument("--time-limit", type=float, default=120)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    result = run(args.instance, args.time_limit, args.workers, args.seed)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
