"""R10/R11 (sessions and slots): which sections of each elective and tutoring course open, and
in which option (weekly pattern of sessions and room) each runs (the options themselves are
items of the placement core, `r21_rooms.build`); sizes within min_size and capacity (R11, R21);
sections of one course are interchangeable, so they open in order."""

from __future__ import annotations

import itertools

from ortools.sat.python import cp_model

from solver.model.data import ProblemData
from solver.model.vars import SectionVars


def build(data: ProblemData, model: cp_model.CpModel, variables: SectionVars) -> None:
    """Sections of one course are interchangeable (after `r21_rooms.build` made them items)."""
    # symmetry: section k+1 of a course opens only if section k does, at a pattern not earlier
    by_course: dict[str, list[int]] = {}
    for i, sec in enumerate(data.sections):
        by_course.setdefault(sec.course.id, []).append(i)
    for idxs in by_course.values():
        for a, b in itertools.pairwise(idxs):
            model.add(variables.open(a) >= variables.open(b))
            pat_a = sum(pat * var for pat, var in variables.pattern[a].items())
            pat_b = sum(pat * var for pat, var in variables.pattern[b].items())
            model.add(pat_a <= pat_b).only_enforce_if(_open_lit(model, variables, b))


def _open_lit(model: cp_model.CpModel, variables: SectionVars, i: int):
    lit = model.new_bool_var(f"open[{i}]")
    model.add(variables.open(i) == lit)
    variables.open_lit[i] = lit
    return lit


def build_sizes(data: ProblemData, model: cp_model.CpModel, variables: SectionVars) -> None:
    """At least min_size to run (R11); at most the option's capacity (course, room, R21)."""
    for i, sec in enumerate(data.sections):
        size = variables.size(i)
        model.add(size <= sum(sec.options[o].cap * var for o, var in variables.option[i].items()))
        if sec.course.min_size > 0:
            model.add(size >= sec.course.min_size * variables.open(i))
