"""The district checker: each school's plan checker, plus the rules that span schools.

Written from `policy-rules.md`, the district file and the plans alone (never from the master or the
run loop), so it catches their mistakes. Each school's plan is checked by `solver.check.check_plan`
against the school's instance with the shared people added as the district file describes them
(their own availability and caps; an allocation is the planner's business, not a rule). Then,
over all schools, for every shared person:

- R21: never in two schools at overlapping times ("never in two places at once": a group at the
  second school would have no responsible staff member).
- R14: between consecutive services at different schools on the same day, the gap from the end of
  one to the start of the next holds the travel minutes (R14 is the policy's journey rule: travel
  happens in time set aside for it, never inside another group's supervision); a pair of schools
  with no travel time known is never served on the same day.
- R25: at most `max_schools_per_day` schools a day (the district's itinerant-staff cap, a fair-load
  cap of R25); the weekly and daily caps counted over all schools.
- R12/R13: serving only schools their `schools` list names (the bureau's selection, §6).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import pairwise

from models.common import hhmm, minutes
from models.load import Loaded, load_bytes
from models.messages import Text
from models.plan import Plan
from models.problems import InputRejected
from solver.check import CheckResult, Violation, check_plan
from solver.district.load import LoadedDistrict
from solver.district.pool import inject


@dataclass(frozen=True)
class Service:
    """One period a shared person serves at one school."""

    person: str
    school: str
    day: str
    period: str
    start: int
    end: int
    activity: str


@dataclass
class DistrictCheck:
    schools: dict[str, CheckResult | None]  # None: the school has no plan to check
    violations: list[Violation] = field(default_factory=list)  # across schools
    problems: dict[str, list[dict]] = field(default_factory=dict)  # a school whose instance could not be checked

    @property
    def cross_ok(self) -> bool:
        return not self.violations

    @property
    def valid(self) -> bool:
        return self.cross_ok and all(r is not None and r.valid for r in self.schools.values())

    def by_rule(self) -> dict[str, int]:
        out: dict[str, int] = defaultdict(int)
        for v in self.violations:
            out[v.rule] += 1
        return dict(sorted(out.items()))


def services(LD: LoadedDistrict, instances: dict[str, Loaded], plans: dict[str, Plan]) -> list[Service]:
    """Every (person, school, day, period) a plan has a shared person serve, with clock times."""
    out = []
    pool = set(LD.person)
    for s, plan in plans.items():
        loaded = instances.get(s)
        if loaded is None:
            continue
        seen = set()
        for a in plan.activities:
            for pid in a.staff:
                if pid not in pool:
                    continue
                for sl in a.slots:
                    p = loaded.period.get(sl.period)
                    if p is None or (pid, sl.day, sl.period, a.id) in seen:
                        continue
                    seen.add((pid, sl.day, sl.period, a.id))
                    out.append(Service(pid, s, sl.day, sl.period, minutes(p.start), minutes(p.end), a.id))
    return out


def cross_school(LD: LoadedDistrict, svc: list[Service]) -> Iterator[Violation]:
    """The rules between schools (see the module docstring) over a list of services."""
    by_person: dict[str, list[Service]] = defaultdict(list)
    for x in svc:
        by_person[x.person].append(x)
    for pid, items in sorted(by_person.items()):
        p = LD.person[pid]
        who = f"{p.name}（{pid}）"
        outside = sorted({x.school for x in items} - set(p.schools))
        if outside:
            yield Violation(
                "R12",
                Text(f"{who} 不在 {', '.join(outside)} 的遴选名单上，却在那里服务", "serves schools not on their list"),
                [pid, *outside],
            )
        slots = {(x.school, x.day, x.period) for x in items}
        if len(slots) > p.max_periods_per_week:
            yield Violation(
                "R25",
                Text(
                    f"{who} 全区每周 {len(slots)} 课时，超过上限 {p.max_periods_per_week}",
                    "over the weekly cap across schools",
                ),
                [pid],
            )
        by_day: dict[str, list[Service]] = defaultdict(list)
        for x in items:
            by_day[x.day].append(x)
        for day, today in sorted(by_day.items()):
            n = len({(x.school, x.period) for x in today})
            if n > p.max_periods_per_day:
                yield Violation(
                    "R25",
                    Text(
                        f"{who} 在 {day} 全区 {n} 课时，超过每日上限 {p.max_periods_per_day}",
                        "over the daily cap across schools",
                    ),
                    [pid],
                )
            schools = sorted({x.school for x in today})
            cap = LD.max_schools_per_day(p)
            if len(schools) > cap:
                yield Violation(
                    "R25",
                    Text(
                        f"{who} 在 {day} 去 {len(schools)} 所学校，超过每日 {cap} 所",
                        f"serves {len(schools)} schools on {day}, more than {cap}",
                    ),
                    [pid, *schools],
                )
            yield from _overlaps_and_travel(LD, who, pid, day, today)


def _overlaps_and_travel(LD: LoadedDistrict, who: str, pid: str, day: str, today: list[Service]) -> Iterator[Violation]:
    spans = sorted({(x.start, x.end, x.school, x.activity) for x in today})
    for i, (_s1, e1, sc1, a1) in enumerate(spans):
        for s2, _e2, sc2, a2 in spans[i + 1 :]:
            if s2 >= e1:
                break
            if sc1 != sc2:
                yield Violation(
                    "R21",
                    Text(f"{who} 在 {day} {hhmm(s2)} 同时在 {sc1}（{a1}）和 {sc2}（{a2}）", "in two schools at once"),
                    [pid, sc1, a1, sc2, a2],
                )
    # consecutive services (by start time) at different schools: the journey must fit in between
    blocks: list[tuple[int, int, str, str]] = []
    for s, e, sc, a in spans:
        if blocks and blocks[-1][2] == sc:
            blocks[-1] = (blocks[-1][0], max(blocks[-1][1], e), sc, blocks[-1][3])
        else:
            blocks.append((s, e, sc, a))
    for (_s1, e1, sc1, a1), (s2, _e2, sc2, a2) in pairwise(blocks):
        if s2 < e1:
            continue  # an overlap, reported above
        need = LD.travel(sc1, sc2)
        if need is None:
            yield Violation(
                "R14",
                Text(
                    f"{who} 在 {day} 从 {sc1} 到 {sc2}，两校之间没有路程时间，不能同日服务",
                    f"no travel time is known between {sc1} and {sc2}: they cannot be served on the same day",
                ),
                [pid, sc1, a1, sc2, a2],
            )
        elif s2 - e1 < need:
            yield Violation(
                "R14",
                Text(
                    f"{who} 在 {day} {hhmm(e1)} 离开 {sc1}，{hhmm(s2)} 就要在 {sc2}，路程需 {need} 分钟",
                    f"leaves {sc1} at {hhmm(e1)} and is due at {sc2} at {hhmm(s2)}: the journey takes {need} minutes",
                ),
                [pid, sc1, a1, sc2, a2],
            )


def school_instance(LD: LoadedDistrict, school: str, loaded: Loaded) -> Loaded:
    """The school's instance with everyone of the pool who may serve it, as the district file says."""
    raw = inject(LD, school, loaded, None)
    data = json.dumps(raw, ensure_ascii=False).encode("utf-8")
    return load_bytes(data, f"{school} + pool")


def check_district(LD: LoadedDistrict, originals: dict[str, Loaded], plans: dict[str, Plan]) -> DistrictCheck:
    """Check every school's plan and the rules across schools. `originals`: each school's own
    instance (without the pool); `plans`: the schools that have a plan (others count as failing)."""
    results: dict[str, CheckResult | None] = {}
    problems: dict[str, list[dict]] = {}
    for s in (x.id for x in LD.district.schools):
        plan, loaded = plans.get(s), originals.get(s)
        if plan is None or loaded is None:
            results[s] = None
            continue
        try:
            results[s] = check_plan(school_instance(LD, s, loaded), plan)
        except InputRejected as exc:
            results[s] = None
            problems[s] = [p.to_dict() for p in exc.report.errors]
    svc = services(LD, originals, plans)
    return DistrictCheck(results, list(cross_school(LD, svc)), problems)
