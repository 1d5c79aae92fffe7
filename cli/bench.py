"""`bench`: the benchmark harness (benchmarks/harness.py)."""

from __future__ import annotations

from cli.common import EXIT_OK


def cmd_bench(args) -> int:
    from benchmarks.harness import main as bench

    out = bench(quick=args.quick, label=args.label, report_only=args.report_only, group=args.set, workers=args.workers)
    print(f"结果 results: {out}")
    return EXIT_OK
