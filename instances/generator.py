"""Realistic school instances, built from published facts.

Every number below comes from `../shared/notes/domain-facts.md` (cited by section, §n) or is a
design choice marked as such. `generate(kind, students, seed)` uses `random.Random(seed)` only and
never iterates over a set, so the same arguments give a byte-identical `dump_instance`.

The instance is feasible by construction: homerooms for every class, staff whose weekly caps,
daily caps and duty windows (弹性上下班, R24) leave slack for a homework group in every
(class, basic slot), care groups in every extended slot and evening-study groups in every evening
slot, a venue near enough for its course (R14), and a subsidy that balances the budget (R20).
Deliberate flaws, each warned about on load: an unapproved (or violating) institution with a staff
member (R13), sometimes an uncertified parent volunteer (R12), a few choices outside the pupil's
grade (R11), and pupils who did not register (R2: one summary warning).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

from models.common import WEEKDAYS, hhmm, minutes
from models.instance import Instance

# --------------------------------------------------------------------------- facts (domain-facts.md)

CLASS_SIZE = {"primary": (40, 45), "junior": (45, 50)}  # §1, §2: primary 40–45 (cap 45), junior 45–50 (cap 50)
HOMEROOM_CAPACITY = {"primary": 45, "junior": 50}  # §2 urban building standard: classes of 45 / 50
PUPILS_PER_TEACHER = {"primary": (15.8, 16.8), "junior": (12.2, 13.0)}  # §2: 16.33 and ~12.6 (2021)
REGISTRATION_RATE = (0.86, 0.95)  # §4: 85% (2021) to 96% (Shanghai 2023) of pupils
ALL_FIVE_DAYS = (0.69, 0.73)  # §4: 71.2% of participants attend all 5 days; others 2–4 days
EXTENDED_SHARE = (0.13, 0.17)  # §4: ~15% of pupils stay to 18:00 (Hongkou No.2)
TEACHER_PARTICIPATION = (0.86, 0.95)  # §4, §6: 86.2% (2021) to 95% (Shanghai 2023) of teachers serve
ELECTIVE_COUNT = (25, 40)  # §5: 25–95 clubs per school (25 Hongkou No.2); 40 here at most
CLUB_MIN_SIZE = (10, 12, 15)  # §5: "min 15 to run"; 10–12 for small bands (design choice)
CLUB_MAX_SIZE = (20, 24, 25, 30)  # §5: max 30
SPORTS_MAX_SIZE = (30, 35, 40)  # §5: sports / large groups up to 40
CHOICES_PER_PUPIL = (3, 4, 4, 5, 5)  # §10: up to 5 ranked choices (SchoolsBuddy); §11 require k choices
TEACHER_PAY = (70, 70, 70, 75, 80)  # §7: Xiangcheng ≥ 70 yuan/课时 (R19)
EXTERNAL_PAY = (80, 200)  # §6, §7: externals paid per agreement (labour fee); design range
FEE_PER_TERM = 300  # §7: Jiangsu 300 yuan per pupil per semester (R18)
TERM_WEEKS = 18  # policy default (R20); §7 counts ~20 weeks
MAX_PERIODS_PER_DAY = 2  # §8: "hard cap on service lessons per teacher-day (e.g. ≤2 including 延时)"
WEEKLY_CAP = ((4, 1), (5, 2), (6, 3), (7, 3), (8, 2))  # §8: statutory 40 h/week, reported ~60: 4–8 periods
EXTERNAL_SHARE = 0.04  # §6: ~3.7–4% of service staff are external (headcount)
CARE_GROUP, EVENING_GROUP, HOMEWORK_GROUP = 30, 45, 45  # §9: care 1:30–1:40, class-sized groups ≤ 45
# Design choices (no published figure): shares of pupils with these flags or registrations.
WAIVER_SHARE = (0.02, 0.04)  # §7 waivers for poor families (建档立卡, 低保): "a few %"
EVENING_SHARE = (0.25, 0.40)  # §3, §4: juniors lean to homework/tutoring; evening study is opt-in
TUTORING_SHARE = (0.05, 0.09)  # R10: pupils flagged as struggling in a subject
ADVANCED_SHARE = (0.10, 0.15)  # R10: 学有余力
TWO_ELECTIVES = 0.15  # some pupils want two different courses a week
OUT_OF_GRADE_NOISE = 0.006  # R11: registration noise, a choice outside the pupil's grade
LESSON_ONE_SHARE = 0.4  # §8 Chengdu: teachers with lesson 1 arrive by 8:10, the others 8:40
EARLIEST_ARRIVAL, LATEST_EARLY, REGULAR_ARRIVAL = "07:30", "07:50", "08:20"  # §8 clock-in windows 7:30–8:30
MAX_ONSITE = 600  # R24 policy default max_onsite_minutes; rest ≥ 660 holds from 20:30 to 07:30
SLACK = 1.25  # staff capacity over estimated demand (periods per week)
BUDGET_MARGIN = (1.08, 1.15)  # subsidy covers the estimated cost with this margin (§7 budget check)

GRADES = {"primary": range(1, 7), "junior": range(7, 10), "nine_year": range(1, 10)}
STAGE_OF_GRADE = {g: ("primary" if g <= 6 else "junior") for g in range(1, 10)}
GRADE_ZH = "一二三四五六七八九"


@dataclass(frozen=True)
class Timetable:
    """One school's service periods (§3): regular day end, basic block, 延时, 晚自习."""

    day_end: str
    basic: tuple[tuple[str, str], ...]
    extended: tuple[tuple[str, str], ...] = ()
    evening: tuple[tuple[str, str], ...] = ()


# §3: primary dismissal ~15:30, 2 one-lesson blocks to ≥ 17:30 (off-work), care to 18:00–18:30.
# Junior: day ends ~16:20–16:30 here so the 2-hour block (R3) ends 18:30–18:40; evening ≤ 2 h, ≤ 20:30.
TIMETABLES = {
    "primary": (
        Timetable("15:20", (("15:30", "16:30"), ("16:30", "17:30")), (("17:30", "18:30"),)),
        Timetable("15:30", (("15:40", "16:40"), ("16:40", "17:40")), (("17:40", "18:30"),)),
        Timetable("15:20", (("15:30", "16:25"), ("16:35", "17:30")), (("17:30", "18:15"),)),
    ),
    "junior": (
        Timetable("16:20", (("16:30", "17:20"), ("17:30", "18:30")), (), (("19:00", "19:50"), ("20:00", "20:30"))),
        Timetable("16:30", (("16:40", "17:30"), ("17:40", "18:40")), (), (("19:10", "20:00"), ("20:05", "20:30"))),
    ),
    "nine_year": (
        Timetable(
            "15:30",
            (("15:40", "16:40"), ("16:40", "17:40")),
            (("17:40", "18:30"),),
            (("19:00", "19:50"), ("20:00", "20:30")),
        ),
        Timetable(
            "15:20",
            (("15:30", "16:30"), ("16:30", "17:30")),
            (("17:30", "18:20"),),
            (("19:00", "19:45"), ("19:55", "20:30")),
        ),
    ),
}

