"""The district format `afterschool-district/1`, field for field (see `solver/district/README.md`).

Strict like `models/instance.py`: unknown fields, wrong types and missing required fields are
errors. The cross-record checks (ids, references, R12/R13 of the pool) live in
`solver/district/load.py`.
"""

from __future__ import annotations

from typing import Annotated, Final, Literal

from pydantic import Field, StrictFloat, StrictInt

from models.common import Day, Id, Strict
from models.instance import Count, Institution, Positive, Staff

DISTRICT_FORMAT: Final = "afterschool-district/1"

Score = Annotated[StrictInt | StrictFloat, Field(ge=0)]


class DistrictInfo(Strict):
    id: Id
    name: str


class DistrictSchool(Strict):
    """One school: its instance file (relative to the district file) and an optional end-of-term
    satisfaction score (R22; any scale where higher is better, e.g. 0–100)."""

    id: Id
    instance: Id
    satisfaction: Score | None = None


class PoolSlot(Strict):
    """When a shared person cannot serve: a whole day (`period` and `school` left out), one period id
    at every school that has it, or one period at one school."""

    day: Day
    period: Id | None = None
    school: Id | None = None


class PoolStaff(Staff):
    """A shared external person or institution staff member: an instance staff record (formats.md)
    plus the schools they may serve. `max_periods_per_week` and `max_periods_per_day` count all
    schools together (R25); `unavailable` names days, periods or schools (period ids differ
    between schools)."""

    # days, periods or schools rather than Slots: PoolStaff reuses Staff's fields and is never used as a Staff
    unavailable: list[PoolSlot] = Field(default_factory=list)  # type: ignore[assignment]
    schools: list[Id] = Field(min_length=1)
    max_schools_per_day: Positive | None = None


class Travel(Strict):
    """Minutes from one school to another (the same both ways unless the reverse is listed too)."""

    from_: Id = Field(alias="from")
    to: Id
    minutes: Count

    model_config = Strict.model_config | {"populate_by_name": True, "serialize_by_alias": True}


class Defaults(Strict):
    """`max_schools_per_day` for people without their own; `travel_minutes` for pairs of schools not
    listed (null: one person never serves such a pair on the same day)."""

    max_schools_per_day: Positive = 2
    travel_minutes: Count | None = None


class District(Strict):
    format: Literal["afterschool-district/1"]
    district: DistrictInfo
    schools: list[DistrictSchool]
    pool: list[PoolStaff] = Field(default_factory=list)
    institutions: list[Institution] = Field(default_factory=list)
    travel_minutes: list[Travel] = Field(default_factory=list)
    defaults: Defaults = Field(default_factory=Defaults)

    def to_json_dict(self) -> dict:
        return self.model_dump(mode="json", by_alias=True)


RECORD_LISTS: dict[str, type[Strict]] = {
    "schools": DistrictSchool,
    "pool": PoolStaff,
    "institutions": Institution,
    "travel_minutes": Travel,
}


def district_schema() -> dict:
    """The JSON Schema of the district file."""
    schema = District.model_json_schema(by_alias=True)
    schema["$id"] = "afterschool-district/1"
    schema["title"] = "afterschool district file"
    return schema


if __name__ == "__main__":  # python -m solver.district.model > solver/district/district.schema.json
    import json

    print(json.dumps(district_schema(), ensure_ascii=False, indent=1))
