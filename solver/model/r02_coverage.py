"""R2/R9/R10/R11 (coverage and groups, the students' side): who sits in which section.

A student sits only in sections of courses they chose (kept choices, R11) or, for tutoring,
need (R10), whose sessions fall in slots they registered for (R2) and leave each day's homework
time (R9); at most one section per course and `electives_per_week` electives; never two
activities in one slot. Flagged students get their tutoring sessions (R10, hard). Everyone not
in a section is supervised in homework, care or evening groups (built after this model)."""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from models.instance import Student
from solver.model.data import Problem
from solver.model.vars import SectionVars


def wants(P: Problem, s: Student, i: int) -> bool:
    sec = P.sections[i]
    c = sec.course
    if sec.kind == "elective":
        return c.id in P.L.kept_choices[s.id]
    return (c.subject in s.tutoring and (s.id, c.subject) not in P.L.unmet_tutoring
            and P.L.grade(s) in c.grades and (c.level != "advanced" or s.advanced))


def build(P: Problem, m: cp_model.CpModel, V: SectionVars) -> None:
    by_course: dict[str, list[int]] = defaultdict(list)
    for i, sec in enumerate(P.sections):
        by_course[sec.course.id].append(i)
    fit_cache: dict[tuple[str, tuple], bool] = {}
    tutoring_by_subject: dict[str, list[int]] = defaultdict(list)
    for i, sec in enumerate(P.sections):
        if sec.kind == "tutoring":
            tutoring_by_subject[sec.course.subject].append(i)
    for s in P.active_students:
        # only sections of courses the student chose or needs (in index order: models are built
        # the same way every time)
        mine = {i for cid in P.L.kept_choices[s.id] for i in by_course.get(cid, ())}
        mine.update(i for subject in s.tutoring for i in tutoring_by_subject.get(subject, ()))
        for i in sorted(mine):
            sec = P.sections[i]
            if not wants(P, s, i):
                continue
            ok = []
            for pat, slots in V.pattern_slots[i].items():
                key = (s.id, slots)
                if key not in fit_cache:
                    fit_cache[key] = P.fits(s, slots)
                if fit_cache[key]:
                    ok.append(V.x[i][pat])
            if not ok:
                continue
            y = m.new_bool_var(f"y[{s.id},{sec.name}]")
            V.y[(s.id, i)] = y
            V.y_by_student[s.id].append(i)
            V.y_by_section[i].append(s.id)
            if len(ok) < len(V.x[i]):
                m.add(y <= sum(ok))
            else:
                m.add(y <= V.open(i))
    need = P.L.policy.tutoring_sessions_per_week
    for s in P.active_students:
        mine = V.y_by_student.get(s.id, [])
        per_course: dict[str, list] = defaultdict(list)
        for i in mine:
            per_course[P.sections[i].course.id].append(V.y[(s.id, i)])
        for lits in per_course.values():
            if len(lits) > 1:
                m.add_at_most_one(lits)
        electives = [V.y[(s.id, i)] for i in mine if P.sections[i].kind == "elective"]
        if len(electives) > s.electives_per_week:
            m.add(sum(electives) <= s.electives_per_week)
        if need > 0:
            for subject in dict.fromkeys(s.tutoring):
                if (s.id, subject) in P.L.unmet_tutoring:
                    continue
                got = [P.sections[i].course.sessions_per_week * V.y[(s.id, i)] for i in mine
                       if P.sections[i].kind == "tutoring" and P.sections[i].course.subject == subject]
                ct = m.add(sum(got) >= need)  # an empty sum makes the model infeasible: diagnosed first
                V.named[f"R10|{s.id}|{subject}"].append(ct)
        electives_max = min(s.electives_per_week, len({P.sections[i].course.id for i in mine
                                                        if P.sections[i].kind == "elective"}))
        tutoring_max = len({P.sections[i].course.id for i in mine if P.sections[i].kind == "tutoring"})
        if electives_max + tutoring_max > 1:
            _no_clash(P, m, V, s, mine)
        if electives:
            V.any[s.id] = m.new_bool_var(f"any[{s.id}]")
            m.add(V.any[s.id] <= sum(electives))


def _meets(V: SectionVars, i: int, d: str):
    return sum(V.x[i][pat] for pat, slots in V.pattern_slots[i].items() if any(t[0] == d for t in slots))


def _day_clash(P: Problem, m: cp_model.CpModel, V: SectionVars, i: int, j: int):
    """Shared by all students: 1 if sections i and j meet on a common day (a lower bound)."""
    key = (min(i, j), max(i, j))
    if key not in V.clash:
        days_i = {t[0] for slots in V.pattern_slots[i].values() for t in slots}
        days_j = {t[0] for slots in V.pattern_slots[j].values() for t in slots}
        common = days_i & days_j
        if not common:
            V.clash[key] = None
            return None
        c = m.new_bool_var(f"clash[{key}]")
        for d in sorted(common, key=P.L.days.index):
            m.add(c >= _meets(V, i, d) + _meets(V, j, d) - 1)
        V.clash[key] = c
    return V.clash[key]


def _no_clash(P: Problem, m: cp_model.CpModel, V: SectionVars, s: Student, mine: list[int]) -> None:
    """One activity per slot; within each day's allowance of non-homework basic periods (R9).

    The common case — one-period sessions in basic periods, at most one such period a day — is a
    pair rule over shared day-clash literals: two sections meeting on a common day are not both
    taken. Otherwise each (section, slot) gets its own literal."""
    simple = all(P.sections[i].course.periods_per_session == 1 and all(
        t[1] in P.basic for slots in V.pattern_slots[i].values() for t in slots) for i in mine) and all(
        P.allowance(s, d) <= 1 for d in P.L.days)
    if simple:
        for a, i in enumerate(mine):
            for j in mine[a + 1:]:
                if P.sections[i].course.id == P.sections[j].course.id:
                    continue
                c = _day_clash(P, m, V, i, j)
                if c is not None:
                    m.add(V.y[(s.id, i)] + V.y[(s.id, j)] + c <= 2)
        return
    per_slot: dict[tuple, list] = defaultdict(list)
    for i in mine:
        for t in V.slots_of(i):
            if t not in P.L.registered[s.id]:
                continue
            q = m.new_bool_var(f"q[{s.id},{i},{t}]")
            m.add(q >= V.y[(s.id, i)] + V.at(i, t) - 1)
            V.q[(s.id, i, t)] = q
            per_slot[t].append(q)
    per_day: dict[str, list] = defaultdict(list)
    for t, qs in per_slot.items():
        if len(qs) > 1:
            m.add_at_most_one(qs)
        if t[1] in P.basic:
            per_day[t[0]].extend(qs)
    for d, qs in per_day.items():
        allow = P.allowance(s, d)
        if len(qs) > allow:
            m.add(sum(qs) <= allow)
