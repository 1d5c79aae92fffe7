"""What `afterschool district` writes and prints: plans, the instances they were made for, the
allocation, the district report (JSON + xlsx), and a short summary."""

from __future__ import annotations

import json
from pathlib import Path

from solver.district.check import DistrictCheck, check_district
from solver.district.report import district_report, write_workbook
from solver.district.run import DistrictRun


def finish(run: DistrictRun) -> tuple[DistrictCheck, dict]:
    """The district checker over the kept plans, then the report."""
    originals = {s: o.loaded for s, o in run.outcomes.items() if o.loaded is not None}
    plans = {s: o.plan for s, o in run.outcomes.items() if o.plan is not None and o.status in ("optimal", "feasible")}
    check = check_district(run.LD, originals, plans)
    info = {
        "engine": run.engine,
        "seconds": round(run.seconds, 2),
        "rounds": run.rounds,
        "worker_peak_rss_mb": run.worker_peaks(),
    }
    return check, district_report(run.LD, run.outcomes, check, info)


def write_outputs(run: DistrictRun, report: dict, outdir: str | Path) -> dict[str, Path]:
    """Every output file, each written atomically (temporary file, then rename). School files of an
    earlier run that this run did not write (a school that now has no plan, or left the district)
    are removed, so no stale plan is taken for a current one."""
    import os

    from models.files import write_atomic

    out = Path(outdir)
    (out / "schools").mkdir(parents=True, exist_ok=True)
    written = {}
    for s, o in run.outcomes.items():
        if o.plan is not None:
            written[f"{s}.plan"] = write_atomic(out / "schools" / f"{s}.plan.json", o.plan.to_json())
        if o.solved_text is not None:
            written[f"{s}.instance"] = write_atomic(out / "schools" / f"{s}.instance.json", o.solved_text)
    keep = set(written.values())
    for old in [*(out / "schools").glob("*.plan.json"), *(out / "schools").glob("*.instance.json")]:
        if old not in keep:
            old.unlink()
    alloc = {
        s: {pid: sorted([list(x) for x in slots]) for pid, slots in sorted(o.offered.items())}
        for s, o in sorted(run.outcomes.items())
        if o.offered
    }
    write_atomic(out / "allocation.json", json.dumps(alloc, ensure_ascii=False, indent=1) + "\n")
    write_atomic(out / "district-report.json", json.dumps(report, ensure_ascii=False, indent=1) + "\n")
    tmp = out / f".district-report.{os.getpid()}.xlsx"  # the workbook writer takes a path: write beside, rename
    try:
        write_workbook(report, tmp)
        os.replace(tmp, out / "district-report.xlsx")
    finally:
        tmp.unlink(missing_ok=True)
    written.update(
        allocation=out / "allocation.json", report=out / "district-report.json", workbook=out / "district-report.xlsx"
    )
    return written


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.1f}%"


def summary_text(report: dict) -> str:
    s = report["summary"]
    run = report.get("run", {})
    lines = [
        f"区 district: {report['district']['name']} ({report['district']['id']})  "
        f"引擎 engine: {run.get('engine', {}).get('engine')} × {run.get('engine', {}).get('workers')}  "
        f"用时 wall: {run.get('seconds')} s，轮次 rounds: {len(run.get('rounds', []))}",
        f"R1 有效方案 valid plans: {s['schools_with_valid_plan']}/{s['schools']}"
        + (f"（未通过 failing: {', '.join(s['schools_failing'])}）" if s["schools_failing"] else ""),
        f"学生 students {s['students']}，报名 registered {s['registered']}"
        f"（参与率 participation {_pct(s['participation'])}），"
        f"全程看护 served {s['served']}（覆盖率 coverage {_pct(s['coverage'])}）",
        f"第一志愿 first choice {_pct(s['first_choice_rate'])}，任一志愿 any choice {_pct(s['any_choice_rate'])}",
        f"学期经费 term: 收入 income {s['income_per_term']}，支出 cost {s['cost_per_term']}，结余 balance "
        f"{s['balance_per_term']}"
        + (f"；超支 over budget: {', '.join(s['schools_over_budget'])}" if s["schools_over_budget"] else ""),
        f"共享人员 shared people: {s['shared_people_used']}/{s['shared_people']} 有安排 used，"
        f"{s['shared_people_at_several_schools']} 人在多校 at several schools，"
        f"每周 {s['shared_periods']} 课时 periods a week",
        "跨校检查 district checks: "
        + (
            "全部通过 pass"
            if s["district_checks_ok"]
            else "未通过 FAIL " + ", ".join(f"{k}×{v}" for k, v in s["district_violations_by_rule"].items())
        ),
        f"R22 满意度 satisfaction: {report['r22']['note']}"
        + (f"；后10% bottom 10%: {', '.join(report['r22']['flagged'])}" if report["r22"]["flagged"] else ""),
    ]
    for r in report["schools"]:
        if not r["r1_plan"]:
            why = (
                r["problems"][0]["message_en"]
                if r["problems"]
                else r["explanation"][0]["detail"]
                if r["explanation"]
                else r["violations"][0]["message"]
                if r["violations"]
                else r.get("error") or r["status"]
            )
            lines.append(f"  ✗ {r['id']} {r['name']}: {r['status']} — {why}")
    for v in report["district_checks"][:20]:
        lines.append(f"  ✗ [{v['rule']}] {v['message']}")
    peaks = run.get("worker_peak_rss_mb") or {}
    if peaks:
        lines.append("峰值内存 peak RSS per worker: " + ", ".join(f"{w} {mb} MB" for w, mb in peaks.items()))
    return "\n".join(lines)
