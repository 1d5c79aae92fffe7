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


def min_days(m: cp_model.CpModel, c: Constraint, idx: list, on_day, D: int, enforce, harden: bool = False,
             n_acts: int | None = None) -> list:
    """Min days between activities over day counts `on_day(i, d)` of items `idx` holding `n_acts`
    activities in all (an item may hold copies; default one each): hard (100%, or `harden`):
    any min-days consecutive days hold at most one of them; soft: the exact FET cost, per pair
    (minDays - days apart) when too close — as C(n_d, 2) same-day pairs per day for minDays 1.
    With "consecutive if same day" (soft), at most two of them share a day (a third cannot be
    adjacent to both). Returns the objective terms."""
    md = int(c.one("MinDays").strip())
    consecutive = (c.one("Consecutive_If_Same_Day", "false") or "").strip() == "true"
    w = round(c.weight * 100)
    n = len(idx) if n_acts is None else n_acts
    terms = []
    if c.weight >= 100 or harden:
        win = min(md, D)
        days_open = [d for d in range(D) if any(not isinstance(on_day(i, d), int) for i in idx)]
        # implied: as many of them as days they can take means one a day (copies of one item are
        # otherwise only counted in all, which propagates nothing about a single day)
        exact = win == 1 and n == len(days_open)
        for d in range(D - win + 1):
            day_sum = sum(on_day(i, dd) for i in idx for dd in range(d, d + win))
            enforce(m.add(day_sum == 1 if exact and d in days_open else day_sum <= 1), c)
        return terms
    if consecutive:
        for d in range(D):
            if n > 2:
                enforce(m.add(sum(on_day(i, d) for i in idx) <= 2), c)
    if md == 1:
        for d in range(D):  # unary count of the day's activities: z_j = [n_d >= j]
            z = [m.new_bool_var("") for _ in range(min(n, 2 if consecutive else n))]
            for z1, z2 in itertools.pairwise(z):
                m.add(z1 >= z2)
            m.add(sum(on_day(i, d) for i in idx) == sum(z))
            terms += [(w * j, z[j], c.kind) for j in range(1, len(z))]
        return terms
    assert n == len(idx), "copies are never merged under a soft min-days constraint above 1 day"
    day = {i: m.new_int_var(0, D - 1, "") for i in idx}
    for i in idx:
        m.add(day[i] == sum(d * on_day(i, d) for d in range(D)))
    for p, a in enumerate(idx):
        for b in idx[p + 1:]:
            dist = m.new_int_var(0, D - 1, "")
            m.add_abs_equality(dist, day[a] - day[b])
            short = m.new_int_var(0, md, "")
            m.add_max_equality(short, [0, md - dist])
            terms.append((w, short, c.kind))
    return terms