# §2: subject mix of a school's teachers (shares of the staff of each stage).
SUBJECT_SHARES = {
    "primary": (
        ("chinese", 0.30),
        ("math", 0.24),
        ("english", 0.11),
        ("pe", 0.09),
        ("science", 0.07),
        ("music", 0.06),
        ("art", 0.06),
        ("morality", 0.04),
        ("it", 0.03),
    ),
    "junior": (
        ("chinese", 0.14),
        ("math", 0.14),
        ("english", 0.14),
        ("physics", 0.07),
        ("chemistry", 0.05),
        ("biology", 0.05),
        ("history", 0.06),
        ("geography", 0.05),
        ("politics", 0.06),
        ("pe", 0.08),
        ("music", 0.04),
        ("art", 0.04),
        ("it", 0.04),
        ("psychology", 0.04),
    ),
}
CLASS_SUBJECTS = ("chinese", "math", "english")  # one teacher per class for each
QUALS_BY_SUBJECT = {
    "pe": (
        "football",
        "basketball",
        "table_tennis",
        "badminton",
        "rope_skipping",
        "athletics",
        "wushu",
        "volleyball",
        "cheerleading",
    ),
    "music": ("choir", "dance", "folk_music", "drama"),
    "art": ("calligraphy", "chinese_painting", "drawing", "paper_cutting", "pottery", "origami", "handcraft", "sketch"),
    "science": ("science", "aeromodelling", "astronomy", "gardening"),
    "it": ("programming", "robotics", "3d_printing", "film"),
    "chinese": ("reading", "calligraphy", "journalism", "speech", "drama"),
    "math": ("go", "chess", "rubiks"),
    "english": ("english_drama", "speech", "reading"),
    "physics": ("science", "aeromodelling", "robotics", "astronomy"),
    "chemistry": ("science", "cooking"),
    "biology": ("science", "gardening"),
    "history": ("reading", "model_un"),
    "geography": ("astronomy", "model_un"),
    "politics": ("speech", "model_un", "psychology"),
    "morality": ("psychology", "cooking", "handcraft"),
    "psychology": ("psychology",),
}


@dataclass(frozen=True)
class Club:
    """A catalogue entry (§5, R11 categories): code, name, category, qualification, rooms, stages."""

    code: str
    name: str
    category: str
    qualification: str | None
    rooms: tuple[str, ...]
    stages: tuple[str, ...] = ("primary", "junior")
    bands: tuple[tuple[int, int], ...] = ()
    subject: str | None = None
    level: str | None = None


