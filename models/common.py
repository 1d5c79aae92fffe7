"""Types shared by the instance and plan formats: days, "HH:MM" times, slots, ids."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictFloat, StrictInt
from pydantic_core import PydanticCustomError

Day = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
DAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAYS: tuple[str, ...] = DAYS[:5]

_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


def _check_hhmm(value: str) -> str:
    if not _HHMM.match(value):
        raise PydanticCustomError(
            "time_format",
            "time must be 24-hour HH:MM, got {value!r}",
            {"value": value},
        )
    return value


Time = Annotated[str, AfterValidator(_check_hhmm)]
"""A local time "HH:MM", 24-hour clock, zero-padded."""

Id = Annotated[str, Field(min_length=1)]
"""A record id: a non-empty string, unique within its list."""

Money = StrictInt | StrictFloat
"""Yuan. Integers stay integers so files round-trip byte-for-byte."""


def minutes(hhmm: str) -> int:
    """Minutes after midnight of an "HH:MM" time."""
    hours, mins = hhmm.split(":")
    return int(hours) * 60 + int(mins)


def hhmm(total_minutes: int) -> str:
    """Inverse of `minutes` (times past midnight wrap into the next day's clock)."""
    total_minutes %= 24 * 60
    return f"{total_minutes // 60:02d}:{total_minutes % 60:02d}"


def is_hhmm(value: object) -> bool:
    return isinstance(value, str) and bool(_HHMM.match(value))


class Strict(BaseModel):
    """Base of every file model: unknown fields and wrong types are errors (formats.md)."""

    model_config = ConfigDict(extra="forbid", strict=True)


class Slot(Strict):
    """A (day, period) pair."""

    day: Day
    period: Id

    def key(self) -> tuple[str, str]:
        return (self.day, self.period)