def build(data: FetData, diagnose: bool = False, symmetry: bool = True, harden: bool = False,
          day_sums: bool = False, fixed_day: dict[int, int] | None = None, presence: bool = False,
          merge: bool = True) -> Model:
    """The CP-SAT model of a supported file. `diagnose`: every constraint instance behind an
    assumption literal (patterns are not pre-filtered), for naming an infeasible core. `merge`:
    interchangeable lessons become one item with a count (`mergeable`; not with diagnose, fixed
    days or presence literals, which speak of single activities)."""
    reasons = unsupported(data)
    if reasons:
        raise Unsupported(reasons)
    D, H = len(data.days), len(data.hours)
    all_acts = [a for a in data.activities if a.active]
    subgroups = {a.id: students_subgroups(data, a.students) for a in all_acts}
    live = [c for c in data.constraints if c.active and c.weight > 0]
    rooms, _ = room_choices(data)
    alike = [] if diagnose else interchangeable(data, all_acts, subgroups, rooms, live)
    rep = {a.id: a.id for a in all_acts}  # activity -> the activity whose item holds it
    merged = mergeable(data, alike, all_acts, subgroups, live) if merge and not (fixed_day or presence) else []
    for ids in merged:
        for aid in ids:
            rep[aid] = ids[0]
    acts = [a for a in all_acts if rep[a.id] == a.id]  # item i is acts[i] and its copies
    index = {a.id: i for i, a in enumerate(acts)}
    members: list[list[int]] = [[] for _ in acts]
    for a in all_acts:
        index[a.id] = index[rep[a.id]]
        members[index[a.id]].append(a.id)

    def items_of(alist) -> list[int]:
        """The items of some activities, each once."""
        return list(dict.fromkeys(index[a.id] for a in alist))

    m = cp_model.CpModel()
    groups: dict[str, cp_model.IntVar] = {}

    def lit(c: Constraint):
        """The enforcement literal of a constraint instance (None outside diagnose mode)."""
        if not diagnose:
            return None
        if c.label not in groups:
            groups[c.label] = m.new_bool_var(c.label)
        return groups[c.label]

    def enforce(ct, c: Constraint):
        v = lit(c)
        if v is not None:
            ct.only_enforce_if(v)
        return ct

    def span(a: Activity, start: int) -> tuple[tuple[int, int], ...]:
        d, h = divmod(start, H)
        return tuple((d, h + k) for k in range(a.duration))

    starts = {a.id: [d * H + h for d in range(D) for h in range(H - a.duration + 1)
                     if fixed_day is None or fixed_day.get(a.id, d) == d] for a in all_acts}
    # ---- forbidden starts per hard constraint instance, and costs of starts for soft ones
    forbid: dict[str, dict[int, set[int]]] = defaultdict(lambda: defaultdict(set))
    label_of: dict[str, Constraint] = {}
    start_cost: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    start_kind: dict[int, dict[int, str]] = defaultdict(dict)
    by_teacher: dict[str, list[Activity]] = defaultdict(list)
    by_subgroup: dict[str, list[Activity]] = defaultdict(list)
    for a in all_acts:
        for t in a.teachers:
            by_teacher[t].append(a)
        for s in subgroups[a.id]:
            by_subgroup[s].append(a)
    breaks: set[tuple[int, int]] = set()
    teacher_na: dict[str, set[tuple[int, int]]] = defaultdict(set)
    subgroup_na: dict[str, set[tuple[int, int]]] = defaultdict(set)

    def rule_starts(c: Constraint, aids, bad_start, cost_per=None):
        """Hard: forbid starts where bad_start(a, start) is true. Soft: cost weight per unit."""
        label_of[c.label] = c
        for aid in dict.fromkeys(rep[x] for x in aids):  # the copies of an item are alike
            a = acts[index[aid]]
            for s in starts[aid]:
                n = bad_start(a, s)
                if n:
                    if c.weight >= 100:
                        forbid[c.label][aid].add(s)
                    else:
                        start_cost[aid][s] += round(c.weight * 100) * (n if cost_per else 1)
                        start_kind[aid][s] = c.kind

    for c in live:
        k = c.kind
        if k == "ConstraintBreakTimes":
            slots = {data.slot(d, h) for d, h in c.times("Break_Time", "Day", "Hour")}
            breaks |= slots
            rule_starts(c, [a.id for a in acts], lambda a, s, slots=slots: bool(set(span(a, s)) & slots))
        elif k == "ConstraintTeacherNotAvailableTimes":
            slots = {data.slot(d, h) for d, h in c.times("Not_Available_Time", "Day", "Hour")}
            t = c.one("Teacher")
            if c.weight >= 100:
                teacher_na[t] |= slots
            rule_starts(c, [a.id for a in by_teacher.get(t, [])],
                        lambda a, s, slots=slots: len(set(span(a, s)) & slots), cost_per=True)
        elif k == "ConstraintStudentsSetNotAvailableTimes":
            slots = {data.slot(d, h) for d, h in c.times("Not_Available_Time", "Day", "Hour")}
            subs = set(students_subgroups(data, [c.one("Students")]))
            if c.weight >= 100:
                for s in subs:
                    subgroup_na[s] |= slots
            aids = sorted({a.id for s in subs for a in by_subgroup.get(s, [])})
            rule_starts(c, aids, lambda a, s, slots=slots, subs=subs:
                        len(set(span(a, s)) & slots) * len(subs & set(subgroups[a.id])), cost_per=True)
        elif k == "ConstraintActivityPreferredStartingTime":
            ok = {data.day_index(c.one("Preferred_Day")) * H + data.hour_index(c.one("Preferred_Hour"))}
            rule_starts(c, constraint_activities(data, c), lambda a, s, ok=ok: s not in ok)
        elif k in ("ConstraintActivityPreferredStartingTimes", "ConstraintActivitiesPreferredStartingTimes"):
            ok = {d * H + h for d, h in (data.slot(d, h) for d, h in c.times(
                "Preferred_Starting_Time", "Preferred_Starting_Day", "Preferred_Starting_Hour"))}
            aids = (constraint_activities(data, c) if k.startswith("ConstraintActivity")
                    else [a.id for a in filtered_activities(data, c)])
            rule_starts(c, aids, lambda a, s, ok=ok: s not in ok)
        elif k in ("ConstraintActivityPreferredTimeSlots", "ConstraintActivitiesPreferredTimeSlots",
                   "ConstraintSubactivitiesPreferredTimeSlots"):
            ok = {data.slot(d, h) for d, h in c.times("Preferred_Time_Slot", "Preferred_Day", "Preferred_Hour")}
            aids = (constraint_activities(data, c) if k.startswith("ConstraintActivity")
                    else [a.id for a in filtered_activities(data, c)])
            rule_starts(c, aids, lambda a, s, ok=ok: not set(span(a, s)) <= ok)

    # ---- rooms
    room_na: dict[str, set[tuple[int, int]]] = defaultdict(set)
    room_na_label: dict[str, list[str]] = defaultdict(list)
    for c in live:
        if c.kind == "ConstraintRoomNotAvailableTimes":
            room_na[c.one("Room")] |= {data.slot(d, h) for d, h in c.times("Not_Available_Time", "Day", "Hour")}
            room_na_label[c.one("Room")].append(c.label)

    # ---- items
    items = []
    allowed_starts: dict[int, list[int]] = {}
    for a in acts:
        banned = set() if diagnose else {s for f in forbid.values() for s in f.get(a.id, ())}
        ok_starts = [s for s in starts[a.id] if s not in banned]
        allowed_starts[a.id] = ok_starts
        opts = []
        for s in ok_starts:
            slots = span(a, s)
            if rooms[a.id] is None:
                opts.append(Option(len(opts), s, slots))
                continue
            for r in rooms[a.id]:
                if not diagnose and room_na.get(r) and set(slots) & room_na[r]:
                    continue
                opts.append(Option(len(opts), s, slots, room=r))
        items.append(Item(str(a.id), opts, resources=(), optional=presence, count=len(members[index[a.id]])))
    # clash resources: teachers, and subgroups (those with identical activities share one)
    canon: dict[tuple, str] = {}
    res_of: dict[int, list] = defaultdict(list)
    for s, alist in sorted(by_subgroup.items()):
        key = tuple(sorted(a.id for a in alist))
        if key not in canon:
            canon[key] = s
            for a in alist:
                res_of[rep[a.id]].append(("S", s))
    for t, alist in by_teacher.items():
        for a in alist:
            res_of[rep[a.id]].append(("T", t))
    for i, a in enumerate(acts):
        items[i].resources = tuple(dict.fromkeys(res_of[a.id]))  # (copies add theirs again)
    core = Placement(m, items).build()

    # implied (not in diagnose mode, where breaks and not-available hours may be relaxed): a
    # teacher or subgroup whose hours fill every hour it can work holds exactly one activity in
    # each of them — strong propagation for the tightly packed classes of real schools
    placed: dict[int, cp_model.IntVar] = {}
    if presence:  # activity i is placed iff its literal holds (for cores of fixed-day subproblems)
        for i, a in enumerate(acts):
            placed[a.id] = m.new_bool_var(f"a{a.id}")
            m.add(sum(core.x[i].values()) == placed[a.id])
    tight = 0
    if not diagnose and not presence:
        seen_tight: set[tuple] = set()
        for table, na in ((by_subgroup, subgroup_na), (by_teacher, teacher_na)):
            for r, alist in table.items():
                free = breaks | na.get(r, set())
                key = (tuple(sorted(a.id for a in alist)), frozenset(free))
                if key in seen_tight:
                    continue
                seen_tight.add(key)
                avail = [(d, h) for d in range(D) for h in range(H) if (d, h) not in free]
                if sum(a.duration for a in alist) != len(avail):
                    continue
                tight += 1
                for slot in avail:
                    m.add_exactly_one([core.x[i][p] for i in items_of(alist) for p in core.patterns_at(i, slot)])
                if day_sums:
                    for d in range(D):
                        hours = sum(1 for s in avail if s[0] == d)
                        m.add(sum(acts[i].duration * v for i in items_of(alist) for s, v in core.x[i].items()
                                  if s // H == d) == hours)

    if diagnose:
        for label, per in forbid.items():
            c = label_of[label]
            bad = [core.x[index[aid]][s] for aid, ss in per.items() for s in ss if s in core.x[index[aid]]]
            if bad:
                enforce(m.add(sum(bad) == 0), c)
        for r, slots in room_na.items():
            v = None
            if diagnose:
                name = "RoomNotAvailable:" + "+".join(room_na_label[r])
                v = groups.setdefault(name, m.new_bool_var(name))
            bad = [core.z[i][o.index] for i, it in enumerate(items) for o in it.options
                   if o.room == r and set(o.slots) & slots]
            if bad:
                m.add(sum(bad) == 0).only_enforce_if(v)

    objective: list[tuple[int, object, str]] = []
    for aid, costs in start_cost.items():  # (costs are kept for an item's first activity only)
        i = index[aid]
        for s, w in costs.items():
            if s in core.x[i]:
                objective.append((w, core.x[i][s], start_kind[aid][s]))

    def on_day(i: int, d: int):
        return sum(v for s, v in core.x[i].items() if s // H == d)

    def busy(alist: list[Activity], d: int, h: int):
        return sum(core.at(i, (d, h)) for i in items_of(alist))

    # ---- min days between activities (and consecutive if same day)
    for c in live:
        if c.kind != "ConstraintMinDaysBetweenActivities":
            continue
        ids = list(dict.fromkeys(constraint_activities(data, c)))
        if len(ids) < 2:
            continue
        idx = list(dict.fromkeys(index[x] for x in ids))
        objective += min_days(m, c, idx, on_day, D, enforce, harden, n_acts=len(ids))
        consecutive = (c.one("Consecutive_If_Same_Day", "false") or "").strip() == "true"
        if consecutive and c.weight < 100:
            # two of them on one day are adjacent (an item with copies: two of its own as well)
            pairs = [(a, b) for p, a in enumerate(idx) for b in idx[p + 1:]]
            pairs += [(a, a) for a in idx if items[a].count > 1]
            for a, b in pairs:
                da, db = acts[a].duration, acts[b].duration
                for s, xa in core.x[a].items():
                    d, h = divmod(s, H)
                    ok = {d * H + h + da, d * H + h - db} | ({s} if a == b else set())
                    bad = [xb for sb, xb in core.x[b].items() if sb // H == d and sb not in ok]
                    if bad and items[b].count == 1:  # (b has one start: sum(bad) <= 1 anyway)
                        enforce(m.add(xa + sum(bad) <= 1), c)
                    elif bad:  # two copies of b may both be elsewhere on the day: an implication
                        enforce(m.add(sum(bad) == 0).only_enforce_if(xa), c)

    # ---- symmetry: interchangeable activities (the lessons of one split activity, alike in every
    # attribute and constraint) take their starts in id order (not in diagnose mode)
    n_sym = 0
    if not diagnose and symmetry:
        for ids in alike:
            if len(members[index[ids[0]]]) > 1:
                continue  # merged into one item: no permutations left to cut
            for a, b in itertools.pairwise(ids):
                ia, ib = index[a], index[b]
                m.add(sum(s * v for s, v in core.x[ia].items()) <= sum(s * v for s, v in core.x[ib].items()))
                n_sym += 1

    # ---- same starting time, not overlapping
    for c in live:
        if c.kind == "ConstraintActivitiesSameStartingTime":
            idx = list(dict.fromkeys(index[x] for x in constraint_activities(data, c)))
            for a, b in itertools.pairwise(idx):
                for s in set(core.x[a]) | set(core.x[b]):
                    va = core.x[a].get(s, 0)
                    vb = core.x[b].get(s, 0)
                    enforce(m.add(va == vb), c)
        elif c.kind == "ConstraintActivitiesNotOverlapping":
            idx = list(dict.fromkeys(index[x] for x in constraint_activities(data, c)))
            if len(idx) > 1:
                for d in range(D):
                    for h in range(H):
                        terms = [core.at(i, (d, h)) for i in idx if core.patterns_at(i, (d, h))]
                        if len(terms) > 1:
                            enforce(m.add(sum(terms) <= 1), c)

    # ---- teachers: max gaps per day/week, max hours daily, max days per week, min hours daily
    def teachers_of(c: Constraint) -> list[str]:
        name = c.one("Teacher_Name")
        return [name] if c.kind.startswith("ConstraintTeacher") and name is not None else list(data.teachers)

    def gap_terms(alist, d, free_slots, cons):
        """Gap literals of one resource on one day (breaks and not-available hours are not gaps)."""
        avail = [h for h in range(H) if (d, h) not in free_slots]
        b = [busy(alist, d, h) for h in avail]
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

    def work_day(alist, d):
        w = m.new_bool_var("")
        for h in range(H):
            e = busy(alist, d, h)
            if not isinstance(e, int):
                m.add(w >= e)
        return w

    for c in live:
        k = c.kind
        if k in ("ConstraintTeacherMaxGapsPerDay", "ConstraintTeachersMaxGapsPerDay",
                 "ConstraintTeacherMaxGapsPerWeek", "ConstraintTeachersMaxGapsPerWeek"):
            mg = int(c.one("Max_Gaps").strip())
            for t in teachers_of(c):
                alist = by_teacher.get(t, [])
                if not alist:
                    continue
                free = breaks | teacher_na.get(t, set())
                week = []
                for d in range(D):
                    g = gap_terms(alist, d, free, c)
                    if "PerDay" in k and len(g) > mg:
                        enforce(m.add(sum(g) <= mg), c)
                    week += g
                if "PerWeek" in k and len(week) > mg:
                    enforce(m.add(sum(week) <= mg), c)
        elif k in ("ConstraintTeacherMaxHoursDaily", "ConstraintTeachersMaxHoursDaily"):
            mh = int(c.one("Maximum_Hours_Daily").strip())
            for t in teachers_of(c):
                alist = by_teacher.get(t, [])
                for d in range(D):
                    if alist:
                        enforce(m.add(sum(busy(alist, d, h) for h in range(H)) <= mh), c)
        elif k in ("ConstraintTeacherMaxDaysPerWeek", "ConstraintTeachersMaxDaysPerWeek"):
            md = int(c.one("Max_Days_Per_Week").strip())
            for t in teachers_of(c):
                alist = by_teacher.get(t, [])
                if alist:
                    enforce(m.add(sum(work_day(alist, d) for d in range(D)) <= md), c)
        elif k in ("ConstraintTeacherMinHoursDaily", "ConstraintTeachersMinHoursDaily"):
            mh = int(c.one("Minimum_Hours_Daily").strip())
            empty_ok = (c.one("Allow_Empty_Days", "false") or "").strip() == "true"
            for t in teachers_of(c):
                alist = by_teacher.get(t, [])
                if not alist:
                    continue
                for d in range(D):
                    hours = sum(busy(alist, d, h) for h in range(H))
                    if empty_ok:
                        enforce(m.add(hours >= mh * work_day(alist, d)), c)
                    else:
                        enforce(m.add(hours >= mh), c)

    # ---- students: max gaps per week, early max beginnings at second hour (per subgroup)
    for c in live:
        k = c.kind
        if k not in ("ConstraintStudentsMaxGapsPerWeek", "ConstraintStudentsSetMaxGapsPerWeek",
                     "ConstraintStudentsEarlyMaxBeginningsAtSecondHour",
                     "ConstraintStudentsSetEarlyMaxBeginningsAtSecondHour"):
            continue
        subs = (students_subgroups(data, [c.one("Students")]) if "StudentsSet" in k else sorted(by_subgroup))
        seen: set[tuple] = set()
        for s in subs:
            alist = by_subgroup.get(s, [])
            if not alist:
                continue
            free = breaks | subgroup_na.get(s, set())
            key = (tuple(sorted(a.id for a in alist)), frozenset(free))
            if key in seen:
                continue  # an identical subgroup is constrained already
            seen.add(key)
            if "Gaps" in k:
                mg = int(c.one("Max_Gaps").strip())
                week = [g for d in range(D) for g in gap_terms(alist, d, free, c)]
                if len(week) > mg:
                    enforce(m.add(sum(week) <= mg), c)
            else:
                mb = int(c.one("Max_Beginnings_At_Second_Hour").strip())
                late = []
                for d in range(D):
                    avail = [h for h in range(H) if (d, h) not in free]
                    if not avail:
                        continue
                    occ = work_day(alist, d)
                    b0 = busy(alist, d, avail[0])
                    b1 = busy(alist, d, avail[1]) if len(avail) > 1 else 0
                    enforce(m.add(b0 + b1 >= occ), c)
                    lt = m.new_bool_var("")
                    m.add(lt >= occ - b0)
                    late.append(lt)
                if len(late) > mb:
                    enforce(m.add(sum(late) <= mb), c)

    stats = {"activities": len(all_acts), "items": len(acts), "days": D, "hours": H,
             "patterns": sum(len(core.x[i]) for i in range(len(acts))),
             "options": sum(len(it.options) for it in items),
             "resources": len({r for it in items for r in it.resources}),
             "rooms_used": sum(1 for a in acts if rooms[a.id] is not None), "tight_resources": tight, "symmetry_orderings": n_sym}
    return Model(data, m, core, acts, objective, groups, stats, placed, members)
