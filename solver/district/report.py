"""The district report: every school has a plan (R1), how well each serves its students, its budget
and compliance, the shared people's use, and the bottom 10% by satisfaction (R22).

`district_report(...) -> dict` is what the app calls; `write_workbook(report, path)` writes the same
as an Excel workbook (Chinese headers with English).
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

from models.load import Loaded
from models.plan import Plan
from solver.check import Violation
from solver.district.check import DistrictCheck, services
from solver.district.load import LoadedDistrict

REPORT_FORMAT = "afterschool-district-report/1"
BOTTOM_SHARE = 0.10  # R22: the bottom 10% of schools are flagged


def _rate(num: float, den: float) -> float | None:
    return round(num / den, 4) if den else None


def _registered(loaded: Loaded) -> int:
    return sum(1 for s in loaded.instance.students if s.days or s.extended_days or s.evening_days)


def r22(LD: LoadedDistrict) -> dict:
    """R22: the schools in the bottom 10% by end-of-term satisfaction (at least one when any is scored;
    ties at the cut are flagged too)."""
    scored = [(s.satisfaction, s.id) for s in LD.district.schools if s.satisfaction is not None]
    if not scored:
        return {
            "assessed": False,
            "scored": 0,
            "flagged": [],
            "threshold": None,
            "note": "没有满意度评分，未评估后 10% / no satisfaction scores in the district file: R22 not assessed",
        }
    scored.sort()
    k = max(1, math.ceil(BOTTOM_SHARE * len(scored)))
    cut = scored[k - 1][0]
    flagged = [sid for score, sid in scored if score <= cut]
    missing = [s.id for s in LD.district.schools if s.satisfaction is None]
    note = f"{len(scored)} 所学校有评分，后 10% 的分数线 {cut} / {len(scored)} schools scored, bottom-10% cut at {cut}"
    if missing:
        note += f"；无评分 not scored: {', '.join(missing)}"
    return {"assessed": True, "scored": len(scored), "flagged": flagged, "threshold": cut, "note": note}


def shared_use(LD: LoadedDistrict, originals: dict[str, Loaded], plans: dict[str, Plan]) -> list[dict]:
    """Periods a week per shared person per school (from the plans)."""
    per: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    days: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for x in services(LD, originals, plans):
        per[x.person][x.school].add((x.day, x.period))
        days[x.person][x.day].add(x.school)
    out = []
    for p in LD.district.pool:
        periods = {s: len(v) for s, v in sorted(per[p.id].items())}
        out.append(
            {
                "id": p.id,
                "name": p.name,
                "kind": p.kind,
                "institution": p.institution,
                "qualifications": p.qualifications,
                "schools_allowed": p.schools,
                "periods": periods,
                "total": sum(periods.values()),
                "max_periods_per_week": p.max_periods_per_week,
                "schools_used": len(periods),
                "days": {d: sorted(v) for d, v in sorted(days[p.id].items())},
            }
        )
    return out


def district_report(LD: LoadedDistrict, outcomes: dict, check: DistrictCheck, run: dict | None = None) -> dict:
    """The district report as JSON data.

    `outcomes`: school id → an object with `status`, `loaded` (the school's own `Loaded` or None),
    `plan` (Plan or None), `problems` (list of problem dicts), `result` (the worker's data: seconds,
    worker, rss_mb, explanation), `round` — `solver.district.run.SchoolOutcome` fits.
    `check`: the district checker's result. `run`: engine and rounds, copied as they are.
    """
    flags = r22(LD)
    rows = []
    tot: defaultdict[str, float] = defaultdict(float)
    originals = {s: o.loaded for s, o in outcomes.items() if o.loaded is not None}
    plans = {s: o.plan for s, o in outcomes.items() if o.plan is not None and o.status in ("optimal", "feasible")}
    pool_ids = set(LD.person)
    for ds in LD.district.schools:
        o = outcomes.get(ds.id)
        loaded = o.loaded if o else None
        plan = o.plan if o else None
        res = check.schools.get(ds.id)
        has_plan = o is not None and plan is not None and o.status in ("optimal", "feasible")
        valid = bool(has_plan and res is not None and res.valid)
        row: dict[str, Any] = {
            "id": ds.id,
            "name": o.name if o and o.name else ds.id,
            "stage": loaded.instance.school.stage if loaded else None,
            "instance": ds.instance,
            "status": o.status if o else "missing",
            "r1_plan": valid,
            "violations": [v.to_dict() for v in res.violations] if res is not None else [],
            "satisfaction": ds.satisfaction,
            "bottom_10": ds.id in flags["flagged"],
            "problems": (o.problems if o else []) + check.problems.get(ds.id, []),
            "explanation": (o.result.get("explanation") if o else None) or [],
            "error": o.result.get("error") if o else None,
            "round": o.round if o else None,
            "seconds": o.result.get("seconds") if o else None,
            "worker": o.result.get("worker") if o else None,
            "rss_mb": o.result.get("rss_mb") if o else None,
        }
        if loaded is not None:
            n, reg = len(loaded.instance.students), _registered(loaded)
            with_choice = sum(1 for c in loaded.kept_choices.values() if c)
            row.update(students=n, registered=reg, participation=_rate(reg, n))
            tot["students"] += n
            tot["registered"] += reg
        if has_plan:
            assert plan is not None and loaded is not None  # a plan is made for the school's own instance
            m, c = plan.metrics, plan.costs
            income = c.fee_income_per_term + c.subsidy_per_term
            shared = sum(1 for a in plan.activities for st in a.staff if st in pool_ids for _ in a.slots)
            row.update(
                served=m.students_served,
                coverage=_rate(m.students_served, row["registered"]),
                first_choice_rate=m.first_choice_rate,
                any_choice_rate=m.any_choice_rate,
                electives_requested=m.electives_requested,
                electives_assigned=m.electives_assigned,
                cost_per_term=c.staff_pay_per_term,
                income_per_term=income,
                balance_per_term=c.balance_per_term,
                budget_must_balance=loaded.policy.budget_must_balance,
                budget_ok=c.balance_per_term >= 0,
                compliance=[x.model_dump(mode="json") for x in plan.compliance],
                compliance_failed=[x.rule for x in plan.compliance if not x.ok],
                shared_periods=shared,
                objective=plan.objective,
                bound=plan.bound,
            )
            tot["served"] += m.students_served
            tot["with_choice"] += with_choice
            tot["first"] += m.first_choice_rate * with_choice
            tot["any"] += m.any_choice_rate * with_choice
            tot["cost"] += c.staff_pay_per_term
            tot["income"] += income
        rows.append(row)
    n_valid = sum(1 for r in rows if r["r1_plan"])
    use = shared_use(LD, originals, plans)
    summary = {
        "schools": len(rows),
        "schools_with_valid_plan": n_valid,
        "r1_all_schools_planned": n_valid == len(rows),
        "schools_failing": [r["id"] for r in rows if not r["r1_plan"]],
        "students": int(tot["students"]),
        "registered": int(tot["registered"]),
        "served": int(tot["served"]),
        "participation": _rate(tot["registered"], tot["students"]),
        "coverage": _rate(tot["served"], tot["registered"]),
        "first_choice_rate": _rate(tot["first"], tot["with_choice"]),
        "any_choice_rate": _rate(tot["any"], tot["with_choice"]),
        "cost_per_term": round(tot["cost"], 2),
        "income_per_term": round(tot["income"], 2),
        "balance_per_term": round(tot["income"] - tot["cost"], 2),
        "schools_over_budget": [r["id"] for r in rows if r.get("budget_ok") is False],
        "district_checks_ok": check.cross_ok,
        "district_violations_by_rule": check.by_rule(),
        "all_valid": check.valid and n_valid == len(rows),
        "shared_people": len(use),
        "shared_people_used": sum(1 for u in use if u["total"]),
        "shared_people_at_several_schools": sum(1 for u in use if u["schools_used"] > 1),
        "shared_periods": sum(u["total"] for u in use),
    }
    return {
        "format": REPORT_FORMAT,
        "district": {"id": LD.district.district.id, "name": LD.district.district.name, "source": LD.source},
        "summary": summary,
        "r22": flags,
        "schools": rows,
        "shared_staff": use,
        "district_checks": [_violation(v) for v in check.violations],
        "run": run or {},
        "warnings": [w.to_dict() for w in LD.warnings],
    }


def _violation(v: Violation) -> dict:
    return v.to_dict()


# --------------------------------------------------------------------------- Excel

SUMMARY_FIELDS = (
    ("schools", "学校数 / schools"),
    ("schools_with_valid_plan", "有有效方案的学校 / schools with a valid plan (R1)"),
    ("r1_all_schools_planned", "全部学校有方案 / every school planned (R1)"),
    ("students", "学生 / students"),
    ("registered", "报名学生 / registered"),
    ("served", "全程看护 / served"),
    ("participation", "参与率 / participation"),
    ("coverage", "覆盖率 / coverage (served / registered)"),
    ("first_choice_rate", "第一志愿率 / first-choice rate"),
    ("any_choice_rate", "任一志愿率 / any-choice rate"),
    ("cost_per_term", "学期支出 / cost per term"),
    ("income_per_term", "学期收入 / income per term"),
    ("balance_per_term", "学期结余 / balance per term"),
    ("district_checks_ok", "跨校检查通过 / district checks pass"),
    ("shared_people", "共享人员 / shared people"),
    ("shared_people_used", "有安排的共享人员 / shared people used"),
    ("shared_people_at_several_schools", "在多校服务 / serving several schools"),
    ("shared_periods", "共享人员课时 / shared periods a week"),
)
SCHOOL_COLUMNS = (
    ("id", "学校编号 / school"),
    ("name", "学校 / name"),
    ("stage", "学段 / stage"),
    ("status", "状态 / status"),
    ("r1_plan", "有效方案 / valid plan (R1)"),
    ("students", "学生 / students"),
    ("registered", "报名 / registered"),
    ("served", "全程看护 / served"),
    ("participation", "参与率 / participation"),
    ("coverage", "覆盖率 / coverage"),
    ("first_choice_rate", "第一志愿率 / first choice"),
    ("any_choice_rate", "任一志愿率 / any choice"),
    ("cost_per_term", "学期支出 / cost"),
    ("income_per_term", "学期收入 / income"),
    ("balance_per_term", "结余 / balance"),
    ("budget_ok", "收支 / budget ok"),
    ("compliance_failed", "未通过规则 / failing rules"),
    ("shared_periods", "共享人员课时 / shared periods"),
    ("satisfaction", "满意度 / satisfaction"),
    ("bottom_10", "后10% / bottom 10% (R22)"),
    ("round", "轮次 / round"),
    ("seconds", "用时 / seconds"),
    ("rss_mb", "峰值内存MB / peak RSS MB"),
)
_RATES = {"participation", "coverage", "first_choice_rate", "any_choice_rate"}


def _cell(value):
    if isinstance(value, bool):
        return "是 yes" if value else "否 no"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return value


def write_workbook(report: dict, path) -> None:
    """The district report as an .xlsx workbook (xlsxwriter)."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "text_wrap": True, "valign": "top", "border": 1})
    pct = wb.add_format({"num_format": "0.0%"})
    bad = wb.add_format({"bg_color": "#F8CBAD"})
    good = wb.add_format({"bg_color": "#C6EFCE"})

    ws = wb.add_worksheet("区汇总 Summary")
    ws.set_column(0, 0, 44)
    ws.set_column(1, 1, 30)
    ws.write_row(0, 0, ["项目 / item", "数值 / value"], head)
    ws.write(1, 0, "区 / district")
    ws.write(1, 1, f"{report['district']['name']} ({report['district']['id']})")
    row = 2
    for key, label in SUMMARY_FIELDS:
        value = report["summary"].get(key)
        ws.write(row, 0, label)
        if key in _RATES and value is not None:
            ws.write_number(row, 1, value, pct)
        else:
            ws.write(row, 1, _cell(value))
        row += 1
    ws.write(row, 0, "满意度后10% / bottom 10% by satisfaction (R22)")
    ws.write(row, 1, ", ".join(report["r22"]["flagged"]) or report["r22"]["note"])
    ws.write(row + 1, 0, "说明 / note (R22)")
    ws.write(row + 1, 1, report["r22"]["note"])
    ws.write(row + 2, 0, "未通过的学校 / schools without a valid plan")
    ws.write(row + 2, 1, ", ".join(report["summary"]["schools_failing"]) or "无 none")

    ws = wb.add_worksheet("学校 Schools")
    ws.write_row(0, 0, [label for _, label in SCHOOL_COLUMNS], head)
    ws.set_row(0, 32)
    ws.set_column(0, len(SCHOOL_COLUMNS) - 1, 14)
    ws.set_column(1, 1, 24)
    for i, r in enumerate(report["schools"], 1):
        for j, (key, _) in enumerate(SCHOOL_COLUMNS):
            value = r.get(key)
            if key in _RATES and value is not None:
                ws.write_number(i, j, value, pct)
            elif key == "r1_plan":
                ws.write(i, j, _cell(value), good if value else bad)
            elif key == "bottom_10" and value:
                ws.write(i, j, _cell(value), bad)
            else:
                ws.write(i, j, _cell(value))
    ws.freeze_panes(1, 2)
    ws.autofilter(0, 0, len(report["schools"]), len(SCHOOL_COLUMNS) - 1)

    rules = [f"R{i}" for i in range(1, 26)]
    ws = wb.add_worksheet("合规 Compliance")
    ws.write_row(0, 0, ["学校 / school", *rules], head)
    ws.set_column(0, 0, 14)
    ws.set_column(1, len(rules), 6)
    detail = wb.add_worksheet("合规明细 Compliance detail")
    detail.write_row(0, 0, ["学校 / school", "规则 / rule", "通过 / ok", "说明 / detail"], head)
    detail.set_column(3, 3, 100)
    d = 1
    for i, r in enumerate(report["schools"], 1):
        ws.write(i, 0, r["id"])
        entries = {c["rule"]: c for c in r.get("compliance", [])}
        for j, rule in enumerate(rules, 1):
            c = entries.get(rule)
            if rule == "R1":
                ok = r["r1_plan"]
            elif c is None:
                ws.write(i, j, "-")
                continue
            else:
                ok = c["ok"]
            ws.write(i, j, "✓" if ok else "✗", good if ok else bad)
        for c in r.get("compliance", []):
            detail.write_row(d, 0, [r["id"], c["rule"], _cell(c["ok"]), c["detail"]])
            d += 1
    ws.freeze_panes(1, 1)

    schools = [r["id"] for r in report["schools"]]
    ws = wb.add_worksheet("共享人员 Shared staff")
    cols = [
        "编号 / id",
        "姓名 / name",
        "类别 / kind",
        "机构 / institution",
        "资质 / qualifications",
        "每周上限 / weekly cap",
        "合计 / total",
        "学校数 / schools",
        *schools,
    ]
    ws.write_row(0, 0, cols, head)
    ws.set_row(0, 32)
    ws.set_column(0, len(cols) - 1, 10)
    ws.set_column(4, 4, 24)
    for i, u in enumerate(report["shared_staff"], 1):
        ws.write_row(
            i,
            0,
            [
                u["id"],
                u["name"],
                u["kind"],
                u["institution"] or "",
                ", ".join(u["qualifications"]),
                u["max_periods_per_week"],
                u["total"],
                u["schools_used"],
            ],
        )
        for j, s in enumerate(schools, 8):
            if s in u["periods"]:
                ws.write_number(i, j, u["periods"][s])
            elif s in u["schools_allowed"]:
                ws.write(i, j, 0)
    ws.freeze_panes(1, 2)

    ws = wb.add_worksheet("跨校检查 District checks")
    ws.write_row(0, 0, ["规则 / rule", "说明 / message", "涉及 / records"], head)
    ws.set_column(1, 1, 100)
    ws.set_column(2, 2, 40)
    if not report["district_checks"]:
        ws.write(1, 0, "—")
        ws.write(1, 1, "跨校检查全部通过 / every cross-school check passes (R21, R14, R25, R12)")
    for i, v in enumerate(report["district_checks"], 1):
        ws.write_row(i, 0, [v["rule"], v["message"], ", ".join(v["records"])])

    ws = wb.add_worksheet("问题 Problems")
    ws.write_row(0, 0, ["学校 / school", "类别 / kind", "规则 / rule", "记录 / record", "说明 / message"], head)
    ws.set_column(4, 4, 100)
    ws.set_column(3, 3, 30)
    i = 1
    for r in report["schools"]:
        for p in r["problems"]:
            where = p["record"] + (f".{p['field']}" if p.get("field") else "")
            ws.write_row(
                i, 0, [r["id"], "输入被拒绝 rejected input", p["rule"], where, f"{p['message']} / {p['message_en']}"]
            )
            i += 1
        for e in r["explanation"]:
            ws.write_row(i, 0, [r["id"], "无解说明 explanation", e["rule"], ", ".join(e["records"][:10]), e["detail"]])
            i += 1
        for v in r["violations"]:
            ws.write_row(i, 0, [r["id"], "方案违规 violation", v["rule"], ", ".join(v["records"][:10]), v["message"]])
            i += 1
        if r.get("error"):
            ws.write_row(i, 0, [r["id"], "出错 error", "", "", r["error"].splitlines()[0]])
            i += 1
    wb.close()
