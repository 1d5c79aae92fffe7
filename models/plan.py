"""The plan format `afterschool-plan/1` (../shared/spec/formats.md), field for field."""

from __future__ import annotations

import json
from typing import Final, Literal

from pydantic import ConfigDict, Field, StrictBool, StrictInt

from models.common import Day, FiniteFloat, Id, Money, Slot, Strict, Time
from models.instance import ELECTIVE

PLAN_FORMAT: Final = "afterschool-plan/1"

ActivityKind = Literal["homework", "elective", "tutoring", "extended_care", "evening_study"]
Status = Literal["optimal", "feasible", "infeasible", "unknown"]
Number = StrictInt | FiniteFloat  # formats.md: every number is finite

# Which course categories each activity kind runs (formats.md, "Activities").
KIND_CATEGORIES: dict[str, frozenset[str]] = {
    "homework": frozenset({"homework"}),
    "tutoring": frozenset({"tutoring"}),
    "extended_care": frozenset({"care"}),
    "evening_study": frozenset({"evening_study"}),
    "elective": ELECTIVE,
}
CATEGORY_KIND: dict[str, str] = {cat: kind for kind, cats in KIND_CATEGORIES.items() for cat in cats}
RULE_CODES: tuple[str, ...] = tuple(f"R{i}" for i in range(1, 26))


class InstanceRef(Strict):
    school: Id
    sha256: str


class Activity(Strict):
    id: Id
    course: Id
    kind: ActivityKind
    class_: Id | None = Field(alias="class")
    slots: list[Slot]
    room: Id
    staff: list[Id]
    students: list[Id]

    model_config = Strict.model_config | {"populate_by_name": True, "serialize_by_alias": True}


class StaffDay(Strict):
    staff: Id
    day: Day
    arrive: Time
    leave: Time
    service_periods: StrictInt
    minutes_after_off_work: StrictInt


class StaffCost(Strict):
    staff: Id
    periods_per_week: StrictInt
    pay_per_term: Money


class Costs(Strict):
    staff_pay_per_week: Money
    staff_pay_per_term: Money
    fee_income_per_term: Money
    subsidy_per_term: Money
    balance_per_term: Money
    per_staff: list[StaffCost]


class Compliance(Strict):
    rule: str
    ok: StrictBool
    detail: str


class Explanation(Strict):
    rule: str
    detail: str
    records: list[str]


class Metrics(Strict):
    """The metrics formats.md defines; a plan may carry more (extra fields are kept)."""

    model_config = ConfigDict(extra="allow", strict=True)

    students: StrictInt
    students_served: StrictInt
    electives_requested: StrictInt
    electives_assigned: StrictInt
    first_choice_rate: Number
    any_choice_rate: Number
    rank_histogram: dict[str, StrictInt]
    staff_used: StrictInt
    external_staff_used: StrictInt
    max_staff_load: StrictInt
    min_staff_load: StrictInt


class Plan(Strict):
    format: Literal["afterschool-plan/1"]
    instance: InstanceRef
    status: Status
    objective: Number | None
    bound: Number | None
    solve_seconds: Number
    activities: list[Activity]
    staff_days: list[StaffDay]
    costs: Costs
    compliance: list[Compliance]
    metrics: Metrics
    explanation: list[Explanation]
    warnings: list[str]

    def to_json(self) -> str:
        return json.dumps(self.model_dump(mode="json", by_alias=True), ensure_ascii=False, indent=1) + "\n"