P, J, PJ = ("primary",), ("junior",), ("primary", "junior")
CLUBS = (
    Club("FOOT", "足球社团", "sports", "football", ("playground",), PJ),
    Club("BASK", "篮球社团", "sports", "basketball", ("playground", "gym"), PJ),
    Club("PING", "乒乓球社团", "sports", "table_tennis", ("gym",), PJ),
    Club("BADM", "羽毛球社团", "sports", "badminton", ("gym",), PJ),
    Club("ROPE", "花样跳绳", "sports", "rope_skipping", ("playground", "gym"), P, ((1, 3), (1, 6), (2, 4))),
    Club("TRACK", "田径队", "sports", "athletics", ("playground",), PJ),
    Club("WUSHU", "武术社团", "sports", "wushu", ("gym", "playground"), PJ),
    Club("CHEER", "啦啦操", "sports", "cheerleading", ("gym", "hall"), PJ),
    Club("VOLL", "排球社团", "sports", "volleyball", ("gym", "playground"), J),
    Club("CHOIR", "合唱团", "arts", "choir", ("music", "hall"), PJ),
    Club("CALLI", "书法社团", "arts", "calligraphy", ("art", "classroom"), PJ),
    Club("INK", "国画社团", "arts", "chinese_painting", ("art",), PJ),
    Club("PAPER", "剪纸社团", "arts", "paper_cutting", ("art", "classroom"), PJ),
    Club("DANCE", "舞蹈社团", "arts", "dance", ("hall", "music"), PJ),
    Club("FOLK", "民乐团", "arts", "folk_music", ("music",), PJ),
    Club("DRAW", "儿童画", "arts", "drawing", ("art",), P, ((1, 2), (1, 3), (2, 4))),
    Club("CLAY", "陶艺社团", "arts", "pottery", ("art",), PJ),
    Club("EMBR", "苏绣体验", "arts", "embroidery", ("art", "classroom"), PJ),
    Club("KUNQU", "昆曲进校园", "arts", "kunqu", ("music", "hall"), PJ),
    Club("SKETCH", "素描社团", "arts", "sketch", ("art",), J),
    Club("ROBOT", "机器人社团", "science", "robotics", ("computer", "lab"), PJ),
    Club("SCI", "科学小实验", "science", "science", ("lab",), P),
    Club("MODEL", "航模社团", "science", "aeromodelling", ("lab", "playground"), PJ),
    Club("CODE", "编程社团", "science", "programming", ("computer",), PJ, ((3, 6), (4, 6), (5, 6), (7, 8), (7, 9))),
    Club("PRINT3D", "3D打印", "science", "3d_printing", ("computer",), J),
    Club("STAR", "天文观测", "science", "astronomy", ("lab", "hall"), PJ),
    Club("GARDEN", "校园种植园", "labour", "gardening", ("lab", "playground"), PJ),
    Club("COOK", "小小烹饪", "labour", "cooking", ("lab",), PJ),
    Club("CRAFT", "木工与手工", "labour", "handcraft", ("art", "lab"), PJ),
    Club("RECITE", "经典诵读", "reading", "reading", ("library", "classroom"), PJ),
    Club("PICBOOK", "绘本阅读", "reading", "reading", ("library",), P, ((1, 2), (1, 3))),
    Club("CLASSIC", "名著导读", "reading", "reading", ("library",), J),
    Club("MOVIE", "影视欣赏", "film", None, ("hall",), PJ),
    Club("MICROF", "微电影社", "film", "film", ("computer", "hall"), PJ, ((4, 6), (5, 6), (7, 8), (7, 9))),
    Club("GO", "围棋社团", "interest_group", "go", ("classroom", "library"), PJ),
    Club("CHESS", "中国象棋", "interest_group", "chess", ("classroom",), PJ),
    Club("CUBE", "魔方社团", "interest_group", "rubiks", ("classroom",), PJ),
    Club("ORIGAMI", "折纸社团", "interest_group", "origami", ("art", "classroom"), P),
    Club("NEWS", "小记者站", "club", "journalism", ("library", "classroom"), PJ),
    Club("DRAMA", "戏剧社", "club", "drama", ("hall", "music"), PJ),
    Club("SPEECH", "演讲与口才", "club", "speech", ("hall", "classroom"), PJ),
    Club("ENDRAMA", "英语戏剧社", "club", "english_drama", ("hall", "music"), PJ, ((3, 6), (4, 6), (7, 8), (7, 9))),
    Club("MUN", "模拟联合国", "club", "model_un", ("hall", "library"), J),
    Club("SAFE", "安全教育", "thematic", None, ("hall",), PJ),
    Club("MIND", "心理健康", "thematic", "psychology", ("hall", "classroom"), PJ),
    Club("RED", "红色经典故事", "thematic", None, ("hall", "library"), PJ),
    Club("ONLINE", "智慧教育平台课程", "online", None, ("computer",), PJ),
    Club("ONSCI", "线上科普讲座", "online", None, ("computer", "hall"), PJ),
)
EXTENSIONS = (  # R10: a few 学有余力 courses, level advanced (subject content by the school's teachers only)
    Club(
        "XMATH",
        "数学思维拓展",
        "extension",
        None,
        ("classroom", "library"),
        PJ,
        ((3, 4), (5, 6), (7, 8), (8, 9)),
        subject="math",
        level="advanced",
    ),
    Club(
        "XREAD",
        "阅读与写作拓展",
        "extension",
        None,
        ("library", "classroom"),
        PJ,
        ((4, 6), (5, 6), (7, 9)),
        subject="chinese",
        level="advanced",
    ),
    Club(
        "XENG",
        "英语阅读拓展",
        "extension",
        None,
        ("library", "classroom"),
        PJ,
        ((5, 6), (7, 9)),
        subject="english",
        level="advanced",
    ),
    Club("XSCI", "科技创新拓展", "extension", "science", ("lab",), PJ, ((4, 6), (7, 9)), level="advanced"),
)
VENUE_CLUBS = (  # R14: off-campus, two escorts, session long enough for both journeys; (club, venue name)
    (Club("LIBTRIP", "走进区图书馆", "reading", "reading", ("venue",), PJ), "相城区图书馆"),
    (Club("SCITRIP", "科技馆探秘", "science", "science", ("venue",), PJ), "相城区科技馆"),
    (Club("YOUTHSCI", "青少年宫科创营", "science", "science", ("venue",), PJ), "相城区青少年活动中心"),
)
BANDS = {
    "primary": ((1, 2), (1, 3), (2, 4), (3, 4), (3, 6), (4, 6), (5, 6), (1, 6)),
    "junior": ((7, 8), (7, 9), (8, 9), (7, 7)),
}
APPEAL = {
    "sports": 1.5,
    "science": 1.4,
    "arts": 1.1,
    "interest_group": 1.0,
    "club": 0.9,
    "labour": 0.8,
    "film": 0.8,
    "reading": 0.7,
    "extension": 1.2,
    "thematic": 0.5,
    "online": 0.5,
}  # §5 oversubscription

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏"
    "吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严"
)
GIVEN = (
    "丽华建国明伟芳敏静军强磊洋艳勇杰娟涛超秀英霞平刚桂兰玉珍红梅文斌志宏海燕晓雪琳鹏飞"
    "欣怡子涵浩宇佳琪俊杰婷婷晨曦雨萱思远"
)
AREAS = ("元和", "黄桥", "北桥", "渭塘", "望亭", "太平", "阳澄湖", "黄埭", "漕湖", "蠡口")
SCHOOL_SUFFIX = {
    "primary": ("实验小学", "中心小学", "第二实验小学"),
    "junior": ("实验中学", "中学", "第一中学"),
    "nine_year": ("实验学校", "九年一贯制学校", "外国语学校"),
}


# --------------------------------------------------------------------------- context


@dataclass
class School:
    """What the builders share: the random source, the stage, and everything built so far."""

    rng: random.Random
    kind: str
    n: int
    seed: int
    tt: Timetable
    periods: list[dict] = field(default_factory=list)
    classes: list[dict] = field(default_factory=list)
    rooms: list[dict] = field(default_factory=list)
    courses: list[dict] = field(default_factory=list)
    staff: list[dict] = field(default_factory=list)
    institutions: list[dict] = field(default_factory=list)
    students: list[dict] = field(default_factory=list)
    grade_of: dict[str, int] = field(default_factory=dict)
    names: dict[str, None] = field(default_factory=dict)
    venue_club: Club | None = None
    subsidy: int = 0

    @property
    def grades(self) -> range:
        return GRADES[self.kind]

    def period_ids(self, kind: str) -> list[str]:
        return [p["id"] for p in self.periods if p["kind"] == kind]

    def person(self) -> str:
        """A Chinese name not used before in this school."""
        while True:
            name = self.rng.choice(SURNAMES) + "".join(self.rng.choices(GIVEN, k=self.rng.choice((1, 2))))
            if name not in self.names:
                self.names[name] = None
                return name


def _sample_days(rng: random.Random, k: int, among: list[str]) -> list[str]:
    picked = rng.sample(among, k)
    return [d for d in WEEKDAYS if d in picked]


def _exact(rng: random.Random, items: list, share: float) -> list:
    """Exactly round(share × len) items, drawn at random, in their original order."""
    k = round(share * len(items))
    chosen = dict.fromkeys(rng.sample(range(len(items)), k))
    return [x for i, x in enumerate(items) if i in chosen]


# --------------------------------------------------------------------------- builders


