"""The FET peer suite: every file of `../shared/peers/fet/t1-files.txt` (then `t2-files.txt`),
solved by FET's own `fet-cl` and by CP-SAT on the placement core with the same time limit (by
default side by side, one core each: fet-cl is single-threaded and CP-SAT runs 1 worker); both
plans scored by the one checker (`checker`).

Per file and seed: FET's time to its (first and only) complete timetable or "not solved";
ours: time to first feasible, soft score at the limit, CP-SAT's proven bound, or "infeasible"
with the conflicting constraints named. A win is a lower checked soft score (a solved file beats
an unsolved one; ties broken by nothing). FET's own "Total soft conflicts" is kept beside our
checker's score of FET's plan, as a cross-check of the checker. With `--fet-verify`, our plan is
also locked into a copy of the file and handed to FET, which must accept it.

Writes `benchmarks/results/peers/fet.json` and `fet.md`; FET's outputs and conversions stay in the
git-ignored `.cache/fet/` (the files are AGPL with real names: no names go into the results).
It installs nothing: without the Debian packages `fet` and `fet-data` it says so and stops.

python -m benchmarks.peers.fet.run [--tier t1|t2|all] [--time-limit 120] [--our-time-limit S]
       [--seeds 1] [--workers 1[,2]] [--sequential] [--only SUBSTRING] [--fet-verify]
       [--out benchmarks/results/peers/fet.json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import ortools

from benchmarks.peers.fet import checker, fetfile, interpret, model, solve, supported

RESULTS = fetfile.ROOT / "benchmarks" / "results" / "peers"
QUIET = [
    "--writetimetablesstatistics=false",
    "--writetimetablesdayshorizontal=false",
    "--writetimetablesdaysvertical=false",
    "--writetimetablestimehorizontal=false",
    "--writetimetablestimevertical=false",
    "--warnsubgroupswiththesameactivities=false",
    "--warnifusingnotperfectconstraints=false",
    "--warnifusingstudentsminhoursdailywithallowemptydays=false",
    "--warnifusinggroupactivitiesininitialorder=false",
    "--htmllevel=0",
]


def fet_version() -> str:
    try:
        out = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "fet"], capture_output=True, text=True, check=False)
        return out.stdout.strip() or "unknown"
    except OSError:
        return "unknown"


def slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name)


def seeds_for(seed: int) -> list[str]:
    """FET's six random-seed components, derived from one integer."""
    return [f"--randomseeds{k}={1000 * (n + 1) + seed}" for n, k in enumerate((10, 11, 12, 20, 21, 22))]


def run_fet(data: fetfile.FetData, path: Path, outdir: Path, time_limit: float, seed: int) -> dict:
    """fet-cl under `timeout` (it can overrun its own limit; SIGTERM makes it write its best
    partial timetable). Exit code 0 on success and time-out alike: the last line of
    logs/result.txt says which."""
    if outdir.exists():
        shutil.rmtree(outdir)
    outdir.mkdir(parents=True)
    cmd = [
        "timeout",
        "-s",
        "TERM",
        "-k",
        "10",
        str(int(time_limit) + 15),
        "fet-cl",
        f"--inputfile={path}",
        f"--outputdir={outdir}",
        f"--timelimitseconds={int(time_limit)}",
        *QUIET,
        *seeds_for(seed),
    ]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t0
    result = outdir / "logs" / "result.txt"
    last = ""
    if result.exists():
        lines = [x for x in result.read_text(encoding="utf-8-sig", errors="replace").splitlines() if x.strip()]
        last = lines[-1].strip() if lines else ""
    stem = path.stem
    solved = last == "Simulation successful"
    folder = outdir / "timetables" / (stem if solved else f"{stem}-highest")
    xml = folder / f"{stem}_activities.xml"
    placement = checker.read_activities(data, xml) if xml.exists() else {}
    reported = re.search(r"Total searching time \(seconds\): (\d+)", proc.stdout)
    fet_soft, fet_broken = checker.soft_total(folder / f"{stem}_soft_conflicts.txt")
    out = {
        "seed": seed,
        "status": "solved" if solved else (last or f"exit {proc.returncode}"),
        "exit_code": proc.returncode,
        "seconds": round(wall, 3),
        "reported_search_seconds": int(reported.group(1)) if reported else None,
        "placed": len(placement),
        "activities": sum(1 for a in data.activities if a.active),
    }
    if solved:
        out["fet_soft_conflicts"] = fet_soft
        out["fet_broken_soft"] = fet_broken
    check = checker.check(data, placement)
    out.update(
        {
            "feasible": check["feasible"],
            "soft": check["soft"] if check["feasible"] else None,
            "checked_soft_any": check["soft"],
            "n_hard": check["n_hard"],
            "hard_violations": check["hard_violations"][:10],
        }
    )
    if solved and fet_soft is not None:
        out["checker_agrees"] = abs(fet_soft - check["soft"]) < 1e-6 and check["feasible"]
    return out


