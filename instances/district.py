"""A district of generated schools sharing external coaches, folk artists and an institution.

`generate_district(schools, students, seed)` builds each school with `instances.generator.generate`
(realistic, feasible on its own), then the district's shared pool (issue 6, policy §6: the bureau
selects institutions and external people that schools share):
- coaches and folk artists, each serving 2–5 neighbouring schools, 3–5 days a week, caps across
  schools of 6–10 periods a week and 2–3 a day;
- one bureau-approved institution whose staff serve several neighbouring schools each;
- schools placed at random in a 20 km square: travel 10–30 minutes between any two.
Each school's own coaches, folk artists and approved-institution staff are removed (only the pool
has such people), and the pool's specialities are taken from most of the schools' own teachers
(the reason a district shares specialists), so the pool is needed; a speciality no pool person
brings to a school stays covered by its own teachers as the generator made sure. Deterministic
in its arguments (`random.Random(seed)`, never iterating over a set).
"""

from __future__ import annotations

import math
import random
from pathlib import Path

from instances.generator import generate
from models.common import WEEKDAYS
from models.load import dump_instance, load_bytes
from solver.district.load import dump_district, load_district_data
from solver.district.model import DISTRICT_FORMAT

KINDS = (("primary", 0.55), ("junior", 0.3), ("nine_year", 0.15))
SPORTS = ("football", "basketball", "wushu", "table_tennis", "volleyball", "badminton", "athletics")
FOLK = ("paper_cutting", "embroidery", "folk_music", "kunqu")
INSTITUTION_SKILLS = (
    ("robotics", "programming"),
    ("dance", "drawing"),
    ("3d_printing", "aeromodelling"),
    ("robotics", "3d_printing"),
    ("programming", "aeromodelling"),
    ("dance", "choir"),
)
STRIP_SHARE = 0.75  # schools (per speciality) whose own teachers lose a speciality the pool brings
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
GIVEN = "建国明伟芳敏静军强磊洋勇杰涛超平刚志宏海燕鹏飞浩宇俊杰晨曦思远"


def _name(rng: random.Random, used: set[str]) -> str:
    while True:
        n = rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2))))
        if n not in used:
            used.add(n)
            return n


def _travel(a: tuple[float, float], b: tuple[float, float]) -> int:
    km = math.dist(a, b)
    return max(10, min(30, round(8 + 1.2 * km)))


def _neighbours(rng: random.Random, home: int, pos: list[tuple[float, float]], k: int) -> list[int]:
    order = sorted(range(len(pos)), key=lambda j: (math.dist(pos[home], pos[j]), j))
    return order[:k]


def generate_district(
    schools: int, students: int | list[int], seed: int, kinds: list[str] | None = None, district_id: str | None = None
) -> tuple[dict, dict[str, dict]]:
    """(district file data, {school id: instance file data}); instance paths are `schools/<id>.json`."""
    if schools < 1:
        raise ValueError("schools must be positive")
    rng = random.Random(seed)
    sizes = students if isinstance(students, list) else [students] * schools
    if len(sizes) != schools:
        raise ValueError("one size per school")
    if kinds is None:
        kinds = [rng.choices([k for k, _ in KINDS], [w for _, w in KINDS])[0] for _ in range(schools)]
        if "primary" not in kinds:
            kinds[0] = "primary"
    did = district_id or f"D{seed}"
    ids = [f"S{i + 1:02d}" for i in range(schools)]
    pos = [(rng.uniform(0, 20), rng.uniform(0, 20)) for _ in range(schools)]
    insts: dict[str, dict] = {}
    names: set[str] = set()
    for i, sid in enumerate(ids):
        raw = generate(kinds[i], sizes[i], seed * 1000 + i + 1).to_json_dict()
        name = raw["school"]["name"]
        k = 2
        while name in names:
            name = f"{raw['school']['name']}（{k}）"
            k += 1
        names.add(name)
        raw["school"]["id"], raw["school"]["name"] = sid, name
        insts[sid] = raw

    def needed(sid: str) -> set[str]:
        return {c["qualification"] for c in insts[sid]["courses"] if c["qualification"]}

    used_names: set[str] = set()
    pool: list[dict] = []

    def person(pid: str, kind: str, skills: tuple[str, ...], institution: str | None, pay: tuple[int, ...]) -> None:
        home = rng.randrange(schools)
        k = min(schools, rng.randint(2, 5))
        served = [ids[j] for j in _neighbours(rng, home, pos, k)]
        wanted = [q for q in skills if any(q in needed(s) for s in served)]
        quals = rng.sample(wanted, min(len(wanted), rng.randint(1, 2))) if wanted else [rng.choice(skills)]
        days = sorted(rng.sample(range(5), rng.randint(3, 5)))
        pool.append(
            {
                "id": pid,
                "name": _name(rng, used_names),
                "kind": kind,
                "institution": institution,
                "qualifications": quals,
                "subjects": [],
                "classes": [],
                "certified": True,
                "violation_record": False,
                "pay_per_period": rng.choice(pay),
                "max_periods_per_week": rng.randint(6, 10),
                "max_periods_per_day": rng.choice((2, 3)),
                "unavailable": [{"day": WEEKDAYS[d]} for d in range(5) if d not in days],
                "duties": [],
                "schools": sorted(served),
            }
        )

    n_coach = max(2, round(schools * 0.4))
    n_folk = max(2, round(schools * 0.25))
    n_inst = max(3, round(schools * 0.15))
    for i in range(n_coach):
        person(f"PC{i + 1:02d}", "coach", SPORTS, None, (100, 120, 150))
    for i in range(n_folk):
        person(f"PF{i + 1:02d}", "folk_artist", FOLK, None, (100, 120, 150, 180))
    for i in range(n_inst):
        person(
            f"PI{i + 1:02d}",
            "institution_staff",
            INSTITUTION_SKILLS[i % len(INSTITUTION_SKILLS)],
            "DORG1",
            (150, 180, 200),
        )

    brought: dict[str, set[str]] = {sid: set() for sid in ids}
    for p in pool:
        for sid in p["schools"]:
            brought[sid].update(p["qualifications"])
    for sid in ids:
        _make_room_for_pool(rng, insts[sid], sorted(brought[sid]))

    pairs = [
        {"from": ids[a], "to": ids[b], "minutes": _travel(pos[a], pos[b])}
        for a in range(schools)
        for b in range(a + 1, schools)
    ]
    district = {
        "format": DISTRICT_FORMAT,
        "district": {"id": did, "name": f"生成示例区（种子 {seed}）/ generated district seed {seed}"},
        "schools": [{"id": sid, "instance": f"schools/{sid}.json", "satisfaction": None} for sid in ids],
        "pool": pool,
        "institutions": [
            {"id": "DORG1", "name": "区遴选科创艺术教育中心", "approved": True, "violation_record": False}
        ],
        "travel_minutes": pairs,
        "defaults": {"max_schools_per_day": 2, "travel_minutes": None},
    }
    return district, insts


