"""R21 (and R14 through the options): a room holds one group at a time; a pool of alike spare
rooms holds as many sections at once as it has rooms open in that slot."""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from solver.model.data import Problem
from solver.model.vars import SectionVars


def build(P: Problem, m: cp_model.CpModel, V: SectionVars) -> None:
    by_room: dict[tuple[str, tuple], list] = defaultdict(list)
    by_pool: dict[tuple[tuple, tuple], list] = defaultdict(list)
    for i, sec in enumerate(P.sections):
        for o, var in V.z[i].items():
            opt = sec.options[o]
            for t in opt.slots:
                if opt.room is not None:
                    by_room[(opt.room, t)].append(var)
                else:
                    by_pool[(opt.pool, t)].append(var)
    for lits in by_room.values():
        if len(lits) > 1:
            m.add_at_most_one(lits)
    for (pool, t), lits in by_pool.items():
        open_rooms = [r for r in P.pools[pool]
                      if t not in {(u.day, u.period) for u in P.L.room[r].unavailable}]
        if len(lits) > len(open_rooms):
            m.add(sum(lits) <= len(open_rooms))
