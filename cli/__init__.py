"""`afterschool`: the command line. Thin: it reads files, calls the library, prints, sets exit codes.

Exit codes: 0 success; 1 plan invalid or no plan (infeasible, with its explanation); 2 bad or
unreadable input; 3 internal error (a bug: please report it); 4 no plan within the time limit;
130 interrupted (Ctrl-C: a solve stops and writes the best checked plan it has).
Bad input never produces a traceback: every problem is listed with record, field and rule.
"""

from __future__ import annotations

import sys
import traceback

from cli.common import (
    EXIT_INPUT,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_INVALID,
    EXIT_NO_PLAN_IN_TIME,
    EXIT_OK,
    UsageError,
)
from cli.parser import build_parser
from models.problems import InputRejected

__all__ = [
    "EXIT_INPUT",
    "EXIT_INTERNAL",
    "EXIT_INTERRUPTED",
    "EXIT_INVALID",
    "EXIT_NO_PLAN_IN_TIME",
    "EXIT_OK",
    "UsageError",
    "build_parser",
    "main",
]


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["db"]:  # the storage's own CLI (`python -m store`), under the one command
        from store.cli import main as store_main

        return store_main(argv[1:])
    args = build_parser().parse_args(argv)
    args.run = main  # commands made of commands (`demo`) run them through this same entry
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