def _make_room_for_pool(rng: random.Random, raw: dict, brought: list[str]) -> None:
    """Remove the school's own coaches, folk artists and approved-institution staff; take most of the
    pool's specialities from its teachers; keep every other course staffable by its own people."""
    approved = {i["id"] for i in raw["institutions"] if i["approved"] and not i["violation_record"]}
    raw["staff"] = [
        st for st in raw["staff"] if st["kind"] not in ("coach", "folk_artist") and st["institution"] not in approved
    ]
    left = {st["institution"] for st in raw["staff"] if st["institution"]}
    raw["institutions"] = [i for i in raw["institutions"] if i["id"] in left]
    stripped = [q for q in brought if rng.random() < STRIP_SHARE]
    for st in raw["staff"]:
        st["qualifications"] = [q for q in st["qualifications"] if q not in stripped]
    ok_inst = {i["id"] for i in raw["institutions"] if i["approved"] and not i["violation_record"]}
    serving = [st for st in raw["staff"] if st["kind"] == "teacher" and st["max_periods_per_week"] > 0]
    for c in raw["courses"]:
        q = c["qualification"]
        if q is None or q in stripped or c["category"] in ("homework", "tutoring", "care", "evening_study"):
            continue
        holders = [
            st
            for st in raw["staff"]
            if q in st["qualifications"]
            and (
                st["kind"] == "teacher"
                or (
                    st["certified"]
                    and not st["violation_record"]
                    and (st["institution"] is None or st["institution"] in ok_inst)
                )
            )
        ]
        need = (3 if c["room_kinds"] == ["venue"] else 1) + c["max_sections"]
        for st in sorted((t for t in serving if t not in holders), key=lambda t: (len(t["qualifications"]), t["id"])):
            if len(holders) >= need:
                break
            st["qualifications"].append(q)
            holders.append(st)


def write_district(
    out: str | Path, schools: int, students: int | list[int], seed: int, kinds: list[str] | None = None
) -> Path:
    """Write `district.json` and `schools/<id>.json` under `out`; every file is loaded back first."""
    district, insts = generate_district(schools, students, seed, kinds)
    out = Path(out)
    (out / "schools").mkdir(parents=True, exist_ok=True)
    for sid, raw in insts.items():
        text = dump_instance(load_bytes(_text(raw), f"{sid}.json").instance)
        (out / "schools" / f"{sid}.json").write_text(text, encoding="utf-8")
    LD = load_district_data(district, "district.json", out)
    path = out / "district.json"
    path.write_text(dump_district(LD.district), encoding="utf-8")
    return path


def _text(raw: dict) -> bytes:
    import json

    return json.dumps(raw, ensure_ascii=False).encode("utf-8")
