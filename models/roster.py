"""The pupils' roster (花名册): names, classes, guardians and phones, kept apart from the instance.

The instance and the plan hold ids only; a school merges its roster in at export time, so that
attendance sheets, class timetables and parents' notices carry names. The roster is read from an
Excel workbook (.xlsx, .xls, .ods: the first sheet) or a CSV file (UTF-8 or GBK), one pupil a row,
with a header row naming the columns in Chinese or English:

| column | headers accepted | required |
|---|---|---|
| id | 学号, 学生编号, id, student_id | yes |
| name | 姓名, 学生姓名, name | yes |
| class | 班级, class | no (checked against the instance when given) |
| guardian | 监护人, 家长, 家长姓名, guardian | no |
| phone | 电话, 联系电话, 手机, 家长电话, phone | no |

Personal data stays out of logs and problem reports: a problem names the row, the column and the
pupil's id, never a name or a phone number.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from models.excel import decode_csv
from models.messages import Text
from models.problems import InputRejected, Problem, Report

COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("学号", "学生编号", "学生学号", "编号", "id", "student_id", "student id"),
    "name": ("姓名", "学生姓名", "名字", "name", "student_name", "student name"),
    "class": ("班级", "班级编号", "行政班", "class", "class_id"),
    "guardian": ("监护人", "家长", "家长姓名", "监护人姓名", "guardian", "parent"),
    "phone": ("电话", "联系电话", "手机", "手机号", "家长电话", "监护人电话", "phone", "telephone", "mobile"),
}
REQUIRED = ("id", "name")
HEADER_ZH = {"id": "学号", "name": "姓名", "class": "班级", "guardian": "监护人", "phone": "电话"}


@dataclass(frozen=True)
class Pupil:
    id: str
    name: str
    klass: str = ""
    guardian: str = ""
    phone: str = ""


@dataclass
class Roster:
    """Pupils by id, and where the file came from (its name only)."""

    source: str
    pupils: dict[str, Pupil] = field(default_factory=dict)

    def name(self, student_id: str) -> str:
        p = self.pupils.get(student_id)
        return p.name if p else ""

    def get(self, student_id: str) -> Pupil | None:
        return self.pupils.get(student_id)


@dataclass
class Match:
    """How a roster meets an instance: ids only (never names)."""

    unknown: list[str]  # roster ids that match no student of the instance
    missing: list[str]  # students of the instance without a roster row
    other_class: list[tuple[str, str, str]]  # (id, roster class, instance class)

    @property
    def clean(self) -> bool:
        return not (self.unknown or self.missing or self.other_class)

    def lines(self, lang: str = "zh", limit: int = 20) -> list[str]:
        def ids(xs: list[str]) -> str:
            more = (f" 等共 {len(xs)} 人" if lang == "zh" else f" … ({len(xs)} in all)") if len(xs) > limit else ""
            return ("、" if lang == "zh" else ", ").join(xs[:limit]) + more

        out = []
        if self.unknown:
            out.append(
                f"花名册中 {len(self.unknown)} 行的学号在排课数据中找不到：{ids(self.unknown)}"
                if lang == "zh"
                else f"{len(self.unknown)} roster rows match no student of the data: {ids(self.unknown)}"
            )
        if self.missing:
            out.append(
                f"{len(self.missing)} 名学生在花名册中没有记录（只印学号）：{ids(self.missing)}"
                if lang == "zh"
                else f"{len(self.missing)} students have no roster row (their id is printed): {ids(self.missing)}"
            )
        if self.other_class:
            xs = [f"{i}（{a}≠{b}）" if lang == "zh" else f"{i} ({a}≠{b})" for i, a, b in self.other_class]
            out.append(
                f"{len(xs)} 名学生的班级与排课数据不同：{ids(xs)}"
                if lang == "zh"
                else f"{len(xs)} students' class differs from the data: {ids(xs)}"
            )
        return out


def match(roster: Roster, students: dict[str, str]) -> Match:
    """`students`: the instance's student id → class id."""
    unknown = [i for i in roster.pupils if i not in students]
    missing = [i for i in students if i not in roster.pupils]
    other = [
        (i, p.klass, students[i])
        for i, p in roster.pupils.items()
        if i in students and p.klass and p.klass != students[i]
    ]
    return Match(unknown, missing, other)


# ---------------------------------------------------------------------------- reading


def _text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return str(cell).strip()


def _problem(
    source: str, record: str, fld: str | None, zh: str, en: str, hint_zh: str = "", hint_en: str = "", **where
) -> Problem:
    return Problem(
        "FMT-FILE" if fld is None else "FMT-FIELD", record, fld, Text(zh, en), Text(hint_zh, hint_en), **where
    )


