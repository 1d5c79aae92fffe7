"""The decision variables of the sectioning model, created lazily and only where allowed."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from models.common import SlotKey
from solver.model.data import ProblemData, SectionSpec
from solver.placement.core import Placement

Var = cp_model.IntVar


@dataclass
class SectionVars:
    """The sectioning model's variables, by what they mean.

    option[sec][o]: the section runs option o (pattern × room); pattern[sec][pat]: it runs that
    weekly pattern; seat[(student, sec)]: the student sits in the section; serves[(sec, staff)]: the
    person serves the section; serves_in[(sec, staff, slot)] ≥ serves ∧ at(sec, slot);
    sits_in[(student, sec, slot)] ≥ seat ∧ at(sec, slot) (for students with more than one activity a
    week); grade_size[(sec, pattern, grade)]: its students of that grade if it runs that pattern;
    groups[(slot, grade)]: supervision groups needed (grade None after the basic block, where groups
    mix grades); any_elective[student]: the student has at least one elective."""

    data: ProblemData
    model: cp_model.CpModel
    # option and pattern literals live here (r21_rooms sets it first): read through `placement`
    _placement: Placement | None = field(default=None, init=False)
    open_lit: dict[int, Var] = field(default_factory=dict)
    seat: dict[tuple[str, int], Var] = field(default_factory=dict)
    sections_of: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    students_of: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    serves: dict[tuple[int, str], Var] = field(default_factory=dict)
    serves_in: dict[tuple[int, str, SlotKey], Var] = field(default_factory=dict)
    sits_in: dict[tuple[str, int, SlotKey], Var] = field(default_factory=dict)
    grade_size: dict[tuple[int, int, int], Var] = field(default_factory=dict)
    any_elective: dict[str, Var] = field(default_factory=dict)
    clash: dict[tuple[int, int], Var | None] = field(default_factory=dict)
    budget_slack: float = 0.0  # R20: yuan the term's pay must stay below the limit by (staffing's overshoot)
    group_pay: tuple | None = None  # (variable, value(counts)) when the budget is bounded
    # constraints a rule module names, so an infeasible model can say which ones conflict
    named: dict[str, list] = field(default_factory=lambda: defaultdict(list))
    groups: dict[tuple[SlotKey, int | None], Var] = field(default_factory=dict)

    @property
    def placement(self) -> Placement:
        assert self._placement is not None, "r21_rooms.build places the sections first"
        return self._placement

    @placement.setter
    def placement(self, placement: Placement) -> None:
        self._placement = placement

    @property
    def sections(self) -> list[SectionSpec]:
        return self.data.sections

    @property
    def option(self) -> dict[int, dict[int, Var]]:
        return self.placement.z

    @property
    def pattern(self) -> dict[int, dict[int, Var]]:
        """pattern[sec][pat]: the section runs that pattern (Σ option over its rooms)."""
        return self.placement.x

    @property
    def pattern_slots(self) -> dict[int, dict[int, tuple]]:
        return self.placement.pattern_slots

    def open(self, i: int):
        return self.placement.open(i)

    def at(self, i: int, t: SlotKey):
        """1 if section i meets in slot t (a short linear expression over its patterns)."""
        return self.placement.at(i, t)

    def slots_of(self, i: int) -> list[SlotKey]:
        """Every slot section i could meet in, in a fixed order (models are built the same way
        in every process, so one worker gives the same plan every time)."""
        loaded = self.data.loaded
        found = {t for o in self.sections[i].options for t in o.slots}
        return sorted(found, key=lambda t: (loaded.days.index(t[0]), loaded.period_index[t[1]]))

    def size(self, i: int):
        return sum(self.seat[(s, i)] for s in self.students_of[i])
