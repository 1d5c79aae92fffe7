"""The objective, in the priority order of issue 3 (configurable weights, small integers so that
every weighted sum stays far below 2^31, ortools issue #5293):

(a) students placed in at least one course they chose — `any_choice` per student;
(b) rank-weighted preferences — `ranks[r-1]` per placement at rank r (first choices first);
(c) term cost, (d) the highest teacher load, (e) homework groups with a teacher of their class —
    in the staffing model (`solver/model/staffing.py`), solved after (a) and (b) are fixed.
With a previous plan, changes (students moved, sessions moved, staff changed) come first.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Weights:
    any_choice: int = 40
    ranks: tuple[int, ...] = (30, 10, 4, 2, 1)
    # staffing model, lexicographic: cost, then max load, then class teachers for homework
    class_teacher: int = 1
    max_load: int = 0  # 0: (d) is solved after (c) lexicographically rather than weighted

    def rank(self, r: int) -> int:
        return self.ranks[min(r, len(self.ranks)) - 1]


DEFAULT = Weights()


@dataclass
class Score:
    """The preference objective of a sectioning solution, split by term."""

    any_choice: int = 0
    rank_points: int = 0
    changes: int = 0
    detail: dict = field(default_factory=dict)


def preference_terms(data, variables, weights: Weights):
    """Linear objective (a) + (b) to maximise."""
    terms = []
    for lit in variables.any_elective.values():
        terms.append(weights.any_choice * lit)
    for (s_id, i), y in variables.seat.items():
        sec = data.sections[i]
        if sec.kind != "elective":
            continue
        kept = data.loaded.kept_choices[s_id]
        terms.append(weights.rank(kept.index(sec.course.id) + 1) * y)
    return sum(terms)


def preference_ceiling(data, variables, weights: Weights) -> int:
    """An upper bound on the preference objective (for lexicographic weights above it)."""
    total = 0
    for s_id in variables.any_elective:
        wants = data.loaded.student[s_id].electives_per_week
        total += weights.any_choice + weights.rank(1) * max(1, wants)
    return total


def plan_score(loaded, activities, weights: Weights) -> int:
    """The preference objective (a) + (b) of a plan's activities."""
    placed: dict[str, set[str]] = {}
    for a in activities:
        if a.kind == "elective":
            for s in a.students:
                placed.setdefault(s, set()).add(a.course)
    total = 0
    for s, courses in placed.items():
        kept = loaded.kept_choices.get(s, [])
        ranks = [kept.index(c) + 1 for c in courses if c in kept]
        if ranks:
            total += weights.any_choice + sum(weights.rank(r) for r in ranks)
    return total
