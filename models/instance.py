"""The instance format `afterschool-instance/1` (../shared/spec/formats.md), field for field.

These models only say what a well-formed file looks like. The checks that need more than one
record (ids, references, policy rules R2/R6/R8/R13/R18/R19) live in `models.validate`.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StrictBool, StrictInt

from models.common import Day, Id, Money, Slot, Strict, Time

INSTANCE_FORMAT = "afterschool-instance/1"

Stage = Literal["primary", "junior", "senior", "nine_year"]
PeriodKind = Literal["basic", "extended", "evening"]
Category = Literal[
    "homework", "tutoring", "extension", "science", "sports", "arts", "labour", "reading",
    "film", "interest_group", "club", "thematic", "online", "care", "evening_study",
]
Level = Literal["support", "standard", "advanced"]
StaffKind = Literal[
    "teacher", "retired_teacher", "parent", "university_student", "coach", "folk_artist",
    "craftsman", "heritage_inheritor", "institution_staff",
]
Grade = Annotated[StrictInt, Field(ge=1, le=12)]
Count = Annotated[StrictInt, Field(ge=0)]
Positive = Annotated[StrictInt, Field(ge=1)]
NonNegMoney = Annotated[Money, Field(ge=0)]

# Categories a student never chooses: they are assigned by the school (formats.md, warnings).
NON_ELECTIVE: frozenset[str] = frozenset({"homework", "tutoring", "care", "evening_study"})
ELECTIVE: frozenset[str] = frozenset(
    {"extension", "science", "sports", "arts", "labour", "reading", "film", "interest_group",
     "club", "thematic", "online"}
)
STAGE_GRADES: dict[str, range] = {
    "primary": range(1, 7), "junior": range(7, 10), "senior": range(10, 13),
    "nine_year": range(1, 10),
}
DEFAULT_WAIVERS: tuple[str, ...] = ("建档立卡", "低保")


class School(Strict):
    id: Id
    name: str
    stage: Stage


class Policy(Strict):
    """Every parameter of `policy-rules.md` with its default; the rule code is in the comment."""

    off_work_time: Time = "17:30"  # R4
    basic_block_minutes: Count = 120  # R3
    evening_max_minutes: Count = 120  # R6
    evening_latest_end: Time = "20:30"  # R6
    fee_per_term: NonNegMoney = 300  # R18
    min_teacher_pay_per_period: NonNegMoney = 70  # R19
    term_weeks: Positive = 18  # R20
    subsidy_per_term: NonNegMoney = 0  # R20
    budget_must_balance: StrictBool = False  # R20
    max_group_size: Positive = 45  # R21
    max_care_group_size: Positive = 30  # R21
    homework_min_periods_per_day: Count = 1  # R9
    tutoring_sessions_per_week: Count = 1  # R10
    max_onsite_minutes: Count = 600  # R24
    min_rest_minutes: Count = 660  # R24
    min_venue_minutes: Count = 30  # R14
    offsite_min_staff: Positive = 2  # R14
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
    name: str
    kind: Id
    capacity: Count
    off_campus: StrictBool = False
    travel_minutes: Count = 0
    unavailable: list[Slot] = Field(default_factory=list)


class Course(Strict):
    id: Id
    name: str
    category: Category
    subject: str | None = None
    grades: list[Grade]
    level: Level | None = None
    new_lesson: StrictBool = False
    sessions_per_week: Positive
    periods_per_session: Positive
    period_kinds: list[PeriodKind] = Field(default_factory=lambda: ["basic"])
    min_size: Count
    max_size: Positive
    max_sections: Count
    room_kinds: list[Id]
    qualification: str | None = None
    staff_per_section: Count = 1


class Duty(Strict):
    day: Day
    start: Time
    end: Time


class Staff(Strict):
    id: Id
    name: str
    kind: StaffKind
    institution: Id | None = None
    qualifications: list[str] = Field(default_factory=list)
    subjects: list[str] = Field(default_factory=list)
    classes: list[Id] = Field(default_factory=list)
    certified: StrictBool = False
    violation_record: StrictBool = False
    pay_per_period: NonNegMoney
    max_periods_per_week: Count
    max_periods_per_day: Count
    unavailable: list[Slot] = Field(default_factory=list)
    duties: list[Duty] = Field(default_factory=list)


class Institution(Strict):
    id: Id
    name: str
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
    electives_per_week: Count = 1
    tutoring: list[str] = Field(default_factory=list)
    advanced: StrictBool = False

    model_config = Strict.model_config | {"populate_by_name": True, "serialize_by_alias": True}


class Pin(Strict):
    """Part of a previous plan a re-solve keeps; a field left out (null) is not pinned."""

    activity: Id
    staff: list[Id] | None = None
    room: Id | None = None
    slots: list[Slot] | None = None
    students: list[Id] | None = None


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
    previous_plan: str | None = None

    def to_json_dict(self) -> dict:
        """The file form: every field written out, aliases (`class`) restored."""
        return self.model_dump(mode="json", by_alias=True)


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
