"""The CP-SAT model of a supported FET file, on the placement core.

An active activity is a required core Item: its patterns are its possible starts (day, hour) with
the tuple of slots it occupies (consecutive hours of one day, never across a break); its resources
are its teachers and its students' subgroups (years and groups expanded; subgroups with identical
activities share one clash resource); its options are (start, room) pairs when FET gives it rooms.
Interchangeable lessons (the parts of a split activity, alike in every attribute and constraint)
become one item with a count when every constraint on them counts them rather than naming one
(`interpret.mergeable`): the model then has no permutations of them to search through.
Every constraint of the supported set keeps its weight: 100% is hard, below 100% costs
weight/100 per broken instance as FET counts it ("Total soft conflicts"), weight 0 is void.

`build` reads as a table of contents: its phases in order, each running the encodings of the
constraint types in its table (`TIMES`, `ROOM_TIMES`, `MIN_DAYS`, `ACTIVITY_SETS`, `TEACHERS`,
`STUDENTS`). An encoding is a function named after FET's constraint type
(ConstraintTeacherMaxGapsPerDay -> `teacher_max_gaps_per_day`; one function serves a teacher's and
all teachers' version, a students set's and all students'), taking the `Builder` (what the
phases share) and the constraint.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from benchmarks.peers.fet.fetfile import Activity, Constraint, FetData
from benchmarks.peers.fet.interpret import (
    constraint_activities,
    filtered_activities,
    interchangeable,
    mergeable,
    room_choices,
    students_subgroups,
)
from benchmarks.peers.fet.supported import Unsupported, unsupported
from solver.placement.core import Item, Option, Placement


@dataclass
class Model:
    data: FetData
    model: cp_model.CpModel
    core: Placement
    acts: list[Activity]  # item i is acts[i]
    objective: list[tuple[int, object, str]]  # (coefficient, literal or linear expression, constraint kind)
    groups: dict[str, cp_model.IntVar]  # constraint label -> assumption literal (diagnose mode)
    stats: dict
    placed: dict[int, cp_model.IntVar] = field(default_factory=dict)  # activity id -> literal (presence mode)
    members: list[list[int]] = field(default_factory=list)  # item i -> its activities' ids (copies)

    def objective_expr(self):
        return sum(c * e for c, e, _ in self.objective)

    def placement(self, value) -> dict[int, tuple[int, int, str | None]]:
        H = len(self.data.hours)
        out = {}
        for i, a in enumerate(self.acts):
            ids = self.members[i] if self.members else [a.id]
            # copies are interchangeable: any order of ids over the chosen options is the same plan
            for aid, opt in zip(ids, self.core.chosen_all(i, value), strict=False):
                out[aid] = (opt.pattern // H, opt.pattern % H, opt.room)
        return out


def min_days(
    model: cp_model.CpModel,
    constraint: Constraint,
    idx: list,
    on_day,
    n_days: int,
    enforce,
    harden: bool = False,
    n_acts: int | None = None,
) -> list:
    """Min days between activities over day counts `on_day(i, d)` of items `idx` holding `n_acts`
    activities in all (an item may hold copies; default one each): hard (100%, or `harden`):
    any min-days consecutive days hold at most one of them; soft: the exact FET cost, per pair
    (minDays - days apart) when too close — as C(n_d, 2) same-day pairs per day for minDays 1.
    With "consecutive if same day" (soft), at most two of them share a day (a third cannot be
    adjacent to both). Returns the objective terms."""
    md = int(constraint.one("MinDays").strip())
    consecutive = (constraint.one("Consecutive_If_Same_Day", "false") or "").strip() == "true"
    w = round(constraint.weight * 100)
    n = len(idx) if n_acts is None else n_acts
    terms = []
    if constraint.weight >= 100 or harden:
        win = min(md, n_days)
        days_open = [d for d in range(n_days) if any(not isinstance(on_day(i, d), int) for i in idx)]
        # implied: as many of them as days they can take means one a day (copies of one item are
        # otherwise only counted in all, which propagates nothing about a single day)
        exact = win == 1 and n == len(days_open)
        for d in range(n_days - win + 1):
            day_sum = sum(on_day(i, dd) for i in idx for dd in range(d, d + win))
            enforce(model.add(day_sum == 1 if exact and d in days_open else day_sum <= 1), constraint)
        return terms
    if consecutive:
        for d in range(n_days):
            if n > 2:
                enforce(model.add(sum(on_day(i, d) for i in idx) <= 2), constraint)
    if md == 1:
        for d in range(n_days):  # unary count of the day's activities: z_j = [n_d >= j]
            z = [model.new_bool_var("") for _ in range(min(n, 2 if consecutive else n))]
            for z1, z2 in itertools.pairwise(z):
                model.add(z1 >= z2)
            model.add(sum(on_day(i, d) for i in idx) == sum(z))
            terms += [(w * j, z[j], constraint.kind) for j in range(1, len(z))]
        return terms
    assert n == len(idx), "copies are never merged under a soft min-days constraint above 1 day"
    day = {i: model.new_int_var(0, n_days - 1, "") for i in idx}
    for i in idx:
        model.add(day[i] == sum(d * on_day(i, d) for d in range(n_days)))
    for p, a in enumerate(idx):
        for b in idx[p + 1 :]:
            dist = model.new_int_var(0, n_days - 1, "")
            model.add_abs_equality(dist, day[a] - day[b])
            short = model.new_int_var(0, md, "")
            model.add_max_equality(short, [0, md - dist])
            terms.append((w, short, constraint.kind))
    return terms


# ---------------------------------------------------------------------------------------------
# the encodings, one per FET constraint type (or per pair: a teacher's and all teachers' are one
# definition, as are a students set's and all students'), each (builder, constraint) -> None


class Builder:
    """What one `build` shares among the constraints' encodings: the file, its items (copies
    merged), the CP-SAT model, and what each phase leaves for the next (forbidden and costly
    starts, breaks and not-available hours, the placement core, the objective terms)."""

    def __init__(
        self, data: FetData, diagnose: bool, harden: bool, fixed_day: dict[int, int] | None, presence: bool, merge: bool
    ):
        self.data, self.diagnose, self.harden, self.presence = data, diagnose, harden, presence
        D, H = len(data.days), len(data.hours)
        self.n_days, self.n_hours = D, H
        self.all_acts = all_acts = [a for a in data.activities if a.active]
        self.subgroups = subgroups = {a.id: students_subgroups(data, a.students) for a in all_acts}
        self.live = live = [c for c in data.constraints if c.active and c.weight > 0]
        self.rooms, _ = room_choices(data)
        self.alike = [] if diagnose else interchangeable(data, all_acts, subgroups, self.rooms, live)
        self.rep = rep = {a.id: a.id for a in all_acts}  # activity -> the activity whose item holds it
        merged = mergeable(data, self.alike, all_acts, subgroups, live) if merge and not (fixed_day or presence) else []
        for ids in merged:
            for aid in ids:
                rep[aid] = ids[0]
        self.acts = acts = [a for a in all_acts if rep[a.id] == a.id]  # item i is acts[i] and its copies
        self.index = index = {a.id: i for i, a in enumerate(acts)}
        self.members: list[list[int]] = [[] for _ in acts]
        for a in all_acts:
            index[a.id] = index[rep[a.id]]
            self.members[index[a.id]].append(a.id)
        self.m = cp_model.CpModel()
        self.groups: dict[str, cp_model.IntVar] = {}
        self.starts = {
            a.id: [
                d * H + h
                for d in range(D)
                for h in range(H - a.duration + 1)
                if fixed_day is None or fixed_day.get(a.id, d) == d
            ]
            for a in all_acts
        }
        # forbidden starts per hard constraint instance, and costs of starts for soft ones
        self.forbid: dict[str, dict[int, set[int]]] = defaultdict(lambda: defaultdict(set))
        self.label_of: dict[str, Constraint] = {}
        self.start_cost: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        self.start_kind: dict[int, dict[int, str]] = defaultdict(dict)
        self.by_teacher: dict[str, list[Activity]] = defaultdict(list)
        self.by_subgroup: dict[str, list[Activity]] = defaultdict(list)
        for a in all_acts:
            for t in a.teachers:
                self.by_teacher[t].append(a)
            for s in subgroups[a.id]:
                self.by_subgroup[s].append(a)
        self.breaks: set[tuple[int, int]] = set()
        self.teacher_na: dict[str, set[tuple[int, int]]] = defaultdict(set)
        self.subgroup_na: dict[str, set[tuple[int, int]]] = defaultdict(set)
        self.room_na: dict[str, set[tuple[int, int]]] = defaultdict(set)
        self.room_na_label: dict[str, list[str]] = defaultdict(list)
        self.items: list[Item] = []
        self.core: Placement | None = None
        self.placed: dict[int, cp_model.IntVar] = {}
        self.objective: list[tuple[int, object, str]] = []
        self.tight = self.n_sym = 0

    def each(self, table: dict) -> None:
        """Every live constraint (active, weight above 0) of a type in `table`, in file order."""
        for c in self.live:
            encode = table.get(c.kind)
            if encode is not None:
                encode(self, c)

    # ---- helpers shared by the encodings

    def items_of(self, alist) -> list[int]:
        """The items of some activities, each once."""
        return list(dict.fromkeys(self.index[a.id] for a in alist))

    def lit(self, constraint: Constraint):
        """The enforcement literal of a constraint instance (None outside diagnose mode)."""
        if not self.diagnose:
            return None
        if constraint.label not in self.groups:
            self.groups[constraint.label] = self.m.new_bool_var(constraint.label)
        return self.groups[constraint.label]

    def enforce(self, ct, constraint: Constraint):
        v = self.lit(constraint)
        if v is not None:
            ct.only_enforce_if(v)
        return ct

    def span(self, activity: Activity, start: int) -> tuple[tuple[int, int], ...]:
        d, h = divmod(start, self.n_hours)
        return tuple((d, h + k) for k in range(activity.duration))

    def slots(self, constraint: Constraint, key: str, day_tag: str, hour_tag: str) -> set[tuple[int, int]]:
        return {self.data.slot(d, h) for d, h in constraint.times(key, day_tag, hour_tag)}

    def rule_starts(self, constraint: Constraint, aids, bad_start, cost_per=None):
        """Hard: forbid starts where bad_start(activity, start) is true. Soft: cost weight per unit."""
        self.label_of[constraint.label] = constraint
        for aid in dict.fromkeys(self.rep[x] for x in aids):  # the copies of an item are alike
            a = self.acts[self.index[aid]]
            for s in self.starts[aid]:
                n = bad_start(a, s)
                if n:
                    if constraint.weight >= 100:
                        self.forbid[constraint.label][aid].add(s)
                    else:
                        self.start_cost[aid][s] += round(constraint.weight * 100) * (n if cost_per else 1)
                        self.start_kind[aid][s] = constraint.kind

    def on_day(self, i: int, d: int):
        return sum(v for s, v in self.core.x[i].items() if s // self.n_hours == d)

    def busy(self, alist: list[Activity], d: int, h: int):
        return sum(self.core.at(i, (d, h)) for i in self.items_of(alist))

    def teachers_of(self, constraint: Constraint) -> list[str]:
        name = constraint.one("Teacher_Name")
        if constraint.kind.startswith("ConstraintTeacher") and name is not None:
            return [name]
        return list(self.data.teachers)

    def gap_terms(self, alist, d, free_slots):
        """Gap literals of one resource on one day (breaks and not-available hours are not gaps)."""
        m = self.m
        avail = [h for h in range(self.n_hours) if (d, h) not in free_slots]
        b = [self.busy(alist, d, h) for h in avail]
        n = len(b)
        if n < 3:
            return []
        before = [None] + [m.new_bool_var("") for _ in range(n - 1)]
        after = [m.new_bool_var("") for _ in range(n - 1)] + [None]
        for k in range(1, n):
            m.add(before[k] >= b[k - 1])
            if k > 1:
                m.add(before[k] >= before[k - 1])
        for k in range(n - 2, -1, -1):
            m.add(after[k] >= b[k + 1])
            if k < n - 2:
                m.add(after[k] >= after[k + 1])
        gaps = []
        for k in range(1, n - 1):
            g = m.new_bool_var("")
            m.add(g >= before[k] + after[k] - b[k] - 1)
            gaps.append(g)
        return gaps

    def work_day(self, alist, d):
        w = self.m.new_bool_var("")
        for h in range(self.n_hours):
            e = self.busy(alist, d, h)
            if not isinstance(e, int):
                self.m.add(w >= e)
        return w

    def distinct_subgroups(self, constraint: Constraint):
        """(activities, free hours) of each subgroup a students constraint names (all subgroups for
        `ConstraintStudents…`), skipping a subgroup identical to one already given."""
        subs = (
            students_subgroups(self.data, [constraint.one("Students")])
            if "StudentsSet" in constraint.kind
            else sorted(self.by_subgroup)
        )
        seen: set[tuple] = set()
        for s in subs:
            alist = self.by_subgroup.get(s, [])
            if not alist:
                continue
            free = self.breaks | self.subgroup_na.get(s, set())
            key = (tuple(sorted(a.id for a in alist)), frozenset(free))
            if key in seen:
                continue  # an identical subgroup is constrained already
            seen.add(key)
            yield alist, free

    # ---- the phases that are not one constraint type's

    def place(self) -> None:
        """The items: an option per allowed start (and room), the clash resources (teachers, and
        subgroups; those with identical activities share one): FET's ConstraintBasicCompulsoryTime
        and ConstraintBasicCompulsorySpace, kept by the placement core."""
        acts, rooms, diagnose = self.acts, self.rooms, self.diagnose
        for a in acts:
            banned = set() if diagnose else {s for f in self.forbid.values() for s in f.get(a.id, ())}
            ok_starts = [s for s in self.starts[a.id] if s not in banned]
            opts = []
            for s in ok_starts:
                slots = self.span(a, s)
                if rooms[a.id] is None:
                    opts.append(Option(len(opts), s, slots))
                    continue
                for r in rooms[a.id]:
                    if not diagnose and self.room_na.get(r) and set(slots) & self.room_na[r]:
                        continue
                    opts.append(Option(len(opts), s, slots, room=r))
            self.items.append(
                Item(str(a.id), opts, resources=(), optional=self.presence, count=len(self.members[self.index[a.id]]))
            )
        canon: dict[tuple, str] = {}
        res_of: dict[int, list] = defaultdict(list)
        for s, alist in sorted(self.by_subgroup.items()):
            key = tuple(sorted(a.id for a in alist))
            if key not in canon:
                canon[key] = s
                for a in alist:
                    res_of[self.rep[a.id]].append(("S", s))
        for t, alist in self.by_teacher.items():
            for a in alist:
                res_of[self.rep[a.id]].append(("T", t))
        for i, a in enumerate(acts):
            self.items[i].resources = tuple(dict.fromkeys(res_of[a.id]))  # (copies add theirs again)
        self.core = Placement(self.m, self.items).build()

    def presence_literals(self) -> None:
        """Activity i is placed iff its literal holds (for cores of fixed-day subproblems)."""
        for i, a in enumerate(self.acts):
            self.placed[a.id] = self.m.new_bool_var(f"a{a.id}")
            self.m.add(sum(self.core.x[i].values()) == self.placed[a.id])

    def implied_full_resources(self, day_sums: bool) -> None:
        """Implied (not in diagnose mode, where breaks and not-available hours may be relaxed): a
        teacher or subgroup whose hours fill every hour it can work holds exactly one activity in
        each of them — strong propagation for the tightly packed classes of real schools."""
        m, core, D, H = self.m, self.core, self.n_days, self.n_hours
        seen_tight: set[tuple] = set()
        for table, na in ((self.by_subgroup, self.subgroup_na), (self.by_teacher, self.teacher_na)):
            for r, alist in table.items():
                free = self.breaks | na.get(r, set())
                key = (tuple(sorted(a.id for a in alist)), frozenset(free))
                if key in seen_tight:
                    continue
                seen_tight.add(key)
                avail = [(d, h) for d in range(D) for h in range(H) if (d, h) not in free]
                if sum(a.duration for a in alist) != len(avail):
                    continue
                self.tight += 1
                for slot in avail:
                    m.add_exactly_one([core.x[i][p] for i in self.items_of(alist) for p in core.patterns_at(i, slot)])
                if day_sums:
                    for d in range(D):
                        hours = sum(1 for s in avail if s[0] == d)
                        m.add(
                            sum(
                                self.acts[i].duration * v
                                for i in self.items_of(alist)
                                for s, v in core.x[i].items()
                                if s // H == d
                            )
                            == hours
                        )

    def forbidden_under_assumptions(self) -> None:
        """Diagnose mode: the starts a hard constraint forbids, and the rooms' not-available hours,
        are barred under the constraint's assumption literal instead of filtered out."""
        m, core, index = self.m, self.core, self.index
        for label, per in self.forbid.items():
            c = self.label_of[label]
            bad = [core.x[index[aid]][s] for aid, ss in per.items() for s in ss if s in core.x[index[aid]]]
            if bad:
                self.enforce(m.add(sum(bad) == 0), c)
        for r, slots in self.room_na.items():
            name = "RoomNotAvailable:" + "+".join(self.room_na_label[r])
            v = self.groups.setdefault(name, m.new_bool_var(name))
            bad = [
                core.z[i][o.index]
                for i, it in enumerate(self.items)
                for o in it.options
                if o.room == r and set(o.slots) & slots
            ]
            if bad:
                m.add(sum(bad) == 0).only_enforce_if(v)

    def start_costs(self) -> None:
        """The soft start rules' costs as objective terms (kept for an item's first activity only)."""
        for aid, costs in self.start_cost.items():
            i = self.index[aid]
            for s, w in costs.items():
                if s in self.core.x[i]:
                    self.objective.append((w, self.core.x[i][s], self.start_kind[aid][s]))

    def order_interchangeable(self) -> None:
        """Symmetry: interchangeable activities (the lessons of one split activity, alike in every
        attribute and constraint) take their starts in id order (not in diagnose mode)."""
        core = self.core
        for ids in self.alike:
            if len(self.members[self.index[ids[0]]]) > 1:
                continue  # merged into one item: no permutations left to cut
            for a, b in itertools.pairwise(ids):
                ia, ib = self.index[a], self.index[b]
                self.m.add(sum(s * v for s, v in core.x[ia].items()) <= sum(s * v for s, v in core.x[ib].items()))
                self.n_sym += 1

    def finish(self) -> Model:
        core, acts, items = self.core, self.acts, self.items
        stats = {
            "activities": len(self.all_acts),
            "items": len(acts),
            "days": self.n_days,
            "hours": self.n_hours,
            "patterns": sum(len(core.x[i]) for i in range(len(acts))),
            "options": sum(len(it.options) for it in items),
            "resources": len({r for it in items for r in it.resources}),
            "rooms_used": sum(1 for a in acts if self.rooms[a.id] is not None),
            "tight_resources": self.tight,
            "symmetry_orderings": self.n_sym,
        }
        return Model(self.data, self.m, core, acts, self.objective, self.groups, stats, self.placed, self.members)


