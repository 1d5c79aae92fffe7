"""Holiday care (R7) as a layer over the term-time planner: one regular weekly instance per chosen
week, solved by `optimize()` and checked by `check_plan()` — the optimizer and the checker are
the term's, unchanged.

Expansion of a week (`week_instance`): the day's periods become basic-service periods; each age
group becomes a class (its room the homeroom; its children count as its youngest grade for course
eligibility); supervised group care is the class's homework group of term time (a course of
category `homework` named 看护与自主活动 is added when the catalogue has none); only the volunteers
available that week are staff (no duty windows in the holidays); only the children registered for
that week are pupils, on their days; the policy's weekly fee and subsidy are one "term" of one
week, and there is no homework minimum (R9 is a term-time rule). The holiday plan
(`afterschool-holiday-plan/1`) holds each week's plan with the sha256 of its weekly instance, so
`check` re-expands the holiday file and checks every week again.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from models.holiday import PERIOD_KIND_LABELS, HolidayInstance, Week
from models.load import Loaded, load_bytes
from models.plan import Plan

if TYPE_CHECKING:
    from solver.check import CheckResult

PLAN_FORMAT = "afterschool-holiday-plan/1"
CARE_COURSE = "HCARE"


def _care_course(H: HolidayInstance) -> dict | None:
    if any(c.category == "homework" for c in H.courses):
        return None
    grades = sorted({g for grp in H.groups for g in grp.grades})
    kinds = sorted({r.kind for r in H.rooms if any(r.id == g.room for g in H.groups)} | {"classroom"})
    return {
        "id": CARE_COURSE,
        "name": "看护与自主活动",
        "category": "homework",
        "subject": None,
        "grades": grades,
        "level": None,
        "new_lesson": False,
        "sessions_per_week": 5,
        "periods_per_session": 1,
        "period_kinds": ["basic"],
        "min_size": 1,
        "max_size": H.policy.max_group_size,
        "max_sections": 99,
        "room_kinds": kinds,
        "qualification": None,
        "staff_per_section": 1,
    }


def week_instance(H: HolidayInstance, week: Week) -> dict:
    """The regular instance (formats.md) of one holiday week."""
    p = H.policy
    periods = sorted(H.periods, key=lambda x: x.start)
    courses = [{**c.model_dump(mode="json", by_alias=True), "period_kinds": ["basic"]} for c in H.courses]
    care = _care_course(H)
    if care:
        courses.append(care)
    staff = []
    for v in H.staff:
        if week.id not in v.weeks:
            continue
        d = v.model_dump(mode="json", by_alias=True, exclude={"weeks"})
        d["duties"] = []  # no school-day duties in the holidays
        d["unavailable"] = [s for s in d["unavailable"] if s["day"] in week.days]
        staff.append(d)
    students = []
    for c in H.children:
        if week.id not in c.weeks:
            continue
        days = [d for d in (c.days if c.days is not None else week.days) if d in week.days]
        students.append(
            {
                "id": c.id,
                "class": c.group,
                "days": days,
                "extended_days": [],
                "evening_days": [],
                "fee_waiver": c.fee_waiver,
                "choices": list(c.choices),
                "electives_per_week": c.electives_per_week,
                "tutoring": [],
                "advanced": c.advanced,
            }
        )
    return {
        "format": "afterschool-instance/1",
        "school": H.school.model_dump(mode="json"),
        "policy": {
            "off_work_time": periods[-1].end if periods else "17:30",
            "basic_block_minutes": 120,
            "evening_max_minutes": 120,
            "evening_latest_end": "20:30",
            "fee_per_term": p.fee_per_week,
            "min_teacher_pay_per_period": p.min_teacher_pay_per_period,
            "term_weeks": 1,
            "subsidy_per_term": p.subsidy_per_week,
            "budget_must_balance": p.budget_must_balance,
            "max_group_size": p.max_group_size,
            "max_care_group_size": p.max_care_group_size,
            "homework_min_periods_per_day": 0,
            "tutoring_sessions_per_week": 0,
            "max_onsite_minutes": p.max_onsite_minutes,
            "min_rest_minutes": p.min_rest_minutes,
            "min_venue_minutes": p.min_venue_minutes,
            "offsite_min_staff": p.offsite_min_staff,
            "fee_waiver_categories": list(p.fee_waiver_categories),
        },
        "days": list(week.days),
        "periods": [{"id": x.id, "start": x.start, "end": x.end, "kind": "basic"} for x in periods],
        "classes": [{"id": g.id, "grade": min(g.grades), "homeroom": g.room} for g in H.groups],
        "rooms": [r.model_dump(mode="json", by_alias=True) for r in H.rooms],
        "courses": courses,
        "staff": staff,
        "institutions": [i.model_dump(mode="json", by_alias=True) for i in H.institutions],
        "students": students,
    }


def week_loaded(H: HolidayInstance, week: Week, source: str = "holiday") -> Loaded:
    """The week's instance, loaded and validated like any instance (its problems name the week)."""
    text = json.dumps(week_instance(H, week), ensure_ascii=False, indent=1) + "\n"
    return load_bytes(text.encode("utf-8"), f"{source}#{week.id}")


