"""Types shared by the instance and plan formats: days, "HH:MM" times, slots, ids."""

from __future__ import annotations

import re
from functools import lru_cache
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
"""An id in a plan: a non-empty string (activity ids are made from course ids, so may be longer)."""

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _check_record_id(value: str) -> str:
    found = _CONTROL.search(value)
    if found:
        raise PydanticCustomError(
            "control_character",
            "ids may not hold control characters (found {char} at position {pos})",
            {"char": repr(found.group()), "pos": found.start() + 1},
        )
    return value


RecordId = Annotated[str, Field(min_length=1, max_length=64), AfterValidator(_check_record_id)]
"""A record id in an instance: 1–64 characters, no control characters (formats.md, Ranges)."""

Name = Annotated[str, Field(max_length=200)]
"""A name shown to people: at most 200 characters (formats.md, Ranges)."""

FiniteFloat = Annotated[StrictFloat, Field(allow_inf_nan=False)]
Money = StrictInt | FiniteFloat
"""Yuan. Integers stay integers so files round-trip byte-for-byte. Never NaN or infinite."""


def not_null(schema: dict) -> None:
    """JSON Schema of an *opt* field that may be left out but is never null (formats.md).

    Python keeps None for "left out"; the file form leaves the field out instead (see
    `Instance.to_json_dict`), so the published schema must not allow null.
    """
    options = schema.pop("anyOf", None)
    if options is not None:
        kept = [o for o in options if o != {"type": "null"}]
        if len(kept) == 1:
            schema.update(kept[0])
        else:
            schema["anyOf"] = kept
    if schema.get("default", 0) is None:
        del schema["default"]


@lru_cache(maxsize=4096)
def minutes(hhmm: str) -> int:
    """Minutes after midnight of an "HH:MM" time (cached: the greedy planners ask millions of times)."""
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


# A slot as code keys it: (day, period id). Files write a `Slot` object ({"day", "period"});
# `Slot.key()` turns one into the other. The one way the solver, the checker and the exports
# write a slot.
SlotKey = tuple[str, str]


class Slot(Strict):
    """A (day, period) pair."""

    day: Day
    period: Id

    def key(self) -> SlotKey:
        return (self.day, self.period)
