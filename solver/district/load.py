"""Load a district file: every problem in one report, by record and field (like `models/load.py`).

file bytes → JSON → per-record schema check → cross-record checks → `LoadedDistrict`.
The schools' instance files are not opened here: a school whose instance is missing or rejected
is reported on its own and the others are still planned (R1).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from models.common import minutes
from models.instance import Institution
from models.load import parse_json, read_bytes, record_name
from models.messages import Text
from models.problems import InputRejected, Problem, Report
from models.schema_errors import problems_from
from solver.district.model import (
    DISTRICT_FORMAT,
    RECORD_LISTS,
    Defaults,
    District,
    DistrictInfo,
    DistrictSchool,
    PoolStaff,
    Travel,
)

_REQUIRED_TOP = ("format", "district", "schools")
_TOP = set(District.model_fields)


def _err(rule: str, record: str, fld: str | None, zh: str, en: str, hzh: str = "", hen: str = "") -> Problem:
    return Problem(rule, record, fld, Text(zh, en), Text(hzh, hen), "error")


def _warn(rule: str, record: str, fld: str | None, zh: str, en: str, hzh: str = "", hen: str = "") -> Problem:
    return Problem(rule, record, fld, Text(zh, en), Text(hzh, hen), "warning")


@dataclass
class LoadedDistrict:
    """A valid district file with what loading found (warnings) and lookups."""

    district: District
    source: str
    base: Path
    warnings: list[Problem] = field(default_factory=list)

    @cached_property
    def school(self) -> dict[str, DistrictSchool]:
        return {s.id: s for s in self.district.schools}

    @cached_property
    def person(self) -> dict[str, PoolStaff]:
        return {p.id: p for p in self.district.pool}

    @cached_property
    def institution(self) -> dict[str, Institution]:
        return {i.id: i for i in self.district.institutions}

    @cached_property
    def _travel(self) -> dict[tuple[str, str], int]:
        out: dict[tuple[str, str], int] = {}
        for t in self.district.travel_minutes:  # listed both ways: each direction its own
            out.setdefault((t.to, t.from_), t.minutes)
        for t in self.district.travel_minutes:
            out[(t.from_, t.to)] = t.minutes
        return out

    def travel(self, a: str, b: str) -> int | None:
        """Minutes from school a to school b; None when one person never serves both on one day."""
        if a == b:
            return 0
        return self._travel.get((a, b), self.district.defaults.travel_minutes)

    def max_schools_per_day(self, person: PoolStaff) -> int:
        return person.max_schools_per_day or self.district.defaults.max_schools_per_day

    def instance_path(self, school_id: str) -> Path:
        p = Path(self.school[school_id].instance)
        return p if p.is_absolute() else self.base / p

    def assignable(self, person: PoolStaff) -> bool:
        """R12: certified, no violation record; R13: an approved institution without violations."""
        if not person.certified or person.violation_record:
            return False
        if person.institution is not None:
            inst = self.institution.get(person.institution)
            if inst is None or not inst.approved or inst.violation_record:
                return False
        return True

    def serves(self, school_id: str) -> list[PoolStaff]:
        """Pool people who may serve this school, in file order."""
        return [p for p in self.district.pool if school_id in p.schools]


def _split(raw: Any, report: Report) -> dict[str, Any]:
    """Schema-check every record on its own; collect the valid ones and every id seen."""
    parts: dict[str, Any] = {"ids": {}}
    if not isinstance(raw, dict):
        report.add(
            _err(
                "FMT-TYPE",
                "district",
                None,
                "文件顶层应为 JSON 对象。",
                "the top level must be a JSON object.",
                "参考 solver/district/README.md 的示例。",
                "see the example in solver/district/README.md.",
            )
        )
        return parts
    for key in raw:
        if key not in _TOP:
            report.add(
                _err(
                    "FMT-FIELD",
                    "district",
                    key,
                    "未知字段，可能是拼写错误。",
                    "unknown field, perhaps a typo.",
                    "检查字段名拼写，或删除这一项。",
                    "check the spelling or remove the field.",
                )
            )
    for key in _REQUIRED_TOP:
        if key not in raw:
            report.add(
                _err(
                    "FMT-FIELD",
                    "district",
                    key,
                    "缺少必填字段。",
                    "required field is missing.",
                    "补上这一项。",
                    "add the field.",
                )
            )
    if "format" in raw and raw["format"] != DISTRICT_FORMAT:
        report.add(
            _err(
                "FMT-VALUE",
                "district",
                "format",
                f"格式标识应为 {DISTRICT_FORMAT}，实际是 {raw['format']!r}。",
                f"format must be {DISTRICT_FORMAT}, got {raw['format']!r}.",
                "这不是区级文件，或版本不对。",
                "this is not a district file of this version.",
            )
        )
    for key, model in (("district", DistrictInfo), ("defaults", Defaults)):
        if key in raw:
            try:
                parts[key] = model.model_validate(raw[key])
            except ValidationError as exc:
                report.extend(problems_from(exc, key))
    for kind, record_model in RECORD_LISTS.items():
        if kind not in raw:
            continue
        items = raw[kind]
        if not isinstance(items, list):
            report.add(
                _err(
                    "FMT-TYPE",
                    "district",
                    kind,
                    f"类型错误：{kind} 应为列表。",
                    f"wrong type: {kind} must be a list.",
                    "用 [ ... ] 列出记录。",
                    "list the records in [ ... ].",
                )
            )
            continue
        valid, ids = [], []
        for i, item in enumerate(items):
            name = record_name(kind, item, i)
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                ids.append(item["id"])
            try:
                valid.append((name, record_model.model_validate(item)))
            except ValidationError as exc:
                report.extend(problems_from(exc, name))
        parts["ids"][kind] = ids
        parts[kind] = valid
    return parts


def _cross(parts: dict[str, Any]) -> list[Problem]:
    """Ids unique, references resolve, the pool holds external people (R12) whose institutions
    are known (R13), duty windows end after they start, travel between two different schools."""
    out: list[Problem] = []
    for kind, ids in parts["ids"].items():
        for ident, n in Counter(ids).items():
            if n > 1:
                out.append(
                    _err(
                        "FMT-ID",
                        f"{kind}[{ident}]",
                        "id",
                        f"编号 {ident} 在 {kind} 中出现 {n} 次。",
                        f"id {ident} appears {n} times in {kind}.",
                        "每条记录的编号必须唯一。",
                        "ids must be unique within their list.",
                    )
                )
    schools = set(parts["ids"].get("schools", []))
    insts = set(parts["ids"].get("institutions", []))
    if "schools" in parts and not parts["ids"]["schools"] and not parts["schools"]:
        out.append(
            _err(
                "FMT-VALUE",
                "district",
                "schools",
                "没有学校。",
                "the district lists no school.",
                "至少列出一所学校。",
                "list at least one school.",
            )
        )

    def ref(record: str, fld: str, value: str, known: set[str], zh: str, en: str) -> None:
        if value not in known:
            out.append(
                _err(
                    "FMT-REF",
                    record,
                    fld,
                    f"引用的{zh} {value} 不存在。",
                    f"{value} is not a known id in {en}.",
                    f"先在 {en} 中添加 {value}，或改正拼写。",
                    f"add {value} to {en} or correct the spelling.",
                )
            )

    for name, p in parts.get("pool", []):
        if p.kind == "teacher":
            out.append(
                _err(
                    "FMT-VALUE",
                    name,
                    "kind",
                    "共享人员库只收校外人员和机构人员；本校教师留在各校实例中。",
                    "the shared pool holds external and institution staff; a school's own teachers stay in "
                    "its instance.",
                    "把 kind 改为校外人员类别，或把此人移回学校实例。",
                    "use an external kind, or move the person back to the school's instance.",
                )
            )
        if p.kind == "institution_staff" and p.institution is None:
            out.append(
                _err(
                    "R13",
                    name,
                    "institution",
                    "机构人员必须注明所属机构。",
                    "institution staff must name their institution.",
                    "填写机构编号。",
                    "fill in the institution id.",
                )
            )
        if p.institution is not None:
            ref(name, "institution", p.institution, insts, "机构", "institutions")
        for i, sid in enumerate(p.schools):
            ref(name, f"schools[{i}]", sid, schools, "学校", "schools")
        for sid, n in Counter(p.schools).items():
            if n > 1:
                out.append(
                    _err(
                        "FMT-ID",
                        name,
                        "schools",
                        f"学校 {sid} 列出 {n} 次。",
                        f"school {sid} is listed {n} times.",
                        "每所学校只列一次。",
                        "list each school once.",
                    )
                )
        for i, slot in enumerate(p.unavailable):
            if slot.school is not None:
                ref(name, f"unavailable[{i}].school", slot.school, schools, "学校", "schools")
        for i, d in enumerate(p.duties):
            if minutes(d.end) <= minutes(d.start):
                out.append(
                    _err(
                        "FMT-TIME",
                        name,
                        f"duties[{i}].end",
                        f"{d.day} 的值班时间 {d.start}-{d.end} 先结束后开始。",
                        f"duty on {d.day} ends at {d.end}, not after its start {d.start}.",
                        "检查开始与结束时间是否写反。",
                        "check whether start and end are swapped.",
                    )
                )
    pairs: Counter[tuple[str, str]] = Counter()
    for name, t in parts.get("travel_minutes", []):
        ref(name, "from", t.from_, schools, "学校", "schools")
        ref(name, "to", t.to, schools, "学校", "schools")
        if t.from_ == t.to:
            out.append(
                _err(
                    "FMT-VALUE",
                    name,
                    "to",
                    "起点和终点是同一所学校。",
                    "from and to are the same school.",
                    "删除这一行。",
                    "remove this entry.",
                )
            )
        pairs[(t.from_, t.to)] += 1
    for (a, b), n in pairs.items():
        if n > 1:
            out.append(
                _err(
                    "FMT-ID",
                    f"travel_minutes[{a}→{b}]",
                    "from",
                    f"{a} 到 {b} 的路程列出 {n} 次。",
                    f"travel from {a} to {b} is listed {n} times.",
                    "只保留一行。",
                    "keep one entry.",
                )
            )
    return out


def _warnings(district: District) -> list[Problem]:
    """R12/R13: pool people who are never allocated, said out loud."""
    out = []
    inst = {i.id: i for i in district.institutions}
    for p in district.pool:
        name = f"pool[{p.id}]"
        if not p.certified or p.violation_record:
            zh, en = ("未取得资质", "is not certified") if not p.certified else ("有违规记录", "has a violation record")
            out.append(
                _warn(
                    "R12",
                    name,
                    "certified" if not p.certified else "violation_record",
                    f"{p.name} {zh}，不会被分配到任何学校。",
                    f"{p.name} {en} and is never allocated to a school.",
                    "核实资质后把 certified 设为 true，或删除该人员。",
                    "verify the qualification and set certified to true, or remove them.",
                )
            )
        i = inst.get(p.institution) if p.institution else None
        if i is not None and (not i.approved or i.violation_record):
            zh, en = (
                ("未经区教育局遴选", "is not approved") if not i.approved else ("有违规记录", "has a violation record")
            )
            out.append(
                _warn(
                    "R13",
                    name,
                    "institution",
                    f"{p.name} 所属机构 {i.name} {zh}，该人员不会被分配。",
                    f"{p.name}'s institution {i.name} {en}; they are never allocated.",
                    "只使用区教育局遴选且无违规记录的机构。",
                    "use only bureau-approved institutions without violations.",
                )
            )
        if p.max_periods_per_week == 0 or p.max_periods_per_day == 0:
            out.append(
                _warn(
                    "R25",
                    name,
                    "max_periods_per_week",
                    f"{p.name} 的课时上限为 0，不会被分配。",
                    f"{p.name} has a cap of 0 periods and is never allocated.",
                )
            )
    return out


def _confined(parts: dict[str, Any], base: Path) -> list[Problem]:
    """A school's `instance` is a path inside the district folder: not absolute, no way out by `..`
    or a link (a file outside must never be read, nor its values echoed into the report)."""
    out = []
    root = base.resolve()
    for name, s in parts.get("schools", []):
        p = Path(s.instance)
        inside = not p.is_absolute() and not s.instance.startswith(("~", "\\"))
        if inside:
            try:
                (root / p).resolve().relative_to(root)
            except (ValueError, OSError, RuntimeError):
                inside = False
        if not inside:
            out.append(
                _err(
                    "FMT-VALUE",
                    name,
                    "instance",
                    f"实例路径 {s.instance} 指向区级文件夹之外。",
                    f"the instance path {s.instance} leads outside the district folder.",
                    "把学校实例放在 district.json 所在的文件夹（或其子文件夹）中，写相对路径。",
                    "keep school instances in the district file's folder (or below it), as relative paths.",
                )
            )
    return out


def load_district_data(raw: Any, source: str, base: Path) -> LoadedDistrict:
    report = Report(source)
    parts = _split(raw, report)
    if isinstance(raw, dict):
        report.extend(_cross(parts))
        report.extend(_confined(parts, base))
    if report.errors:
        raise InputRejected(report)
    district = District.model_construct(
        format=DISTRICT_FORMAT,
        district=parts["district"],
        schools=[s for _, s in parts["schools"]],
        pool=[p for _, p in parts.get("pool", [])],
        institutions=[i for _, i in parts.get("institutions", [])],
        travel_minutes=[t for _, t in parts.get("travel_minutes", [])],
        defaults=parts.get("defaults", Defaults()),
    )
    return LoadedDistrict(district, source, base, _warnings(district))


def load_district(path: str | Path) -> LoadedDistrict:
    """Load `district.json`; InputRejected lists every problem (record, field, rule, hint)."""
    data = read_bytes(path)
    return load_district_data(parse_json(data, str(path)), str(path), Path(path).resolve().parent)


def dump_district(district: District) -> str:
    import json

    return json.dumps(district.to_json_dict(), ensure_ascii=False, indent=1) + "\n"


__all__ = ["LoadedDistrict", "Travel", "dump_district", "load_district", "load_district_data"]
