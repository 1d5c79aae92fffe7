"""What the library's loader says about instance data being edited: `Check` (the data as JSON text,
the loaded instance when valid, errors and warnings, and where each record sits in its table), and
each problem as a line in the session's language.

No Streamlit here: `check_raw` is the loader (`models.load.load_data`) run on data put together
from the editor's tables (`ui.table_codec.join_raw`), with the problems of unreadable cells first.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from models.load import Loaded, load_data
from models.problems import InputRejected, Problem
from ui.i18n import lang, t
from ui.table_codec import TABLES
from ui.words import field_name, record_name, table_of_record


@dataclass
class Check:
    """What the loader says about the current data."""

    raw: dict
    text: str
    loaded: Loaded | None
    errors: list[Problem]
    warnings: list[Problem]
    rows: dict[str, int] = field(default_factory=dict)  # record name → 1-based row in its table

    @property
    def valid(self) -> bool:
        return self.loaded is not None and not self.errors

    def row(self, problem: Problem) -> int | None:
        return problem.row if problem.row is not None and problem.sheet is None else self.rows.get(problem.record)


def table_of(problem: Problem) -> str:
    """Which table (or "school" / "policy") a problem is about."""
    head = problem.record.split("[", 1)[0]
    if head in TABLES or head == "policy":
        return head
    if head == "instance" and problem.field in TABLES:
        return problem.field
    return "school"


def _top(fld: str | None) -> str | None:
    return re.split(r"[\[.]", fld, maxsplit=1)[0] if fld else None


def check_raw(raw: dict, cell_problems: list[Problem], rows: dict[str, int]) -> Check:
    """The loader's verdict on `raw`; a problem the loader finds in a field whose cell could not be
    read (already in `cell_problems`) is not reported twice."""
    text = json.dumps(raw, ensure_ascii=False, indent=1)
    covered = {(p.record, _top(p.field)) for p in cell_problems}
    try:
        loaded = load_data(raw, text.encode("utf-8"), "app")
        found: list[Problem] = []
    except InputRejected as exc:
        loaded = None
        found = [p for p in exc.report.problems if (p.record, _top(p.field)) not in covered]
    problems = cell_problems + found
    errors = [p for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity == "warning"] + (loaded.warnings if loaded else [])
    if errors:
        loaded = None
    return Check(raw, text, loaded, errors, warnings, rows)


def problem_text(problem: Problem, check: Check | None = None) -> tuple[str, str]:
    """A problem as one line (record, field, rule, row, message) and its hint, in the session's language."""
    row = check.row(problem) if check is not None else None
    where = f"{problem.sheet}!{problem.column or ''}{problem.row or ''}" if problem.sheet else ""
    row_text = t("problem_row", n=row) if row else (f" · {where}" if where else "")
    lg = "en" if lang() == "en" else "zh"
    line = t(
        "problem_line",
        record=record_name(problem.record, lg),
        field=field_name(table_of_record(problem.record), problem.field, lg),
        rule=problem.rule,
        row=row_text,
        message=problem.text.in_lang(lg),
    )
    hint = problem.hint_text.in_lang(lg)
    return line, (t("problem_hint", hint=hint) if hint else "")
