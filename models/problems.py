"""Problems found in input files: what, where, which rule, and how to fix it.

A school scheduler reads these, so every problem names the record (`students[S0042]`), the
field, the rule code and a hint, Chinese first with English alongside. Format problems that no
policy rule covers carry a code from `FORMAT_CODES` (they come from formats.md).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal

from models.messages import EMPTY, Text

Severity = Literal["error", "warning"]

FORMAT_CODES: dict[str, tuple[str, str]] = {
    "FMT-JSON": ("文件不是有效的 JSON", "malformed JSON"),
    "FMT-FIELD": ("字段缺失或未知", "missing or unknown field"),
    "FMT-TYPE": ("字段类型错误", "wrong type"),
    "FMT-VALUE": ("取值不在允许范围内", "value out of range"),
    "FMT-ID": ("编号重复", "duplicated id"),
    "FMT-REF": ("引用的编号不存在", "reference points nowhere"),
    "FMT-TIME": ("时间格式错误或时段先结束后开始", "malformed time or period ends before it starts"),
    "FMT-FILE": ("文件无法读取", "file cannot be read"),
}


@dataclass
class Problem:
    """One thing wrong (error: the file is rejected) or worth knowing (warning)."""

    rule: str
    record: str
    field: str | None
    text: Text
    hint_text: Text = EMPTY
    severity: Severity = "error"
    # Where in a workbook (filled in by the Excel importer); empty for JSON files.
    sheet: str | None = None
    row: int | None = None
    column: str | None = None

    @property
    def message(self) -> str:
        return self.text.zh

    @property
    def message_en(self) -> str:
        return self.text.en

    @property
    def hint(self) -> str:
        return self.hint_text.zh

    @property
    def hint_en(self) -> str:
        return self.hint_text.en

    @property
    def where(self) -> str:
        return f"{self.record}.{self.field}" if self.field else self.record

    @property
    def cell(self) -> str | None:
        if self.sheet is None:
            return None
        col = self.column or ""
        row = "" if self.row is None else str(self.row)
        return f"{self.sheet}!{col}{row}" if (col or row) else self.sheet

    def render(self) -> str:
        mark = "错误 error" if self.severity == "error" else "警告 warning"
        lines = [f"[{self.rule}] {mark} · {self.where}"]
        if self.cell:
            lines[0] += f" · 位置 at {self.cell}"
        lines.append(f"    {self.message}")
        lines.append(f"    {self.message_en}")
        if self.hint or self.hint_en:
            lines.append(f"    提示：{self.hint}  Hint: {self.hint_en}")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """The problem report's fields (formats.md), the two languages side by side."""
        out: dict[str, Any] = {
            "rule": self.rule,
            "record": self.record,
            "field": self.field,
            "message": self.message,
            "message_en": self.message_en,
            "hint": self.hint,
            "hint_en": self.hint_en,
            "severity": self.severity,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
        }
        return {k: v for k, v in out.items() if v is not None}


@dataclass
class Report:
    """Every problem found in one file, errors and warnings together."""

    source: str
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    def add(self, problem: Problem) -> None:
        self.problems.append(problem)

    def extend(self, problems: list[Problem]) -> None:
        self.problems.extend(problems)

    def render(self) -> str:
        head = f"{self.source}: {len(self.errors)} 个错误 errors, {len(self.warnings)} 个警告 warnings"
        body = [p.render() for p in self.errors + self.warnings]
        return "\n".join([head, *body])

    def to_json(self) -> str:
        return json.dumps(
            {
                "source": self.source,
                "errors": [p.to_dict() for p in self.errors],
                "warnings": [p.to_dict() for p in self.warnings],
            },
            ensure_ascii=False,
            indent=1,
        )


class InputRejected(Exception):
    """Raised when a file cannot be used: carries the full report of every problem in it."""

    def __init__(self, report: Report):
        super().__init__(report.render())
        self.report = report