# ---- times: what a constraint says about starts, before the items exist (100%: starts forbidden;
# below: a cost per start)


def break_times(builder: Builder, constraint: Constraint) -> None:
    """ConstraintBreakTimes: no activity over a break hour."""
    slots = builder.slots(constraint, "Break_Time", "Day", "Hour")
    builder.breaks |= slots
    builder.rule_starts(
        constraint,
        [a.id for a in builder.acts],
        lambda activity, start: bool(set(builder.span(activity, start)) & slots),
    )


def teacher_not_available_times(builder: Builder, constraint: Constraint) -> None:
    """ConstraintTeacherNotAvailableTimes: soft, a cost per busy not-available hour."""
    slots = builder.slots(constraint, "Not_Available_Time", "Day", "Hour")
    t = constraint.one("Teacher")
    if constraint.weight >= 100:
        builder.teacher_na[t] |= slots
    builder.rule_starts(
        constraint,
        [a.id for a in builder.by_teacher.get(t, [])],
        lambda activity, start: len(set(builder.span(activity, start)) & slots),
        cost_per=True,
    )


def students_set_not_available_times(builder: Builder, constraint: Constraint) -> None:
    """ConstraintStudentsSetNotAvailableTimes: soft, a cost per busy subgroup and not-available hour."""
    slots = builder.slots(constraint, "Not_Available_Time", "Day", "Hour")
    subs = set(students_subgroups(builder.data, [constraint.one("Students")]))
    if constraint.weight >= 100:
        for s in subs:
            builder.subgroup_na[s] |= slots
    aids = sorted({a.id for s in subs for a in builder.by_subgroup.get(s, [])})
    builder.rule_starts(
        constraint,
        aids,
        lambda activity, start: (
            len(set(builder.span(activity, start)) & slots) * len(subs & set(builder.subgroups[activity.id]))
        ),
        cost_per=True,
    )


