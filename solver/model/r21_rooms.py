"""R21 (and R14 through the options): a room holds one group at a time; a pool of alike spare
rooms holds as many sections at once as it has rooms open in that slot. The placement core
(`solver/placement/core.py`) builds these clash constraints; this module says how many rooms of a
pool are open in a slot."""

from __future__ import annotations

from solver.model.data import ProblemData, Slot


def pool_size(data: ProblemData):
    def size(pool, t: Slot) -> int:
        return sum(1 for r in data.pools[pool] if t not in {(u.day, u.period) for u in data.loaded.room[r].unavailable})

    return size
