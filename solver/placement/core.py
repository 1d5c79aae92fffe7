"""The placement core: items into day × period slots and rooms, under clash and room rules.

Used by the after-school sectioning model (a section = an optional item whose patterns are its
weekly sessions) and by the peer benchmarks (a Timefold lesson, a FET activity = a required item;
interchangeable FET lessons = one item with a count), so both exercise the same code.

An item has patterns — each the tuple of slots it would occupy — and per pattern the rooms (or
pools of alike rooms) it may use. Variables: `x[item][pattern]` (the item runs that pattern) and
`z[item][option]` (that pattern in that room); `x` is the sum of its options' `z`. Fixed
resources (a teacher, a student group) never hold two items in one slot; a room holds one item
at a time; a pool of n alike rooms holds at most n.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

Slot = Hashable


@dataclass(frozen=True)
class Option:
    index: int
    pattern: int
    slots: tuple
    room: str | None = None  # an exact room (or None for a pool, or no room needed)
    pool: Hashable | None = None  # a pool of alike rooms, counted per slot


@dataclass
class Item:
    name: str
    options: Sequence[Option]  # read only: a subclass's options will do
    resources: Sequence[Hashable] = ()  # fixed: teachers, student groups
    optional: bool = False  # may stay unplaced (a section that does not open)
    count: int = 1  # identical copies (interchangeable lessons): this many patterns, all distinct


@dataclass
class Placement:
    model: cp_model.CpModel
    items: list[Item]
    pools: dict[Hashable, int] = field(default_factory=dict)  # pool -> rooms (per slot: see pool_size)
    z: dict[int, dict[int, cp_model.IntVar]] = field(default_factory=dict)
    x: dict[int, dict[int, cp_model.IntVar]] = field(default_factory=dict)

    def build(self, pool_size=None) -> Placement:
        """Create the variables and the clash constraints. `pool_size(pool, slot)` gives the
        rooms of a pool open in a slot (default: `pools[pool]`)."""
        m = self.model
        self._at: dict[int, dict[Slot, list[int]]] = {}
        self.pattern_slots: dict[int, dict[int, tuple]] = {}
        for i, item in enumerate(self.items):
            self.z[i] = {o.index: m.new_bool_var(f"z[{item.name},{o.index}]") for o in item.options}
            by_pattern: dict[int, list] = defaultdict(list)
            slots: dict[int, tuple] = {}
            at: dict[Slot, set[int]] = defaultdict(set)
            for o in item.options:
                by_pattern[o.pattern].append(self.z[i][o.index])
                slots[o.pattern] = o.slots
                for t in o.slots:
                    at[t].add(o.pattern)
            self.x[i] = {}
            for pat, lits in by_pattern.items():
                if len(lits) == 1:
                    self.x[i][pat] = lits[0]
                else:
                    self.x[i][pat] = m.new_bool_var(f"x[{item.name},{pat}]")
                    m.add(self.x[i][pat] == sum(lits))
            if item.count > 1:  # copies share their resources, so they never overlap in a slot
                n_open = sum(self.x[i].values())
                m.add(n_open <= item.count if item.optional else n_open == item.count)
            elif item.optional:
                m.add_at_most_one(self.x[i].values())
            else:
                m.add_exactly_one(self.x[i].values())
            self._at[i] = {t: sorted(p) for t, p in at.items()}
            self.pattern_slots[i] = slots
        self._clashes(pool_size)
        return self

    def _clashes(self, pool_size) -> None:
        m = self.model
        by_resource: dict[tuple, list] = defaultdict(list)
        by_room: dict[tuple, list] = defaultdict(list)
        by_pool: dict[tuple, list] = defaultdict(list)
        for i, item in enumerate(self.items):
            for pat, var in self.x[i].items():
                for t in self.pattern_slots[i][pat]:
                    for r in item.resources:
                        by_resource[(r, t)].append(var)
            for o in item.options:
                for t in o.slots:
                    if o.room is not None:
                        by_room[(o.room, t)].append(self.z[i][o.index])
                    elif o.pool is not None:
                        by_pool[(o.pool, t)].append(self.z[i][o.index])
        for lits in (*by_resource.values(), *by_room.values()):
            if len(lits) > 1:
                m.add_at_most_one(lits)
        for (pool, t), lits in by_pool.items():
            n = pool_size(pool, t) if pool_size else self.pools.get(pool, 0)
            if len(lits) > n:
                m.add(sum(lits) <= n)

    # ---- reading the model
    def open(self, i: int):
        return sum(self.x[i].values())

    def patterns_at(self, i: int, t: Slot) -> list[int]:
        return self._at[i].get(t, [])

    def at(self, i: int, t: Slot):
        """1 if item i occupies slot t (a short linear expression over its patterns)."""
        return sum(self.x[i][pat] for pat in self.patterns_at(i, t))

    def in_room(self, i: int, room: str):
        return sum(var for o, var in self.z[i].items() if self.items[i].options[o].room == room)

    def chosen(self, i: int, value) -> Option | None:
        """The option a solution picked for item i (None: unplaced). `value(var)` reads it."""
        return next((self.items[i].options[o] for o, var in self.z[i].items() if value(var)), None)

    def chosen_all(self, i: int, value) -> list[Option]:
        """The options a solution picked for the copies of item i, by pattern."""
        return sorted((self.items[i].options[o] for o, var in self.z[i].items() if value(var)), key=lambda o: o.pattern)
