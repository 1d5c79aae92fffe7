"""`district` (plan every school of a district on Dask) and `generate-district`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from cli.common import EXIT_INVALID, EXIT_OK, UsageError, positive_finite, writable


def cmd_district(args) -> int:
    from solver.district.load import load_district
    from solver.district.outputs import finish, summary_text, write_outputs
    from solver.district.run import TLS, EngineError, Options, run_district

    if not positive_finite(args.time_limit) or (args.workers is not None and args.workers < 1) or args.rounds < 1:
        raise UsageError("--time-limit、--workers 与 --rounds 须为正数 / must be positive (and finite)")
    LD = load_district(args.district)
    writable(str(Path(args.output or Path("out") / LD.district.district.id) / "district-report.json"))
    tls = TLS(args.tls_ca, args.tls_cert, args.tls_key)
    if tls.given and not args.scheduler:
        raise UsageError("--tls-* 只用于 --scheduler tls://… / --tls-* options need --scheduler tls://…")
    if args.scheduler and args.scheduler.startswith("tcp://") and not _loopback(args.scheduler):
        print(
            "注意 note: tcp:// 不加密也不认证：能连到该端口的人都能在集群上运行代码。"
            "请用 tls:// 和 --tls-ca/--tls-cert/--tls-key。 / "
            "tcp:// is neither encrypted nor authenticated: anyone who reaches the port can run code "
            "on the cluster. Use tls:// with --tls-ca/--tls-cert/--tls-key.",
            file=sys.stderr,
        )
    if not args.json:
        for w in LD.warnings:
            print(w.render())
    quiet = args.quiet or args.json
    opts = Options(
        time_limit=args.time_limit,
        workers=args.workers,
        scheduler=args.scheduler,
        tls=tls,
        rounds=args.rounds,
        seed=args.seed,
        cost_cap=args.cost_cap,
        progress=None if quiet else (lambda line: print(line, flush=True)),
    )
    try:
        run = run_district(LD, opts)
    except EngineError as exc:
        raise UsageError(str(exc)) from None
    _check, report = finish(run)
    outdir = args.output or str(Path("out") / LD.district.district.id)
    written = write_outputs(run, report, outdir)
    if args.json:
        print(
            json.dumps(
                {"output": outdir, "files": [str(w) for w in written], "summary": report["summary"]},
                ensure_ascii=False,
                indent=1,
                default=str,
            )
        )
        return EXIT_OK if report["summary"]["all_valid"] else EXIT_INVALID
    print(summary_text(report))
    print(
        f"输出 written to {outdir}/（{len(written)} 个文件 files：每校方案 plans, district-report.json, "
        "district-report.xlsx, allocation.json）"
    )
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
    print(
        f"{path}: {d.district.name}，{len(d.schools)} 所学校 schools，共享人员 shared pool {len(d.pool)} 人 people，"
        f"机构 institutions {len(d.institutions)}"
    )
    return EXIT_OK
