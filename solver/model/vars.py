"""The decision variables of the sectioning model, created lazily and only where allowed."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from solver.model.data import Problem, SectionSpec, Slot

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
    z: dict[int, dict[int, Var]] = field(default_factory=dict)
    x: dict[int, dict[int, Var]] = field(default_factory=dict)  # x[sec][pattern] = Σ z over its rooms
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
    # constraints a rule module names, so an infeasible model can say which ones conflict
    named: dict[str, list] = field(default_factory=lambda: defaultdict(list))
    groups: dict[tuple[Slot, int | None], Var] = field(default_factory=dict)

    @property
    def sections(self) -> list[SectionSpec]:
        return self.P.sections

    def open(self, i: int):
        return sum(self.x[i].values())

    def patterns_at(self, i: int, t: Slot) -> list[int]:
        return self._patterns_at[i].get(t, [])

    def at(self, i: int, t: Slot):
        """1 if section i meets in slot t (a short linear expression over its patterns)."""
        return sum(self.x[i][pat] for pat in self.patterns_at(i, t))

    def index_patterns(self) -> None:
        self._patterns_at: dict[int, dict[Slot, list[int]]] = {}
        self.pattern_slots: dict[int, dict[int, tuple]] = {}
        for i, sec in enumerate(self.sections):
            at: dict[Slot, set[int]] = defaultdict(set)
            slots: dict[int, tuple] = {}
            for o in sec.options:
                slots[o.pattern] = o.slots
                for t in o.slots:
                    at[t].add(o.pattern)
            self._patterns_at[i] = {t: sorted(p) for t, p in at.items()}
            self.pattern_slots[i] = slots

    def slots_of(self, i: int) -> list[Slot]:
        """Every slot section i could meet in, in a fixed order (models are built the same way
        in every process, so one worker gives the same plan every time)."""
        L = self.P.L
        found = {t for o in self.sections[i].options for t in o.slots}
        return sorted(found, key=lambda t: (L.days.index(t[0]), L.period_index[t[1]]))

    def size(self, i: int):
        return sum(self.y[(s, i)] for s in self.y_by_section[i])
