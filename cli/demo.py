"""`demo`: the demo school from start to paper, through the commands themselves."""

from __future__ import annotations

from pathlib import Path

from cli.common import EXIT_OK
from instances.demo import demo_files


def cmd_demo(args) -> int:
    """The demo school from start to paper: validate, solve, check, then the guide, a class's
    attendance sheets and parents' notices (with the demo roster) — no checkout, no make."""
    files = demo_files()
    out = Path(args.output)
    out.mkdir(parents=True, exist_ok=True)
    plan = out / "example-plan.json"
    steps = [
        ["validate", str(files["instance"]), "--quiet"],
        ["solve", str(files["instance"]), "-o", str(plan), "--time-limit", str(args.time_limit), "--quiet"],
        ["check", str(files["instance"]), str(plan)],
        [
            "export",
            str(plan),
            "--instance",
            str(files["instance"]),
            "--what",
            "guide-pdf",
            "--out",
            str(out / "guide.pdf"),
        ],
        [
            "export",
            str(plan),
            "--instance",
            str(files["instance"]),
            "--roster",
            str(files["roster"]),
            "--what",
            "attendance",
            "--out",
            str(out / "attendance.xlsx"),
        ],
        [
            "export",
            str(plan),
            "--instance",
            str(files["instance"]),
            "--roster",
            str(files["roster"]),
            "--what",
            "notices",
            "--class",
            "3-1",
            "--out",
            str(out / "notices-3-1.pdf"),
        ],
    ]
    for step in steps:
        print(f"$ afterschool {' '.join(step)}", flush=True)
        code = args.run(step)  # cli.main, handed over by it (importing it here would be a cycle)
        if code != EXIT_OK:
            return code
    print(f"演示完成 demo done: {out}/")
    return EXIT_OK
