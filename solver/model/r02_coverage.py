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
from solver.model.data import ProblemData
from solver.model.vars import SectionVars


def wants(data: ProblemData, s: Student, i: int) -> bool:
    sec = data.sections[i]
    c = sec.course
    if sec.kind == "elective":
        return c.id in data.loaded.kept_choices[s.id]
    return (
        c.subject in s.tutoring
        and (s.id, c.subject) not in data.loaded.unmet_tutoring
        and data.loaded.grade(s) in c.grades
        and (c.level != "advanced" or s.advanced)
    )


def build(data: ProblemData, model: cp_model.CpModel, variables: SectionVars) -> None:
    by_course: dict[str, list[int]] = defaultdict(list)
    for i, sec in enumerate(data.sections):
        by_course[sec.course.id].append(i)
    fit_cache: dict[tuple[str, tuple], bool] = {}
    tutoring_by_subject: dict[str | None, list[int]] = defaultdict(list)
    for i, sec in enumerate(data.sections):
        if sec.kind == "tutoring":
            tutoring_by_subject[sec.course.subject].append(i)
    for s in data.active_students:
        # only sections of courses the student chose or needs (in index order: models are built
        # the same way every time)
        mine = {i for cid in data.loaded.kept_choices[s.id] for i in by_course.get(cid, ())}
        mine.update(i for subject in s.tutoring for i in tutoring_by_subject.get(subject, ()))
        for i in sorted(mine):
            sec = data.sections[i]
            if not wants(data, s, i):
                continue
            ok = []
            for pat, slots in variables.pattern_slots[i].items():
                key = (s.id, slots)
                if key not in fit_cache:
                    fit_cache[key] = data.fits(s, slots)
                if fit_cache[key]:
                    ok.append(variables.pattern[i][pat])
            if not ok:
                continue
            y = model.new_bool_var(f"y[{s.id},{sec.name}]")
            variables.seat[(s.id, i)] = y
            variables.sections_of[s.id].append(i)
            variables.students_of[i].append(s.id)
            if len(ok) < len(variables.pattern[i]):
                model.add(y <= sum(ok))
            else:
                model.add(y <= variables.open(i))
    need = data.loaded.policy.tutoring_sessions_per_week
    for s in data.active_students:
        seated = variables.sections_of.get(s.id, [])
        per_course: dict[str, list] = defaultdict(list)
        for i in seated:
            per_course[data.sections[i].course.id].append(variables.seat[(s.id, i)])
        for lits in per_course.values():
            if len(lits) > 1:
                model.add_at_most_one(lits)
        electives = [variables.seat[(s.id, i)] for i in seated if data.sections[i].kind == "elective"]
        if len(electives) > s.electives_per_week:
            model.add(sum(electives) <= s.electives_per_week)
        if need > 0:
            for subject in dict.fromkeys(s.tutoring):
                if (s.id, subject) in data.loaded.unmet_tutoring:
                    continue
                got = [
                    data.sections[i].course.sessions_per_week * variables.seat[(s.id, i)]
                    for i in seated
                    if data.sections[i].kind == "tutoring" and data.sections[i].course.subject == subject
                ]
                ct = model.add(sum(got) >= need)  # an empty sum makes the model infeasible: diagnosed first
                variables.named[f"R10|{s.id}|{subject}"].append(ct)
        electives_max = min(
            s.electives_per_week,
            len({data.sections[i].course.id for i in seated if data.sections[i].kind == "elective"}),
        )
        tutoring_max = len({data.sections[i].course.id for i in seated if data.sections[i].kind == "tutoring"})
        if electives_max + tutoring_max > 1:
            _no_clash(data, model, variables, s, seated)
        if electives:
            variables.any_elective[s.id] = model.new_bool_var(f"any[{s.id}]")
            model.add(variables.any_elective[s.id] <= sum(electives))


def _meets(variables: SectionVars, i: int, d: str):
    return sum(
        variables.pattern[i][pat] for pat, slots in variables.pattern_slots[i].items() if any(t[0] == d for t in slots)
    )


def _day_clash(data: ProblemData, model: cp_model.CpModel, variables: SectionVars, i: int, j: int):
    """Shared by all students: 1 if sections i and j meet on a common day (a lower bound)."""
    key = (min(i, j), max(i, j))
    if key not in variables.clash:
        days_i = {t[0] for slots in variables.pattern_slots[i].values() for t in slots}
        days_j = {t[0] for slots in variables.pattern_slots[j].values() for t in slots}
        common = days_i & days_j
        if not common:
            variables.clash[key] = None
            return None
        c = model.new_bool_var(f"clash[{key}]")
        for d in sorted(common, key=data.loaded.days.index):
            model.add(c >= _meets(variables, i, d) + _meets(variables, j, d) - 1)
        variables.clash[key] = c
    return variables.clash[key]


def _no_clash(data: ProblemData, model: cp_model.CpModel, variables: SectionVars, s: Student, mine: list[int]) -> None:
    """One activity per slot; within each day's allowance of non-homework basic periods (R9).

    The common case — one-period sessions in basic periods, at most one such period a day — is a
    pair rule over shared day-clash literals: two sections meeting on a common day are not both
    taken. Otherwise each (section, slot) gets its own literal."""
    simple = all(
        data.sections[i].course.periods_per_session == 1
        and all(t[1] in data.basic for slots in variables.pattern_slots[i].values() for t in slots)
        for i in mine
    ) and all(data.allowance(s, d) <= 1 for d in data.loaded.days)
    if simple:
        for a, i in enumerate(mine):
            for j in mine[a + 1 :]:
                if data.sections[i].course.id == data.sections[j].course.id:
                    continue
                c = _day_clash(data, model, variables, i, j)
                if c is not None:
                    model.add(variables.seat[(s.id, i)] + variables.seat[(s.id, j)] + c <= 2)
        return
    per_slot: dict[tuple, list] = defaultdict(list)
    for i in mine:
        for t in variables.slots_of(i):
            if t not in data.loaded.registered[s.id]:
                continue
            q = model.new_bool_var(f"q[{s.id},{i},{t}]")
            model.add(q >= variables.seat[(s.id, i)] + variables.at(i, t) - 1)
            variables.sits_in[(s.id, i, t)] = q
            per_slot[t].append(q)
    per_day: dict[str, list] = defaultdict(list)
    for t, qs in per_slot.items():
        if len(qs) > 1:
            model.add_at_most_one(qs)
        if t[1] in data.basic:
            per_day[t[0]].extend(qs)
    for d, qs in per_day.items():
        allow = data.allowance(s, d)
        if len(qs) > allow:
            model.add(sum(qs) <= allow)
