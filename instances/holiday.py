"""A holiday-care instance (`afterschool-holiday/1`, R7) built from a generated school.

The school's rooms, catalogue, institutions and people come from `instances.generator` (so every
number has the same sources); on top: the chosen weeks of the summer holiday, a day of morning,
noon and afternoon periods, groups by age (one per grade, split to stay within the care group
size), volunteers available for some weeks, children registered for some weeks (about 40% of
the school each week), the weekly fee with the same waivers. Deterministic (`random.Random(seed)`).
"""

from __future__ import annotations

import datetime as dt
import json
import random

from instances.generator import generate
from models.load import dump_instance

PERIODS = [
    {"id": "AM", "start": "08:30", "end": "10:30", "kind": "morning"},
    {"id": "NOON", "start": "11:00", "end": "13:00", "kind": "noon"},
    {"id": "PM", "start": "14:00", "end": "16:00", "kind": "afternoon"},
]


def generate_holiday(
    students: int, weeks: int = 2, seed: int = 1, first_monday: dt.date = dt.date(2027, 7, 12)
) -> dict:
    """The holiday file as a dict (write it with json.dumps)."""
    rng = random.Random(seed)
    school = json.loads(dump_instance(generate("primary", students, seed)))
    week_list = [
        {
            "id": f"W{i + 1}",
            "start": (first_monday + dt.timedelta(weeks=i)).isoformat(),
            "days": ["mon", "tue", "wed", "thu", "fri"],
        }
        for i in range(weeks)
    ]
    rooms = [{**r, "unavailable": []} for r in school["rooms"] if not r["off_campus"]]  # term-time slots do not apply
    kinds = {r["kind"] for r in rooms}
    courses = [
        {**c, "sessions_per_week": min(c["sessions_per_week"], 2)}
        for c in school["courses"]
        if c["category"] not in ("homework", "tutoring", "care", "evening_study")
        and set(c["room_kinds"]) & kinds
        and c["periods_per_session"] == 1
    ]
    course_ids = {c["id"] for c in courses}
    grades = sorted({c["grade"] for c in school["classes"]})
    by_grade = {
        g: [s for s in school["students"] if next(c["grade"] for c in school["classes"] if c["id"] == s["class"]) == g]
        for g in grades
    }
    homerooms = {c["grade"]: [] for c in school["classes"]}
    for c in school["classes"]:
        homerooms[c["grade"]].append(c["homeroom"])
    cap = min(school["policy"]["max_care_group_size"], 30)
    groups, children = [], []
    for g in grades:
        pupils = [s for s in by_grade[g] if rng.random() < 0.55]  # who registers for holiday care at all
        n_groups = max(1, -(-int(len(pupils) * 0.6) // cap))  # ~60% of them come in any one week
        names = "ABCDEFGH"
        for k in range(n_groups):
            room = homerooms[g][k % len(homerooms[g])] if k < len(homerooms[g]) else homerooms[g][0]
            groups.append({"id": f"G{g}{names[k]}", "name": f"{g} 年级 {names[k]} 组", "grades": [g], "room": room})
        for i, s in enumerate(pupils):
            wk = [w["id"] for w in week_list if rng.random() < 0.6] or [rng.choice(week_list)["id"]]
            children.append(
                {
                    "id": s["id"],
                    "group": f"G{g}{names[i % n_groups]}",
                    "weeks": wk,
                    "days": None,
                    "fee_waiver": s["fee_waiver"],
                    "choices": [c for c in s["choices"] if c in course_ids],
                    "electives_per_week": 1,
                    "advanced": s["advanced"],
                }
            )
    used_rooms = {g["room"] for g in groups}
    if len(used_rooms) < len(groups):  # more groups than homerooms: each group its own room
        spare = [r["id"] for r in rooms if r["kind"] == "classroom" and r["id"] not in used_rooms]
        seen: set[str] = set()
        for grp in groups:
            if grp["room"] in seen and spare:
                grp["room"] = spare.pop()
            seen.add(grp["room"])
    staff = []
    for s in school["staff"]:
        wk = [w["id"] for w in week_list if rng.random() < 0.75] or [week_list[0]["id"]]
        staff.append(
            {
                **s,
                "duties": [],
                "unavailable": [],
                "classes": [],
                "max_periods_per_week": max(s["max_periods_per_week"], 10),
                "max_periods_per_day": max(s["max_periods_per_day"], 3),
                "weeks": wk,
            }
        )
    return {
        "format": "afterschool-holiday/1",
        "school": school["school"],
        "name": f"{first_monday.year} 年暑期托管",
        # the district's subsidy covers what the weekly fees do not (every group in every period, at ~100 yuan)
        "policy": {
            "fee_per_week": 100,
            "subsidy_per_week": 100 * len(PERIODS) * 5 * len(groups),
            "budget_must_balance": False,
            "min_teacher_pay_per_period": school["policy"]["min_teacher_pay_per_period"],
            "max_group_size": school["policy"]["max_group_size"],
            "max_care_group_size": cap,
            "max_onsite_minutes": 600,
            "min_rest_minutes": 660,
            "min_venue_minutes": 30,
            "offsite_min_staff": 2,
            "fee_waiver_categories": school["policy"]["fee_waiver_categories"],
        },
        "weeks": week_list,
        "periods": PERIODS,
        "groups": groups,
        "rooms": rooms,
        "courses": courses,
        "institutions": school["institutions"],
        "staff": staff,
        "children": children,
    }