def fet_verify(data: fetfile.FetData, path: Path, placement: dict, workdir: Path, time_limit: float = 60) -> dict:
    """Hand our plan, locked, to FET: it accepts it (and reports its soft conflicts) or not."""
    workdir.mkdir(parents=True, exist_ok=True)
    rooms, _ = interpret.room_choices(data)
    src = fetfile.locked_copy(path, {int(k): tuple(v) for k, v in placement.items()}, workdir / path.name, rooms)
    r = run_fet(data, src, workdir / "out", time_limit, 1)
    return {
        "accepted": r["status"] == "solved",
        "fet_soft_conflicts": r.get("fet_soft_conflicts"),
        "status": r["status"],
        "seconds": r["seconds"],
    }


def run_ours(data: fetfile.FetData, time_limit: float, workers: int, seed: int) -> dict:
    r = solve.solve(data, time_limit=time_limit, workers=workers, seed=seed)
    keep = (
        "workers",
        "seed",
        "status",
        "seconds",
        "build_seconds",
        "time_to_first",
        "time_to_best",
        "objective",
        "bound",
        "feasible",
        "soft",
        "hard_violations",
        "conflict",
        "model",
    )
    out = {k: r[k] for k in keep if k in r}
    out["placement"] = r.get("placement")
    return out


def verdict(ours: dict, theirs: dict) -> str:
    """win / tie / loss for us: a feasible plan beats none; then the lower checked soft score."""
    a = ours.get("soft") if ours.get("feasible") else None
    b = theirs.get("soft") if theirs.get("feasible") else None
    if ours.get("status") == "INFEASIBLE" and b is None:
        return "win"  # proved infeasible where FET found nothing
    if a is None and b is None:
        return "tie"
    if b is None:
        return "win"
    if a is None:
        return "loss"
    if abs(a - b) < 1e-6:
        return "tie"
    return "win" if a < b else "loss"


def median(xs):
    xs = [x for x in xs if x is not None]
    return round(statistics.median(xs), 2) if xs else None


def run_file(name: str, args) -> dict:
    path = fetfile.example_path(name)
    data = fetfile.parse(path)
    entry: dict = {"file": data.name, "tier": args.tier_of.get(name)}
    reasons = supported.unsupported(data)
    if reasons:
        entry["skipped"] = reasons
        return entry
    work = fetfile.CACHE / slug(data.name)
    work.mkdir(parents=True, exist_ok=True)
    m = model.build(data)
    entry["model"] = m.stats
    (work / "conversion.json").write_text(json.dumps(conversion_summary(m), indent=0), encoding="utf-8")
    entry["fet"], entry["ours"] = [], {str(w): [] for w in args.workers}
    for seed in range(1, args.seeds + 1):
        # fet-cl (one thread) runs in its own process while CP-SAT solves here: one core each
        with ThreadPoolExecutor(1) as pool:
            pending = pool.submit(run_fet, data, path, work / f"fet-seed{seed}", args.time_limit, seed)
            ours = {}
            if args.parallel:
                for w in args.workers:
                    ours[w] = run_ours(data, args.our_time_limit, w, seed)
            f = pending.result()
        entry["fet"].append(f)
        print(
            f"  FET seed {seed}: {f['status']} {f['seconds']}s placed {f['placed']}/{f['activities']} "
            f"soft {f['soft']} (FET says {f.get('fet_soft_conflicts')})",
            flush=True,
        )
        for w in args.workers:
            o = ours[w] if w in ours else run_ours(data, args.our_time_limit, w, seed)
            if args.fet_verify and o.get("placement"):
                o["fet_verify"] = fet_verify(data, path, o["placement"], work / f"verify-w{w}-seed{seed}")
            (work / f"ours-w{w}-seed{seed}.json").write_text(json.dumps(o), encoding="utf-8")
            o.pop("placement", None)
            o["verdict"] = verdict(o, f)
            entry["ours"][str(w)].append(o)
            print(
                f"  ours w{w} seed {seed}: {o['status']} first {o.get('time_to_first')}s soft {o.get('soft')} "
                f"bound {o.get('bound')} -> {o['verdict']}"
                + (f" FET-verify {o['fet_verify']}" if "fet_verify" in o else ""),
                flush=True,
            )
    entry["summary"] = summarize(entry)
    return entry