def build_periods(s: School) -> None:
    """§3: the day's periods; ids P1.., EXT.., EV1.. (the same on every service day)."""
    for i, (a, b) in enumerate(s.tt.basic, 1):
        s.periods.append({"id": f"P{i}", "start": a, "end": b, "kind": "basic"})
    for i, (a, b) in enumerate(s.tt.extended, 1):
        s.periods.append(
            {"id": "EXT" if len(s.tt.extended) == 1 else f"EXT{i}", "start": a, "end": b, "kind": "extended"}
        )
    for i, (a, b) in enumerate(s.tt.evening, 1):
        s.periods.append({"id": f"EV{i}", "start": a, "end": b, "kind": "evening"})


def class_sizes(rng: random.Random, n: int, stage: str, n_grades: int) -> list[int]:
    """§2: as many classes as keep sizes within the stage's band; tiny schools get smaller classes."""
    lo, hi = CLASS_SIZE[stage]
    c_min, c_max = max(n_grades, math.ceil(n / hi)), n // lo
    if c_min > c_max:  # too few pupils for full classes (a small rural school): one class per grade
        c = max(n_grades, c_min)
        return [n // c + (1 if i < n % c else 0) for i in range(c)]
    target = n / rng.uniform(lo + 1.5, hi - 1)
    c = min(max(round(target), c_min), c_max)
    sizes = [lo] * c
    extra = n - lo * c
    while extra > 0:
        i = rng.randrange(c)
        if sizes[i] < hi:
            sizes[i] += 1
            extra -= 1
    return sizes


def classes_per_grade(rng: random.Random, n_classes: int, grades: list[int]) -> list[int]:
    """§1: classes spread over grades, every grade at least one, the rest near even."""
    counts = [1] * len(grades)
    for i in range(n_classes - len(grades)):
        counts[(i + rng.randrange(2)) % len(grades)] += 1
    return counts


def build_classes(s: School) -> None:
    """Administrative classes "3-1" with a homeroom R301 each (§2)."""
    stages = [("primary", [g for g in s.grades if g <= 6]), ("junior", [g for g in s.grades if g >= 7])]
    stages = [(st, gs) for st, gs in stages if gs]
    if len(stages) == 2:  # §2: nine-year school, pupils split by grades × class size
        weight = {st: len(gs) * sum(CLASS_SIZE[st]) / 2 for st, gs in stages}
        n_primary = round(s.n * weight["primary"] / sum(weight.values()))
        pupils = {"primary": n_primary, "junior": s.n - n_primary}
    else:
        pupils = {stages[0][0]: s.n}
    for stage, grades in stages:
        sizes = class_sizes(s.rng, pupils[stage], stage, len(grades))
        counts = classes_per_grade(s.rng, len(sizes), grades)
        it = iter(sizes)
        for g, k in zip(grades, counts, strict=True):
            for i in range(1, k + 1):
                cid, room = f"{g}-{i}", f"R{g}{i:02d}"
                s.classes.append({"id": cid, "grade": g, "homeroom": room, "_size": next(it)})
                s.grade_of[cid] = g
                s.rooms.append(
                    {
                        "id": room,
                        "name": f"{GRADE_ZH[g - 1]}({i})班教室",
                        "kind": "classroom",
                        "capacity": HOMEROOM_CAPACITY[stage],
                    }
                )


def build_students(s: School) -> None:
    """§4 registration, 5-day share, 延时; §3 evening (grades 7–9); §7 waivers; R10 flags."""
    rng = s.rng
    n = 0
    for c in s.classes:
        for _ in range(c["_size"]):
            n += 1
            s.students.append(
                {
                    "id": f"S{n:05d}",
                    "class": c["id"],
                    "days": [],
                    "extended_days": [],
                    "evening_days": [],
                    "fee_waiver": None,
                    "choices": [],
                    "electives_per_week": 1,
                    "tutoring": [],
                    "advanced": False,
                }
            )
    registered = _exact(rng, s.students, rng.uniform(*REGISTRATION_RATE))
    five = dict.fromkeys(st["id"] for st in _exact(rng, registered, rng.uniform(*ALL_FIVE_DAYS)))
    for st in registered:
        st["days"] = list(WEEKDAYS) if st["id"] in five else _sample_days(rng, rng.choice((2, 3, 4)), list(WEEKDAYS))
    grade = s.grade_of
    if s.tt.extended:
        primary = [st for st in s.students if grade[st["class"]] <= 6]
        want = round(rng.uniform(*EXTENDED_SHARE) * len(primary))
        pool = [st for st in registered if grade[st["class"]] <= 6]
        for st in rng.sample(pool, min(want, len(pool))):
            st["extended_days"] = _some_days(rng, st["days"])
    if s.tt.evening:
        juniors = [st for st in registered if grade[st["class"]] >= 7]
        for st in _exact(rng, juniors, rng.uniform(*EVENING_SHARE)):
            st["evening_days"] = _some_days(rng, st["days"])
    waived = max(1, round(rng.uniform(*WAIVER_SHARE) * len(s.students)))
    for st in rng.sample(s.students, waived):
        st["fee_waiver"] = "建档立卡" if rng.random() < 0.35 else "低保"
    for st in _exact(rng, registered, rng.uniform(*TUTORING_SHARE)):
        st["tutoring"] = _tutoring_subjects(rng, grade[st["class"]], len(st["days"]))
    able = [st for st in s.students if grade[st["class"]] >= 3 and not st["tutoring"]]
    for st in _exact(rng, able, rng.uniform(*ADVANCED_SHARE)):
        st["advanced"] = True
    for st in registered:
        if len(st["days"]) >= 3 and rng.random() < TWO_ELECTIVES:
            st["electives_per_week"] = 2


def _some_days(rng: random.Random, days: list[str]) -> list[str]:
    """Care or evening study on all registered days, or on some of them (at least two)."""
    if len(days) <= 2 or rng.random() < 0.5:
        return list(days)
    return _sample_days(rng, rng.randint(2, len(days) - 1), days)


def _tutoring_subjects(rng: random.Random, grade: int, n_days: int) -> list[str]:
    """R10: math, chinese, english (english from grade 3, as in Jiangsu); one subject, sometimes two."""
    options = ["math", "chinese"] + (["english"] if grade >= 3 else [])
    weights = [0.45, 0.35, 0.2][: len(options)]
    first = rng.choices(options, weights)[0]
    out = [first]
    if n_days >= 2 and rng.random() < 0.2:
        out.append(rng.choice([x for x in options if x != first]))
    return out


def build_rooms(s: School) -> None:
    """Special rooms scaled to the school (a 24-class school has about one of each, §2), spare and
    small-group classrooms, and one off-campus venue (R14) near enough for a basic period."""
    rng = s.rng
    scale = max(1, round(len(s.classes) / 24))
    has_junior = any(g >= 7 for g in s.grades)

    def add(rid: str, name: str, kind: str, capacity: int, unavailable: int = 0) -> None:
        slots = [{"day": d, "period": p} for d in WEEKDAYS for p in s.period_ids("basic")]
        closed = sorted(rng.sample(range(len(slots)), unavailable))
        s.rooms.append(
            {"id": rid, "name": name, "kind": kind, "capacity": capacity, "unavailable": [slots[i] for i in closed]}
        )

    for i in range(max(3, math.ceil(len(s.classes) / 5))):
        add(f"SPARE{i + 1}", f"备用教室{i + 1}", "classroom", 40)
    tutoring_courses = 5 * any(g <= 6 for g in s.grades) + 3 * any(g >= 7 for g in s.grades)
    for i in range(tutoring_courses + math.ceil(len(s.classes) / 8)):  # 答疑 groups often meet at once
        add(f"SMALL{i + 1}", f"小组活动室{i + 1}", "classroom", 25)
    add("FIELD", "田径场", "playground", 60, rng.randint(0, 1))
    add("SOCCER", "足球场", "playground", 50)
    for i in range(1 + scale):
        add(f"COURT{i + 1}", f"篮球场{i + 1}", "playground", 45)
    for i in range(scale):
        add(f"GYM{i + 1}", "风雨操场" if i == 0 else f"体育馆{i}", "gym", 60, rng.randint(1, 2))
    for i in range(scale):
        add(f"MUSIC{i + 1}", f"音乐教室{i + 1}", "music", 45, rng.randint(0, 1))
        add(f"ART{i + 1}", f"美术教室{i + 1}", "art", 40)
        add(f"LAB{i + 1}", ("物理实验室" if has_junior else "科学实验室") + str(i + 1), "lab", 45)
        add(f"PC{i + 1}", f"信息技术教室{i + 1}", "computer", 48)
    add("LIB", "图书馆阅览室", "library", 60)
    add("HALL", "报告厅", "hall", 200, rng.randint(1, 3))
    shortest = min(minutes(b) - minutes(a) for a, b in s.tt.basic)
    s.venue_club, name = rng.choice(VENUE_CLUBS)
    s.rooms.append(
        {
            "id": "VENUE",
            "name": name,
            "kind": "venue",
            "capacity": rng.choice((30, 35, 40)),
            "off_campus": True,
            "travel_minutes": rng.randint(10, max(10, (shortest - 30) // 2)),
        }
    )


def _band(s: School, club: Club, stage: str) -> list[int]:
    bands = [b for b in (club.bands or BANDS[stage]) if STAGE_OF_GRADE[b[0]] == stage]
    lo, hi = s.rng.choice(bands or BANDS[stage])
    return list(range(lo, hi + 1))


def _elective(s: School, club: Club, stage: str, code: str) -> dict:
    rng = s.rng
    sports = club.category == "sports"
    venue = club.rooms == ("venue",)
    max_size = rng.choice(SPORTS_MAX_SIZE if sports else CLUB_MAX_SIZE)
    if venue:
        max_size = min(max_size, next(r["capacity"] for r in s.rooms if r["kind"] == "venue"))
    return {
        "id": code,
        "name": club.name,
        "category": club.category,
        "subject": club.subject,
        "grades": _band(s, club, stage),
        "level": club.level,
        "sessions_per_week": 2 if sports and rng.random() < 0.3 else 1,
        "periods_per_session": 1,
        "period_kinds": ["basic"],
        "min_size": 10 if club.level == "advanced" else rng.choice(CLUB_MIN_SIZE),
        "max_size": max_size,
        "max_sections": 1,
        "room_kinds": list(club.rooms),
        "qualification": club.qualification,
        "staff_per_section": 1,
        "_appeal": rng.lognormvariate(0, 0.7) * APPEAL[club.category],
    }


def build_catalogue(s: School) -> None:
    """§5: 25–40 electives across the categories, a few advanced (R10), one off-campus (R14)."""
    rng = s.rng
    stages = [st for st in ("primary", "junior") if any(STAGE_OF_GRADE[g] == st for g in s.grades)]
    n = min(ELECTIVE_COUNT[1], ELECTIVE_COUNT[0] + s.n // 400 + rng.randint(0, 5))
    picks: list[tuple[Club, str]] = [(s.venue_club, rng.choice(stages))]
    for club in rng.sample(EXTENSIONS, rng.randint(2, 3)):
        picks.append((club, rng.choice(stages)))
    pool = [(c, st) for st in stages for c in CLUBS if st in c.stages]
    rng.shuffle(pool)
    picks += pool[: max(0, n - len(picks))]
    codes: dict[str, None] = {}
    for club, stage in picks:
        code, name = club.code, club.name
        if code in codes:  # the same club for the other stage of a nine-year school
            code, name = f"{code}-{stage[0].upper()}", f"{name}（{'小学' if stage == 'primary' else '初中'}）"
        codes[code] = None
        s.courses.append(_elective(s, club, stage, code) | {"name": name})
    ensure_grade_coverage(s)


def ensure_grade_coverage(s: School, least: int = 6) -> None:
    """Every grade can choose from at least `least` ordinary electives (widen bands if not)."""
    ordinary = [c for c in s.courses if c["level"] is None]
    for g in s.grades:
        have = [c for c in ordinary if g in c["grades"]]
        others = [c for c in ordinary if g not in c["grades"] and STAGE_OF_GRADE[c["grades"][0]] == STAGE_OF_GRADE[g]]
        for c in s.rng.sample(others, max(0, min(len(others), least - len(have)))):
            c["grades"] = sorted({*c["grades"], g})
            c["grades"] = list(range(c["grades"][0], c["grades"][-1] + 1))


def assign_choices(s: School) -> None:
    """§10, §11: 3–5 ranked choices drawn by popularity among eligible courses; a little noise (R11)."""
    rng = s.rng
    electives = [c for c in s.courses if c["category"] not in ("homework", "tutoring", "care", "evening_study")]
    for st in s.students:
        if not st["days"]:
            continue
        g = s.grade_of[st["class"]]
        eligible = [c for c in electives if g in c["grades"] and (c["level"] != "advanced" or st["advanced"])]
        k = min(len(eligible), rng.choice(CHOICES_PER_PUPIL))
        weights = [c["_appeal"] * (3 if c["level"] == "advanced" else 1) for c in eligible]
        chosen: list[str] = []
        for _ in range(k):
            i = rng.choices(range(len(eligible)), weights)[0]
            chosen.append(eligible[i]["id"])
            weights[i] = 0.0
        if rng.random() < OUT_OF_GRADE_NOISE:
            outside = [c["id"] for c in electives if g not in c["grades"] and c["level"] is None]
            if outside:
                chosen.insert(rng.randrange(len(chosen) + 1), rng.choice(outside))
        st["choices"] = chosen
    size_sections(s, electives)


def size_sections(s: School, electives: list[dict]) -> None:
    """§5 oversubscription: the school opens fewer seats than first-choice demand for popular clubs."""
    top: dict[str, int] = {c["id"]: 0 for c in electives}
    for st in s.students:
        for cid in st["choices"][: st["electives_per_week"]]:
            if cid in top:
                top[cid] += 1
    for c in electives:
        want = top[c["id"]] * s.rng.uniform(0.7, 1.1) / c["max_size"]
        limit = 1 if c["room_kinds"] == ["venue"] else max(3, math.ceil(s.n / 400))
        c["max_sections"] = max(1, min(limit, round(want)))


def build_support_courses(s: School) -> None:
    """Homework (R9), care (R5), evening study (R6) and tutoring per grade band (R10)."""
    grades = list(s.grades)
    primary = [g for g in grades if g <= 6]
    junior = [g for g in grades if g >= 7]
    n_classes = len(s.classes)

    def course(
        cid,
        name,
        category,
        grades,
        *,
        kinds=("basic",),
        max_size,
        max_sections,
        subject=None,
        level=None,
        min_size=1,
        rooms=("classroom",),
        sessions=1,
    ):
        s.courses.append(
            {
                "id": cid,
                "name": name,
                "category": category,
                "subject": subject,
                "grades": grades,
                "level": level,
                "sessions_per_week": sessions,
                "periods_per_session": 1,
                "period_kinds": list(kinds),
                "min_size": min_size,
                "max_size": max_size,
                "max_sections": max_sections,
                "room_kinds": list(rooms),
                "qualification": None,
                "staff_per_section": 1,
            }
        )

    if primary:
        course(
            "HW",
            "作业辅导",
            "homework",
            primary,
            max_size=HOMEWORK_GROUP,
            max_sections=2 * n_classes,
            sessions=len(WEEKDAYS),
        )
    if junior:
        course(
            "HW-J" if primary else "HW",
            "作业答疑",
            "homework",
            junior,
            max_size=HOMEWORK_GROUP,
            max_sections=2 * n_classes,
            sessions=len(WEEKDAYS),
        )
    if s.tt.extended:
        care = max(sum(1 for st in s.students if d in st["extended_days"]) for d in WEEKDAYS)
        course(
            "CARE",
            "延时托管",
            "care",
            primary,
            kinds=("extended",),
            max_size=CARE_GROUP,
            max_sections=math.ceil(care / CARE_GROUP) + 2,
            sessions=len(WEEKDAYS),
        )
    if s.tt.evening:
        eve = max(sum(1 for st in s.students if d in st["evening_days"]) for d in WEEKDAYS)
        course(
            "EVE",
            "晚自习",
            "evening_study",
            junior,
            kinds=("evening",),
            max_size=EVENING_GROUP,
            max_sections=math.ceil(eve / EVENING_GROUP) + 2,
            sessions=len(WEEKDAYS),
        )
    names = {"math": "数学", "chinese": "语文", "english": "英语"}
    for subject, zh in names.items():
        bands = (([(3, 6)] if subject == "english" else [(1, 3), (4, 6)]) if primary else []) + (
            [(7, 9)] if junior else []
        )
        for lo, hi in bands:
            band = list(range(lo, hi + 1))
            flagged = sum(1 for st in s.students if subject in st["tutoring"] and s.grade_of[st["class"]] in band)
            label = f"{GRADE_ZH[band[0] - 1]}" + (f"至{GRADE_ZH[band[-1] - 1]}" if len(band) > 1 else "")
            course(
                f"TUT-{subject[:3].upper()}-{lo}",
                f"{zh}答疑辅导（{label}年级）",
                "tutoring",
                band,
                subject=subject,
                level="support",
                max_size=20,
                max_sections=max(2, flagged // 2 + 2),
                rooms=("classroom",),
            )


# --------------------------------------------------------------------------- staff


def _largest_remainder(total: int, shares: tuple[tuple[str, float], ...]) -> dict[str, int]:
    raw = {k: total * w / sum(w for _, w in shares) for k, w in shares}
    out = {k: int(v) for k, v in raw.items()}
    for k in sorted(raw, key=lambda k: raw[k] - out[k], reverse=True)[: total - sum(out.values())]:
        out[k] += 1
    return out


def build_teachers(s: School) -> None:
    """§2 pupil–teacher ratio by stage; subjects, classes taught, club skills, caps (§8)."""
    rng = s.rng
    by_stage: dict[str, list[dict]] = {"primary": [], "junior": []}
    for c in s.classes:
        by_stage[STAGE_OF_GRADE[c["grade"]]].append(c)
    t = 0
    for stage, classes in by_stage.items():
        if not classes:
            continue
        # §2 ratio; a small school with small classes is staffed as if its classes were full (班师比)
        pupils = max(sum(c["_size"] for c in classes), len(classes) * sum(CLASS_SIZE[stage]) / 2)
        n = round(pupils / rng.uniform(*PUPILS_PER_TEACHER[stage]))
        counts = _largest_remainder(n, SUBJECT_SHARES[stage])
        for subject in CLASS_SUBJECTS:  # one teacher of each core subject per class, at most two classes each
            need = math.ceil(len(classes) / 2)
            while counts[subject] < need:
                donor = max(counts, key=lambda k: counts[k] if k not in CLASS_SUBJECTS else -1)
                counts[donor] -= 1
                counts[subject] += 1
        for subject, k in counts.items():
            taught = [c["id"] for c in classes if not (subject == "english" and c["grade"] < 3)]
            for i in range(k):
                t += 1
                a = i * len(taught) // k  # neighbouring classes, as evenly as possible
                mine = taught[a : max(a + 1, (i + 1) * len(taught) // k)]
                pool = QUALS_BY_SUBJECT[subject]
                quals = rng.sample(pool, min(len(pool), rng.choice((0, 1, 1, 2))))
                s.staff.append(
                    {
                        "id": f"T{t:03d}",
                        "name": s.person(),
                        "kind": "teacher",
                        "institution": None,
                        "qualifications": quals,
                        "subjects": [subject],
                        "classes": mine,
                        "certified": True,
                        "violation_record": False,
                        "pay_per_period": rng.choice(TEACHER_PAY),
                        "max_periods_per_week": rng.choices([w for w, _ in WEEKLY_CAP], [p for _, p in WEEKLY_CAP])[0],
                        "max_periods_per_day": MAX_PERIODS_PER_DAY,
                        "unavailable": [],
                        "duties": [],
                    }
                )
    teachers = s.staff[:]
    for st in rng.sample(teachers, round((1 - rng.uniform(*TEACHER_PARTICIPATION)) * len(teachers))):
        st["max_periods_per_week"] = st["max_periods_per_day"] = 0  # §4: not every teacher serves
    basic = s.period_ids("basic")
    for st in rng.sample(_serving(s), len(_serving(s)) // 10):  # 教研活动: one basic slot a week taken
        st["unavailable"] = [{"day": rng.choice(WEEKDAYS), "period": rng.choice(basic)}]


def _serving(s: School) -> list[dict]:
    return [st for st in s.staff if st["kind"] == "teacher" and st["max_periods_per_week"] > 0]


def build_duties(s: School) -> None:
    """R24 弹性上下班 (§8): school-day duty windows ending before the service. Teachers with lesson 1
    arrive 07:30–08:00 (Chengdu: "lesson 1 by 8:10, others 8:40"), the others late enough to serve
    until the last basic or 延时 period, and evening-duty teachers start late on their evening days
    (Hangzhou: "2 evening duties/week earn a late start")."""
    rng = s.rng
    lesson_one, regular, late_start = arrivals(s.tt)
    late = evening_roster(s)
    for st in s.staff:
        if st["kind"] != "teacher":
            continue
        for d in WEEKDAYS:
            if (st["id"], d) in late:
                start = late_start
            elif rng.random() < LESSON_ONE_SHARE:
                start = lesson_one
            else:
                start = regular
            st["duties"].append({"day": d, "start": hhmm(start + rng.choice((0, 10))), "end": s.tt.day_end})


def arrivals(tt: Timetable) -> tuple[int, int, int]:
    """Earliest arrival (minutes) of lesson-1 teachers, of the others, and of evening-duty teachers,
    each keeping the on-site day within MAX_ONSITE (R24) up to the service it is meant for: the basic
    block (only its first period when the block ends late, as at junior schools), 延时, 晚自习."""
    earliest, latest_early, regular = minutes(EARLIEST_ARRIVAL), minutes(LATEST_EARLY), minutes(REGULAR_ARRIVAL)
    basic_end = max(minutes(b) for _, b in tt.basic)
    day_end = max(minutes(b) for _, b in tt.basic + tt.extended)
    lesson_one = max(earliest, basic_end - MAX_ONSITE)
    if lesson_one > latest_early:
        lesson_one = earliest
    evening_end = minutes(tt.evening[-1][1]) if tt.evening else day_end
    return lesson_one, max(regular, day_end - MAX_ONSITE), evening_end - MAX_ONSITE


def evening_roster(s: School) -> dict[tuple[str, str], None]:
    """(teacher, day) pairs with a late start: enough evening-duty teachers for every evening group."""
    if not s.tt.evening:
        return {}
    rng = s.rng
    pool = [st["id"] for st in _serving(s)]
    rng.shuffle(pool)
    late: dict[tuple[str, str], None] = {}
    duties = dict.fromkeys(pool, 0)
    for d in WEEKDAYS:
        groups = math.ceil(sum(1 for st in s.students if d in st["evening_days"]) / EVENING_GROUP)
        need = min(len(pool), math.ceil(groups * len(s.tt.evening) * SLACK) + 2)
        for tid in sorted(pool, key=lambda t: duties[t])[:need]:
            late[(tid, d)] = None
            duties[tid] += 1
    return late


def build_externals(s: School) -> None:
    """§6: ~4% external people (coaches, folk artists, heritage inheritors, retired teachers,
    university students), certified; an approved institution (never subject courses, R13); an
    unapproved or violating one (R13 warning); sometimes an uncertified parent volunteer (R12 warning)."""
    rng = s.rng
    wanted = {c["qualification"] for c in s.courses if c["qualification"]}
    people = [
        ("coach", ("football", "basketball", "wushu", "table_tennis", "volleyball")),
        ("retired_teacher", ("calligraphy", "go", "chess", "reading")),
        ("heritage_inheritor", ("kunqu", "embroidery", "paper_cutting")),
        ("university_student", ("programming", "science", "robotics", "dance")),
        ("folk_artist", ("paper_cutting", "embroidery", "folk_music")),
        ("craftsman", ("handcraft", "pottery")),
    ]
    n = max(4, round(EXTERNAL_SHARE * len(s.staff)))
    x = 0
    for i in range(n):
        kind, skills = people[i % len(people)] if i < len(people) else rng.choice(people)
        useful = [q for q in skills if q in wanted] or list(skills)
        x += 1
        s.staff.append(_external(s, f"X{x:02d}", kind, rng.sample(useful, min(len(useful), rng.randint(1, 2)))))
    s.institutions.append(
        {
            "id": "ORG1",
            "name": rng.choice(("苏州启智科技艺术教育中心", "相城青少年科创艺术中心")),
            "approved": True,
            "violation_record": False,
        }
    )
    bad_approved = rng.random() < 0.5
    s.institutions.append(
        {
            "id": "ORG2",
            "name": rng.choice(("学霸培训中心", "状元学堂", "优学教育")),
            "approved": bad_approved,
            "violation_record": bad_approved,
        }
    )
    for quals in (("robotics", "programming"), ("dance", "drawing"), ("3d_printing", "aeromodelling")):
        x += 1
        st = _external(s, f"X{x:02d}", "institution_staff", list(quals), institution="ORG1")
        st["pay_per_period"] = rng.choice((150, 180, 200))
        s.staff.append(st)
    x += 1
    s.staff.append(_external(s, f"X{x:02d}", "institution_staff", ["speech", "reading"], institution="ORG2"))
    if rng.random() < 0.6:
        x += 1
        parent = _external(s, f"X{x:02d}", "parent", [rng.choice(("reading", "cooking", "origami"))])
        parent.update(certified=False, pay_per_period=0)
        s.staff.append(parent)


def _external(s: School, sid: str, kind: str, quals: list[str], institution: str | None = None) -> dict:
    """An outside person who comes on 2–4 days a week (unavailable on the others)."""
    rng = s.rng
    days = _sample_days(rng, rng.randint(2, 4), list(WEEKDAYS))
    closed = [{"day": d, "period": p["id"]} for d in WEEKDAYS if d not in days for p in s.periods]
    return {
        "id": sid,
        "name": s.person(),
        "kind": kind,
        "institution": institution,
        "qualifications": quals,
        "subjects": [],
        "classes": [],
        "certified": True,
        "violation_record": False,
        "pay_per_period": rng.randint(*EXTERNAL_PAY) // 10 * 10,
        "max_periods_per_week": rng.randint(2, 6),
        "max_periods_per_day": 2,
        "unavailable": closed,
        "duties": [],
    }


def ensure_qualified_staff(s: School) -> None:
    """Each elective can be staffed: enough assignable holders of its qualification (two escorts off
    campus, R14), and its subject taught by school teachers (R10)."""
    rng = s.rng
    serving = _serving(s)
    ok_inst = {i["id"] for i in s.institutions if i["approved"] and not i["violation_record"]}
    for c in s.courses:
        q = c["qualification"]
        if q is None or c["category"] in ("homework", "tutoring", "care", "evening_study"):
            continue
        holders = [
            st
            for st in s.staff
            if q in st["qualifications"]
            and st["certified"]
            and not st["violation_record"]
            and (st["institution"] is None or st["institution"] in ok_inst)
        ]
        need = (3 if c["room_kinds"] == ["venue"] else 1) + c["max_sections"]
        fitting = [
            st for st in serving if st not in holders and any(q in QUALS_BY_SUBJECT[sub] for sub in st["subjects"])
        ]
        others = [st for st in serving if st not in holders and st not in fitting]
        for st in (rng.sample(fitting, len(fitting)) + rng.sample(others, len(others)))[: max(0, need - len(holders))]:
            st["qualifications"].append(q)


def ensure_capacity(s: School) -> int:
    """Raise weekly caps (never above 10) until serving teachers can give SLACK × the estimated
    periods a week; returns the estimate."""
    demand = estimated_periods(s)
    serving = _serving(s)
    while sum(st["max_periods_per_week"] for st in serving) < SLACK * demand:
        low = [st for st in serving if st["max_periods_per_week"] < 10]
        if not low:
            break
        min(low, key=lambda st: (st["max_periods_per_week"], st["id"]))["max_periods_per_week"] += 1
    return demand


def estimated_periods(s: School) -> int:
    """Staff periods a week the service needs: a homework group per (class, basic slot), care and
    evening groups per slot, the elective sections its choices can fill, and tutoring groups."""
    nb = len(s.tt.basic)
    total = len(s.classes) * nb * len(WEEKDAYS)
    chosen: dict[str, int] = {}
    for st in s.students:
        for cid in st["choices"]:
            chosen[cid] = chosen.get(cid, 0) + 1
    for d in WEEKDAYS:
        care = sum(1 for st in s.students if d in st["extended_days"])
        eve = sum(1 for st in s.students if d in st["evening_days"])
        total += math.ceil(care / CARE_GROUP) * len(s.tt.extended) + math.ceil(eve / EVENING_GROUP) * len(s.tt.evening)
    for c in s.courses:
        if c["category"] in ("homework", "care", "evening_study"):
            continue
        if c["category"] == "tutoring":
            flagged = sum(
                1 for st in s.students if c["subject"] in st["tutoring"] and s.grade_of[st["class"]] in c["grades"]
            )
            total += math.ceil(flagged / 8)
        else:
            interest = chosen.get(c["id"], 0)
            sections = min(c["max_sections"], math.ceil(interest / c["max_size"])) if interest >= c["min_size"] else 0
            total += sections * c["sessions_per_week"] * (2 if c["room_kinds"] == ["venue"] else 1)
    return total


def set_budget(s: School, periods: int) -> None:
    """R20 (§7 budget check): fees (300 per paying pupil) rarely cover clubs; the district's subsidy
    covers the rest of the estimated cost with a margin, rounded up to 1,000 yuan."""
    pay = sorted(st["pay_per_period"] for st in _serving(s))
    mean_pay = sum(pay) / len(pay)
    cost = periods * mean_pay * TERM_WEEKS * s.rng.uniform(*BUDGET_MARGIN)
    payers = sum(1 for st in s.students if st["days"] and st["fee_waiver"] is None)
    s.subsidy = max(0, math.ceil((cost - FEE_PER_TERM * payers) / 1000) * 1000)


# --------------------------------------------------------------------------- assembly


def school_record(s: School) -> dict:
    name = s.rng.choice(AREAS) + s.rng.choice(SCHOOL_SUFFIX[s.kind])
    return {"id": f"gen-{s.kind}-{s.n}-s{s.seed}", "name": name, "stage": s.kind}


def generate(kind: str, students: int, seed: int) -> Instance:
    """A realistic instance of a `kind` school (primary | junior | nine_year) with `students` pupils."""
    if kind not in GRADES:
        raise ValueError(f"kind must be one of {', '.join(GRADES)}, got {kind!r}")
    if students < 1:
        raise ValueError("students must be positive")
    rng = random.Random(seed)
    s = School(rng, kind, students, seed, rng.choice(TIMETABLES[kind]))
    school = school_record(s)
    build_periods(s)
    build_classes(s)
    build_students(s)
    build_rooms(s)
    build_catalogue(s)
    assign_choices(s)
    build_support_courses(s)
    build_teachers(s)
    build_duties(s)
    build_externals(s)
    ensure_qualified_staff(s)
    periods = ensure_capacity(s)
    set_budget(s, periods)
    policy = {
        "off_work_time": "17:30",
        "fee_per_term": FEE_PER_TERM,
        "min_teacher_pay_per_period": 70,
        "term_weeks": TERM_WEEKS,
        "subsidy_per_term": s.subsidy,
        "budget_must_balance": True,
    }
    doc = {
        "format": "afterschool-instance/1",
        "school": school,
        "policy": policy,
        "days": list(WEEKDAYS),
        "periods": s.periods,
        "classes": [_public(c) for c in s.classes],
        "rooms": s.rooms,
        "courses": [_public(c) for c in s.courses],
        "staff": s.staff,
        "institutions": s.institutions,
        "students": s.students,
    }
    return Instance.model_validate(doc)


def _public(record: dict) -> dict:
    """Drop the builder's private fields (leading underscore)."""
    return {k: v for k, v in record.items() if not k.startswith("_")}
