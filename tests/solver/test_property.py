"""Property test over small random schools (hypothesis): every plan the optimizer returns passes
the checker, and every "infeasible" is real — confirmed by exhaustive search.

The random schools have homework and care only (no electives or tutoring), so that an
exhaustive search over plans is small: per slot, the fewest groups the free rooms allow, every
choice of staff for them, each candidate plan judged by the checker (written from the rules).
Students of one grade may share any group, so group membership never decides feasibility.
"""

from __future__ import annotations

import math
from itertools import combinations, product

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models.plan import Activity
from solver.check import check_activities
from solver.optimize import Options, optimize
from tests.conftest import load_raw

DAYS = ["mon", "tue"]


@st.composite
def schools(draw):
    n_days = draw(st.integers(1, 2))
    days = DAYS[:n_days]
    periods = [{"id": "P1", "start": "15:30", "end": "17:30", "kind": "basic"}]
    if draw(st.booleans()):
        periods.append({"id": "EXT", "start": "17:30", "end": "18:30", "kind": "extended"})
    has_ext = len(periods) == 2
    n_rooms = draw(st.integers(1, 3))
    rooms = [
        {
            "id": f"R{i}",
            "name": f"教室{i}",
            "kind": "classroom",
            "capacity": draw(st.integers(1, 4)),
            "unavailable": [{"day": d, "period": "P1"} for d in days if draw(st.integers(0, 5)) == 0],
        }
        for i in range(n_rooms)
    ]
    classes = [{"id": "3-1", "grade": 3, "homeroom": "R0"}]
    staff = []
    for i in range(draw(st.integers(1, 3))):
        start = draw(st.sampled_from(["07:40", "08:30"]))  # 07:40 cannot stay until 18:30 (R24)
        staff.append(
            {
                "id": f"T{i}",
                "name": f"老师{i}",
                "kind": "teacher",
                "pay_per_period": 70,
                "max_periods_per_week": draw(st.integers(0, 3)),
                "max_periods_per_day": draw(st.integers(1, 2)),
                "unavailable": [{"day": d, "period": "P1"} for d in days if draw(st.integers(0, 4)) == 0],
                "duties": [{"day": d, "start": start, "end": "15:30"} for d in days],
            }
        )
    students = []
    for i in range(draw(st.integers(1, 6))):
        reg = [d for d in days if draw(st.booleans())]
        ext = [d for d in reg if has_ext and draw(st.integers(0, 2)) == 0]
        students.append({"id": f"S{i}", "class": "3-1", "days": reg, "extended_days": ext})
    hw_cap, care_cap = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    courses = [
        {
            "id": "HW",
            "name": "作业辅导",
            "category": "homework",
            "grades": [3],
            "sessions_per_week": 1,
            "periods_per_session": 1,
            "min_size": 1,
            "max_size": hw_cap,
            "max_sections": 99,
            "room_kinds": ["classroom"],
        },
        {
            "id": "CARE",
            "name": "延时托管",
            "category": "care",
            "grades": [3],
            "sessions_per_week": 1,
            "periods_per_session": 1,
            "period_kinds": ["extended"],
            "min_size": 1,
            "max_size": care_cap,
            "max_sections": 99,
            "room_kinds": ["classroom"],
        },
    ]
    return {
        "format": "afterschool-instance/1",
        "school": {"id": "tiny", "name": "小校", "stage": "primary"},
        "policy": {"basic_block_minutes": 120},
        "days": days,
        "periods": periods,
        "classes": classes,
        "rooms": rooms,
        "courses": courses,
        "staff": staff,
        "students": students,
    }


def exists_plan(L) -> bool:
    """Exhaustive search: is there any valid plan? (the checker judges each candidate)"""
    slots = [(d, p.id) for d in L.days for p in L.periods]
    per_slot = []
    for d, p in slots:
        who = [s.id for s in L.instance.students if (d, p) in L.registered[s.id]]
        if not who:
            continue
        kind = L.period[p].kind
        course = next(c for c in L.instance.courses if (c.category == "homework") == (kind == "basic"))
        cap = min(course.max_size, L.policy.max_care_group_size if kind == "extended" else L.policy.max_group_size)
        rooms = sorted(
            (r for r in L.instance.rooms if (d, p) not in {(u.day, u.period) for u in r.unavailable}),
            key=lambda r: -r.capacity,
        )
        sizes = [min(cap, r.capacity) for r in rooms]
        k = next((k for k in range(1, len(rooms) + 1) if sum(sizes[:k]) >= len(who)), None)
        if k is None:
            return False  # the free rooms cannot hold everyone
        # balanced sizes within each room's limit
        left, groups = list(who), []
        for i, r in enumerate(rooms[:k]):
            share = min(sizes[i], math.ceil(len(left) / (k - i)))
            groups.append((r.id, left[:share]))
            left = left[share:]
        options = [
            [(d, p, course.id, kind, groups, staff) for staff in combinations([s.id for s in L.instance.staff], k)]
        ]
        per_slot.append(options[0])
    for choice in product(*per_slot):
        acts = []
        for d, p, course, kind, groups, staff in choice:
            for (room, members), sid in zip(groups, staff, strict=True):
                acts.append(
                    Activity(
                        id=f"{course}-{d}-{p}-{room}",
                        course=course,
                        kind="homework" if kind == "basic" else "extended_care",
                        class_=None,
                        slots=[{"day": d, "period": p}],
                        room=room,
                        staff=[sid],
                        students=members,
                    )
                )
        if not check_activities(L, acts):
            return True
    return False


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(schools())
def test_plans_pass_the_checker_and_infeasible_is_real(raw):
    L = load_raw(raw)
    plan, violations, _ = optimize(L, Options(time_limit=2, workers=1, seed=1))
    feasible = exists_plan(L)
    if plan.status in ("optimal", "feasible"):
        assert violations == [] and not check_activities(L, plan.activities)
        assert feasible
    elif plan.status == "infeasible":
        assert not feasible, [e.detail for e in plan.explanation]
        assert plan.explanation
    else:
        assert not feasible, plan.warnings[-3:]  # a tiny feasible school must get its plan