def conversion_summary(converted: model.Model) -> dict:
    """What the converter made of a file (kept in the cache only)."""
    H = len(converted.data.hours)
    return {
        "file": converted.data.name,
        "stats": converted.stats,
        "soft_terms": len(converted.objective),
        "items": [
            {
                "id": a.id,
                "duration": a.duration,
                "resources": len(it.resources),
                "starts": sorted({o.pattern for o in it.options}),
                "rooms": sorted({o.room for o in it.options if o.room}),
                "slots_per_day": H,
            }
            for a, it in zip(converted.acts, converted.core.items, strict=True)
        ],
    }


def summarize(entry: dict) -> dict:
    f = entry["fet"]
    s = {
        "fet_solved": sum(1 for r in f if r["feasible"]),
        "runs": len(f),
        "fet_median_seconds": median([r["seconds"] for r in f if r["feasible"]]),
        "fet_median_soft": median([r["soft"] for r in f if r["feasible"]]),
        "fet_best_soft": min((r["soft"] for r in f if r["feasible"]), default=None),
        "fet_own_total": median([r.get("fet_soft_conflicts") for r in f if r["feasible"]]),
        "fet_placed": max((r["placed"] for r in f), default=0),
        "fet_checker_agrees": all(r.get("checker_agrees", True) for r in f),
    }
    for w, runs in entry["ours"].items():
        wins = sum(1 for r in runs if r["verdict"] == "win")
        ties = sum(1 for r in runs if r["verdict"] == "tie")
        losses = sum(1 for r in runs if r["verdict"] == "loss")
        s[f"w{w}"] = {
            "solved": sum(1 for r in runs if r.get("feasible")),
            "infeasible": sum(1 for r in runs if r["status"] == "INFEASIBLE"),
            "median_time_to_first": median([r.get("time_to_first") for r in runs if r.get("feasible")]),
            "median_seconds": median([r.get("seconds") for r in runs]),
            "median_soft": median([r.get("soft") for r in runs if r.get("feasible")]),
            "best_soft": min((r["soft"] for r in runs if r.get("feasible")), default=None),
            "best_bound": max((r["bound"] for r in runs if r.get("bound") is not None), default=None),
            "optimal": sum(1 for r in runs if r["status"] == "OPTIMAL"),
            "wins": wins,
            "ties": ties,
            "losses": losses,
        }
    return s


def fmt(x, nd=2):
    if x is None:
        return "–"
    if isinstance(x, float):
        text = f"{x:.{nd}f}"
        return text.rstrip("0").rstrip(".") if "." in text else text
    return str(x)


