"""Schools the default generator does not make: profiles for testing the optimizer on schools it
was never tuned on (issue 13). `afterschool generate --profile NAME --seed S -o FILE`.

Each profile starts from a generated school of its kind and then changes what the defaults fix:
the catalogue (two-period sessions, off-campus venues, 60 courses, more tutoring), the pupils'
choices (a steeper popularity curve and 2–6 ranked choices instead of 3–5 by appeal), the staff
(shortage: fewer teachers serve, lower caps) and the budget (the subsidy just covers what a
merged-homework sign-up plan costs). Each profile has its own random stream (the seed is mixed
with the profile's name), so a held-out seed range shares nothing with the tuning set.

| profile | school |
|---|---|
| primary-40 | primary, ~1,500 pupils, exactly 40 electives, steep popularity |
| junior-2p | junior, ~1,100 pupils, two basic periods, ~45% of electives in two-period sessions, evening study |
| nine-evening | nine-year, ~2,800 pupils, evening study, ~10% flagged for tutoring, tutoring in groups of 15 per band |
| budget-tight | primary, ~150 pupils, the budget must balance and the subsidy is just enough |
| offsite | primary, ~800 pupils, four off-campus venues with six courses (two escorts, travel inside the session) |
| shortage | primary, ~1,000 pupils, one in six teachers does not serve and caps are lower |
| wide-60 | nine-year, ~1,800 pupils, 60 electives |
"""

from __future__ import annotations

import hashlib
import math
import random

from instances.generator import GRADE_ZH, generate
from models.instance import ELECTIVE, Instance

PROFILES = {  # name: (kind, pupils)
    "primary-40": ("primary", 1500),
    "junior-2p": ("junior", 1100),
    "nine-evening": ("nine_year", 2800),
    "budget-tight": ("primary", 150),
    "offsite": ("primary", 800),
    "shortage": ("primary", 1000),
    "wide-60": ("nine_year", 1800),
}
TWO_PERIOD = {"science", "labour", "film", "arts"}  # categories that like a longer session (robotics, film, clay)
VENUES = (
    ("MUSEUM", "区博物馆", 40, 15),
    ("LIB2", "街道图书馆", 35, 10),
    ("SCIMUS", "科技馆", 45, 20),
    ("PALACE", "青少年宫", 40, 12),
)
VENUE_COURSES = (
    ("TRIP-MUS", "博物馆研学", "thematic", None, "MUSEUM", 2),
    ("TRIP-LIB", "图书馆阅读", "reading", "reading", "LIB2", 1),
    ("TRIP-SCI", "科技馆探究", "science", "science", "SCIMUS", 2),
    ("TRIP-ART", "少年宫美术", "arts", "drawing", "PALACE", 1),
    ("TRIP-DANCE", "少年宫舞蹈", "arts", "dance", "PALACE", 1),
    ("TRIP-STAR", "科技馆天文", "science", "astronomy", "SCIMUS", 2),
)


