"""The instance format `afterschool-instance/1` (../shared/spec/formats.md), field for field.

These models only say what a well-formed file looks like. The checks that need more than one
record (ids, references, policy rules R2/R6/R8/R13/R18/R19) live in `models.validate`.
"""

from __future__ import annotations

from typing import Annotated, Final, Literal

from pydantic import Field, StrictBool, StrictInt

from models.common import Day, Money, Name, RecordId, Slot, Strict, Time, not_null

Id = RecordId  # in an instance every id is 1–64 characters without control characters

INSTANCE_FORMAT: Final = "afterschool-instance/1"

Stage = Literal["primary", "junior", "senior", "nine_year"]
PeriodKind = Literal["basic", "extended", "evening"]
Category = Literal[
    "homework",
    "tutoring",
    "extension",
    "science",
    "sports",
    "arts",
    "labour",
    "reading",
    "film",
    "interest_group",
    "club",
    "thematic",
    "online",
    "care",
    "evening_study",
]
Level = Literal["support", "standard", "advanced"]
StaffKind = Literal[
    "teacher",
    "retired_teacher",
    "parent",
    "university_student",
    "coach",
    "folk_artist",
    "craftsman",
    "heritage_inheritor",
    "institution_staff",
]
Grade = Annotated[StrictInt, Field(ge=1, le=12)]
Count = Annotated[StrictInt, Field(ge=0)]
Positive = Annotated[StrictInt, Field(ge=1)]
NonNegMoney = Annotated[Money, Field(ge=0)]


# The ranges of formats.md ("Ranges") are written out as `Annotated[...]` in each field: a type
# made by a function call is one mypy cannot read.
DayMinutes = Annotated[StrictInt, Field(ge=0, le=1440)]
Pay = Annotated[Money, Field(ge=0, le=10_000)]

# Categories a student never chooses: they are assigned by the school (formats.md, warnings).
NON_ELECTIVE: frozenset[str] = frozenset({"homework", "tutoring", "care", "evening_study"})
ELECTIVE: frozenset[str] = frozenset(
    {
        "extension",
        "science",
        "sports",
        "arts",
        "labour",
        "reading",
        "film",
        "interest_group",
        "club",
        "thematic",
        "online",
    }
)
STAGE_GRADES: dict[str, range] = {
    "primary": range(1, 7),
    "junior": range(7, 10),
    "senior": range(10, 13),
    "nine_year": range(1, 10),
}
DEFAULT_WAIVERS: tuple[str, ...] = ("建档立卡", "低保")


class School(Strict):
    id: Id
    name: Name
    stage: Stage


class Policy(Strict):
    """Every parameter of `policy-rules.md` with its default; the rule code is in the comment."""

    off_work_time: Time = "17:30"  # R4
    basic_block_minutes: DayMinutes = 120  # R3
    evening_max_minutes: DayMinutes = 120  # R6
    evening_latest_end: Time = "20:30"  # R6
    fee_per_term: NonNegMoney = 300  # R18
    min_teacher_pay_per_period: Pay = 70  # R19
    term_weeks: Annotated[StrictInt, Field(ge=1, le=52)] = 18  # R20
    subsidy_per_term: Annotated[Money, Field(ge=0, le=10_000_000_000)] = 0  # R20
    budget_must_balance: StrictBool = False  # R20
    max_group_size: Annotated[StrictInt, Field(ge=1, le=1000)] = 45  # R21
    max_care_group_size: Annotated[StrictInt, Field(ge=1, le=1000)] = 30  # R21
    homework_min_periods_per_day: Annotated[StrictInt, Field(ge=0, le=12)] = 1  # R9
    tutoring_sessions_per_week: Annotated[StrictInt, Field(ge=0, le=7)] = 1  # R10
    max_onsite_minutes: DayMinutes = 600  # R24
    min_rest_minutes: DayMinutes = 660  # R24
    min_venue_minutes: DayMinutes = 30  # R14
    offsite_min_staff: Annotated[StrictInt, Field(ge=1, le=20)] = 2  # R14
    fee_waiver_categories: list[str] = Field(default_factory=lambda: list(DEFAULT_WAIVERS))  # R18


class Period(Strict):
    id: Id
    start: Time
    end: Time
    kind: PeriodKind


class SchoolClass(Strict):
    id: Id
    grade: Grade
    homeroom: Id