@dataclass
class WeekResult:
    week: Week
    loaded: Loaded
    plan: Plan
    valid: bool
    violations: list = field(default_factory=list)


def solve_holiday(
    H: HolidayInstance,
    time_limit: float = 30.0,
    workers: int = 2,
    seed: int = 1,
    stop=None,
    progress=None,
    source: str = "holiday",
) -> list[WeekResult]:
    """Every chosen week: expand, optimize, check. Weeks with no child registered are skipped."""
    from solver.check import check_plan
    from solver.optimize import Options, optimize

    out = []
    for week in H.weeks:
        if not any(week.id in c.weeks for c in H.children):
            continue
        L = week_loaded(H, week, source)
        plan, _violations, _report = optimize(
            L, Options(time_limit=time_limit, workers=workers, seed=seed, stop=stop, progress=progress)
        )
        result = check_plan(L, plan)
        out.append(
            WeekResult(week, L, plan, result.valid and plan.status in ("optimal", "feasible"), result.violations)
        )
        if stop is not None and stop.is_set():
            break
    return out


def holiday_plan_json(H: HolidayInstance, results: list[WeekResult]) -> str:
    weeks = []
    for r in results:
        weeks.append(
            {
                "week": r.week.id,
                "start": r.week.start,
                "instance_sha256": r.loaded.sha256,
                "plan": json.loads(r.plan.to_json()),
            }
        )
    total_fee = sum(r.plan.costs.fee_income_per_term for r in results)
    total_pay = sum(r.plan.costs.staff_pay_per_term for r in results)
    doc = {
        "format": PLAN_FORMAT,
        "school": H.school.id,
        "holiday": H.name,
        "weeks": weeks,
        "summary": {
            "weeks": len(results),
            "valid_weeks": sum(r.valid for r in results),
            "children": len(H.children),
            "fee_income": total_fee,
            "staff_pay": total_pay,
            "subsidy": H.policy.subsidy_per_week * len(results),
        },
    }
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def check_holiday_plan(H: HolidayInstance, doc: dict, source: str = "holiday") -> list[tuple[str, CheckResult]]:
    """(week id, CheckResult) for every week of a holiday plan, re-expanded from the holiday file."""
    from solver.check import check_plan

    weeks = {w.id: w for w in H.weeks}
    out = []
    for entry in doc.get("weeks", []):
        week = weeks.get(entry.get("week"))
        if week is None:
            raise ValueError(f"方案中的周次 {entry.get('week')} 不在托管文件中 / week not in the holiday file")
        L = week_loaded(H, week, source)
        out.append((week.id, check_plan(L, Plan.model_validate(entry["plan"]))))
    return out


def period_kind_label(kind: str) -> str:
    return PERIOD_KIND_LABELS.get(kind, kind)


def monday(d: dt.date) -> dt.date:
    return d - dt.timedelta(days=d.weekday())