def activity_preferred_starting_time(builder: Builder, constraint: Constraint) -> None:
    """ConstraintActivityPreferredStartingTime: one start (day and hour)."""
    data = builder.data
    ok = {
        data.day_index(constraint.one("Preferred_Day")) * builder.n_hours
        + data.hour_index(constraint.one("Preferred_Hour"))
    }
    builder.rule_starts(constraint, constraint_activities(data, constraint), lambda activity, start: start not in ok)


def _starting_times(builder: Builder, constraint: Constraint) -> set[int]:
    return {
        d * builder.n_hours + h
        for d, h in builder.slots(
            constraint, "Preferred_Starting_Time", "Preferred_Starting_Day", "Preferred_Starting_Hour"
        )
    }


def activity_preferred_starting_times(builder: Builder, constraint: Constraint) -> None:
    """ConstraintActivityPreferredStartingTimes: the listed activities start at one of the starts."""
    ok = _starting_times(builder, constraint)
    builder.rule_starts(
        constraint, constraint_activities(builder.data, constraint), lambda activity, start: start not in ok
    )


def activities_preferred_starting_times(builder: Builder, constraint: Constraint) -> None:
    """ConstraintActivitiesPreferredStartingTimes: the activities the filters match start at one of the starts."""
    ok = _starting_times(builder, constraint)
    builder.rule_starts(
        constraint,
        [a.id for a in filtered_activities(builder.data, constraint)],
        lambda activity, start: start not in ok,
    )


