"""`validate`, `check`, `baseline`, `solve`: an instance in, a checked plan out (holiday-care files are
handed to `cli.holiday`)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from cli.common import (
    EXIT_INTERRUPTED,
    EXIT_INVALID,
    EXIT_NO_PLAN_IN_TIME,
    EXIT_OK,
    UsageError,
    positive_finite,
    print_warnings,
    writable,
    write,
)
from cli.holiday import cmd_check_holiday, cmd_solve_holiday, cmd_validate_holiday
from cli.running import ProgressLine, StopOnCtrlC, cpsat_log_through


def cmd_validate(args) -> int:
    from models.holiday import is_holiday_file
    from models.load import load_instance

    if is_holiday_file(args.file):
        return cmd_validate_holiday(args)
    L = load_instance(args.file)
    if args.json:
        print(
            json.dumps(
                {"source": args.file, "errors": [], "warnings": [w.to_dict() for w in L.warnings]},
                ensure_ascii=False,
                indent=1,
            )
        )
        return EXIT_OK
    i = L.instance
    print(
        f"{args.file}: 有效 valid — {i.school.name}，{len(i.students)} 名学生 students，{len(i.staff)} 名教职工 staff，"
        f"{len(i.courses)} 门课程 courses，{len(i.rooms)} 个场地 rooms，"
        f"{len(i.days)} 天 × {len(i.periods)} 个时段 periods"
    )
    print_warnings(L, args.quiet)
    return EXIT_OK


def cmd_check(args) -> int:
    from models.holiday import is_holiday_file
    from models.load import load_instance
    from models.plan_io import load_plan
    from solver.check import check_plan

    if is_holiday_file(args.instance):
        return cmd_check_holiday(args)
    L = load_instance(args.instance)
    plan, _ = load_plan(args.plan)
    result = check_plan(L, plan)
    if args.json:
        print(
            json.dumps(
                {"valid": result.valid, "violations": [v.to_dict() for v in result.violations], "notes": result.notes},
                ensure_ascii=False,
                indent=1,
            )
        )
    else:
        for note in result.notes:
            print(f"注意 note: {note}")
        if result.valid:
            print(
                f"{args.plan}: 方案有效 plan is valid（{len(plan.activities)} 项活动 activities，"
                f"状态 status {plan.status}）"
            )
        else:
            print(f"{args.plan}: 方案无效 plan is INVALID — {len(result.violations)} 处违反 violations")
            for rule, items in sorted(result.by_rule().items()):
                print(f"  {rule}: {len(items)}")
            for v in result.violations:
                print(v.render())
        if plan.explanation:
            print("无解说明 explanation:")
            for e in plan.explanation:
                print(f"  [{e.rule}] {e.detail}  {e.records}")
    return EXIT_OK if result.valid else EXIT_INVALID


def cmd_baseline(args) -> int:
    from models.load import load_instance
    from solver.baseline import baseline_plan
    from solver.summary import summarize

    writable(args.output)
    L = load_instance(args.instance)
    plan, _ = baseline_plan(L, seed=args.seed, method=args.method)
    write(args.output, plan.to_json())
    if args.json:
        print(json.dumps(_plan_summary(L, plan, args.output, method=args.method), ensure_ascii=False, indent=1))
        return EXIT_OK if plan.status in ("optimal", "feasible") else EXIT_INVALID
    print(summarize(L, plan))
    print(f"方案已写入 plan written to {args.output}")
    if plan.status in ("optimal", "feasible"):
        print("检查通过 the plan passed the checker")
        return EXIT_OK
    print("没有得到有效方案 no valid plan — 原因 why:")
    for w in plan.warnings:
        if w.startswith("[R") or "violation" in w:
            print(f"  {w}")
    return EXIT_INVALID


def _previous_plan(args, loaded):
    """--previous, else the instance's `previous_plan` (relative to the instance file, then here)."""
    from models.plan_io import load_plan

    path = args.previous or loaded.instance.previous_plan
    if not path:
        return None
    candidates = [Path(args.instance).parent / path, Path(path)] if not Path(path).is_absolute() else [Path(path)]
    found = next((p for p in candidates if p.exists()), candidates[-1])
    plan, _ = load_plan(found)
    if plan.instance.school != loaded.instance.school.id:
        raise UsageError(f"上一版方案属于学校 {plan.instance.school} / the previous plan is for another school")
    return plan