def markdown(report: dict) -> str:
    meta = report["meta"]
    workers = [str(w) for w in meta["workers"]]
    ours_limit = meta.get("our_time_limit") or meta["time_limit"]
    side = (
        "fet-cl and CP-SAT ran side by side, one core each"
        if meta.get("parallel", False)
        else "fet-cl and CP-SAT ran one after the other"
    )
    lines = [
        "# FET peer benchmark: FET's real-school example files",
        "",
        f"FET {meta['fet_version']} (`fet-cl`, single-threaded, limit {meta['time_limit']:g} s) vs CP-SAT on the "
        f"placement core (OR-Tools {meta['ortools']}, {', '.join(workers)} worker(s), limit {ours_limit:g} s, "
        f"stopping early when optimality is proven); {side}. Seeds {meta['seeds']} "
        f"({len(meta['seeds'])} per file). Machine: {meta['machine']}. Started {meta['started']}, "
        f"{meta.get('wall_minutes')} min in all. {meta.get('note', '')}",
        "",
        "Scores are FET's soft conflicts (sum of weight/100 over broken constraint instances below 100%), computed "
        "for both plans by the one independent checker (`benchmarks/peers/fet/checker.py`); a plan counts only if "
        'every 100% constraint holds. "FET own" is the total FET itself reports (`*_soft_conflicts.txt`), '
        "a cross-check of the checker. "
        '"first" = seconds to the first feasible plan (FET: wall clock of `fet-cl`, which stops at '
        'its first complete timetable; ours: from reading the file, model building included). "bound" = the '
        "proven lower bound on the soft score (= the score: proven optimal, marked *opt*). W/T/L = our wins/ties/"
        "losses (lower checked soft score wins; a plan beats no plan; a proof of infeasibility beats no plan).",
        "",
    ]
    head = "| file | acts | FET solved | FET first s | FET soft | FET own |"
    rule = "|---|---:|---:|---:|---:|---:|"
    for w in workers:
        head += f" ours{'' if len(workers) == 1 else ' w' + w} first s | soft | bound | wall s | W/T/L |"
        rule += "---:|---:|---:|---:|---:|"
    lines += [head, rule]
    skipped = []
    for e in report["files"]:
        if "skipped" in e:
            skipped.append(e)
            continue
        if "error" in e:
            lines.append(f"| {e['file']} | error: {e['error']} |")
            continue
        s = e["summary"]
        fet_solved = f"{s['fet_solved']}/{s['runs']}"
        if not s["fet_solved"]:
            why = e["fet"][0]["status"] if e["fet"] else ""
            why = (
                'refused the file: "data is wrong"'
                if "data is wrong" in why
                else "time limit"
                if "Time exceeded" in why
                else why
            )
            fet_solved += f" ({why}; {s['fet_placed']}/{e['model']['activities']} placed)"
        row = [
            e["file"].split("/", 1)[-1],
            str(e["model"]["activities"]),
            fet_solved,
            fmt(s["fet_median_seconds"]),
            fmt(s["fet_median_soft"]),
            fmt(s.get("fet_own_total")),
        ]
        for w in workers:
            ws = s.get(f"w{w}")
            if ws is None:
                row += ["", "", "", "", ""]
                continue
            first = (
                "infeasible" if ws["infeasible"] else "no plan" if not ws["solved"] else fmt(ws["median_time_to_first"])
            )
            soft = fmt(ws["median_soft"]) + (" *opt*" if ws["optimal"] == s["runs"] else "")
            row += [
                first,
                soft,
                fmt(ws["best_bound"]),
                fmt(ws["median_seconds"], 1),
                f"{ws['wins']}/{ws['ties']}/{ws['losses']}",
            ]
        lines.append("| " + " | ".join(row) + " |")
    tot = report.get("totals", {})
    if tot:
        lines += ["", "## Totals", ""] + [f"- {k}: {v}" for k, v in tot.items()]
    conflicts = [
        (e["file"], r["conflict"])
        for e in report["files"]
        if "ours" in e
        for runs in e["ours"].values()
        for r in runs
        if r.get("conflict")
    ]
    if conflicts:
        lines += ["", "## Proved infeasible: the constraints in conflict", ""]
        done = set()
        for name, c in conflicts:
            if name in done:
                continue
            done.add(name)
            lines.append(
                f"- {name}: {', '.join(c.get('constraints', [])) or c.get('note')}"
                f" ({'minimal' if c.get('minimal') else 'not minimised'}; {c.get('note', '')})"
            )
    if skipped:
        lines += ["", "## Skipped (a constraint the converter cannot express)", ""]
        lines += [f"- {e['file']}: {', '.join(e['skipped'])}" for e in skipped]
    return "\n".join(lines) + "\n"


def totals(report: dict) -> dict:
    files = report["files"]
    done = [e for e in files if "summary" in e]
    out = {
        "files": f"{len(files)} ({len(done)} run, {sum(1 for e in files if 'skipped' in e)} skipped, "
        f"{sum(1 for e in files if 'error' in e)} errors)",
        "solved by FET": sum(1 for e in done if e["summary"]["fet_solved"]),
        "FET median seconds to its plan (files it solves)": median([e["summary"]["fet_median_seconds"] for e in done]),
    }
    agree = [e for e in done if e["summary"]["fet_solved"]]
    out["checker agrees with FET's own total"] = (
        f"{sum(1 for e in agree if e['summary']['fet_checker_agrees'])}/{len(agree)}"
    )
    for w in report["meta"]["workers"]:
        key = f"w{w}"
        runs = [e["summary"][key] for e in done if key in e["summary"]]
        out[f"solved by CP-SAT ({w} worker)"] = sum(1 for r in runs if r["solved"])
        out[f"proved infeasible by CP-SAT ({w} worker)"] = sum(1 for r in runs if r["infeasible"])
        out[f"proved optimal by CP-SAT ({w} worker)"] = sum(1 for r in runs if r["optimal"])
        out[f"CP-SAT ({w} worker) median seconds to first feasible (files it solves)"] = median(
            [r["median_time_to_first"] for r in runs]
        )
        out[f"CP-SAT ({w} worker) W/T/L on soft score"] = (
            f"{sum(r['wins'] for r in runs)}/{sum(r['ties'] for r in runs)}/{sum(r['losses'] for r in runs)}"
        )
        both = [e for e in done if e["summary"]["fet_solved"] and e["summary"].get(key, {}).get("solved")]
        faster = sum(1 for e in both if e["summary"][key]["median_time_to_first"] < e["summary"]["fet_median_seconds"])
        out[f"files both solve: CP-SAT ({w} worker) first plan sooner than FET's"] = f"{faster}/{len(both)}"
        out[f"files both solve: median first-plan seconds FET vs CP-SAT ({w} worker)"] = (
            f"{median([e['summary']['fet_median_seconds'] for e in both])} vs "
            f"{median([e['summary'][key]['median_time_to_first'] for e in both])}"
        )
    return out


