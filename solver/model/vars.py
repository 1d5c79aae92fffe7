"""The decision variables of the sectioning model, created lazily and only where allowed."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from solver.model.data import Problem, SectionSpec, Slot
from solver.placement.core import Placement

Var = cp_model.IntVar


@dataclass
class SectionVars:
    """z[sec][o]: section runs option o; y[(s, sec)]: student sits in section; w[(sec, p)]: staff
    serves section; v[(sec, p, t)] ≥ w ∧ at(sec, t); q[(s, sec, t)] ≥ y ∧ at(sec, t) (for students
    with more than one activity a week); sz[(sec, pattern, grade)]: its students of that grade if it
    runs that pattern; groups[(slot, grade)]: supervision groups needed (grade None after the basic
    block, where groups mix grades)."""

    P: Problem
    model: cp_model.CpModel
    placement: Placement | None = None  # z (option) and x (pattern) literals live here
    open_lit: dict[int, Var] = field(default_factory=dict)
    y: dict[tuple[str, int], Var] = field(default_factory=dict)
    y_by_student: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    y_by_section: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    w: dict[tuple[int, str], Var] = field(default_factory=dict)
    v: dict[tuple[int, str, Slot], Var] = field(default_factory=dict)
    q: dict[tuple[str, int, Slot], Var] = field(default_factory=dict)
    sz: dict[tuple[int, int, int], Var] = field(default_factory=dict)
    any: dict[str, Var] = field(default_factory=dict)
    clash: dict[tuple[int, int], Var | None] = field(default_factory=dict)
    group_pay: tuple | None = None  # (variable, value(counts)) when the budget is bounded
    # constraints a rule module names, so an infeasible model can say which ones conflict
    named: dict[str, list] = field(default_factory=lambda: defaultdict(list))
    groups: dict[tuple[Slot, int | None], Var] = field(default_factory=dict)

    @property
    def sections(self) -> list[SectionSpec]:
        return self.P.sections

    @property
    def z(self) -> dict[int, dict[int, Var]]:
        return self.placement.z

    @property
    def x(self) -> dict[int, dict[int, Var]]:
        """x[sec][pattern]: the section runs that pattern (Σ z over its rooms)."""
        return self.placement.x

    @property
    def pattern_slots(self) -> dict[int, dict[int, tuple]]:
        return self.placement.pattern_slots

    def open(self, i: int):
        return self.placement.open(i)

    def at(self, i: int, t: Slot):
        """1 if section i meets in slot t (a short linear expression over its patterns)."""
        return self.placement.at(i, t)

    def slots_of(self, i: int) -> list[Slot]:
        """Every slot section i could meet in, in a fixed order (models are built the same way
        in every process, so one worker gives the same plan every time)."""
        L = self.P.L
        found = {t for o in self.sections[i].options for t in o.slots}
        return sorted(found, key=lambda t: (L.days.index(t[0]), L.period_index[t[1]]))

    def size(self, i: int):
        return sum(self.y[(s, i)] for s in self.y_by_section[i])
