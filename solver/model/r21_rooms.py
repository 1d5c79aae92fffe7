"""R21 (and R14 through the options): a room holds one group at a time; a pool of alike spare
rooms holds as many sections at once as it has rooms open in that slot. The sections become
optional items of the placement core (`solver/placement/core.py`), which creates their option and
pattern literals and the clash constraints; this module says how many rooms of a pool are open."""

from __future__ import annotations

from ortools.sat.python import cp_model

from models.common import SlotKey
from solver.model.data import ProblemData
from solver.model.vars import SectionVars
from solver.placement.core import Item, Placement


def build(data: ProblemData, model: cp_model.CpModel, variables: SectionVars) -> None:
    """Every section as an optional item: one option (pattern × room or pool) at most, rooms unshared."""
    items = [Item(sec.name, sec.options, optional=True) for sec in data.sections]
    variables.placement = Placement(model, items).build(pool_size=pool_size(data))


def pool_size(data: ProblemData):
    def size(pool, t: SlotKey) -> int:
        return sum(1 for r in data.pools[pool] if t not in {(u.day, u.period) for u in data.loaded.room[r].unavailable})

    return size