def _time_slots(builder: Builder, constraint: Constraint) -> set[tuple[int, int]]:
    return builder.slots(constraint, "Preferred_Time_Slot", "Preferred_Day", "Preferred_Hour")


def activity_preferred_time_slots(builder: Builder, constraint: Constraint) -> None:
    """ConstraintActivityPreferredTimeSlots: the listed activities lie within the slots."""
    ok = _time_slots(builder, constraint)
    builder.rule_starts(
        constraint,
        constraint_activities(builder.data, constraint),
        lambda activity, start: not set(builder.span(activity, start)) <= ok,
    )


def activities_preferred_time_slots(builder: Builder, constraint: Constraint) -> None:
    """ConstraintActivitiesPreferredTimeSlots and ConstraintSubactivitiesPreferredTimeSlots (whose
    filters also name a component): the matching activities lie within the slots."""
    ok = _time_slots(builder, constraint)
    builder.rule_starts(
        constraint,
        [a.id for a in filtered_activities(builder.data, constraint)],
        lambda activity, start: not set(builder.span(activity, start)) <= ok,
    )


def room_not_available_times(builder: Builder, constraint: Constraint) -> None:
    """ConstraintRoomNotAvailableTimes: options in the room at those hours are left out (diagnose
    mode: barred under an assumption)."""
    room = constraint.one("Room")
    builder.room_na[room] |= builder.slots(constraint, "Not_Available_Time", "Day", "Hour")
    builder.room_na_label[room].append(constraint.label)


