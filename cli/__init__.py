"""`afterschool`: the command line. Thin: it reads files, calls the library, prints, sets exit codes.

Exit codes: 0 success; 1 plan invalid or no plan (infeasible, with its explanation); 2 bad or
unreadable input; 3 internal error (a bug: please report it); 4 no plan within the time limit;
130 interrupted (Ctrl-C: a solve stops and writes the best checked plan it has).
Bad input never produces a traceback: every problem is listed with record, field and rule.
"""

from __future__ import annotations

import argparse
import json
import sys
import traceback
from pathlib import Path

from instances.profiles import PROFILES as PROFILE_NAMES
from models.problems import InputRejected

EXIT_OK, EXIT_INVALID, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3
EXIT_NO_PLAN_IN_TIME = 4  # `solve`: no plan within the time limit (not a bug: give it more time)
EXIT_INTERRUPTED = 130  # Ctrl-C (128 + SIGINT, the shells' convention)


class UsageError(Exception):
    pass


def _print_warnings(L, quiet: bool = False) -> None:
    if L.warnings and not quiet:
        print(f"{len(L.warnings)} 个警告 warnings（不影响加载 / loading continues）:")
        for w in L.warnings:
            print(w.render())


def _write(path: str, text: str | bytes) -> None:
    from models.files import write_atomic  # temp file + rename: a failed write leaves the old file whole

    write_atomic(path, text)


def _writable(path: str) -> None:
    """A bad output path fails now, with exit 2, not after the whole solve."""
    from models.files import check_writable

    check_writable(path)


def _positive_finite(value: float) -> bool:
    import math

    return math.isfinite(value) and value > 0


# --------------------------------------------------------------------------- commands


def cmd_validate(args) -> int:
    from models.holiday import is_holiday_file
    from models.load import load_instance

    if is_holiday_file(args.file):
        return _validate_holiday(args)
    L = load_instance(args.file)
    if args.json:
        print(json.dumps({"source": args.file, "errors": [], "warnings": [w.to_dict() for w in L.warnings]},
                         ensure_ascii=False, indent=1))
        return EXIT_OK
    i = L.instance
    print(f"{args.file}: 有效 valid — {i.school.name}，{len(i.students)} 名学生 students，{len(i.staff)} 名教职工 staff，"
          f"{len(i.courses)} 门课程 courses，{len(i.rooms)} 个场地 rooms，{len(i.days)} 天 × {len(i.periods)} 个时段 periods")
    _print_warnings(L, args.quiet)
    return EXIT_OK


def cmd_check(args) -> int:
    from models.holiday import is_holiday_file
    from models.load import load_instance
    from models.plan_io import load_plan
    from solver.check import check_plan

    if is_holiday_file(args.instance):
        return _check_holiday(args)
    L = load_instance(args.instance)
    plan, _ = load_plan(args.plan)
    result = check_plan(L, plan)
    if args.json:
        print(json.dumps({"valid": result.valid, "violations": [v.to_dict() for v in result.violations],
                          "notes": result.notes}, ensure_ascii=False, indent=1))
    else:
        for note in result.notes:
            print(f"注意 note: {note}")
        if result.valid:
            print(f"{args.plan}: 方案有效 plan is valid（{len(plan.activities)} 项活动 activities，状态 status {plan.status}）")
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

    _writable(args.output)
    L = load_instance(args.instance)
    plan, _ = baseline_plan(L, seed=args.seed, method=args.method)
    _write(args.output, plan.to_json())
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


def _previous_plan(args, L):
    """--previous, else the instance's `previous_plan` (relative to the instance file, then here)."""
    from models.plan_io import load_plan

    path = args.previous or L.instance.previous_plan
    if not path:
        return None
    candidates = [Path(args.instance).parent / path, Path(path)] if not Path(path).is_absolute() else [Path(path)]
    found = next((p for p in candidates if p.exists()), candidates[-1])
    plan, _ = load_plan(found)
    if plan.instance.school != L.instance.school.id:
        raise UsageError(f"上一版方案属于学校 {plan.instance.school} / the previous plan is for another school")
    return plan


