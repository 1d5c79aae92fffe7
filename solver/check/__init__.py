"""The plan checker, written from `policy-rules.md` and `formats.md` alone, never from the code
that builds plans, so it catches that code's mistakes.

- `rules`: one function per rule (or rule group) yielding `Violation(rule, Text(zh, en), records)`;
- `report`: the numbers a plan reports, recomputed from the rules, and the entry points;
- `assemble`: every planner's activities become a plan here, checked before anyone sees it.

`solver/rules.py` names, for every rule code, the check functions that verify it.
"""

from solver.check.report import (
    CheckResult,
    check_activities,
    check_plan,
    compliance,
    costs,
    metrics,
    plan_frame,
    reported_numbers,
    staff_days,
)
from solver.check.rules import RULE_CHECKS, View, Violation, pins, r14_off_campus, sessions

__all__ = [
    "RULE_CHECKS",
    "CheckResult",
    "View",
    "Violation",
    "check_activities",
    "check_plan",
    "compliance",
    "costs",
    "metrics",
    "pins",
    "plan_frame",
    "r14_off_campus",
    "reported_numbers",
    "sessions",
    "staff_days",
]
