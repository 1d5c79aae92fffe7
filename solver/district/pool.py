"""Shared people at one school: where they can serve, and their records in the school's instance.

The master and the district checker see a school through its instance (`Loaded`): its service
days, its periods with their clock times. A pool person's `unavailable` entries and duty windows
(formats.md) become, at each school, the slots they cannot serve; an allocation becomes a staff
record whose `unavailable` covers every slot of the school outside the allocation.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass

from models.common import SlotKey, minutes
from models.load import Loaded
from models.messages import Text
from models.problems import Problem
from solver.district.load import LoadedDistrict
from solver.district.model import PoolStaff

_STAFF_FIELDS = (
    "id",
    "name",
    "kind",
    "institution",
    "qualifications",
    "subjects",
    "classes",
    "certified",
    "violation_record",
    "pay_per_period",
    "max_periods_per_week",
    "max_periods_per_day",
    "duties",
)


@dataclass(frozen=True)
class Span:
    """A slot of one school as clock time."""

    school: str
    day: str
    period: str
    start: int
    end: int
    kind: str


def school_slots(loaded: Loaded) -> list[SlotKey]:
    """Every (day, period) of the school, days in calendar order, periods in time order."""
    return [(d, p.id) for d in loaded.days for p in loaded.periods]


def span(loaded: Loaded, school: str, day: str, period: str) -> Span:
    p = loaded.period[period]
    return Span(school, day, period, minutes(p.start), minutes(p.end), p.kind)


def available(LD: LoadedDistrict, person: PoolStaff, school: str, loaded: Loaded) -> list[SlotKey]:
    """The slots of `school` the person may serve: not an unavailable day or period, not in a duty
    window. Caps and other schools are the master's business."""
    blocked: set[SlotKey] = set()
    whole_days: set[str] = set()
    for u in person.unavailable:
        if u.school is not None and u.school != school:
            continue
        if u.period is None:
            whole_days.add(u.day)
        else:
            blocked.add((u.day, u.period))
    duties: defaultdict[str, list[tuple[int, int]]] = defaultdict(list)
    for d in person.duties:
        duties[d.day].append((minutes(d.start), minutes(d.end)))
    out = []
    for day, pid in school_slots(loaded):
        if day in whole_days or (day, pid) in blocked:
            continue
        p = loaded.period[pid]
        a, b = minutes(p.start), minutes(p.end)
        if any(s < b and a < e for s, e in duties.get(day, ())):
            continue
        out.append((day, pid))
    return out


def staff_record(person: PoolStaff, unavailable: list[SlotKey], week: int, day: int) -> dict:
    """The person as a staff record of one school's instance (formats.md)."""
    rec = person.model_dump(mode="json", include=set(_STAFF_FIELDS))
    rec["max_periods_per_week"] = week
    rec["max_periods_per_day"] = day
    rec["unavailable"] = [{"day": d, "period": p} for d, p in unavailable]
    return {k: rec[k] for k in (*_STAFF_FIELDS[:12], "unavailable", "duties")}


def clashes(LD: LoadedDistrict, school: str, raw: dict) -> list[Problem]:
    """Pool people and institutions whose ids are already used for someone else in the school's file."""
    out = []
    own_staff = {s.get("id") for s in raw.get("staff", []) if isinstance(s, dict)}
    own_inst = {i.get("id"): i for i in raw.get("institutions", []) if isinstance(i, dict)}
    for p in LD.serves(school):
        if p.id in own_staff:
            out.append(
                Problem(
                    "FMT-ID",
                    f"pool[{p.id}]",
                    "id",
                    Text(
                        f"共享人员编号 {p.id} 与学校 {school} 的教职工编号重复。",
                        f"pool id {p.id} is also a staff id in school {school}'s instance.",
                    ),
                    Text(
                        "给共享人员换一个全区唯一的编号，或从学校实例中删除此人。",
                        "give the shared person a district-wide unique id, or remove them from the school's file.",
                    ),
                )
            )
        inst = LD.institution.get(p.institution) if p.institution else None
        if inst is not None and inst.id in own_inst and own_inst[inst.id] != inst.model_dump(mode="json"):
            out.append(
                Problem(
                    "FMT-ID",
                    f"institutions[{inst.id}]",
                    "id",
                    Text(
                        f"机构编号 {inst.id} 在学校 {school} 的实例中指另一个机构。",
                        f"institution id {inst.id} means a different institution in school {school}'s instance.",
                    ),
                    Text("区级机构使用全区唯一的编号。", "use district-wide unique institution ids."),
                )
            )
    return out


def inject(LD: LoadedDistrict, school: str, loaded: Loaded, grants: dict[str, set[SlotKey]] | None) -> dict:
    """The school's instance (file form) with shared people added.

    `grants` (person id → slots): an allocation; each person is added with `unavailable` covering
    every slot outside it, a weekly cap of its size and a daily cap of its busiest day, and people
    without a grant are left out. `grants=None`: everyone who may serve the school, with their own
    availability and caps (the district checker's view: caps across schools are checked there).
    """
    raw = loaded.instance.to_json_dict()
    slots = school_slots(loaded)
    staff = list(raw["staff"])
    institutions = list(raw.get("institutions", []))
    have_inst = {i["id"] for i in institutions}
    for p in LD.serves(school):
        if grants is None:
            free = set(available(LD, p, school, loaded))
            week, day = p.max_periods_per_week, p.max_periods_per_day
        else:
            free = grants.get(p.id, set())
            if not free:
                continue
            per_day: dict[str, int] = defaultdict(int)
            for d, _ in free:
                per_day[d] += 1
            week, day = len(free), min(p.max_periods_per_day, max(per_day.values()))
        staff.append(staff_record(p, [s for s in slots if s not in free], week, day))
        if p.institution and p.institution not in have_inst and p.institution in LD.institution:
            institutions.append(LD.institution[p.institution].model_dump(mode="json"))
            have_inst.add(p.institution)
    raw["staff"] = staff
    raw["institutions"] = institutions
    return raw


def instance_text(raw: dict) -> str:
    return json.dumps(raw, ensure_ascii=False, indent=1) + "\n"
