"""A short, readable summary of a plan for the terminal (Chinese first, English alongside)."""

from __future__ import annotations

from models.load import Loaded
from models.plan import Plan


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def summarize(loaded: Loaded, plan: Plan) -> str:
    m, c = plan.metrics, plan.costs
    kinds: dict[str, int] = {}
    for a in plan.activities:
        kinds[a.kind] = kinds.get(a.kind, 0) + 1
    failed = [x for x in plan.compliance if not x.ok]
    lines = [
        f"学校 school: {loaded.instance.school.name} ({loaded.instance.school.id})   状态 status: {plan.status}   "
        f"用时 time: {plan.solve_seconds:.2f} s",
        f"学生 students: {m.students}，全程看护 served in every registered slot: {m.students_served}",
        f"活动 activities: {len(plan.activities)} " + " ".join(f"{k}={n}" for k, n in sorted(kinds.items())),
        f"选课 electives: 申请 requested {m.electives_requested}，安排 assigned {m.electives_assigned}；"
        f"第一志愿 first choice {_pct(m.first_choice_rate)}，任一志愿 any choice {_pct(m.any_choice_rate)}",
        "志愿名次分布 rank histogram: " + (", ".join(f"{k}:{v}" for k, v in m.rank_histogram.items()) or "-"),
        f"教职工 staff used: {m.staff_used}（校外 external {m.external_staff_used}），"
        f"每周课时 load per week: {m.min_staff_load}–{m.max_staff_load}",
        f"学期经费 term budget: 收入 income {c.fee_income_per_term + c.subsidy_per_term} 元 "
        f"(服务费 fees {c.fee_income_per_term} + 补贴 subsidy {c.subsidy_per_term})，"
        f"支出 cost {c.staff_pay_per_term} 元，结余 balance {c.balance_per_term} 元",
        "合规 compliance: "
        + ("全部通过 all rules pass" if not failed else "未通过 failing: " + ", ".join(x.rule for x in failed)),
    ]
    return "\n".join(lines)
