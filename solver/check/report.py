"""The numbers a plan reports, recomputed from the rules (staff days R24, costs R19/R20/R23,
metrics, the compliance report), and the checker's entry points: `check_activities` (every
hard-rule violation) and `check_plan` (those, the file's frame, and every reported number)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import cast

from models.common import DAYS, Day, hhmm, minutes
from models.load import Loaded
from models.messages import Text
from models.plan import (
    RULE_CODES,
    Activity,
    Compliance,
    Metrics,
    Plan,
    StaffDay,
)
from solver.check.rules import RULE_CHECKS, View, Violation, costs, onsite
from solver.rules import report_line

# --------------------------------------------------------------------------- reported numbers


def staff_days(L: Loaded, activities: list[Activity] | View) -> list[StaffDay]:
    """R24: arrival, leaving and service per staff member and day with service."""
    v = activities if isinstance(activities, View) else View(L, activities)
    off = minutes(L.policy.off_work_time)
    out = []
    for st in L.instance.staff:
        service = v.staff_service.get(st.id)
        if not service:
            continue
        span = onsite(L, service, st.id)
        per_day = Counter(d for d, _, _ in service)
        for d in DAYS:
            if d not in per_day:
                continue
            last_end = max(minutes(L.period[p].end) for dd, p, _ in service if dd == d)
            arrive, leave = span[d]
            out.append(
                StaffDay(
                    staff=st.id,
                    day=cast(Day, d),
                    arrive=hhmm(arrive),
                    leave=hhmm(leave),
                    service_periods=per_day[d],
                    minutes_after_off_work=max(0, last_end - off),
                )
            )
    return out


def metrics(L: Loaded, activities: list[Activity] | View) -> Metrics:
    """formats.md "Metrics", recomputed from the activities."""
    v = activities if isinstance(activities, View) else View(L, activities)
    served = 0
    for s in L.instance.students:
        need = L.registered_slots(s)
        if need and all(v.student_slots.get((s.id, d, p)) for d, p in need):
            served += 1
    requested = sum(min(s.electives_per_week, len(L.kept_choices[s.id])) for s in L.instance.students)
    assigned = sum(len(c) for c in v.placements.values())
    with_choice = [s for s in L.instance.students if L.kept_choices[s.id]]
    longest = max((len(L.kept_choices[s.id]) for s in with_choice), default=0)
    hist = {str(r): 0 for r in range(1, longest + 1)}
    first = anyc = 0
    for s in with_choice:
        kept = L.kept_choices[s.id]
        placed = v.placements.get(s.id, set())
        if kept[0] in placed:
            first += 1
        if placed & set(kept):
            anyc += 1
        for i, cid in enumerate(kept):
            if cid in placed:
                hist[str(i + 1)] += 1
    loads = {sid: len(service) for sid, service in v.staff_service.items() if service}
    external = sum(1 for sid in loads if L.staff[sid].kind != "teacher")
    n = len(with_choice)
    return Metrics(
        students=len(L.instance.students),
        students_served=served,
        electives_requested=requested,
        electives_assigned=assigned,
        first_choice_rate=first / n if n else 0.0,
        any_choice_rate=anyc / n if n else 0.0,
        rank_histogram=hist,
        staff_used=len(loads),
        external_staff_used=external,
        max_staff_load=max(loads.values(), default=0),
        min_staff_load=min(loads.values(), default=0),
    )


_TOL = 1e-6


def reported_numbers(L: Loaded, plan: Plan, acts: View | None = None) -> Iterator[Violation]:
    """The plan's staff_days, costs and metrics equal what the instance's rates give."""
    acts = acts or View(L, plan.activities)
    want_days = {(d.staff, d.day): d for d in staff_days(L, acts)}
    have_days = {(d.staff, d.day): d for d in plan.staff_days}
    for key in sorted(set(want_days) | set(have_days)):
        w, h = want_days.get(key), have_days.get(key)
        if w is None:
            yield Violation(
                "R24",
                Text(f"staff_days 中 {key[0]} {key[1]} 当天没有服务", "listed without service that day"),
                [key[0]],
            )
        elif h is None:
            yield Violation("R24", Text(f"staff_days 缺少 {key[0]} 在 {key[1]} 的到校离校时间", "missing"), [key[0]])
        elif w != h:
            yield Violation(
                "R24",
                Text(
                    f"staff_days {key[0]} {key[1]} 应为 {w.model_dump()}，方案写的是 {h.model_dump()}",
                    "reported arrival/leaving differs",
                ),
                [key[0]],
            )
    want = costs(L, acts)
    have = plan.costs
    for name, rule in (
        ("staff_pay_per_week", "R19"),
        ("staff_pay_per_term", "R19"),
        ("fee_income_per_term", "R18"),
        ("subsidy_per_term", "R20"),
        ("balance_per_term", "R20"),
    ):
        if abs(getattr(want, name) - getattr(have, name)) > _TOL:
            yield Violation(
                rule,
                Text(
                    f"costs.{name} 应为 {getattr(want, name)}，方案写的是 {getattr(have, name)}",
                    "reported cost differs from the rates",
                ),
                [],
            )
    w_staff = {c.staff: c for c in want.per_staff}
    h_staff = {c.staff: c for c in have.per_staff if c.periods_per_week or c.pay_per_term}
    for sid in sorted(set(w_staff) | set(h_staff)):
        wc, hc = w_staff.get(sid), h_staff.get(sid)
        if (
            wc is None
            or hc is None
            or wc.periods_per_week != hc.periods_per_week
            or abs(wc.pay_per_term - hc.pay_per_term) > _TOL
        ):
            yield Violation(
                "R23",
                Text(
                    f"costs.per_staff {sid} 应为 {wc.model_dump() if wc else None}，方案写的是 "
                    f"{hc.model_dump() if hc else None}",
                    "per-staff record differs",
                ),
                [sid],
            )
    wm = metrics(L, acts).model_dump()
    hm = plan.metrics.model_dump()
    for name, value in wm.items():
        got = hm.get(name)
        if name == "rank_histogram":
            keys = set(value) | set(got or {})
            ok = isinstance(got, dict) and all(value.get(k, 0) == got.get(k, 0) for k in keys)
        else:
            ok = isinstance(got, (int, float)) and abs(value - got) <= _TOL
        if not ok:
            yield Violation(
                "METRICS", Text(f"metrics.{name} 应为 {value}，方案写的是 {got}", "reported metric differs"), []
            )


def plan_frame(L: Loaded, plan: Plan) -> Iterator[Violation]:
    if plan.instance.school != L.instance.school.id:
        yield Violation(
            "FMT-REF",
            Text(f"方案属于学校 {plan.instance.school}，实例是 {L.instance.school.id}", "plan is for another school"),
            [plan.instance.school],
        )
    codes = Counter(c.rule for c in plan.compliance)
    missing = [r for r in RULE_CODES if codes[r] == 0]
    doubled = [r for r, n in codes.items() if n > 1]
    if missing or doubled:
        yield Violation(
            "FMT-VALUE",
            Text(f"compliance 应每条规则一项：缺少 {missing}，重复 {doubled}", "one compliance entry per rule code"),
            [],
        )


# --------------------------------------------------------------------------- entry points


def check_activities(L: Loaded, activities: list[Activity] | View) -> list[Violation]:
    """Every hard-rule violation of a set of activities."""
    v = activities if isinstance(activities, View) else View(L, activities)
    out: list[Violation] = []
    for check in RULE_CHECKS:
        out.extend(check(v))
    return out


@dataclass
class CheckResult:
    violations: list[Violation]
    notes: list[str]

    @property
    def valid(self) -> bool:
        return not self.violations

    def by_rule(self) -> dict[str, list[Violation]]:
        out: dict[str, list[Violation]] = defaultdict(list)
        for x in self.violations:
            for code in x.rule.split("/"):
                out[code].append(x)
        return out


def check_plan(L: Loaded, plan: Plan) -> CheckResult:
    """Check a plan against its instance: hard rules, pins, and every number it reports."""
    notes = []
    if plan.instance.sha256 != L.sha256:
        notes.append(
            "方案记录的实例指纹与此实例文件不同（文件可能已修改） / the plan's instance sha256 differs from "
            "this file (was it edited since?)"
        )
    if plan.status == "infeasible":
        notes.append("方案状态为 infeasible：没有可行方案 / status infeasible: no plan")
    v = View(L, plan.activities)
    violations = [*plan_frame(L, plan), *check_activities(L, v), *reported_numbers(L, plan, v)]
    if plan.status == "infeasible" and not violations:
        violations.append(
            Violation("FMT-VALUE", Text("状态为 infeasible 的方案不能当作有效方案", "an infeasible plan is not a plan"))
        )
    return CheckResult(violations, notes)


def compliance(L: Loaded, violations: list[Violation], activities: list[Activity] | View) -> list[Compliance]:
    """One entry per rule R1–R25: pass/fail with a detail a scheduler can read (the mixed form of a `Text`)."""
    by_rule: dict[str, list[Violation]] = defaultdict(list)
    for x in violations:
        for code in x.rule.split("/"):
            by_rule[code].append(x)
    warned = defaultdict(list)
    for w in L.warnings:
        warned[w.rule].append(w)
    c = costs(L, activities)
    pol = L.policy
    out = []

    def line(rule: str, ok: bool, text: Text) -> None:
        out.append(Compliance(rule=rule, ok=ok, detail=str(text)))

    for rule in RULE_CODES:
        bad = by_rule.get(rule, [])
        if bad:
            first = bad[0]
            line(
                rule,
                False,
                Text(
                    f"{len(bad)} 处违反：{first.text.zh}",
                    f"{len(bad)} violations: {first.text.en}",
                    joined=f"{len(bad)} 处违反 / violations: {first.message}",
                ),
            )
        elif rule in ("R3", "R4") and warned[rule]:
            line(rule, False, warned[rule][0].text)
        elif rule == "R18":
            waived = sum(1 for s in L.instance.students if s.fee_waiver is not None)
            line(
                rule,
                True,
                Text(
                    f"每生每学期 {pol.fee_per_term} 元，{waived} 名学生减免",
                    f"{pol.fee_per_term} yuan per term, {waived} waived",
                ),
            )
        elif rule == "R20":
            required = Text("须收支平衡", "must balance") if pol.budget_must_balance else Text("仅报告", "report only")
            zh = (
                f"学期收入 {c.fee_income_per_term + c.subsidy_per_term}，支出 {c.staff_pay_per_term}，"
                f"结余 {c.balance_per_term}"
            )
            line(
                rule,
                c.balance_per_term >= 0,
                Text(
                    f"{zh}（{required.zh}）",
                    f"income, cost, balance per term ({required.en})",
                    joined=f"{zh}（{required}） / income, cost, balance per term",
                ),
            )
        elif rule == "R23":
            n = len(c.per_staff)
            line(rule, True, Text(f"{n} 名教职工的课时与报酬已记录", f"service of {n} staff recorded"))
        elif report_line(rule):
            line(rule, True, report_line(rule))
        elif warned.get(rule):
            n = len(warned[rule])
            line(
                rule,
                True,
                Text(
                    f"通过；加载警告 {n} 条",
                    f"passed; {n} load warnings",
                    joined=f"通过 / passed；加载警告 {n} 条 / {n} load warnings",
                ),
            )
        else:
            line(rule, True, Text("通过", "passed"))
    return out
