"""Read a plan file into the `Plan` model, naming every problem by record and field."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from models.files import read_bytes
from models.json_text import parse_json
from models.loaded import record_name
from models.messages import Text
from models.plan import Plan
from models.problems import InputRejected, Problem, Report
from models.schema_errors import problems_from

_LISTS = ("activities", "staff_days", "compliance", "explanation")


def plan_from_data(raw, source: str) -> Plan:
    try:
        return Plan.model_validate(raw)
    except ValidationError as exc:
        report = Report(source)
        for err in exc.errors():
            loc = list(err["loc"])
            if len(loc) >= 2 and loc[0] in _LISTS and isinstance(loc[1], int) and isinstance(raw, dict):
                items = raw.get(loc[0])
                item = items[loc[1]] if isinstance(items, list) and loc[1] < len(items) else None
                record = record_name(loc[0], item, loc[1])
                rest = loc[2:]
            else:
                record, rest = "plan", loc
            report.extend(problems_from([{**err, "loc": tuple(rest)}], record))
        raise InputRejected(report) from None


def load_plan(path: str | Path) -> tuple[Plan, bytes]:
    data = read_bytes(path)
    return plan_from_data(parse_json(data, str(path)), str(path)), data


def unreadable(source: str, message: str, message_en: str) -> InputRejected:
    return InputRejected(Report(source, [Problem("FMT-FILE", "file", None, Text(message, message_en))]))