class _ProgressLine:
    """One live line on stderr: stage, time, objective, bound, gap."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.last = 0.0

    def __call__(self, e) -> None:
        import time as _time

        now = _time.monotonic()
        if not self.enabled or now - self.last < 0.25:
            return
        self.last = now
        print(f"\r[{e.stage:>13}] {e.seconds:6.1f}s  目标 objective {e.objective:>10.0f}  界 bound {e.bound:>10.0f}  "
              f"差距 gap {100 * e.gap:6.2f}%", end="", file=sys.stderr, flush=True)

    def done(self) -> None:
        if self.enabled and self.last:
            print(file=sys.stderr)


def _plan_summary(L, plan, output: str, **extra) -> dict:
    """What `--json` prints for a plan: status, where it was written, its numbers."""
    m, c = plan.metrics, plan.costs
    return {"output": output, "status": plan.status, "valid": plan.status in ("optimal", "feasible"),
            "school": L.instance.school.id, "activities": len(plan.activities), "objective": plan.objective,
            "bound": plan.bound, "solve_seconds": plan.solve_seconds, "metrics": m.model_dump(mode="json"),
            "costs": {k: v for k, v in c.model_dump(mode="json").items() if k != "per_staff"},
            "compliance_failed": [x.rule for x in plan.compliance if not x.ok],
            "explanation": [e.model_dump(mode="json") for e in plan.explanation], **extra}


def _cpsat_log_through() -> None:
    """`-v`: every CP-SAT search the optimizer runs logs its progress to stderr (stdout stays the
    summary's). Done at the solver's door (CpSolver.solve) so the optimizer's code is untouched."""
    from ortools.sat.python import cp_model

    if getattr(cp_model.CpSolver.solve, "_afterschool_verbose", False):
        return
    original = cp_model.CpSolver.solve

    def solve(self, model, solution_callback=None):
        self.parameters.log_search_progress = True
        self.parameters.log_to_stdout = False
        self.log_callback = lambda line: print(line, file=sys.stderr, flush=True)
        return original(self, model, solution_callback)

    solve._afterschool_verbose = True
    cp_model.CpSolver.solve = solve


class _StopOnCtrlC:
    """While a solve runs, Ctrl-C asks the optimizer to stop (Options.stop) instead of killing the
    process: the best checked plan found so far is written. A second Ctrl-C interrupts at once."""

    def __init__(self):
        import threading

        self.event = threading.Event()
        self.previous = None

    def __enter__(self):
        import signal
        import threading

        if threading.current_thread() is threading.main_thread() and \
                signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:  # a background job keeps ignoring it
            self.previous = signal.signal(signal.SIGINT, self._handler)
        return self

    def run(self, fn, *args):
        """`fn(*args)` in a worker thread while this (main) thread waits: Python runs signal handlers
        only in the main thread between bytecodes, never while it sits inside CP-SAT's C++ search."""
        import threading

        result: dict = {}

        def work():
            try:
                result["value"] = fn(*args)
            except BaseException as exc:  # handed back to the main thread
                result["error"] = exc

        import signal

        worker = threading.Thread(target=work, name="solve", daemon=True)
        worker.start()
        while worker.is_alive():
            worker.join(0.05)
            if self.previous is not None:
                # CP-SAT puts its own SIGINT handler in place for each search (a thread-local one that
                # aborts when the signal reaches another thread) and resets it to the default after:
                # ours goes back every 50 ms, so Ctrl-C reaches this handler and stops the search cleanly.
                signal.signal(signal.SIGINT, self._handler)
        if "error" in result:
            raise result["error"]
        return result["value"]

    def _handler(self, signum, frame):
        if self.event.is_set():
            raise KeyboardInterrupt
        self.event.set()
        print("\n已中断：正在停止搜索并写出目前最好的已检查方案（再按一次 Ctrl-C 立即退出）/ stopping: writing the best "
              "checked plan so far (Ctrl-C again to quit at once)", file=sys.stderr, flush=True)

    def __exit__(self, *exc):
        import signal

        if self.previous is not None:
            signal.signal(signal.SIGINT, self.previous)
        return False


def cmd_solve(args) -> int:
    from export.changes import describe_changes
    from models.holiday import is_holiday_file
    from models.load import load_instance

    if args.verbose:
        _cpsat_log_through()
    if is_holiday_file(args.instance):
        return _solve_holiday(args)
    from solver.optimize import Options, optimize
    from solver.summary import summarize

    if not _positive_finite(args.time_limit) or args.workers < 1:
        raise UsageError("--time-limit 与 --workers 须为正数 / must be positive (and finite)")
    output = args.output or str(Path("out") / (Path(args.instance).stem + "-plan.json"))
    _writable(output)
    L = load_instance(args.instance)
    previous = _previous_plan(args, L)
    line = _ProgressLine(((not args.quiet and sys.stderr.isatty()) or args.progress) and not args.json)
    with _StopOnCtrlC() as ctrl_c:
        opts = Options(time_limit=args.time_limit, workers=args.workers, seed=args.seed, previous=previous,
                       progress=line, stop=ctrl_c.event, cost_cap=args.cost_cap)
        plan, violations, report = ctrl_c.run(optimize, L, opts)
    interrupted = ctrl_c.event.is_set()
    line.done()
    _write(output, plan.to_json())
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
        print(json.dumps(_plan_summary(L, plan, output, interrupted=interrupted, exit_code=code,
                                       stages=report.stages, fallback=report.fallback,
                                       changes=[{"kind": c.kind, "text": c.text} for c in described]),
                         ensure_ascii=False, indent=1))
        return code
    print(summarize(L, plan))
    if report.fcfs and plan.status in ("optimal", "feasible"):
        f = report.fcfs
        print(f"对比先到先得 against FCFS: 学期支出 term cost {plan.costs.staff_pay_per_term} 元 vs {f['term_cost']} 元；"
              f"第一志愿 first choice {100 * plan.metrics.first_choice_rate:.1f}% vs {100 * f['first_choice_rate']:.1f}%；"
              f"任一志愿 any choice {100 * plan.metrics.any_choice_rate:.1f}% vs {100 * f['any_choice_rate']:.1f}%")
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
        print("已按 Ctrl-C 中断 interrupted: " + ("写出的是中断时最好的已检查方案 the best checked plan so far was written"
                                             if valid else "中断前没有得到有效方案 no valid plan before the interruption"))
    if valid:
        print("检查通过 the plan passed the checker")
    elif code == EXIT_INVALID and plan.status != "infeasible":
        print(f"!!! 方案未通过检查，不可使用 the plan FAILED the checker ({len(violations)} violations) and is not valid")
    elif plan.status == "infeasible":
        print("无解 no plan exists — 原因 why:")
        for e in plan.explanation:
            print(f"  [{e.rule}] {e.detail}")
            if e.records:
                print(f"      涉及 records: {', '.join(e.records[:20])}{' …' if len(e.records) > 20 else ''}")
    elif not interrupted:
        print("在时间限制内没有找到方案 no plan within the time limit（退出码 exit code 4：请增加 --time-limit）")
    return code


# --------------------------------------------------------------------------- holiday care (R7)


def _validate_holiday(args) -> int:
    from models.holiday import load_holiday
    from solver.holiday import week_loaded

    H = load_holiday(args.file)
    warnings = []
    for w in H.weeks:
        warnings += week_loaded(H, w, args.file).warnings  # each week loads as a regular instance
    if args.json:
        print(json.dumps({"source": args.file, "errors": [], "warnings": [w.to_dict() for w in warnings]},
                         ensure_ascii=False, indent=1))
        return EXIT_OK
    print(f"{args.file}: 有效 valid — 寒暑假托管 holiday care「{H.name}」，{len(H.weeks)} 周 weeks，"
          f"{len(H.children)} 名儿童 children，{len(H.groups)} 个年龄段分组 groups，{len(H.staff)} 名志愿者 volunteers")
    if warnings and not args.quiet:
        print(f"{len(warnings)} 个警告 warnings（不影响加载 / loading continues）:")
        for w in warnings:
            print(w.render())
    return EXIT_OK


def _solve_holiday(args) -> int:
    from models.holiday import load_holiday
    from solver.holiday import holiday_plan_json, solve_holiday

    if args.time_limit <= 0 or args.workers < 1:
        raise UsageError("--time-limit 与 --workers 须为正数 / must be positive")
    H = load_holiday(args.instance)
    with _StopOnCtrlC() as ctrl_c:
        results = ctrl_c.run(lambda: solve_holiday(H, args.time_limit, args.workers, args.seed, stop=ctrl_c.event,
                                                   source=args.instance))
    output = args.output or str(Path("out") / (Path(args.instance).stem + "-plan.json"))
    text = holiday_plan_json(H, results)
    _write(output, text)
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
        print(json.dumps({**json.loads(text)["summary"], "output": output, "exit_code": code,
                          "interrupted": ctrl_c.event.is_set(),
                          "weeks_detail": [{"week": r.week.id, "status": r.plan.status, "valid": r.valid,
                                            "children": len(r.loaded.instance.students)} for r in results]},
                         ensure_ascii=False, indent=1))
        return code
    print(f"寒暑假托管 holiday care「{H.name}」: {len(results)} 周 weeks")
    for r in results:
        m = r.plan.metrics
        print(f"  {r.week.id}（{r.week.start} 起）: {r.plan.status}，{'检查通过 valid' if r.valid else '无效 NOT valid'}，"
              f"{m.students_served}/{m.students} 名儿童全程看护 children supervised in every slot，"
              f"{len(r.plan.activities)} 项活动 activities，报酬 pay {r.plan.costs.staff_pay_per_term}")
        for e in r.plan.explanation:
            print(f"      [{e.rule}] {e.detail}")
    print(f"方案已写入 plan written to {output}")
    return code


def _check_holiday(args) -> int:
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
        print(json.dumps({"valid": ok, "weeks": [{"week": w, "valid": r.valid,
                                                  "violations": [v.to_dict() for v in r.violations]}
                                                 for w, r in results]}, ensure_ascii=False, indent=1))
    else:
        for w, r in results:
            print(f"{w}: {'方案有效 valid' if r.valid else f'无效 INVALID — {len(r.violations)} 处违反 violations'}")
            for v in r.violations:
                print(v.render())
    return EXIT_OK if ok else EXIT_INVALID


def cmd_bench(args) -> int:
    from benchmarks.harness import main as bench

    out = bench(quick=args.quick, label=args.label, report_only=args.report_only, group=args.set, workers=args.workers)
    print(f"结果 results: {out}")
    return EXIT_OK


def cmd_generate(args) -> int:
    from instances.generator import generate
    from models.load import dump_instance, load_bytes

    _writable(args.output)
    if args.profile:
        from instances.profiles import generate_profile

        if args.students is not None and args.students < 1:
            raise UsageError("--students 必须是正整数 / must be a positive integer")
        instance = generate_profile(args.profile, args.seed, args.students)
    else:
        if args.kind is None or args.students is None:
            raise UsageError("需要 --kind 与 --students，或 --profile / give --kind and --students, or --profile")
        if args.students < 1:
            raise UsageError("--students 必须是正整数 / must be a positive integer")
        if args.kind == "holiday":
            from instances.holiday import generate_holiday
            from models.holiday import load_holiday

            if args.weeks < 1:
                raise UsageError("--weeks 必须是正整数 / must be a positive integer")
            _write(args.output, json.dumps(generate_holiday(args.students, args.weeks, args.seed), ensure_ascii=False,
                                           indent=1) + "\n")
            H = load_holiday(args.output)  # what we write must load
            print(f"{args.output}: 寒暑假托管 holiday care「{H.name}」，{len(H.weeks)} 周 weeks，{len(H.children)} 名儿童 "
                  f"children，{len(H.groups)} 个年龄段分组 groups，{len(H.staff)} 名志愿者 volunteers")
            return EXIT_OK
        instance = generate(args.kind, args.students, args.seed)
    text = dump_instance(instance)
    L = load_bytes(text.encode("utf-8"), args.output)  # what we write must load
    _write(args.output, text)
    i = L.instance
    print(f"{args.output}: {i.school.name}，{len(i.students)} 名学生 students，{len(i.classes)} 个班 classes，"
          f"{len(i.staff)} 名教职工 staff，{len(i.courses)} 门课程 courses，{len(i.rooms)} 个场地 rooms")
    return EXIT_OK


def cmd_template(args) -> int:
    from models.excel import write_template

    write_template(args.file)
    print(f"模板已写入 template written to {args.file}")
    return EXIT_OK


def cmd_schema(args) -> int:
    from models.instance import Instance
    from models.plan import Plan
    from solver.district.model import District

    model = {"instance": Instance, "plan": Plan, "district": District}[args.which]
    print(json.dumps(model.model_json_schema(by_alias=True), ensure_ascii=False, indent=1))
    return EXIT_OK


def cmd_convert(args) -> int:
    from models.excel import write_instance_workbook
    from models.load import dump_instance, load_instance

    if not args.output.lower().endswith((".xlsx", ".json")):
        raise UsageError("输出文件须为 .json 或 .xlsx / output must end in .json or .xlsx")
    _writable(args.output)
    L = load_instance(args.input)
    if args.output.lower().endswith(".xlsx"):
        write_instance_workbook(L.instance, args.output)
    else:
        _write(args.output, dump_instance(L.instance))
    print(f"{args.input} → {args.output}")
    _print_warnings(L, quiet=args.quiet)
    return EXIT_OK


def cmd_import_students(args) -> int:
    import tempfile

    from models.calamine import is_calamine, to_xlsx_bytes
    from models.excel import replace_students, write_instance_workbook
    from models.load import dump_instance, read_bytes

    _writable(args.output)
    table = args.table
    with tempfile.TemporaryDirectory() as tmp:
        if is_calamine(table):  # .xls / .ods exports: read through python-calamine, same sheets and cells
            table = str(Path(tmp) / (Path(table).stem + ".xlsx"))
            Path(table).write_bytes(to_xlsx_bytes(read_bytes(args.table), args.table))
        L = replace_students(args.instance, table)
    if args.output.lower().endswith(".xlsx"):
        write_instance_workbook(L.instance, args.output)
    else:
        _write(args.output, dump_instance(L.instance))
    print(f"{args.output}: 已导入 {len(L.instance.students)} 名学生的报名 / registrations of "
          f"{len(L.instance.students)} students imported")
    _print_warnings(L, quiet=args.quiet)
    return EXIT_OK


def _load_roster(args, L):
    """--roster FILE: read it and say (ids only, never names) which rows and students do not match."""
    if not getattr(args, "roster", None):
        return None
    from models.roster import match, read_roster

    roster = read_roster(args.roster)
    m = match(roster, {s.id: s.class_ for s in L.instance.students})
    for line in m.lines("zh"):
        print(f"注意 note: {line}", file=sys.stderr)
    return roster


PRINT_WHAT = ("class-pdf", "pupil-pdf", "notices", "class-png", "pupil-png", "class-pngs")


def cmd_export(args) -> int:
    import datetime as dt

    import export
    from export import printouts
    from models.load import load_instance
    from models.plan_io import load_plan

    try:
        term_start = dt.date.fromisoformat(args.term_start)
    except ValueError:
        raise UsageError(f"--term-start 应为日期，如 2026-09-01 / must be a date like 2026-09-01: {args.term_start!r}") from None
    try:
        term_last = dt.date.fromisoformat(args.term_end) if args.term_end else None
    except ValueError:
        raise UsageError(f"--term-end 应为日期，如 2027-01-15 / must be a date like 2027-01-15: {args.term_end!r}") from None
    if term_last is not None and term_last < term_start:
        raise UsageError(f"--term-end {term_last} 早于 --term-start {term_start} / the term ends before it starts")
    _writable(args.out)
    L = load_instance(args.instance)
    plan, _ = load_plan(args.plan)
    if plan.instance.school != L.instance.school.id:
        raise UsageError(f"方案属于学校 {plan.instance.school}，实例是 {L.instance.school.id} / the plan is for another school")
    if plan.instance.sha256 != L.sha256:
        print("注意 note: 方案记录的实例指纹与此实例文件不同（文件可能已修改） / the plan was made from a different version "
              "of this instance", file=sys.stderr)
    if not plan.activities:
        print(f"方案没有活动（状态 {plan.status}），无可导出 / the plan has no activities (status {plan.status}): nothing "
              "to export")
        return EXIT_INVALID
    roster = _load_roster(args, L)
    info = printouts.default_info(plan, args.plan_version)
    from export.calendar import school_calendar

    term_last = term_last or export.term_end(L, term_start)
    calendar = school_calendar(term_start, term_last, list(L.days))
    for note in calendar.notes:
        print(f"注意 note: {note}", file=sys.stderr)
    klass = args.class_
    if args.what in ("pupil-pdf", "notices", "class-png", "class-pngs") and not klass:
        raise UsageError(f"--what {args.what} 需要 --class 班级编号 / needs --class CLASS_ID; 有 known: "
                         f"{', '.join(c.id for c in L.instance.classes)}")
    if klass and klass not in {c.id for c in L.instance.classes}:
        raise UsageError(f"没有编号为 {klass} 的班级 / no class {klass!r}; 有 known: "
                         f"{', '.join(c.id for c in L.instance.classes)}")
    if args.what == "pupil-png":
        if not args.pupil:
            raise UsageError("--what pupil-png 需要 --pupil 学号 / needs --pupil STUDENT_ID")
        if args.pupil not in L.student:
            raise UsageError(f"没有学号为 {args.pupil} 的学生 / no student {args.pupil!r}")
    if args.what == "ics":
        if not args.teacher:
            raise UsageError("--what ics 需要 --teacher 工号 / needs --teacher STAFF_ID")
        if args.teacher not in L.staff:
            raise UsageError(f"没有工号为 {args.teacher} 的教职工 / no staff member {args.teacher!r}; "
                             f"有 known: {', '.join(list(L.staff)[:20])}")
        data: bytes = export.teacher_ics(L, plan, args.teacher, term_start, args.lang, term_last)
    elif args.what == "ics-zip":
        data = export.teachers_ics_zip(L, plan, term_start, args.lang, term_last)
    elif args.what == "workbook":
        data = export.plan_workbook(L, plan, args.lang)
    elif args.what == "guide-html":
        data = export.guide_html(L, plan, args.lang).encode("utf-8")
    elif args.what == "guide-pdf":
        data = export.guide_pdf(L, plan, args.lang, info=info)
    elif args.what == "class-pdf":
        data = printouts.class_timetables_pdf(L, plan, args.lang, roster, info, [klass] if klass else None)
    elif args.what == "pupil-pdf":
        data = printouts.pupil_timetables_pdf(L, plan, klass, args.lang, roster, info)
    elif args.what == "notices":
        data = printouts.parent_notices_pdf(L, plan, klass, args.lang, roster, info, calendar)
    elif args.what == "class-png":
        data = printouts.timetable_png(L, plan, "class", klass, args.lang, roster, info)
    elif args.what == "pupil-png":
        data = printouts.timetable_png(L, plan, "student", args.pupil, args.lang, roster, info)
    elif args.what == "class-pngs":
        data = printouts.class_pngs_zip(L, plan, klass, args.lang, roster, info)
    else:
        data = export.attendance_workbook(L, plan, args.lang, roster, info, calendar)
    out = Path(args.out)
    _write(args.out, data)
    print(f"{args.what} 已写入 written to {out}（{len(data):,} 字节 bytes）")
    return EXIT_OK


def cmd_district(args) -> int:
    from solver.district.load import load_district
    from solver.district.outputs import finish, summary_text, write_outputs
    from solver.district.run import TLS, EngineError, Options, run_district

    if not _positive_finite(args.time_limit) or (args.workers is not None and args.workers < 1) or args.rounds < 1:
        raise UsageError("--time-limit、--workers 与 --rounds 须为正数 / must be positive (and finite)")
    LD = load_district(args.district)
    _writable(str(Path(args.output or Path("out") / LD.district.district.id) / "district-report.json"))
    tls = TLS(args.tls_ca, args.tls_cert, args.tls_key)
    if tls.given and not args.scheduler:
        raise UsageError("--tls-* 只用于 --scheduler tls://… / --tls-* options need --scheduler tls://…")
    if args.scheduler and args.scheduler.startswith("tcp://") and not _loopback(args.scheduler):
        print("注意 note: tcp:// 不加密也不认证：能连到该端口的人都能在集群上运行代码。请用 tls:// 和 --tls-ca/--tls-cert/"
              "--tls-key。 / tcp:// is neither encrypted nor authenticated: anyone who reaches the port can run code "
              "on the cluster. Use tls:// with --tls-ca/--tls-cert/--tls-key.", file=sys.stderr)
    if not args.json:
        for w in LD.warnings:
            print(w.render())
    quiet = args.quiet or args.json
    opts = Options(time_limit=args.time_limit, workers=args.workers, scheduler=args.scheduler, tls=tls, rounds=args.rounds,
                   seed=args.seed, cost_cap=args.cost_cap, progress=None if quiet else (lambda line: print(line, flush=True)))
    try:
        run = run_district(LD, opts)
    except EngineError as exc:
        raise UsageError(str(exc)) from None
    _check, report = finish(run)
    outdir = args.output or str(Path("out") / LD.district.district.id)
    written = write_outputs(run, report, outdir)
    if args.json:
        print(json.dumps({"output": outdir, "files": [str(w) for w in written], "summary": report["summary"]},
                         ensure_ascii=False, indent=1, default=str))
        return EXIT_OK if report["summary"]["all_valid"] else EXIT_INVALID
    print(summary_text(report))
    print(f"输出 written to {outdir}/（{len(written)} 个文件 files：每校方案 plans, district-report.json, "
          "district-report.xlsx, allocation.json）")
    return EXIT_OK if report["summary"]["all_valid"] else EXIT_INVALID


def _loopback(address: str) -> bool:
    host = address.split("://", 1)[-1].rsplit(":", 1)[0].strip("[]")
    return host in ("localhost", "127.0.0.1", "::1")


def cmd_generate_district(args) -> int:
    from instances.district import write_district
    from solver.district.load import load_district

    if args.schools < 1 or args.students_per_school < 1:
        raise UsageError("--schools 与 --students-per-school 须为正整数 / must be positive integers")
    path = write_district(args.output, args.schools, args.students_per_school, args.seed)
    LD = load_district(path)
    d = LD.district
    print(f"{path}: {d.district.name}，{len(d.schools)} 所学校 schools，共享人员 shared pool {len(d.pool)} 人 people，"
          f"机构 institutions {len(d.institutions)}")
    return EXIT_OK


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("afterschool")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0.1.0+source"


def cmd_app(args) -> int:
    """`streamlit run` on the app that is installed with this package (no checkout needed)."""
    import subprocess

    app = Path(__file__).resolve().parents[1] / "ui" / "app.py"
    if not app.is_file():
        raise UsageError(f"找不到应用文件 {app} / the app is not installed with this package")
    cmd = [sys.executable, "-m", "streamlit", "run", str(app), "--server.port", str(args.port),
           "--server.address", args.address, "--browser.gatherUsageStats", "false", "--client.toolbarMode", "viewer",
           "--server.headless", "true" if args.headless else "false"]
    print(f"应用地址 the app: http://{args.address}:{args.port}（Ctrl-C 退出 to stop）", flush=True)
    try:
        return subprocess.call(cmd)
    except KeyboardInterrupt:
        return EXIT_OK


def cmd_demo(args) -> int:
    """The demo school from start to paper: validate, solve, check, then the guide, a class's
    attendance sheets and parents' notices (with the demo roster) — no checkout, no make."""
    from instances.demo import demo_files

    files = demo_files()
    out = Path(args.output)
    out.mkdir(parents=True, exist_ok=True)
    plan = out / "example-plan.json"
    steps = [
        ["validate", str(files["instance"]), "--quiet"],
        ["solve", str(files["instance"]), "-o", str(plan), "--time-limit", str(args.time_limit), "--quiet"],
        ["check", str(files["instance"]), str(plan)],
        ["export", str(plan), "--instance", str(files["instance"]), "--what", "guide-pdf", "--out",
         str(out / "guide.pdf")],
        ["export", str(plan), "--instance", str(files["instance"]), "--roster", str(files["roster"]), "--what",
         "attendance", "--out", str(out / "attendance.xlsx")],
        ["export", str(plan), "--instance", str(files["instance"]), "--roster", str(files["roster"]), "--what",
         "notices", "--class", "3-1", "--out", str(out / "notices-3-1.pdf")],
    ]
    for step in steps:
        print(f"$ afterschool {' '.join(step)}", flush=True)
        code = main(step)
        if code != EXIT_OK:
            return code
    print(f"演示完成 demo done: {out}/")
    return EXIT_OK


def cmd_completion(args) -> int:
    import shtab

    print(shtab.complete(build_parser(), shell=args.shell))
    return EXIT_OK


# --------------------------------------------------------------------------- parser


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # usage errors are bad input: exit 2, no traceback
        self.print_usage(sys.stderr)
        print(f"{self.prog}: 参数错误 usage error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_INPUT)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="afterschool",
        description="课后服务排课与人员安排 / after-school service timetabling and staffing (双减 policy R1–R25).",
        epilog="退出码 exit codes: 0 成功 success, 1 方案无效或无解 plan invalid / infeasible, 2 输入有误 bad input, "
               "3 内部错误 internal error, 4 时间限制内没有方案 no plan within the time limit, 130 已中断 interrupted "
               "(Ctrl-C).",
    )
    p.add_argument("--version", action="version", version=f"afterschool {_version()}")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    s = sub.add_parser("validate", help="检查实例文件 check an instance file (JSON or .xlsx)",
                       description="加载实例并列出每个问题（记录、字段、规则、提示）。有错误时退出码 2。"
                                   " Load an instance and list every problem (record, field, rule, hint); exit 2 on errors.")
    s.add_argument("file", help="实例文件 instance file (.json or .xlsx)")
    s.add_argument("--json", action="store_true", help="以 JSON 输出 machine-readable output")
    s.add_argument("--quiet", action="store_true", help="不列出警告 do not list warnings")
    s.set_defaults(func=cmd_validate)

    s = sub.add_parser("check", help="检查方案是否有效 check a plan against its instance",
                       description="按政策规则逐条检查方案（覆盖、硬约束、固定安排、费用与指标重算）。"
                                   " Check a plan against every hard rule, the pins, and recompute its costs and metrics."
                                   " Exit 0 valid, 1 violations, 2 unreadable or rejected input.")
    s.add_argument("instance", help="实例文件 instance file")
    s.add_argument("plan", help="方案文件 plan file")
    s.add_argument("--json", action="store_true", help="以 JSON 输出 machine-readable output")
    s.set_defaults(func=cmd_check)

    s = sub.add_parser("solve", help="用优化器求解 solve with the optimizer (CP-SAT)",
                       description="用 CP-SAT 优化器求解：开班、排时段、分教室、派教职工、分学生，按优先级优化（选课覆盖、志愿名次、"
                                   "经费、负担均衡、本班教师），每个方案都经检查器验证。 Solve with the CP-SAT optimizer; every plan is "
                                   "checked. Exit 0 plan found, 1 infeasible (with explanation), 2 bad input, 4 no plan in time, 130 interrupted (best checked plan written).")
    s.add_argument("instance", help="实例文件 instance file (.json or .xlsx)")
    s.add_argument("-o", "--output", help="方案输出文件 plan output file (default out/<instance>-plan.json)")
    s.add_argument("--time-limit", type=float, default=60.0, help="时间限制（秒）time limit in seconds (default 60)")
    s.add_argument("--workers", type=int, default=2, help="CP-SAT 线程数 workers (default 2; 1 is reproducible)")
    s.add_argument("--seed", type=int, default=1, help="随机种子 random seed (default 1)")
    s.add_argument("--previous", help="上一版方案：尽量少改动 previous plan to stay close to (minimal change)")
    s.add_argument("--progress", action="store_true", help="总是显示进度行 always show the progress line")
    s.add_argument("--quiet", action="store_true", help="不显示进度 no progress line")
    s.add_argument("--cost-cap", action="store_true",
                   help="学期支出不高于先到先得方案（缺省关闭：经费在选课之后优化；R20 收支平衡照常）term cost no higher than the "
                        "FCFS plan's (off by default: cost is minimised after the preferences; R20 still holds)")
    s.add_argument("--json", action="store_true", help="以 JSON 输出摘要 print a machine-readable summary")
    s.add_argument("-v", "--verbose", action="store_true", help="输出 CP-SAT 的搜索日志（stderr）pass CP-SAT's search log "
                                                                   "through to stderr")
    s.set_defaults(func=cmd_solve)

    s = sub.add_parser("baseline", help="先到先得基线方案 first-come-first-served baseline plan",
                       description="模拟报名平台的先到先得（抢课）：按报名顺序选课，不足开班人数的班取消后重新报名，"
                                   "其余时段按班级作业辅导、延时托管和晚自习。 Simulate a sign-up platform (FCFS).")
    s.add_argument("instance", help="实例文件 instance file")
    s.add_argument("-o", "--output", required=True, help="方案输出文件 plan output file (.json)")
    s.add_argument("--seed", type=int, default=None, help="随机报名顺序的种子；缺省按文件顺序 seed for a shuffled arrival order "
                   "(default: file order)")
    s.add_argument("--method", choices=["fcfs", "boston"], default="fcfs",
                   help="fcfs 先到先得（缺省）或 boston 逐志愿抽签 rank-by-rank lottery")
    s.add_argument("--json", action="store_true", help="以 JSON 输出摘要 print a machine-readable summary")
    s.set_defaults(func=cmd_baseline)

    s = sub.add_parser("generate", help="生成逼真的实例 generate a realistic instance",
                       description="按 domain-facts.md 的公开数据生成学校实例（班额、师生比、参与率、延时与晚自习需求、"
                                   "减免、补习、社团、校外人员与机构、场地）。 Generate a school instance from published facts.")
    s.add_argument("--kind", choices=["primary", "junior", "nine_year", "holiday"],
                   help="学段 school kind; holiday: 寒暑假托管 holiday care (afterschool-holiday/1, from a primary school)")
    s.add_argument("--weeks", type=int, default=2, help="托管周数（--kind holiday）weeks of holiday care (default 2)")
    s.add_argument("--students", type=int, help="学生人数 number of students (a profile has its own default)")
    s.add_argument("--profile", choices=sorted(PROFILE_NAMES),
                   help="另一类学校（默认生成器之外）：" + "、".join(sorted(PROFILE_NAMES)) + " a school of another profile "
                        "(instances/profiles.py)")
    s.add_argument("--seed", type=int, default=1, help="随机种子 random seed (default 1)")
    s.add_argument("-o", "--output", required=True, help="输出文件 output file (.json)")
    s.set_defaults(func=cmd_generate)

    s = sub.add_parser("bench", help="基准测试 run the benchmarks",
                       description="在 instances/bench/ 上运行基线与优化器，记录速度、内存、质量，写出 JSON、表格和图。"
                                   " Run the baselines and the optimizer on the stored instance set; write JSON, a table and "
                                   "plots under benchmarks/results/. --quick: S and M primary only (under 10 minutes).")
    s.add_argument("--quick", action="store_true", help="快速子集 quick subset")
    s.add_argument("--label", help="结果目录名 results folder name (default quick/full)")
    s.add_argument("--report-only", action="store_true", help="只汇总已有结果 table and plots of the runs already there")
    s.add_argument("--set", choices=["profiles", "heldout"],
                   help="其他类型学校：调参集 profiles 或留出集 heldout（调参从不看）the profile schools: the tuning set or "
                        "the held-out set (issue 13); default: the classic set")
    s.add_argument("--workers", type=int, default=2, help="CP-SAT 线程数（仅 --set）workers (with --set; default 2)")
    s.set_defaults(func=cmd_bench)

    s = sub.add_parser("template", help="写出空白 Excel 模板 write an empty Excel template",
                       description="写出带表头说明的空白工作簿（学校、政策、时段、班级、场地、课程、教职工、机构、学生）。"
                                   " Write an empty workbook with header notes, one sheet per table.")
    s.add_argument("file", help="输出文件 output .xlsx")
    s.set_defaults(func=cmd_template)

    s = sub.add_parser("schema", help="打印 JSON Schema print the JSON Schema",
                       description="打印实例或方案格式的 JSON Schema。 Print the JSON Schema of the instance or plan format.")
    s.add_argument("which", choices=["instance", "plan", "district"])
    s.set_defaults(func=cmd_schema)

    s = sub.add_parser("convert", help="JSON 与 Excel 互转 convert between JSON and Excel",
                       description="读取实例（.json 或 .xlsx），检查后写成另一种格式。 Read an instance, validate it, write the"
                                   " other format.")
    s.add_argument("input", help="输入 input (.json or .xlsx)")
    s.add_argument("output", help="输出 output (.json or .xlsx)")
    s.add_argument("--quiet", action="store_true", help="不列出警告 do not list warnings")
    s.set_defaults(func=cmd_convert)

    s = sub.add_parser("import-students", help="用报名表替换学生名单 replace registrations from a sheet or CSV",
                       description="把报名系统导出的学生表（.xlsx/.xls/.ods 的“学生”表或 .csv）导入到已有实例，替换其学生报名。"
                                   " Import a students sheet (.xlsx) or CSV into an instance, replacing its registrations.")
    s.add_argument("instance", help="已有实例 existing instance (.json or .xlsx)")
    s.add_argument("table", help="学生表 students table (.xlsx or .csv)")
    s.add_argument("-o", "--output", required=True, help="输出 output (.json or .xlsx)")
    s.add_argument("--quiet", action="store_true", help="不列出警告 do not list warnings")
    s.set_defaults(func=cmd_import_students)

    s = sub.add_parser("export", help="导出学校发放的材料 export what the school hands out",
                       description="由方案导出：课表工作簿（按班级、教师、场地，可打印）、课后服务指南（HTML / PDF，R16）、"
                                   "考勤表（按活动和日期，R21）、教师日历（.ics）。 Export from a plan: the timetable workbook, the "
                                   "service guide (HTML or PDF), attendance sheets, or a teacher's calendar.")
    s.add_argument("plan", help="方案文件 plan file (.json)")
    s.add_argument("--instance", required=True, help="方案对应的实例 the plan's instance (.json or .xlsx)")
    s.add_argument("--what", required=True,
                   choices=["workbook", "guide-html", "guide-pdf", "attendance", "ics", "ics-zip", *PRINT_WHAT],
                   help="导出内容 what to export: workbook 课表工作簿, guide-html/guide-pdf 服务指南, attendance 考勤表, "
                        "ics 教师日历, ics-zip 全部教师日历（zip）, class-pdf 班级课表 PDF, pupil-pdf 学生课表 PDF（每人一页）, notices 家长告知书 PDF"
                        "（每人一页）, class-png 班级课表图片, pupil-png 学生课表图片, class-pngs 班级及每个学生的图片（zip）")
    s.add_argument("--out", required=True, help="输出文件 output file")
    s.add_argument("--teacher", help="教职工工号（--what ics 必填）staff id, required for ics")
    s.add_argument("--class", dest="class_", metavar="CLASS",
                   help="班级编号（pupil-pdf、notices、class-png、class-pngs 必填；class-pdf 缺省为全部班级）class id")
    s.add_argument("--pupil", help="学号（--what pupil-png 必填）student id, required for pupil-png")
    s.add_argument("--roster", help="花名册（学号、姓名、班级、监护人、电话；.xlsx/.xls/.ods/.csv，UTF-8 或 GBK）：只在导出时"
                                    "合并，实例和方案中不保存个人信息 roster file, merged in at export time only")
    s.add_argument("--plan-version", help="方案版本（印在每页页脚；缺省为方案内容指纹）plan version printed in footers "
                                          "(default: a fingerprint of the plan)")
    s.add_argument("--term-start", default="2026-09-01", help="学期第一天 first day of term (default 2026-09-01)")
    s.add_argument("--term-end", help="学期最后一天（缺省为第一天起 term_weeks 周）last day of term (default: term_weeks "
                                      "weeks from the first); 节假日与调休按国务院安排 holidays and make-up days from "
                                      "chinese-calendar")
    s.add_argument("--lang", choices=["zh", "en"], default="zh", help="语言 language (default zh)")
    s.set_defaults(func=cmd_export)

    s = sub.add_parser("district", help="区级排课：多校共享人员 plan a district with shared staff",
                       description="区级运行：主问题把共享的校外人员和机构人员分配到各校（日、时段），各校在 Dask 上并行求解，"
                                   "不能用或不够用的分配退回重分（若干轮）；写出每校方案、区级报告（JSON 与 Excel）并做跨校检查。"
                                   " Plan every school of a district: a master allocation of shared staff, the schools solved in "
                                   "parallel on Dask, re-allocation for a few rounds; writes each plan and the district report, "
                                   "runs the cross-school checks. Exit 0 every school has a valid plan and the district checks "
                                   "pass, 1 otherwise, 2 bad input.")
    s.add_argument("district", help="区级文件 district file (district.json)")
    s.add_argument("-o", "--output", help="输出目录 output folder (default out/<district id>)")
    s.add_argument("--time-limit", type=float, default=60.0, help="每校时间限制（秒）time limit per school (default 60)")
    s.add_argument("--workers", type=int, default=None,
                   help="本机 Dask 工作进程数（缺省为 CPU 核数；1 表示不用集群）local Dask workers (default: cores; 1: in-process)")
    s.add_argument("--scheduler", help="已有 Dask 集群 an existing Dask cluster, e.g. tls://HOST:8786 (tcp:// only on a "
                   "trusted network: anyone who reaches the port can run code)")
    s.add_argument("--tls-ca", help="TLS：签发集群证书的 CA 文件 CA certificate (PEM) of a tls:// cluster")
    s.add_argument("--tls-cert", help="TLS：本客户端证书 this client's certificate (PEM)")
    s.add_argument("--tls-key", help="TLS：本客户端私钥 this client's private key (PEM; omit if in --tls-cert)")
    s.add_argument("--rounds", type=int, default=3, help="分配轮数 allocation rounds (default 3)")
    s.add_argument("--seed", type=int, default=1, help="随机种子 random seed (default 1)")
    s.add_argument("--cost-cap", action="store_true",
                   help="每校支出不高于先到先得方案（缺省关闭：共享人员要能用上；R20 收支平衡照常）each school no costlier than "
                        "its FCFS plan (off by default so allocated shared staff get used; R20 still holds)")
    s.add_argument("--quiet", action="store_true", help="不逐校显示进度 no per-school progress")
    s.add_argument("--json", action="store_true", help="以 JSON 输出区级摘要 print the district summary as JSON")
    s.set_defaults(func=cmd_district)

    s = sub.add_parser("generate-district", help="生成区级示例 generate a district",
                       description="用生成器生成若干学校和共享人员库（教练、民间艺人、一家遴选机构，每人服务 2–5 所学校），"
                                   "学校间路程 10–30 分钟。 Generate a district: schools from the generator and a shared pool of "
                                   "coaches, folk artists and one approved institution serving 2–5 schools each.")
    s.add_argument("--schools", type=int, required=True, help="学校数 number of schools")
    s.add_argument("--students-per-school", type=int, required=True, help="每校学生数 students per school")
    s.add_argument("--seed", type=int, default=1, help="随机种子 random seed (default 1)")
    s.add_argument("-o", "--output", required=True, help="输出目录 output folder (district.json + schools/)")
    s.set_defaults(func=cmd_generate_district)

    s = sub.add_parser("app", help="启动排课应用（浏览器）start the app in the browser",
                       description="启动课后服务排课应用（Streamlit），在浏览器中打开 http://localhost:8501。"
                                   " Start the scheduler's app (Streamlit) at http://localhost:8501.")
    s.add_argument("--port", type=int, default=8501, help="端口 port (default 8501)")
    s.add_argument("--address", default="localhost", help="监听地址 address to listen on (default localhost)")
    s.add_argument("--headless", action="store_true", help="不自动打开浏览器 do not open a browser")
    s.set_defaults(func=cmd_app)

    s = sub.add_parser("demo", help="演示：示例学校求解并导出 the demo school solved and printed",
                       description="用随软件安装的示例学校：检查、求解、检查方案，导出服务指南、考勤表和家长告知书（示例花名册）。"
                                   " Validate, solve and check the demo school installed with the package, then export the "
                                   "guide, attendance sheets and parents' notices (demo roster).")
    s.add_argument("-o", "--output", default="out/demo", help="输出目录 output folder (default out/demo)")
    s.add_argument("--time-limit", type=float, default=20.0, help="时间限制（秒）time limit (default 20)")
    s.set_defaults(func=cmd_demo)

    s = sub.add_parser("db", help="数据库：方案、版本、审计（afterschool db --help）storage: scenarios, versions, audit",
                       description="存储的命令行（与 python -m store 相同）：upgrade、import、list、versions、export、audit。"
                                   " The storage's command line (same as python -m store).", add_help=False)
    s.add_argument("rest", nargs=argparse.REMAINDER, help="afterschool db --help 查看 see")

    s = sub.add_parser("completion", help="输出 shell 补全脚本 print a shell completion script",
                       description="输出 bash/zsh/tcsh 的补全脚本，例如 bash：afterschool completion bash > "
                                   "~/.local/share/bash-completion/completions/afterschool"
                                   " Print a completion script (shtab).")
    s.add_argument("shell", choices=["bash", "zsh", "tcsh"], help="shell")
    s.set_defaults(func=cmd_completion)
    return p


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["db"]:  # the storage's own CLI (`python -m store`), under the one command
        from store.cli import main as store_main

        return store_main(argv[1:])
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except InputRejected as exc:
        report = exc.report
        if getattr(args, "json", False):
            print(report.to_json())
        else:
            print(report.render())
        return EXIT_INPUT
    except UsageError as exc:
        print(f"参数错误 usage error: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print("已中断 interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # `afterschool … | head`: the reader left; nothing to report
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as exc:  # a bug of ours: say so plainly, keep the trace for developers
        print(f"内部错误 internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        print("请把此信息和输入文件发给开发者 / please report this with the input file.", file=sys.stderr)
        if "AFTERSCHOOL_DEBUG" in __import__("os").environ:
            traceback.print_exc()
        return EXIT_INTERNAL

