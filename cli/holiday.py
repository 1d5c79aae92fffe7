"""Holiday care (R7, `afterschool-holiday/1` files): what `validate`, `solve` and `check` do with them."""

from __future__ import annotations

import json
from pathlib import Path

from cli.common import EXIT_INTERRUPTED, EXIT_INVALID, EXIT_NO_PLAN_IN_TIME, EXIT_OK, UsageError, write
from cli.running import StopOnCtrlC


def cmd_validate_holiday(args) -> int:
    from models.holiday import load_holiday
    from models.problems import Problem
    from solver.holiday import week_loaded

    H = load_holiday(args.file)
    warnings: list[Problem] = []
    for week in H.weeks:
        warnings += week_loaded(H, week, args.file).warnings  # each week loads as a regular instance
    if args.json:
        print(
            json.dumps(
                {"source": args.file, "errors": [], "warnings": [w.to_dict() for w in warnings]},
                ensure_ascii=False,
                indent=1,
            )
        )
        return EXIT_OK
    print(
        f"{args.file}: 有效 valid — 寒暑假托管 holiday care「{H.name}」，{len(H.weeks)} 周 weeks，"
        f"{len(H.children)} 名儿童 children，{len(H.groups)} 个年龄段分组 groups，{len(H.staff)} 名志愿者 volunteers"
    )
    if warnings and not args.quiet:
        print(f"{len(warnings)} 个警告 warnings（不影响加载 / loading continues）:")
        for w in warnings:
            print(w.render())
    return EXIT_OK


def cmd_solve_holiday(args) -> int:
    from models.holiday import load_holiday
    from solver.holiday import holiday_plan_json, solve_holiday

    if args.time_limit <= 0 or args.workers < 1:
        raise UsageError("--time-limit 与 --workers 须为正数 / must be positive")
    H = load_holiday(args.instance)
    with StopOnCtrlC() as ctrl_c:
        results = ctrl_c.run(
            lambda: solve_holiday(H, args.time_limit, args.workers, args.seed, stop=ctrl_c.event, source=args.instance)
        )
    output = args.output or str(Path("out") / (Path(args.instance).stem + "-plan.json"))
    text = holiday_plan_json(H, results)
    write(output, text)
    valid = bool(results) and all(r.valid for r in results)
    if ctrl_c.event.is_set():
        code = EXIT_INTERRUPTED
    elif valid:
        code = EXIT_OK
    elif any(r.plan.status == "infeasible" or (r.violations and r.plan.activities) for r in results):
        code = EXIT_INVALID
    else:
        code = EXIT_NO_PLAN_IN_TIME
    if args.json:
        print(
            json.dumps(
                {
                    **json.loads(text)["summary"],
                    "output": output,
                    "exit_code": code,
                    "interrupted": ctrl_c.event.is_set(),
                    "weeks_detail": [
                        {
                            "week": r.week.id,
                            "status": r.plan.status,
                            "valid": r.valid,
                            "children": len(r.loaded.instance.students),
                        }
                        for r in results
                    ],
                },
                ensure_ascii=False,
                indent=1,
            )
        )
        return code
    print(f"寒暑假托管 holiday care「{H.name}」: {len(results)} 周 weeks")
    for r in results:
        m = r.plan.metrics
        print(
            f"  {r.week.id}（{r.week.start} 起）: {r.plan.status}，"
            f"{'检查通过 valid' if r.valid else '无效 NOT valid'}，"
            f"{m.students_served}/{m.students} 名儿童全程看护 children supervised in every slot，"
            f"{len(r.plan.activities)} 项活动 activities，报酬 pay {r.plan.costs.staff_pay_per_term}"
        )
        for e in r.plan.explanation:
            print(f"      [{e.rule}] {e.detail}")
    print(f"方案已写入 plan written to {output}")
    return code


def cmd_check_holiday(args) -> int:
    from models.holiday import load_holiday
    from solver.holiday import PLAN_FORMAT, check_holiday_plan

    H = load_holiday(args.instance)
    try:
        doc = json.loads(Path(args.plan).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UsageError(f"无法读取方案 {args.plan} / cannot read the plan: {exc}") from None
    if not isinstance(doc, dict) or doc.get("format") != PLAN_FORMAT:
        raise UsageError(f"{args.plan} 不是寒暑假托管方案（{PLAN_FORMAT}）/ not a holiday-care plan")
    try:
        results = check_holiday_plan(H, doc, args.instance)
    except (ValueError, KeyError) as exc:
        raise UsageError(str(exc)) from None
    ok = bool(results) and all(r.valid for _, r in results)
    if args.json:
        print(
            json.dumps(
                {
                    "valid": ok,
                    "weeks": [
                        {"week": w, "valid": r.valid, "violations": [v.to_dict() for v in r.violations]}
                        for w, r in results
                    ],
                },
                ensure_ascii=False,
                indent=1,
            )
        )
    else:
        for w, r in results:
            print(f"{w}: {'方案有效 valid' if r.valid else f'无效 INVALID — {len(r.violations)} 处违反 violations'}")
            for v in r.violations:
                print(v.render())
    return EXIT_OK if ok else EXIT_INVALID
