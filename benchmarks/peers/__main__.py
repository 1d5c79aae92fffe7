"""Both peer suites, one command: `python -m benchmarks.peers [--time-limit 30] [--seeds 3] [--skip-fet]
[--fet-time-limit 120] [--fet-seeds 3] [--fet-tier t1|t2|all] [--fet-workers 1] [--skip-timefold]
[--no-install]`.

Timefold school timetabling (SMALL and LARGE, 1 and 2 workers, several seeds) and the FET
real-school files (`benchmarks/peers/fet/run.py`: fet-cl and CP-SAT side by side, one core each).
The FET suite needs the Debian packages `fet` and `fet-data`: this command installs them with
apt-get when they are missing (as root or through passwordless sudo; `--no-install` to not), and
says so when it cannot. Results: benchmarks/results/peers/{timefold,fet}.{json,md} (the T2 list:
`python -m benchmarks.peers.fet.run --tier t2 --out benchmarks/results/peers/fet-t2.json`).
"""

from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path

from benchmarks.peers import timefold
from benchmarks.peers.fet import run as fet_run

OUT = Path(__file__).resolve().parents[1] / "results" / "peers"


def run_timefold(seeds: int, time_limit: float) -> str:
    rows, runs = [], []
    for name in ("small", "large"):
        data = timefold.load(name)
        for workers in (1, 2):
            results = [timefold.solve(data, time_limit, workers, seed) for seed in range(1, seeds + 1)]
            for r in results:
                runs.append({k: v for k, v in r.items() if k != "assignment"} | {"workers": workers})
            proven = sum(1 for r in results if r.get("proven_optimal"))
            t45 = [r["time_to_45"] for r in results if r.get("time_to_45") is not None]
            tbound = [r["time_to_bound"] for r in results if r.get("time_to_bound") is not None]
            rows.append(
                " | ".join(
                    [
                        f"| {data['name']}",
                        str(workers),
                        str(len(results)),
                        (
                            f"{statistics.median(r.get('soft', 0) for r in results)} "
                            f"(hard {min(r.get('hard', -1) for r in results)})"
                        ),
                        str(results[0].get("relaxation_bound")),
                        f"{proven}/{len(results)}",
                        f"{statistics.median(t45):.2f} s" if t45 else "–",
                        f"{statistics.median(tbound):.2f} s" if tbound else "–",
                        f"{statistics.median(r['seconds'] for r in results):.2f} s |",
                    ]
                )
            )
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "timefold.json").write_text(json.dumps(runs, ensure_ascii=False, indent=1), encoding="utf-8")
    table = "\n".join(
        [
            "| instance | workers | seeds | soft score (median) | proven bound | proven optimal | time to 45 | "
            "time to the bound (the proof) | wall |",
            "|---|---|---|---|---|---|---|---|---|",
            *rows,
            "",
            f"Time limit {time_limit:.0f} s. Timefold's own solver (peers README): 0hard/43–45soft at 30 s, "
            "45 at 120 s, no proof. Soft scores are recomputed by an independent scorer from the assignment.",
        ]
    )
    (OUT / "timefold.md").write_text(table + "\n", encoding="utf-8")
    return table


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--time-limit", type=float, default=30, help="Timefold runs (s)")
    ap.add_argument("--seeds", type=int, default=3, help="Timefold seeds")
    ap.add_argument("--skip-timefold", action="store_true")
    ap.add_argument("--skip-fet", action="store_true")
    ap.add_argument("--fet-time-limit", type=float, default=120, help="fet-cl's limit and ours (s)")
    ap.add_argument("--fet-seeds", type=int, default=3)
    ap.add_argument("--fet-tier", default="t1", choices=["t1", "t2", "all"])
    ap.add_argument("--fet-workers", default="1", help="CP-SAT worker counts for the FET files, e.g. 1,2")
    ap.add_argument("--no-install", action="store_true", help="do not apt-get install fet and fet-data")
    args = ap.parse_args()
    if not args.skip_timefold:
        print(run_timefold(args.seeds, args.time_limit))
    if args.skip_fet:
        return
    if not args.no_install:
        fet_run.install_packages()
    missing = fet_run.missing_packages()
    if missing:
        print(f"FET suite not run: {missing}")
        raise SystemExit(1)
    fet_run.main(
        [
            "--tier",
            args.fet_tier,
            "--time-limit",
            str(args.fet_time_limit),
            "--seeds",
            str(args.fet_seeds),
            "--workers",
            args.fet_workers,
        ]
    )
    print((OUT / "fet.md").read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