# ---- on the placement core


def min_days_between_activities(builder: Builder, constraint: Constraint) -> None:
    """ConstraintMinDaysBetweenActivities (`min_days`), and soft "consecutive if same day": two of
    them on one day are adjacent (an item with copies: two of its own as well)."""
    m, core, items, acts, H = builder.m, builder.core, builder.items, builder.acts, builder.n_hours
    ids = list(dict.fromkeys(constraint_activities(builder.data, constraint)))
    if len(ids) < 2:
        return
    idx = list(dict.fromkeys(builder.index[x] for x in ids))
    builder.objective += min_days(
        m, constraint, idx, builder.on_day, builder.n_days, builder.enforce, builder.harden, n_acts=len(ids)
    )
    consecutive = (constraint.one("Consecutive_If_Same_Day", "false") or "").strip() == "true"
    if consecutive and constraint.weight < 100:
        pairs = [(a, b) for p, a in enumerate(idx) for b in idx[p + 1 :]]
        pairs += [(a, a) for a in idx if items[a].count > 1]
        for a, b in pairs:
            da, db = acts[a].duration, acts[b].duration
            for s, xa in core.x[a].items():
                d, h = divmod(s, H)
                ok = {d * H + h + da, d * H + h - db} | ({s} if a == b else set())
                bad = [xb for sb, xb in core.x[b].items() if sb // H == d and sb not in ok]
                if bad and items[b].count == 1:  # (b has one start: sum(bad) <= 1 anyway)
                    builder.enforce(m.add(xa + sum(bad) <= 1), constraint)
                elif bad:  # two copies of b may both be elsewhere on the day: an implication
                    builder.enforce(m.add(sum(bad) == 0).only_enforce_if(xa), constraint)


def activities_same_starting_time(builder: Builder, constraint: Constraint) -> None:
    """ConstraintActivitiesSameStartingTime: per pair in turn, the same start."""
    core = builder.core
    idx = list(dict.fromkeys(builder.index[x] for x in constraint_activities(builder.data, constraint)))
    for a, b in itertools.pairwise(idx):
        for s in set(core.x[a]) | set(core.x[b]):
            va = core.x[a].get(s, 0)
            vb = core.x[b].get(s, 0)
            builder.enforce(builder.m.add(va == vb), constraint)


def activities_not_overlapping(builder: Builder, constraint: Constraint) -> None:
    """ConstraintActivitiesNotOverlapping: at most one of them in any slot."""
    core = builder.core
    idx = list(dict.fromkeys(builder.index[x] for x in constraint_activities(builder.data, constraint)))
    if len(idx) > 1:
        for d in range(builder.n_days):
            for h in range(builder.n_hours):
                terms = [core.at(i, (d, h)) for i in idx if core.patterns_at(i, (d, h))]
                if len(terms) > 1:
                    builder.enforce(builder.m.add(sum(terms) <= 1), constraint)


def teacher_max_gaps_per_day(builder: Builder, constraint: Constraint) -> None:
    """ConstraintTeacherMaxGapsPerDay (one teacher) and ConstraintTeachersMaxGapsPerDay (all)."""
    mg = int(constraint.one("Max_Gaps").strip())
    for t in builder.teachers_of(constraint):
        alist = builder.by_teacher.get(t, [])
        if not alist:
            continue
        free = builder.breaks | builder.teacher_na.get(t, set())
        for d in range(builder.n_days):
            g = builder.gap_terms(alist, d, free)
            if len(g) > mg:
                builder.enforce(builder.m.add(sum(g) <= mg), constraint)


def teacher_max_gaps_per_week(builder: Builder, constraint: Constraint) -> None:
    """ConstraintTeacherMaxGapsPerWeek (one teacher) and ConstraintTeachersMaxGapsPerWeek (all)."""
    mg = int(constraint.one("Max_Gaps").strip())
    for t in builder.teachers_of(constraint):
        alist = builder.by_teacher.get(t, [])
        if not alist:
            continue
        free = builder.breaks | builder.teacher_na.get(t, set())
        week = []
        for d in range(builder.n_days):
            week += builder.gap_terms(alist, d, free)
        if len(week) > mg:
            builder.enforce(builder.m.add(sum(week) <= mg), constraint)


def teacher_max_hours_daily(builder: Builder, constraint: Constraint) -> None:
    """ConstraintTeacherMaxHoursDaily (one teacher) and ConstraintTeachersMaxHoursDaily (all)."""
    mh = int(constraint.one("Maximum_Hours_Daily").strip())
    for t in builder.teachers_of(constraint):
        alist = builder.by_teacher.get(t, [])
        for d in range(builder.n_days):
            if alist:
                hours = sum(builder.busy(alist, d, h) for h in range(builder.n_hours))
                builder.enforce(builder.m.add(hours <= mh), constraint)


def teacher_max_days_per_week(builder: Builder, constraint: Constraint) -> None:
    """ConstraintTeacherMaxDaysPerWeek (one teacher) and ConstraintTeachersMaxDaysPerWeek (all)."""
    md = int(constraint.one("Max_Days_Per_Week").strip())
    for t in builder.teachers_of(constraint):
        alist = builder.by_teacher.get(t, [])
        if alist:
            days = sum(builder.work_day(alist, d) for d in range(builder.n_days))
            builder.enforce(builder.m.add(days <= md), constraint)


def teacher_min_hours_daily(builder: Builder, constraint: Constraint) -> None:
    """ConstraintTeacherMinHoursDaily (one teacher) and ConstraintTeachersMinHoursDaily (all);
    with Allow_Empty_Days, on the days the teacher works."""
    mh = int(constraint.one("Minimum_Hours_Daily").strip())
    empty_ok = (constraint.one("Allow_Empty_Days", "false") or "").strip() == "true"
    for t in builder.teachers_of(constraint):
        alist = builder.by_teacher.get(t, [])
        if not alist:
            continue
        for d in range(builder.n_days):
            hours = sum(builder.busy(alist, d, h) for h in range(builder.n_hours))
            if empty_ok:
                builder.enforce(builder.m.add(hours >= mh * builder.work_day(alist, d)), constraint)
            else:
                builder.enforce(builder.m.add(hours >= mh), constraint)


def students_max_gaps_per_week(builder: Builder, constraint: Constraint) -> None:
    """ConstraintStudentsMaxGapsPerWeek (all subgroups) and ConstraintStudentsSetMaxGapsPerWeek."""
    for alist, free in builder.distinct_subgroups(constraint):
        mg = int(constraint.one("Max_Gaps").strip())
        week = [g for d in range(builder.n_days) for g in builder.gap_terms(alist, d, free)]
        if len(week) > mg:
            builder.enforce(builder.m.add(sum(week) <= mg), constraint)


def students_early_max_beginnings_at_second_hour(builder: Builder, constraint: Constraint) -> None:
    """ConstraintStudentsEarlyMaxBeginningsAtSecondHour (all subgroups) and
    ConstraintStudentsSetEarlyMaxBeginningsAtSecondHour: a day begins at the first or second hour
    that counts, and at the second at most so often in the week."""
    m = builder.m
    for alist, free in builder.distinct_subgroups(constraint):
        mb = int(constraint.one("Max_Beginnings_At_Second_Hour").strip())
        late = []
        for d in range(builder.n_days):
            avail = [h for h in range(builder.n_hours) if (d, h) not in free]
            if not avail:
                continue
            occ = builder.work_day(alist, d)
            b0 = builder.busy(alist, d, avail[0])
            b1 = builder.busy(alist, d, avail[1]) if len(avail) > 1 else 0
            builder.enforce(m.add(b0 + b1 >= occ), constraint)
            lt = m.new_bool_var("")
            m.add(lt >= occ - b0)
            late.append(lt)
        if len(late) > mb:
            builder.enforce(m.add(sum(late) <= mb), constraint)


# ---------------------------------------------------------------------------------------------
# the table of contents: which encoding each FET constraint type gets, phase by phase. The
# phases run in this order, each over the file's constraints in file order (the order the model's
# variables and constraints are created in). ConstraintBasicCompulsoryTime/Space are the placement
# core's clash rules; the room constraints (preferred and home rooms) decide the items' rooms
# (`interpret.room_choices`).

TIMES = {
    "ConstraintBreakTimes": break_times,
    "ConstraintTeacherNotAvailableTimes": teacher_not_available_times,
    "ConstraintStudentsSetNotAvailableTimes": students_set_not_available_times,
    "ConstraintActivityPreferredStartingTime": activity_preferred_starting_time,
    "ConstraintActivityPreferredStartingTimes": activity_preferred_starting_times,
    "ConstraintActivitiesPreferredStartingTimes": activities_preferred_starting_times,
    "ConstraintActivityPreferredTimeSlots": activity_preferred_time_slots,
    "ConstraintActivitiesPreferredTimeSlots": activities_preferred_time_slots,
    "ConstraintSubactivitiesPreferredTimeSlots": activities_preferred_time_slots,
}
ROOM_TIMES = {"ConstraintRoomNotAvailableTimes": room_not_available_times}
MIN_DAYS = {"ConstraintMinDaysBetweenActivities": min_days_between_activities}
ACTIVITY_SETS = {
    "ConstraintActivitiesSameStartingTime": activities_same_starting_time,
    "ConstraintActivitiesNotOverlapping": activities_not_overlapping,
}
TEACHERS = {
    "ConstraintTeacherMaxGapsPerDay": teacher_max_gaps_per_day,
    "ConstraintTeachersMaxGapsPerDay": teacher_max_gaps_per_day,
    "ConstraintTeacherMaxGapsPerWeek": teacher_max_gaps_per_week,
    "ConstraintTeachersMaxGapsPerWeek": teacher_max_gaps_per_week,
    "ConstraintTeacherMaxHoursDaily": teacher_max_hours_daily,
    "ConstraintTeachersMaxHoursDaily": teacher_max_hours_daily,
    "ConstraintTeacherMaxDaysPerWeek": teacher_max_days_per_week,
    "ConstraintTeachersMaxDaysPerWeek": teacher_max_days_per_week,
    "ConstraintTeacherMinHoursDaily": teacher_min_hours_daily,
    "ConstraintTeachersMinHoursDaily": teacher_min_hours_daily,
}
STUDENTS = {
    "ConstraintStudentsMaxGapsPerWeek": students_max_gaps_per_week,
    "ConstraintStudentsSetMaxGapsPerWeek": students_max_gaps_per_week,
    "ConstraintStudentsEarlyMaxBeginningsAtSecondHour": students_early_max_beginnings_at_second_hour,
    "ConstraintStudentsSetEarlyMaxBeginningsAtSecondHour": students_early_max_beginnings_at_second_hour,
}


def build(
    data: FetData,
    diagnose: bool = False,
    symmetry: bool = True,
    harden: bool = False,
    day_sums: bool = False,
    fixed_day: dict[int, int] | None = None,
    presence: bool = False,
    merge: bool = True,
) -> Model:
    """The CP-SAT model of a supported file. `diagnose`: every constraint instance behind an
    assumption literal (patterns are not pre-filtered), for naming an infeasible core. `merge`:
    interchangeable lessons become one item with a count (`mergeable`; not with diagnose, fixed
    days or presence literals, which speak of single activities)."""
    reasons = unsupported(data)
    if reasons:
        raise Unsupported(reasons)
    builder = Builder(data, diagnose, harden, fixed_day, presence, merge)
    builder.each(TIMES)
    builder.each(ROOM_TIMES)
    builder.place()
    if presence:
        builder.presence_literals()
    if not diagnose and not presence:
        builder.implied_full_resources(day_sums)
    if diagnose:
        builder.forbidden_under_assumptions()
    builder.start_costs()
    builder.each(MIN_DAYS)
    if not diagnose and symmetry:
        builder.order_interchangeable()
    builder.each(ACTIVITY_SETS)
    builder.each(TEACHERS)
    builder.each(STUDENTS)
    return builder.finish()
