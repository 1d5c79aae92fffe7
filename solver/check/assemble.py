"""Turn a planner's decisions (activities) into a plan file, checked before anyone sees it.

Every planner — the FCFS baseline, the optimizer — ends here. The plan's reported numbers
(staff days, costs, metrics, compliance) come from the checker's recomputation, and a plan
whose activities break a hard rule is never labelled valid: its status becomes `unknown` and
each violation is listed in its warnings.
"""

from __future__ import annotations

from models.load import Loaded
from models.plan import PLAN_FORMAT, Activity, Explanation, InstanceRef, Plan, Status
from solver.check.report import check_activities, compliance, costs, metrics, staff_days
from solver.check.rules import View, Violation


def assemble(
    loaded: Loaded,
    activities: list[Activity],
    *,
    status: Status,
    seconds: float,
    objective: float | None = None,
    bound: float | None = None,
    warnings: list[str] | None = None,
    explanation: list[Explanation] | None = None,
) -> tuple[Plan, list[Violation]]:
    """The plan and the hard-rule violations of its activities (empty for a valid plan)."""
    notes = [f"[{w.rule}] {w.where}: {w.message} / {w.message_en}" for w in loaded.warnings]
    notes += warnings or []
    view = View(loaded, activities)
    violations = check_activities(loaded, view)
    if violations and status in ("optimal", "feasible"):
        status = "unknown"
        notes.append(
            f"方案未通过检查，共 {len(violations)} 处违反，不可使用 / the plan failed the checker "
            f"with {len(violations)} violations and must not be used"
        )
        notes += [x.render() for x in violations[:200]]
    plan = Plan(
        format=PLAN_FORMAT,
        instance=InstanceRef(school=loaded.instance.school.id, sha256=loaded.sha256),
        status=status,
        objective=objective,
        bound=bound,
        solve_seconds=round(seconds, 3),
        activities=activities,
        staff_days=staff_days(loaded, view),
        costs=costs(loaded, view),
        compliance=compliance(loaded, violations, view),
        metrics=metrics(loaded, view),
        explanation=explanation or [],
        warnings=notes,
    )
    return plan, violations