def lacking_packages() -> list[str]:
    return [pkg for pkg, ok in (("fet", shutil.which("fet-cl")), ("fet-data", fetfile.installed())) if not ok]


def install_packages() -> None:
    """Install the lacking Debian packages with apt-get (as root, or through passwordless sudo);
    says what it runs, and leaves the rest to `missing_packages`."""
    lacking = lacking_packages()
    if not lacking or not shutil.which("apt-get"):
        return
    prefix = [] if os.geteuid() == 0 else (["sudo", "-n"] if shutil.which("sudo") else None)
    if prefix is None:
        return
    for cmd in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", *lacking]):
        print("running:", " ".join(prefix + cmd), flush=True)
        subprocess.run(prefix + cmd, check=False)


def missing_packages() -> str | None:
    """Why the suite cannot run here (None if it can)."""
    lacking = lacking_packages()
    if not lacking:
        return None
    return (
        f"Debian package(s) {' and '.join(lacking)} not installed (no fet-cl or no {fetfile.EXAMPLES}); "
        f"install with: sudo apt-get install -y fet fet-data"
    )


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tier", default="t1", choices=["t1", "t2", "all"])
    ap.add_argument("--time-limit", type=float, default=120, help="fet-cl's limit (and ours unless --our-time-limit)")
    ap.add_argument("--our-time-limit", type=float, default=None)
    ap.add_argument("--seeds", type=int, default=1)
    ap.add_argument("--workers", default="1", help="CP-SAT worker counts to run, e.g. 1,2")
    ap.add_argument(
        "--sequential",
        dest="parallel",
        action="store_false",
        help="run fet-cl and CP-SAT one after the other (default: side by side, one core each)",
    )
    ap.add_argument("--only", action="append", default=[], help="run files whose name contains this")
    ap.add_argument("--fet-verify", action="store_true", help="also hand our plans, locked, to FET")
    ap.add_argument("--note", default="")
    ap.add_argument("--out", default=str(RESULTS / "fet.json"))
    ap.add_argument("--report-only", action="store_true", help="rewrite the .md from the .json (and --note)")
    args = ap.parse_args(argv)
    if args.report_only:
        out = Path(args.out)
        report = json.loads(out.read_text(encoding="utf-8"))
        if args.note:
            report["meta"]["note"] = args.note
        report["totals"] = totals(report)
        out.write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")
        out.with_suffix(".md").write_text(markdown(report), encoding="utf-8")
        return
    missing = missing_packages()
    if missing:
        raise SystemExit(f"FET suite not run: {missing}")
    args.workers = [int(w) for w in args.workers.split(",")]
    if args.our_time_limit is None:
        args.our_time_limit = args.time_limit
    tiers = ["t1", "t2"] if args.tier == "all" else [args.tier]
    names, args.tier_of = [], {}
    for t in tiers:
        for n in fetfile.file_list(t):
            if not args.only or any(s in n for s in args.only):
                names.append(n)
                args.tier_of[n] = t
    t0 = time.time()
    report = {
        "meta": {
            "fet_version": fet_version(),
            "ortools": ortools.__version__,
            "time_limit": args.time_limit,
            "our_time_limit": args.our_time_limit,
            "parallel": args.parallel,
            "seeds": list(range(1, args.seeds + 1)),
            "workers": args.workers,
            "tiers": tiers,
            "machine": f"{platform.machine()}, {os.cpu_count()} cores",
            "load_average_at_start": list(os.getloadavg()),
            "started": time.strftime("%Y-%m-%d %H:%M"),
            "note": args.note,
        },
        "files": [],
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    for n in names:
        print(f"{n}", flush=True)
        try:
            report["files"].append(run_file(n, args))
        except Exception as exc:  # one broken file must not sink the suite: record it
            report["files"].append({"file": n, "error": f"{type(exc).__name__}: {exc}"})
            print(f"  error {exc!r}", flush=True)
        report["meta"]["wall_minutes"] = round((time.time() - t0) / 60, 1)
        report["meta"]["load_average_at_end"] = list(os.getloadavg())
        report["totals"] = totals(report)
        out.write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")
        out.with_suffix(".md").write_text(markdown(report), encoding="utf-8")


if __name__ == "__main__":
    main()
