"""Why no plan can exist: counting pre-checks for the common causes, in rules and records.

Each check is a proof: a lower bound on what the instance demands against an upper bound on what
it offers (supervision staff and rooms per slot, tutors and fitting sessions for each flagged
student, the weekly staff capacity, the budget floor). When one fails, no plan exists and the
explanation says which rule, which slot or records, and the numbers.
"""

from __future__ import annotations

import math
from collections import defaultdict

from models.load import Loaded
from models.messages import Text
from models.plan import Explanation
from solver.eligibility import can_teach, group_cap, patterns
from solver.model.data import ProblemData, build_problem
from solver.model.r20_budget import income
from solver.model.r21_supervision import SUPERVISION, demand, supervision_courses, supervision_rooms, supervisors

RULE_OF_KIND = {"basic": "R2/R9", "extended": "R5", "evening": "R6"}
ZH_KIND = {"basic": "作业辅导", "extended": "延时托管", "evening": "晚自习"}
ZH_DAY = {"mon": "周一", "tue": "周二", "wed": "周三", "thu": "周四", "fri": "周五", "sat": "周六", "sun": "周日"}


def _when(loaded: Loaded, t) -> str:
    p = loaded.period[t[1]]
    return f"{ZH_DAY[t[0]]} {t[0]} {p.start}–{p.end} ({p.id})"


def _seats(data: ProblemData) -> dict[tuple[str, str], int]:
    """An upper bound on students sections could take out of each slot."""
    out: dict[tuple[str, str], int] = defaultdict(int)
    for c in data.loaded.instance.courses:
        if c.category in ("homework", "care", "evening_study"):
            continue
        slots = {t for pat in patterns(data.loaded, c) for t in pat}
        for t in slots:
            out[t] += c.max_sections * c.max_size
    return out


def supervision(data: ProblemData) -> tuple[list[Explanation], dict]:
    loaded = data.loaded
    out: list[Explanation] = []
    need: dict = defaultdict(int)
    for (t, _grade), n in demand(data).items():
        need[t] += n
    seats = _seats(data)
    floor: dict = {}
    for t in data.slots:
        n = need.get(t, 0)
        if n == 0:
            continue
        kind = loaded.period[t[1]].kind
        rule = RULE_OF_KIND[kind]
        courses = supervision_courses(data, kind)
        left = max(0, n - seats.get(t, 0))
        if not courses:
            if left:
                category = SUPERVISION[kind][0]
                out.append(
                    Explanation(
                        rule=rule,
                        detail=str(
                            Text(
                                f"{_when(loaded, t)} 有 {n} 名学生报名，但课程清单中没有{ZH_KIND[kind]}课程"
                                f"（category {category}，时段类型 {kind}）",
                                f"{n} students registered but no {category} course runs in {kind} periods",
                                sep="/ ",
                            )
                        ),
                        records=[t[1]],
                    )
                )
            continue
        cap = min(group_cap(loaded, c, SUPERVISION[kind][1]) for c in courses)
        groups = math.ceil(left / cap)
        floor[t] = groups
        people = supervisors(data, t)
        if groups > len(people):
            limit = loaded.policy.max_onsite_minutes
            out.append(
                Explanation(
                    rule=f"{rule}/R21/R24",
                    detail=str(
                        Text(
                            f"{_when(loaded, t)} 需要至少 {groups} 个{ZH_KIND[kind]}组"
                            f"（{left} 名学生，每组不超过 {cap} 人），"
                            f"但当时只有 {len(people)} 名教职工能在 {limit} 分钟在校时长（R24）、"
                            "值班和不可用时段之内到岗"
                            f"{'：' + '、'.join(people) if people else ''}",
                            f"needs {groups} groups ({left} pupils, ≤{cap} each) "
                            f"but only {len(people)} staff can serve then within the {limit}-minute on-site limit",
                        )
                    ),
                    records=[t[1], *people],
                )
            )
        rooms = supervision_rooms(data, t)
        if groups > len(rooms):
            out.append(
                Explanation(
                    rule=f"{rule}/R21",
                    detail=str(
                        Text(
                            f"{_when(loaded, t)} 需要至少 {groups} 个{ZH_KIND[kind]}组，"
                            f"但只有 {len(rooms)} 间可用的教室",
                            f"needs {groups} groups but only {len(rooms)} rooms of the allowed kinds are open",
                        )
                    ),
                    records=[t[1], *sorted(rooms)],
                )
            )
    return out, floor


def tutoring(data: ProblemData) -> list[Explanation]:
    """R10: every flagged student has a tutoring session that fits their days and a tutor for it."""
    loaded = data.loaded
    out: list[Explanation] = []
    courses = [c for c in loaded.instance.courses if c.category == "tutoring"]
    if loaded.policy.tutoring_sessions_per_week == 0:
        return out
    for s in data.active_students:
        for subject in dict.fromkeys(s.tutoring):
            if (s.id, subject) in loaded.unmet_tutoring:
                continue
            mine = [
                c
                for c in courses
                if c.subject == subject and loaded.grade(s) in c.grades and (c.level != "advanced" or s.advanced)
            ]
            fitting = [c for c in mine if any(data.fits(s, tuple(pat)) for pat in patterns(loaded, c))]
            if not fitting:
                out.append(
                    Explanation(
                        rule="R10/R2",
                        detail=str(
                            Text(
                                f"学生 {s.id} 需要 {subject} 补习辅导，但没有一次补习课能排在他报名的时段内"
                                f"（{', '.join(s.days) or '无'}，还须保留作业辅导时间 R9）",
                                f"no tutoring session in {subject} fits "
                                f"the student's registered days while keeping homework time",
                                sep="/ ",
                            )
                        ),
                        records=[s.id, *(c.id for c in mine)],
                    )
                )
                continue
            tutors = [
                st.id
                for c in fitting
                for st in loaded.instance.staff
                if can_teach(loaded, st, c) and data.free_slots[st.id]
            ]
            if not tutors:
                out.append(
                    Explanation(
                        rule="R10/R12",
                        detail=str(
                            Text(
                                f"学生 {s.id} 需要 {subject} 补习辅导，但没有教 {subject} 的本校教师有空",
                                f"no free teacher who teaches {subject}",
                            )
                        ),
                        records=[s.id, *(c.id for c in fitting)],
                    )
                )
    return out