def _rows_csv(data: bytes, source: str) -> list[list[str]]:
    text = decode_csv(data)
    if text is None:
        raise InputRejected(
            Report(
                source,
                [
                    _problem(
                        source,
                        "roster",
                        None,
                        "CSV 文件既不是 UTF-8 也不是 GBK 编码",
                        "the CSV file is neither UTF-8 nor GBK",
                    )
                ],
            )
        )
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t，")
    except csv.Error:
        dialect = csv.excel
    return [[_text(c) for c in row] for row in csv.reader(io.StringIO(text, newline=""), dialect)]


def _rows_sheet(data: bytes, source: str) -> list[list[str]]:
    from python_calamine import CalamineWorkbook

    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = wb.get_sheet_by_index(0)
        return [[_text(c) for c in row] for row in sheet.to_python(skip_empty_area=False)]
    except Exception as exc:  # calamine's own errors for a broken or foreign file
        raise InputRejected(
            Report(
                source,
                [
                    _problem(
                        source,
                        "roster",
                        None,
                        f"无法读取表格文件：{exc}",
                        f"cannot read the workbook: {exc}",
                        "另存为 .xlsx 或 .csv 后再试。",
                        "save it as .xlsx or .csv and try again.",
                    )
                ],
            )
        ) from None


def _column_letter(i: int) -> str:
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def read_roster(path: str | Path, data: bytes | None = None) -> Roster:
    """Read a roster file (.xlsx, .xls, .ods, .csv); `InputRejected` listing every problem."""
    p = Path(path)
    source = p.name
    if data is None:
        try:
            data = p.read_bytes()
        except OSError as exc:
            raise InputRejected(
                Report(
                    source,
                    [
                        _problem(
                            source,
                            "roster",
                            None,
                            f"无法打开文件：{exc.strerror}",
                            f"cannot open the file: {exc.strerror}",
                        )
                    ],
                )
            ) from None
    suffix = p.suffix.lower()
    if suffix in (".csv", ".txt"):
        rows = _rows_csv(data, source)
    elif suffix in (".xlsx", ".xlsm", ".xls", ".ods"):
        rows = _rows_sheet(data, source)
    else:
        raise InputRejected(
            Report(
                source,
                [
                    _problem(
                        source,
                        "roster",
                        None,
                        f"不支持的文件类型 {suffix or '（无扩展名）'}",
                        f"unsupported file type {suffix or '(none)'}",
                        "花名册须为 .xlsx、.xls、.ods 或 .csv。",
                        "a roster is .xlsx, .xls, .ods or .csv.",
                    )
                ],
            )
        )
    rows = [r for r in rows if any(c for c in r)]
    report = Report(source)
    if not rows:
        report.add(_problem(source, "roster", None, "花名册是空的", "the roster is empty"))
        raise InputRejected(report)
    header = [c.strip().lower() for c in rows[0]]
    where: dict[str, int] = {}
    for key, names in COLUMNS.items():
        for i, h in enumerate(header):
            if h in names or h.split("/")[0].strip() in names:
                where.setdefault(key, i)
    for key in REQUIRED:
        if key not in where:
            report.add(
                _problem(
                    source,
                    "roster",
                    key,
                    f"缺少“{HEADER_ZH[key]}”列",
                    f"no '{key}' column",
                    f"第一行须为表头，含 {'、'.join(COLUMNS[key][:3])} 之一。",
                    f"the first row must be a header with one of {', '.join(COLUMNS[key][3:5])}.",
                    sheet=source,
                    row=1,
                )
            )
    if report.errors:
        raise InputRejected(report)
    roster = Roster(source)
    seen: dict[str, int] = {}
    for n, row in enumerate(rows[1:], start=2):

        def cell(key: str, row=row) -> str:
            i = where.get(key)
            return row[i] if i is not None and i < len(row) else ""

        sid = cell("id")
        if not sid:
            report.add(
                _problem(
                    source,
                    f"roster[#{n}]",
                    "id",
                    "学号为空",
                    "the id is empty",
                    sheet=source,
                    row=n,
                    column=_column_letter(where["id"]),
                )
            )
            continue
        if sid in seen:
            report.add(
                Problem(
                    "FMT-ID",
                    f"roster[{sid}]",
                    "id",
                    Text(f"学号 {sid} 重复（第 {seen[sid]} 行已有）", f"id {sid} appears twice (row {seen[sid]})"),
                    sheet=source,
                    row=n,
                    column=_column_letter(where["id"]),
                )
            )
            continue
        seen[sid] = n
        name = cell("name")
        if not name:
            report.add(
                _problem(
                    source,
                    f"roster[{sid}]",
                    "name",
                    "姓名为空",
                    "the name is empty",
                    sheet=source,
                    row=n,
                    column=_column_letter(where["name"]),
                )
            )
            continue
        roster.pupils[sid] = Pupil(sid, name, cell("class"), cell("guardian"), cell("phone"))
    if report.errors:
        raise InputRejected(report)
    return roster
