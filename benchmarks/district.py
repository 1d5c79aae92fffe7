"""District benchmark (issue 6): a generated 40-school district (~50,000 students) end to end on Dask
with 1 and 2 workers: wall time, the speed-up, peak memory per worker, schools with a valid plan.

    .venv/bin/python -m benchmarks.district                 # generate (if needed) and run both
    .venv/bin/python -m benchmarks.district --time-limit 5 --rounds 2 --workers 1 2

The district goes to `out/bench-district-40/` (git-ignored); results to
`benchmarks/results/district.json` and `benchmarks/results/district.md`. Both runs use a
`LocalCluster` (the same engine; only the number of single-threaded worker processes differs)
and the same per-school limit in CP-SAT deterministic time with one CP-SAT worker, so they solve
the same problems and should give the same plans (the table says whether they did).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import random
import resource
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "out" / "bench-district-40"
RESULTS = ROOT / "benchmarks" / "results"


def sizes(n: int, total: int, seed: int, lo: int = 600, hi: int = 2000) -> list[int]:
    """School sizes between lo and hi summing to about `total`."""
    rng = random.Random(seed)
    raw = [rng.uniform(lo, hi) for _ in range(n)]
    scale = total / sum(raw)
    return [max(lo, min(hi, round(x * scale))) for x in raw]


def ensure_district(schools: int, students: int, seed: int, out: Path) -> Path:
    from instances.district import write_district

    path = out / "district.json"
    stamp = out / "params.json"
    params = {"schools": schools, "students": students, "seed": seed}
    if path.exists() and stamp.exists() and json.loads(stamp.read_text()) == params:
        return path
    t0 = time.perf_counter()
    path = write_district(out, schools, sizes(schools, students, seed), seed)
    stamp.write_text(json.dumps(params))
    print(f"generated {path} in {time.perf_counter() - t0:.1f} s", flush=True)
    return path


def _plan_digest(plan) -> str:
    data = plan.model_dump(mode="json", by_alias=True)
    data.pop("solve_seconds", None)
    return hashlib.sha256(json.dumps(data["activities"], sort_keys=True).encode()).hexdigest()[:16]


def run_once(path: Path, workers: int, time_limit: float, rounds: int, seed: int) -> tuple[dict, dict]:
    from solver.district.load import load_district
    from solver.district.outputs import finish
    from solver.district.run import DaskEngine, Options, run_district

    t0 = time.perf_counter()
    load0 = os.getloadavg()
    LD = load_district(path)
    engine = DaskEngine(workers=workers)
    t_cluster = time.perf_counter() - t0
    try:
        run = run_district(
            LD,
            Options(
                time_limit=time_limit,
                rounds=rounds,
                seed=seed,
                progress=lambda line: print(f"  w{workers} {line}", flush=True),
            ),
            engine=engine,
        )
    finally:
        t1 = time.perf_counter()
        engine.close()
        t_close = time.perf_counter() - t1
    t2 = time.perf_counter()
    _check, report = finish(run)
    t_check = time.perf_counter() - t2
    wall = time.perf_counter() - t0
    s = report["summary"]
    fallbacks = sum(1 for o in run.outcomes.values() if o.result.get("fallback"))
    per_school = {
        sid: {
            "students": len(o.loaded.instance.students) if o.loaded else None,
            "status": o.status,
            "round": o.round,
            "seconds": o.result.get("seconds"),
            "fallback": o.result.get("fallback"),
            "tasks": len(o.history),
        }
        for sid, o in sorted(run.outcomes.items())
    }
    result = {
        "workers": workers,
        "wall_seconds": round(wall, 1),
        "cluster_start_seconds": round(t_cluster, 1),
        "run_seconds": round(run.seconds, 1),
        "check_and_report_seconds": round(t_check, 1),
        "cluster_close_seconds": round(t_close, 1),
        "school_tasks": sum(len(o.history) for o in run.outcomes.values()),
        "task_seconds_sum": round(sum(h["seconds"] or 0 for o in run.outcomes.values() for h in o.history), 1),
        "rounds": [
            {"round": r["round"], "schools_solved": len(r["schools_solved"]), "master": r["master"]} for r in run.rounds
        ],
        "peak_rss_mb_per_worker": run.worker_peaks(),
        "driver_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "schools": s["schools"],
        "schools_valid": s["schools_with_valid_plan"],
        "district_checks_ok": s["district_checks_ok"],
        "all_valid": s["all_valid"],
        "schools_falling_back_to_fcfs": fallbacks,
        "students": s["students"],
        "coverage": s["coverage"],
        "first_choice_rate": s["first_choice_rate"],
        "any_choice_rate": s["any_choice_rate"],
        "shared_people_used": s["shared_people_used"],
        "shared_people_at_several_schools": s["shared_people_at_several_schools"],
        "shared_periods": s["shared_periods"],
        "load_average_before": [round(x, 2) for x in load0],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "per_school": per_school,
    }
    digests = {sid: _plan_digest(o.plan) for sid, o in run.outcomes.items() if o.plan is not None}
    return result, digests


def markdown(data: dict) -> str:
    runs = {r["workers"]: r for r in data["runs"]}
    lines = [
        f"### District benchmark: {data['district']['schools']} schools, {data['district']['students']:,} students "
        f"({data['machine']['cores']} cores)",
        "",
        f"Generated district (`benchmarks/district.py`, seed {data['district']['seed']}; sizes 600–2,000, primary / "
        f"junior / nine-year), per-school limit {data['time_limit']} s (CP-SAT deterministic time, one CP-SAT worker "
        f"per task), {data['rounds']} allocation rounds, Dask `LocalCluster` with single-threaded worker processes.",
        "",
        "| Dask workers | wall time | speed-up | school tasks | Σ task time | peak RSS per worker | "
        "schools with a valid plan | district checks | FCFS fallbacks | load avg (1 min) before → after |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    base = runs[min(runs)]["wall_seconds"]
    for w, r in sorted(runs.items()):
        peaks = ", ".join(f"{mb:.0f} MB" for mb in r["peak_rss_mb_per_worker"].values())
        lines.append(
            f"| {w} | {r['wall_seconds'] / 60:.1f} min ({r['wall_seconds']:.0f} s) | "
            f"{base / r['wall_seconds']:.2f}× | {r['school_tasks']} | {r['task_seconds_sum']:.0f} s | {peaks} | "
            f"{r['schools_valid']}/{r['schools']} | {'pass' if r['district_checks_ok'] else 'FAIL'} | "
            f"{r['schools_falling_back_to_fcfs']} | {r['load_average_before'][0]} → {r['load_average_after'][0]} |"
        )
    same = data.get("identical_plans")
    if same is not None:
        lines += ["", f"Plans identical between the runs: {same['identical']}/{same['compared']} schools."]
    lines += ["", data.get("note", "")]
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--schools", type=int, default=40)
    ap.add_argument("--students", type=int, default=50_000)
    ap.add_argument("--seed", type=int, default=40)
    ap.add_argument("--time-limit", type=float, default=5.0, help="per school (deterministic seconds)")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--results", type=Path, default=RESULTS / "district.json")
    ap.add_argument("--note", default="")
    args = ap.parse_args(argv)

    path = ensure_district(args.schools, args.students, args.seed, args.out)
    data = {
        "benchmark": "district",
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "district": {
            "path": str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path),
            "schools": args.schools,
            "students": args.students,
            "seed": args.seed,
        },
        "time_limit": args.time_limit,
        "rounds": args.rounds,
        "machine": {"cores": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "runs": [],
        "note": args.note,
    }
    import dask
    import distributed
    import ortools

    data["versions"] = {
        "dask": dask.__version__,
        "distributed": distributed.__version__,
        "ortools": ortools.__version__,
    }
    digests = {}
    for w in args.workers:
        print(f"== {w} Dask worker(s) ==", flush=True)
        result, digests[w] = run_once(path, w, args.time_limit, args.rounds, args.seed)
        data["runs"].append(result)
        print(json.dumps({k: v for k, v in result.items() if k != "per_school"}, ensure_ascii=False), flush=True)
    if len(digests) > 1:
        ws = sorted(digests)
        common = set.intersection(*(set(d) for d in digests.values()))
        same = sum(1 for s in common if len({digests[w][s] for w in ws}) == 1)
        data["identical_plans"] = {"compared": len(common), "identical": same}
    runs = {r["workers"]: r for r in data["runs"]}
    data["district"]["students"] = data["runs"][0]["students"]  # as generated (sizes clamped to 600–2,000)
    if 1 in runs and 2 in runs:
        data["speedup_2_vs_1"] = round(runs[1]["wall_seconds"] / runs[2]["wall_seconds"], 2)
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    md = markdown(data)
    args.results.with_suffix(".md").write_text(md, encoding="utf-8")
    print(md)
    return 0


if __name__ == "__main__":  # worker processes are spawned: the guard is required
    raise SystemExit(main())