def staff_floor(data: ProblemData) -> dict:
    """Per slot, the fewest staff any plan needs: everyone registered then is in some activity,
    each activity holds at most the largest group any course could run then, and has staff (R21)."""
    loaded = data.loaded
    need: dict = defaultdict(int)
    for (t, _grade), n in demand(data).items():
        need[t] += n
    biggest: dict = defaultdict(int)
    for c in loaded.instance.courses:
        kind = "extended_care" if c.category == "care" else "elective"
        cap = group_cap(loaded, c, kind)
        for pat in patterns(loaded, c):
            for t in pat:
                biggest[t] = max(biggest[t], cap)
    out = {}
    for t, n in need.items():
        if biggest[t]:
            out[t] = math.ceil(n / biggest[t])
    return out


def capacity(data: ProblemData, floor: dict) -> list[Explanation]:
    """R25: the weekly caps cover the staff-periods any plan needs — supervision groups by those
    who can supervise; and every activity by everyone who may serve at all."""
    loaded = data.loaded
    out = []
    teachers = {sid for t in floor for sid in supervisors(data, t)}
    cap = sum(min(loaded.staff[sid].max_periods_per_week, len(data.free_slots[sid])) for sid in teachers)
    total = sum(floor.values())
    if total > cap:
        out.append(
            Explanation(
                rule="R25/R21",
                detail=str(
                    Text(
                        f"每周至少需要 {total} 个看护组课时，但能看护的教职工每周上限合计只有 {cap} 课时",
                        f"at least {total} group-periods a week are needed but the weekly caps of all who can "
                        f"supervise add up to {cap}",
                    )
                ),
                records=sorted(teachers),
            )
        )
        return out
    needed = staff_floor(data)
    everyone = [st.id for st in loaded.instance.staff if data.free_slots[st.id]]
    cap_all = sum(min(loaded.staff[sid].max_periods_per_week, len(data.free_slots[sid])) for sid in everyone)
    if sum(needed.values()) > cap_all:
        out.append(
            Explanation(
                rule="R25/R21/R2",
                detail=str(
                    Text(
                        f"所有学生每周至少需要 {sum(needed.values())} 个有人负责的活动课时，"
                        "但全体教职工每周上限合计只有 "
                        f"{cap_all} 课时",
                        f"every registered student needs supervision: at least "
                        f"{sum(needed.values())} staffed activity-periods a week, but all staff's weekly caps add "
                        f"up to {cap_all}",
                    )
                ),
                records=everyone,
            )
        )
    for t, n in sorted(needed.items()):
        free = [sid for sid in everyone if t in data.free_slots[sid]]
        if n > len(free):
            out.append(
                Explanation(
                    rule="R2/R21/R24/R25",
                    detail=str(
                        Text(
                            f"{_when(loaded, t)} 至少需要 {n} 名教职工（每项活动至少一人），"
                            f"但当时只有 {len(free)} 人能到岗",
                            f"needs at least {n} staff but only {len(free)} can serve then",
                        )
                    ),
                    records=[t[1], *free],
                )
            )
    return out


def budget(data: ProblemData, floor: dict) -> list[Explanation]:
    """R20: even the cheapest staffing of the groups that must exist costs more than the income."""
    loaded = data.loaded
    if not loaded.policy.budget_must_balance:
        return []
    pays = [loaded.staff[sid].pay_per_period for t in floor for sid in supervisors(data, t)]
    if not pays:
        return []
    cost = min(pays) * sum(floor.values()) * loaded.policy.term_weeks
    have = income(data)
    if cost > have:
        return [
            Explanation(
                rule="R20",
                detail=str(
                    Text(
                        f"仅看护组的最低支出就要 {cost:.0f} 元/学期（{sum(floor.values())} 组课时/周 × 最低 "
                        f"{min(pays)} 元 × {loaded.policy.term_weeks} 周），"
                        f"超过收入 {have:.0f} 元（服务费扣除减免后加补贴）",
                        f"the cheapest supervision alone costs {cost:.0f} yuan a term, more than the income {have:.0f}",
                        sep="/ ",
                    )
                ),
                records=["policy.subsidy_per_term", "policy.fee_per_term"],
            )
        ]
    return []


def diagnose(loaded: Loaded, data: ProblemData | None = None) -> list[Explanation]:
    """Explanations of why no plan exists; empty when these counts find no contradiction."""
    data = data or build_problem(loaded)
    out, floor = supervision(data)
    out += tutoring(data)
    out += capacity(data, floor)
    out += budget(data, floor)
    return out
