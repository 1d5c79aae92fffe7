"""A plan seen as timetables: what a class, a staff member, a room or a pupil does in each slot.

Shared by every export and by the app's grids, so that a cell says the same thing on screen, in
the workbook and on paper. Pure: a `Loaded` instance and a `Plan` in, plain data out.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from export.i18n import label, tr
from models.common import SlotKey, minutes
from models.load import Loaded
from models.plan import Activity, Plan

VIEWS = ("class", "staff", "room", "student")

# One pastel colour per course category (cells of every timetable, on screen and on paper).
CATEGORY_COLOURS: dict[str, str] = {
    "homework": "#DDEBF7",
    "tutoring": "#FCE4D6",
    "extension": "#E2EFDA",
    "science": "#CDEFE3",
    "sports": "#C6EFCE",
    "arts": "#F8D7E8",
    "labour": "#EADCC8",
    "reading": "#FFF2CC",
    "film": "#E4DFEC",
    "interest_group": "#D0E7F8",
    "club": "#FFE699",
    "thematic": "#F4CCCC",
    "online": "#E7E6E6",
    "care": "#EDEDED",
    "evening_study": "#D9D2E9",
}
UNKNOWN_COLOUR = "#FFFFFF"


@dataclass(frozen=True)
class Entry:
    """One activity in one cell of a timetable."""

    activity: Activity
    course_name: str
    category: str
    room_name: str
    staff_names: tuple[str, ...]
    size: int  # pupils in the activity
    count: int  # pupils of the viewed class (class view), else the size

    @property
    def colour(self) -> str:
        return CATEGORY_COLOURS.get(self.category, UNKNOWN_COLOUR)


@dataclass(frozen=True)
class Run:
    """Consecutive slots of one activity on one day: one session from `start` to `end`."""

    day: str
    periods: tuple[str, ...]
    start: str
    end: str


class Timetable:
    """Indexes over a plan's activities, built once."""

    def __init__(self, loaded: Loaded, plan: Plan):
        self.L = loaded
        self.plan = plan

    # ---- axes
    @cached_property
    def days(self) -> list[str]:
        return list(self.L.days)

    @cached_property
    def periods(self) -> list[str]:
        return [p.id for p in self.L.periods]

    def period_label(self, period: str) -> str:
        p = self.L.period.get(period)
        return f"{period} {p.start}–{p.end}" if p else period

    # ---- lookups that never fail on a plan made for other data
    def course_name(self, course_id: str) -> str:
        c = self.L.course.get(course_id)
        return c.name if c else course_id

    def category(self, course_id: str) -> str:
        c = self.L.course.get(course_id)
        return c.category if c else ""

    def room_name(self, room_id: str) -> str:
        r = self.L.room.get(room_id)
        return r.name if r else room_id

    def staff_name(self, staff_id: str) -> str:
        s = self.L.staff.get(staff_id)
        return s.name if s else staff_id

    def class_of(self, student_id: str) -> str:
        s = self.L.student.get(student_id)
        return s.class_ if s else ""

    def entry(self, activity: Activity, count: int | None = None) -> Entry:
        return Entry(
            activity,
            self.course_name(activity.course),
            self.category(activity.course),
            self.room_name(activity.room),
            tuple(self.staff_name(s) for s in activity.staff),
            len(activity.students),
            len(activity.students) if count is None else count,
        )

    # ---- indexes
    @cached_property
    def by_slot(self) -> dict[SlotKey, list[Activity]]:
        out: dict[SlotKey, list[Activity]] = defaultdict(list)
        for a in self.plan.activities:
            for s in a.slots:
                out[s.key()].append(a)
        return out

    @cached_property
    def student_slot(self) -> dict[tuple[str, str, str], Activity]:
        out: dict[tuple[str, str, str], Activity] = {}
        for a in self.plan.activities:
            for sid in a.students:
                for s in a.slots:
                    out[(sid, s.day, s.period)] = a
        return out

    @cached_property
    def class_students(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = defaultdict(list)
        for s in self.L.instance.students:
            out[s.class_].append(s.id)
        return out

    @cached_property
    def classes(self) -> list[str]:
        return [c.id for c in self.L.instance.classes]

    @cached_property
    def staff_serving(self) -> list[str]:
        """Staff with any activity, in the instance's order."""
        used = {s for a in self.plan.activities for s in a.staff}
        return [s.id for s in self.L.instance.staff if s.id in used]

    @cached_property
    def rooms_used(self) -> list[str]:
        used = {a.room for a in self.plan.activities}
        return [r.id for r in self.L.instance.rooms if r.id in used]

    # ---- the four views: (day, period) → entries
    def cells(self, view: str, ident: str) -> dict[SlotKey, list[Entry]]:
        out: dict[SlotKey, list[Entry]] = defaultdict(list)
        if view == "class":
            members = set(self.class_students.get(ident, []))
            for key, acts in self.by_slot.items():
                for a in acts:
                    n = sum(1 for s in a.students if s in members)
                    if n:
                        out[key].append(self.entry(a, n))
        elif view == "staff":
            for key, acts in self.by_slot.items():
                out[key].extend(self.entry(a) for a in acts if ident in a.staff)
        elif view == "room":
            for key, acts in self.by_slot.items():
                out[key].extend(self.entry(a) for a in acts if a.room == ident)
        elif view == "student":
            for (sid, d, p), a in self.student_slot.items():
                if sid == ident:
                    out[(d, p)].append(self.entry(a))
        else:
            raise ValueError(f"unknown view {view!r}")
        for entries in out.values():
            entries.sort(key=lambda e: (e.activity.kind != "elective", -e.count, e.activity.id))
        return out

    def title(self, view: str, ident: str, lang: str = "zh") -> str:
        school = self.L.instance.school.name
        if view == "class":
            return tr("class_title", lang, school=school, klass=ident)
        if view == "staff":
            return tr("staff_title", lang, school=school, name=self.staff_name(ident), id=ident)
        if view == "room":
            return tr("room_title", lang, school=school, name=self.room_name(ident), id=ident)
        return f"{school} · {tr('student', lang)} {ident}（{self.class_of(ident)}）"

    def lines(self, entry: Entry, view: str, lang: str = "zh") -> list[str]:
        """What a cell says about one activity: the course first, then where, who and how many."""
        name = entry.course_name
        if entry.activity.kind == "homework" and entry.activity.class_ is None:
            name += "（合班）" if lang == "zh" else " (merged)"
        staff = "、".join(entry.staff_names) if lang == "zh" else ", ".join(entry.staff_names)
        n = tr("students_n", lang, n=entry.size)
        if view == "class":
            return [name, f"{entry.room_name} · {staff}", tr("of_class_n", lang, n=entry.count) + f" / {n}"]
        if view == "staff":
            klass = f"{entry.activity.class_} · " if entry.activity.class_ else ""
            return [name, f"{entry.room_name}", f"{klass}{n}"]
        if view == "room":
            return [name, staff, n]
        return [name, f"{entry.room_name} · {staff}"]

    # ---- sessions and student lists
    def runs(self, activity: Activity) -> list[Run]:
        """The activity's sessions: consecutive periods on one day merged, in calendar order."""
        index = self.L.period_index
        by_day: dict[str, list[str]] = defaultdict(list)
        for s in activity.slots:
            if s.period in index and s.period not in by_day[s.day]:
                by_day[s.day].append(s.period)
        out = []
        for day in sorted(by_day, key=lambda d: self.days.index(d) if d in self.days else 99):
            ps = sorted(by_day[day], key=index.__getitem__)
            group = [ps[0]]
            for p in ps[1:]:
                if index[p] == index[group[-1]] + 1:
                    group.append(p)
                else:
                    out.append(self._run(day, group))
                    group = [p]
            out.append(self._run(day, group))
        return out

    def _run(self, day: str, periods: list[str]) -> Run:
        first, last = self.L.period[periods[0]], self.L.period[periods[-1]]
        return Run(day, tuple(periods), first.start, last.end)

    def run_text(self, run: Run, lang: str = "zh") -> str:
        return f"{label('day', run.day, lang)} {run.start}–{run.end}"

    def times_text(self, activity: Activity, lang: str = "zh") -> str:
        sep = "、" if lang == "zh" else ", "
        return sep.join(self.run_text(r, lang) for r in self.runs(activity))

    def next_after(self, student: str, day: str, period: str) -> tuple[Activity | None, str]:
        """Where a pupil goes when the period ends: the activity of the next period (a handover), or
        None and the time they leave (their last activity that day)."""
        ps = self.L.periods
        i = self.L.period_index.get(period)
        here = self.student_slot.get((student, day, period))
        j = None if i is None else i + 1
        while j is not None and j < len(ps):
            nxt = self.student_slot.get((student, day, ps[j].id))
            if nxt is not None and nxt is here:
                j += 1  # the same activity goes on
                continue
            if nxt is not None and minutes(ps[j].start) == minutes(ps[j - 1].end):
                return nxt, ps[j].start
            break
        end = ps[j - 1].end if j is not None else self.L.period[period].end
        return None, end


def sheet_name(text: str, used: set[str]) -> str:
    """An Excel sheet name: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    clean = "".join("_" if ch in "[]:*?/\\" else ch for ch in text).strip("'") or "Sheet"
    name = clean[:31]
    i = 2
    while name.lower() in used:
        suffix = f"~{i}"
        name = clean[: 31 - len(suffix)] + suffix
        i += 1
    used.add(name.lower())
    return name
