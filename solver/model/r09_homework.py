"""R9 for junior (and senior) students, as written: "junior students get homework guidance offered
daily". The model lets a junior student spend every basic period in clubs (`Problem.allowance`);
what the rule asks is that each junior class has its homework group on each day its students
attend, i.e. at least one of the class's (student, basic period) pairs that day is left to
homework. That binds only when a whole class is in clubs all afternoon, so it is kept after the
sectioning solve rather than in the model: the cheapest student to move back is moved (the
checker, `solver/check/rules.py` r09_homework, verifies it independently)."""

from __future__ import annotations

from collections import defaultdict

from models.load import Loaded
from solver.model.sectioning import OpenSection


def offer_junior_homework(loaded: Loaded, sections: list[OpenSection]) -> list[OpenSection]:
    basic = {p.id for p in loaded.periods if p.kind == "basic"}
    taken: dict[tuple[str, str], int] = defaultdict(int)  # (class, day) -> (student, basic period) pairs in sections
    where: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
    for i, sec in enumerate(sections):
        for s in sec.students:
            st = loaded.student[s]
            if loaded.grade(st) <= 6:
                continue
            for d, p in sec.option.slots:
                if p in basic:
                    taken[(st.class_, d)] += 1
                    where[(st.class_, d)].append((i, s))
    free: dict[tuple[str, str], int] = defaultdict(int)
    for st in loaded.instance.students:
        if loaded.grade(st) > 6:
            for d, p in loaded.registered[st.id]:
                if p in basic:
                    free[(st.class_, d)] += 1
    out = [OpenSection(sec.spec, sec.option, list(sec.students), list(sec.staff)) for sec in sections]
    for key, n in sorted(taken.items()):
        if n < free[key]:
            continue
        # move one pupil back: from an elective section that stays at or above its minimum (never
        # from tutoring: R10 is hard), the fullest first
        movable = [
            (i, s)
            for i, s in where[key]
            if out[i].spec.kind == "elective"
            and len(out[i].students) > out[i].spec.course.min_size
            and s in out[i].students
        ]
        movable.sort(key=lambda t: (-len(out[t[0]].students), t[1]))
        if movable:
            i, s = movable[0]
            out[i].students.remove(s)
    return out