def _rng(profile: str, seed: int) -> random.Random:
    digest = hashlib.sha256(f"{profile}:{seed}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def generate_profile(profile: str, seed: int, students: int | None = None) -> Instance:
    if profile not in PROFILES:
        raise ValueError(f"profile must be one of {', '.join(PROFILES)}, got {profile!r}")
    kind, n = PROFILES[profile]
    rng = _rng(profile, seed)
    base = generate(kind, students or n, 10_000 + rng.randrange(1_000_000))
    doc = base.to_json_dict()
    doc["school"]["id"] = f"{profile}-s{seed}"
    if profile == "primary-40":
        _widen(doc, rng, 40)
    elif profile == "junior-2p":
        _two_period(doc, rng, 0.45)
    elif profile == "nine-evening":
        _tutoring_heavy(doc, rng)
    elif profile == "offsite":
        _venues(doc, rng)
    elif profile == "shortage":
        _shortage(doc, rng)
    elif profile == "wide-60":
        _widen(doc, rng, 60)
    _redraw_choices(doc, rng)
    _qualify(doc, rng)
    _budget(doc, tight=profile == "budget-tight")
    return Instance.model_validate(doc)


# --------------------------------------------------------------------------- catalogue


def _electives(doc: dict) -> list[dict]:
    return [c for c in doc["courses"] if c["category"] in ELECTIVE]


def _widen(doc: dict, rng: random.Random, target: int) -> None:
    """Exactly `target` electives: split popular clubs into lower and upper bands, or drop some."""
    electives = _electives(doc)
    while len(electives) > target:
        c = rng.choice([c for c in electives if c.get("level") != "advanced"])
        doc["courses"].remove(c)
        electives.remove(c)
    k = 0
    while len(electives) < target:
        c = rng.choice([c for c in electives if len(c["grades"]) >= 2 and c.get("level") != "advanced"])
        half = len(c["grades"]) // 2
        lo, hi = c["grades"][:half], c["grades"][half:]
        k += 1
        twin = dict(c, id=f"{c['id']}-B{k}", name=f"{c['name']}（{GRADE_ZH[hi[0] - 1]}年级起）", grades=hi)
        c["grades"] = lo
        doc["courses"].append(twin)
        electives.append(twin)


def _two_period(doc: dict, rng: random.Random, share: float) -> None:
    """Longer sessions: two consecutive basic periods for a share of the electives."""
    candidates = [c for c in _electives(doc) if c["category"] in TWO_PERIOD or rng.random() < 0.2]
    for c in rng.sample(candidates, min(len(candidates), round(share * len(_electives(doc))))):
        c["periods_per_session"] = 2
        c["sessions_per_week"] = 1


def _tutoring_heavy(doc: dict, rng: random.Random) -> None:
    """~10% flagged, tutoring groups of 15 for lower primary, upper primary and junior."""
    students = [s for s in doc["students"] if s["days"]]
    grade = {c["id"]: c["grade"] for c in doc["classes"]}
    for s in rng.sample(students, round(0.10 * len(students))):
        g = grade[s["class"]]
        options = ["math", "chinese"] + (["english"] if g >= 3 else [])
        s["tutoring"] = sorted(set(rng.sample(options, 1 + (rng.random() < 0.25))))
        s["advanced"] = False
    doc["courses"] = [c for c in doc["courses"] if c["category"] != "tutoring"]
    bands = (("L", [1, 2, 3], "低年级"), ("U", [4, 5, 6], "高年级"), ("J", [7, 8, 9], "初中"))
    names = {"chinese": "语文", "math": "数学", "english": "英语"}
    for subject, zh in names.items():
        for tag, grades, label in bands:
            if subject == "english":
                grades = [g for g in grades if g >= 3]
            doc["courses"].append(
                {
                    "id": f"TUT-{subject[:3].upper()}-{tag}",
                    "name": f"{zh}补习辅导（{label}）",
                    "category": "tutoring",
                    "subject": subject,
                    "grades": grades,
                    "level": "support",
                    "new_lesson": False,
                    "sessions_per_week": 1,
                    "periods_per_session": 1,
                    "period_kinds": ["basic"],
                    "min_size": 1,
                    "max_size": 15,
                    "max_sections": 12,
                    "room_kinds": ["classroom"],
                    "qualification": None,
                    "staff_per_section": 1,
                }
            )


def _venues(doc: dict, rng: random.Random) -> None:
    """Four venues, six courses run there; far venues get two-period sessions (R14)."""
    basic = [p for p in doc["periods"] if p["kind"] == "basic"]
    shortest = min(_minutes(p["end"]) - _minutes(p["start"]) for p in basic)
    for vid, name, cap, travel in VENUES:
        doc["rooms"].append(
            {
                "id": vid,
                "name": name,
                "kind": "venue",
                "capacity": cap,
                "off_campus": True,
                "travel_minutes": min(travel, max(5, (shortest - 30) // 2)) if rng.random() < 0.5 else travel,
                "unavailable": [],
            }
        )
    for cid, name, category, qual, venue, periods in VENUE_COURSES:
        cap = next(r["capacity"] for r in doc["rooms"] if r["id"] == venue)
        travel = next(r["travel_minutes"] for r in doc["rooms"] if r["id"] == venue)
        periods = 2 if 2 * travel + 30 > shortest else periods
        lo = rng.choice((1, 2, 3))
        doc["courses"].append(
            {
                "id": cid,
                "name": name,
                "category": category,
                "subject": None,
                "grades": list(range(lo, 7)),
                "level": None,
                "new_lesson": False,
                "sessions_per_week": 1,
                "periods_per_session": periods,
                "period_kinds": ["basic"],
                "min_size": 12,
                "max_size": cap,
                "max_sections": rng.choice((1, 2)),
                "room_kinds": ["venue"],
                "qualification": qual,
                "staff_per_section": 1,
            }
        )


def _shortage(doc: dict, rng: random.Random) -> None:
    """One in six serving teachers does not serve; a third of the others lose one weekly period."""
    serving = [st for st in doc["staff"] if st["kind"] == "teacher" and st["max_periods_per_week"] > 0]
    for st in rng.sample(serving, len(serving) // 6):
        st["max_periods_per_week"] = st["max_periods_per_day"] = 0
    for st in serving:
        if st["max_periods_per_week"] > 4 and rng.random() < 1 / 3:
            st["max_periods_per_week"] -= 1


def _minutes(t: str) -> int:
    h, m = t.split(":")
    return int(h) * 60 + int(m)


# --------------------------------------------------------------------------- choices and staff


def _redraw_choices(doc: dict, rng: random.Random) -> None:
    """2–6 ranked choices from a steep popularity curve (rank r weighs 1/r^1.2, the order drawn per
    school), and section counts that leave the favourites oversubscribed."""
    electives = _electives(doc)
    order = electives[:]
    rng.shuffle(order)
    weight = {c["id"]: 1 / (r + 1) ** 1.2 for r, c in enumerate(order)}
    grade = {c["id"]: c["grade"] for c in doc["classes"]}
    top: dict[str, int] = dict.fromkeys(weight, 0)
    for s in doc["students"]:
        if not s["days"]:
            s["choices"] = []
            continue
        g = grade[s["class"]]
        eligible = [c for c in electives if g in c["grades"] and (c.get("level") != "advanced" or s["advanced"])]
        k = min(len(eligible), rng.choice((2, 3, 3, 4, 4, 5, 6)))
        w = [weight[c["id"]] for c in eligible]
        chosen = []
        for _ in range(k):
            i = rng.choices(range(len(eligible)), w)[0]
            chosen.append(eligible[i]["id"])
            w[i] = 0.0
        s["choices"] = chosen
        for cid in chosen[: max(1, s["electives_per_week"])]:
            top[cid] += 1
    for c in electives:
        venue = c["room_kinds"] == ["venue"]
        want = top[c["id"]] * rng.uniform(0.5, 1.0) / c["max_size"]
        c["max_sections"] = max(1, min(2 if venue else max(3, math.ceil(len(doc["students"]) / 350)), round(want)))


def _qualify(doc: dict, rng: random.Random) -> None:
    """Enough assignable holders for each elective's qualification (two escorts off campus)."""
    inst_ok = {i["id"] for i in doc.get("institutions", []) if i["approved"] and not i["violation_record"]}
    teachers = [st for st in doc["staff"] if st["kind"] == "teacher" and st["max_periods_per_week"] > 0]
    for c in _electives(doc):
        q = c.get("qualification")
        if q is None:
            continue
        holders = [
            st
            for st in doc["staff"]
            if q in st.get("qualifications", [])
            and (
                st["kind"] == "teacher"
                or (
                    st.get("certified")
                    and not st.get("violation_record")
                    and (st.get("institution") is None or st.get("institution") in inst_ok)
                )
            )
        ]
        need = c["max_sections"] + (3 if c["room_kinds"] == ["venue"] else 1)
        for st in rng.sample(
            [t for t in teachers if t not in holders], max(0, min(len(teachers), need - len(holders)))
        ):
            st.setdefault("qualifications", []).append(q)


def _budget(doc: dict, tight: bool) -> None:
    """The subsidy: with some margin over what a sign-up plan costs, or (tight) just what a sign-up
    plan with homework merged within grades costs, the budget to balance."""
    from models.load import dump_instance as _dump
    from models.load import load_bytes
    from solver.baseline import Baseline

    doc["policy"]["budget_must_balance"] = False
    L = load_bytes(_dump(Instance.model_validate(doc)).encode("utf-8"), "profile.json")
    b = Baseline(L)
    b.plan_tutoring()
    b.publish_sections()
    b.run_sign_up()
    supervised = b.supervise(merge=tight) or b.supervise(merge=True)
    if supervised is None:
        return
    cost = b.cost(supervised[0])
    fees = b.income() - L.policy.subsidy_per_term
    margin = 0.97 if tight else 1.12
    doc["policy"]["subsidy_per_term"] = max(0, math.ceil((cost * margin - fees) / 100) * 100)
    doc["policy"]["budget_must_balance"] = True
