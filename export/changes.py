"""The change list between two plans, in words a scheduler reads: names, not ids.

`solver.optimize.changes()` lists the differences with ids (`教职工 staff HW-P-G3-wed-P2-4: T001 →
T005`); this presenter reads the same two plans and says it as "三年级作业辅导 周三第2节：熊老师 → 李老师".
Pupils are named from the roster when one is given, else by their id (学号).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from export.i18n import label
from models.load import Loaded
from models.plan import Activity, Plan
from models.roster import Roster

KINDS = ("staff", "time", "room", "removed", "added", "student")
HEADS = {
    "staff": ("教职工调整", "Staff changed"),
    "time": ("时间调整", "Sessions moved"),
    "room": ("场地调整", "Rooms changed"),
    "removed": ("取消的活动", "Activities removed"),
    "added": ("新增的活动", "Activities added"),
    "student": ("学生的去向变化", "Pupils moved"),
}
_CN_NUM = ("", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二")


@dataclass(frozen=True)
class Change:
    kind: str  # one of KINDS
    text: str


def grade_name(grade: int, lang: str = "zh") -> str:
    if lang != "zh":
        return f"grade {grade}"
    return f"{_CN_NUM[grade]}年级" if 0 < grade < len(_CN_NUM) else f"{grade}年级"


class _Words:
    def __init__(self, loaded: Loaded, lang: str, roster: Roster | None):
        self.L, self.lang, self.roster = loaded, lang, roster
        self.sep = "、" if lang == "zh" else ", "

    def staff(self, ids: list[str]) -> str:
        names = [self.L.staff[s].name if s in self.L.staff else s for s in ids]
        return self.sep.join(names) or ("无人" if self.lang == "zh" else "nobody")

    def room(self, rid: str) -> str:
        r = self.L.room.get(rid)
        return r.name if r else rid

    def course(self, cid: str) -> str:
        c = self.L.course.get(cid)
        return c.name if c else cid

    def pupil(self, sid: str) -> str:
        name = self.roster.name(sid) if self.roster else ""
        if self.lang == "zh":
            return f"学生 {name}（{sid}）" if name else f"学生 {sid}"
        return f"pupil {name} ({sid})" if name else f"pupil {sid}"

    def period_no(self, pid: str) -> int:
        return self.L.period_index.get(pid, -1) + 1

    def slots(self, activity: Activity) -> str:
        """ "周三第2节", "周一第1–2节、周四第1节" / "Wed period 2"."""
        by_day: dict[str, list[int]] = defaultdict(list)
        for s in activity.slots:
            by_day[s.day].append(self.period_no(s.period))
        days = sorted(by_day, key=lambda d: self.L.days.index(d) if d in self.L.days else 99)
        out = []
        for d in days:
            ns = sorted(set(by_day[d]))
            span = f"{ns[0]}" if len(ns) == 1 else f"{ns[0]}–{ns[-1]}"
            out.append(
                f"{label('day', d, self.lang)}第{span}节"
                if self.lang == "zh"
                else f"{label('day', d, self.lang)} period {span}"
            )
        return self.sep.join(out)

    def who(self, activity: Activity) -> str:
        """Which pupils an activity is for: "3-1 班", "三年级" (merged), or nothing (electives)."""
        if activity.class_:
            return f"{activity.class_} 班" if self.lang == "zh" else f"class {activity.class_}"
        if activity.kind == "elective":
            return ""
        classes = {self.L.student[s].class_ for s in activity.students if s in self.L.student}
        grades = sorted({c.grade for c in self.L.instance.classes if c.id in classes})
        return self.sep.join(grade_name(g, self.lang) for g in grades)

    def activity(self, activity: Activity, with_time: bool = True) -> str:
        who = self.who(activity)
        head = (
            f"{who}{self.course(activity.course)}"
            if self.lang == "zh"
            else (f"{self.course(activity.course)} ({who})" if who else self.course(activity.course))
        )
        return f"{head} {self.slots(activity)}" if with_time else head

    def at(self, activity: Activity | None) -> str:
        if activity is None:
            return "（无）" if self.lang == "zh" else "(nothing)"
        return (
            f"{self.activity(activity, with_time=False)}（{self.room(activity.room)}）"
            if self.lang == "zh"
            else f"{self.activity(activity, with_time=False)} ({self.room(activity.room)})"
        )


def describe_changes(
    loaded: Loaded, before: Plan, after: Plan, lang: str = "zh", roster: Roster | None = None
) -> list[Change]:
    """Every difference between two plans as a sentence with names, staff first, pupils last."""
    w = _Words(loaded, lang, roster)
    b = {a.id: a for a in before.activities}
    f = {a.id: a for a in after.activities}
    out: list[Change] = []
    colon = "：" if lang == "zh" else ": "
    for aid in sorted(set(b) & set(f)):
        old, new = b[aid], f[aid]
        if set(old.staff) != set(new.staff):
            out.append(Change("staff", f"{w.activity(new)}{colon}{w.staff(old.staff)} → {w.staff(new.staff)}"))
        if {s.key() for s in old.slots} != {s.key() for s in new.slots}:
            out.append(Change("time", f"{w.activity(new, with_time=False)}{colon}{w.slots(old)} → {w.slots(new)}"))
        if old.room != new.room:
            out.append(Change("room", f"{w.activity(new)}{colon}{w.room(old.room)} → {w.room(new.room)}"))
    for aid in sorted(set(b) - set(f)):
        a = b[aid]
        out.append(
            Change(
                "removed",
                f"{w.activity(a)}（{w.staff(a.staff)}，{len(a.students)} 人）"
                if lang == "zh"
                else f"{w.activity(a)} ({w.staff(a.staff)}, {len(a.students)} pupils)",
            )
        )
    for aid in sorted(set(f) - set(b)):
        a = f[aid]
        out.append(
            Change(
                "added",
                f"{w.activity(a)}（{w.staff(a.staff)}，{len(a.students)} 人）"
                if lang == "zh"
                else f"{w.activity(a)} ({w.staff(a.staff)}, {len(a.students)} pupils)",
            )
        )
    where_b: dict[tuple[str, str, str], Activity] = {}
    where_f: dict[tuple[str, str, str], Activity] = {}
    for acts, where in ((before.activities, where_b), (after.activities, where_f)):
        for a in acts:
            for s in a.students:
                for sl in a.slots:
                    where[(s, sl.day, sl.period)] = a
    moved: dict[str, list[str]] = defaultdict(list)
    order = {s.id: i for i, s in enumerate(loaded.instance.students)}
    for key in sorted(
        set(where_b) | set(where_f),
        key=lambda k: (
            order.get(k[0], 1 << 30),
            k[0],
            loaded.days.index(k[1]) if k[1] in loaded.days else 9,
            w.period_no(k[2]),
        ),
    ):
        x, y = where_b.get(key), where_f.get(key)
        if (x.id if x else None) != (y.id if y else None):
            when = (
                f"{label('day', key[1], lang)}第{w.period_no(key[2])}节"
                if lang == "zh"
                else f"{label('day', key[1], lang)} period {w.period_no(key[2])}"
            )
            moved[key[0]].append(f"{when} {w.at(x)} → {w.at(y)}")
    for sid, items in moved.items():
        out.append(Change("student", f"{w.pupil(sid)}{colon}" + ("；" if lang == "zh" else "; ").join(items)))
    rank = {k: i for i, k in enumerate(KINDS)}
    out.sort(key=lambda c: rank[c.kind])
    return out


def head(kind: str, lang: str = "zh") -> str:
    zh, en = HEADS[kind]
    return zh if lang == "zh" else en