class Room(Strict):
    id: Id
    name: Name
    kind: Id
    capacity: Annotated[StrictInt, Field(ge=0, le=10_000)]
    off_campus: StrictBool = False
    travel_minutes: Annotated[StrictInt, Field(ge=0, le=600)] = 0
    unavailable: list[Slot] = Field(default_factory=list)


def _basic_only() -> list[PeriodKind]:
    return ["basic"]


class Course(Strict):
    id: Id
    name: Name
    category: Category
    subject: str | None = None
    grades: list[Grade]
    level: Level | None = None
    new_lesson: StrictBool = False
    sessions_per_week: Annotated[StrictInt, Field(ge=1, le=7)]
    periods_per_session: Annotated[StrictInt, Field(ge=1, le=12)]
    period_kinds: list[PeriodKind] = Field(default_factory=_basic_only)
    min_size: Annotated[StrictInt, Field(ge=0, le=1000)]
    max_size: Annotated[StrictInt, Field(ge=1, le=1000)]
    max_sections: Annotated[StrictInt, Field(ge=0, le=10_000)]
    room_kinds: list[Id]
    qualification: str | None = None
    staff_per_section: Annotated[StrictInt, Field(ge=1, le=20)] = 1


class Duty(Strict):
    day: Day
    start: Time
    end: Time


class Staff(Strict):
    id: Id
    name: Name
    kind: StaffKind
    institution: Id | None = None
    qualifications: list[str] = Field(default_factory=list)
    subjects: list[str] = Field(default_factory=list)
    classes: list[Id] = Field(default_factory=list)
    certified: StrictBool = False
    violation_record: StrictBool = False
    pay_per_period: Pay
    max_periods_per_week: Annotated[StrictInt, Field(ge=0, le=100)]
    max_periods_per_day: Annotated[StrictInt, Field(ge=0, le=24)]
    unavailable: list[Slot] = Field(default_factory=list)
    duties: list[Duty] = Field(default_factory=list)


class Institution(Strict):
    id: Id
    name: Name
    approved: StrictBool
    violation_record: StrictBool


class Student(Strict):
    id: Id
    class_: Id = Field(alias="class")
    days: list[Day]
    extended_days: list[Day] = Field(default_factory=list)
    evening_days: list[Day] = Field(default_factory=list)
    fee_waiver: str | None = None
    choices: list[Id] = Field(default_factory=list)
    electives_per_week: Annotated[StrictInt, Field(ge=0, le=20)] = 1
    tutoring: list[str] = Field(default_factory=list)
    advanced: StrictBool = False

    model_config = Strict.model_config | {"populate_by_name": True, "serialize_by_alias": True}


class Pin(Strict):
    """Part of a previous plan a re-solve keeps; a field left out is not pinned."""

    activity: Id
    staff: list[Id] | None = Field(None, json_schema_extra=not_null)
    room: Id | None = Field(None, json_schema_extra=not_null)
    slots: list[Slot] | None = Field(None, json_schema_extra=not_null)
    students: list[Id] | None = Field(None, json_schema_extra=not_null)


class Instance(Strict):
    """Everything a school knows before planning."""

    format: Literal["afterschool-instance/1"]
    school: School
    policy: Policy = Field(default_factory=Policy)
    days: list[Day]
    periods: list[Period]
    classes: list[SchoolClass]
    rooms: list[Room]
    courses: list[Course]
    staff: list[Staff]
    institutions: list[Institution] = Field(default_factory=list)
    students: list[Student]
    pins: list[Pin] = Field(default_factory=list)
    previous_plan: str | None = Field(None, json_schema_extra=not_null)

    def to_json_dict(self) -> dict:
        """The file form: every field written out, aliases (`class`) restored.

        Optional fields the format does not allow to be null (`previous_plan`, a pin's
        `staff`/`room`/`slots`/`students`) are left out when unset, never written as null.
        """
        data = self.model_dump(mode="json", by_alias=True)
        if data.get("previous_plan") is None:
            data.pop("previous_plan", None)
        data["pins"] = [{k: v for k, v in pin.items() if v is not None} for pin in data["pins"]]
        return data


# The lists of records with ids, in file order, and the model of one record of each.
RECORD_LISTS: dict[str, type[Strict]] = {
    "periods": Period,
    "classes": SchoolClass,
    "rooms": Room,
    "courses": Course,
    "staff": Staff,
    "institutions": Institution,
    "students": Student,
}