def _plan_summary(loaded, plan, output: str, **extra) -> dict:
    """What `--json` prints for a plan: status, where it was written, its numbers."""
    m, c = plan.metrics, plan.costs
    return {
        "output": output,
        "status": plan.status,
        "valid": plan.status in ("optimal", "feasible"),
        "school": loaded.instance.school.id,
        "activities": len(plan.activities),
        "objective": plan.objective,
        "bound": plan.bound,
        "solve_seconds": plan.solve_seconds,
        "metrics": m.model_dump(mode="json"),
        "costs": {k: v for k, v in c.model_dump(mode="json").items() if k != "per_staff"},
        "compliance_failed": [x.rule for x in plan.compliance if not x.ok],
        "explanation": [e.model_dump(mode="json") for e in plan.explanation],
        **extra,
    }


def cmd_solve(args) -> int:
    from export.changes import describe_changes
    from models.holiday import is_holiday_file
    from models.load import load_instance

    if args.verbose:
        cpsat_log_through()
    if is_holiday_file(args.instance):
        return cmd_solve_holiday(args)
    from solver.optimize import Options, optimize
    from solver.summary import summarize

    if not positive_finite(args.time_limit) or args.workers < 1:
        raise UsageError("--time-limit 与 --workers 须为正数 / must be positive (and finite)")
    output = args.output or str(Path("out") / (Path(args.instance).stem + "-plan.json"))
    writable(output)
    L = load_instance(args.instance)
    previous = _previous_plan(args, L)
    line = ProgressLine(((not args.quiet and sys.stderr.isatty()) or args.progress) and not args.json)
    with StopOnCtrlC() as ctrl_c:
        opts = Options(
            time_limit=args.time_limit,
            workers=args.workers,
            seed=args.seed,
            previous=previous,
            progress=line,
            stop=ctrl_c.event,
            cost_cap=args.cost_cap,
        )
        plan, violations, report = ctrl_c.run(optimize, L, opts)
    interrupted = ctrl_c.event.is_set()
    line.done()
    write(output, plan.to_json())
    valid = plan.status in ("optimal", "feasible")
    if valid:
        code = EXIT_INTERRUPTED if interrupted else EXIT_OK
    elif violations and plan.status == "unknown" and plan.activities:
        code = EXIT_INVALID
    elif plan.status == "infeasible":
        code = EXIT_INVALID
    else:
        code = EXIT_INTERRUPTED if interrupted else EXIT_NO_PLAN_IN_TIME
    described = describe_changes(L, previous, plan, "zh") if previous is not None else []
    if args.json:
        print(
            json.dumps(
                _plan_summary(
                    L,
                    plan,
                    output,
                    interrupted=interrupted,
                    exit_code=code,
                    stages=report.stages,
                    fallback=report.fallback,
                    changes=[{"kind": c.kind, "text": c.text} for c in described],
                ),
                ensure_ascii=False,
                indent=1,
            )
        )
        return code
    print(summarize(L, plan))
    if report.fcfs and plan.status in ("optimal", "feasible"):
        f = report.fcfs
        print(
            f"对比先到先得 against FCFS: 学期支出 term cost {plan.costs.staff_pay_per_term} 元 vs {f['term_cost']} 元；"
            f"第一志愿 first choice {100 * plan.metrics.first_choice_rate:.1f}% "
            f"vs {100 * f['first_choice_rate']:.1f}%；"
            f"任一志愿 any choice {100 * plan.metrics.any_choice_rate:.1f}% vs {100 * f['any_choice_rate']:.1f}%"
        )
    for stage in report.stages:
        print("  " + ", ".join(f"{k}={v}" for k, v in stage.items()))
    if report.fallback:
        print(f"注意 note: {report.fallback}")
    if previous is not None:
        print(f"与上一版相比的变动 changes from the previous plan: {len(described)}")
        for c in described:
            print(f"  {c.text}")
    print(f"方案已写入 plan written to {output}")
    if interrupted:
        print(
            "已按 Ctrl-C 中断 interrupted: "
            + (
                "写出的是中断时最好的已检查方案 the best checked plan so far was written"
                if valid
                else "中断前没有得到有效方案 no valid plan before the interruption"
            )
        )
    if valid:
        print("检查通过 the plan passed the checker")
    elif code == EXIT_INVALID and plan.status != "infeasible":
        print(
            f"!!! 方案未通过检查，不可使用 the plan FAILED the checker ({len(violations)} violations) and is not valid"
        )
    elif plan.status == "infeasible":
        print("无解 no plan exists — 原因 why:")
        for e in plan.explanation:
            print(f"  [{e.rule}] {e.detail}")
            if e.records:
                print(f"      涉及 records: {', '.join(e.records[:20])}{' …' if len(e.records) > 20 else ''}")
    elif not interrupted:
        print("在时间限制内没有找到方案 no plan within the time limit（退出码 exit code 4：请增加 --time-limit）")
    return code
