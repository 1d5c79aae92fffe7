"""Timefold's school-timetabling benchmark (`../shared/peers/timefold-school/`), solved with the
placement core, scored exactly as Timefold scores it (`../shared/peers/README.md`).

Lessons are required items of the core (one timeslot and one room each; a teacher and a student
group never in two places). The soft score is built on the core's literals:
- teacher room stability: −1 per unordered pair of one teacher's lessons in different rooms;
- teacher time efficiency: +1 per pair of one teacher's lessons on a day where the second starts
  when the first ends;
- student group subject variety: −1 per such back-to-back pair of one group with one subject.
The proof of optimality comes from a relaxation solved first: keep only the teachers (each
teacher's lessons in distinct timeslots) and maximise time efficiency; penalties are ≥ 0, so its
optimum bounds the soft score, and the full model is told so.

python -m benchmarks.peers.timefold [small|large] [--time-limit 30] [--workers 2] [--seed 1]
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from itertools import combinations, pairwise
from pathlib import Path

from ortools.sat.python import cp_model

from solver.placement.core import Item, Option, Placement

PEERS = Path(__file__).resolve().parents[2].parent / "shared" / "peers" / "timefold-school"


def load(name: str) -> dict:
    return json.loads((PEERS / f"{name}.json").read_text(encoding="utf-8"))


def _minutes(hhmm: str) -> int:
    h, m = hhmm.split(":")
    return int(h) * 60 + int(m)


def back_to_back(data: dict) -> list[tuple[int, int]]:
    """Pairs of timeslot indices on one day where the second starts when the first ends."""
    ts = data["timeslots"]
    return [
        (i, j)
        for i, a in enumerate(ts)
        for j, b in enumerate(ts)
        if a["day"] == b["day"] and _minutes(a["end"]) == _minutes(b["start"])
    ]


def score(data: dict, assignment: dict[str, tuple[int, str]]) -> tuple[int, int]:
    """(hard, soft) of an assignment lesson id -> (timeslot index, room id), as Timefold counts."""
    lessons = data["lessons"]
    hard = 0
    for a, b in combinations(lessons, 2):
        ta, ra = assignment[a["id"]]
        tb, rb = assignment[b["id"]]
        if ta == tb:
            hard -= (ra == rb) + (a["teacher"] == b["teacher"]) + (a["student_group"] == b["student_group"])
    soft = 0
    by_teacher = defaultdict(list)
    by_group = defaultdict(list)
    for lesson in lessons:
        by_teacher[lesson["teacher"]].append(lesson)
        by_group[lesson["student_group"]].append(lesson)
    pairs = set(back_to_back(data))
    for ls in by_teacher.values():
        for a, b in combinations(ls, 2):
            if assignment[a["id"]][1] != assignment[b["id"]][1]:
                soft -= 1
            ta, tb = assignment[a["id"]][0], assignment[b["id"]][0]
            if (ta, tb) in pairs or (tb, ta) in pairs:
                soft += 1
    for ls in by_group.values():
        for a, b in combinations(ls, 2):
            ta, tb = assignment[a["id"]][0], assignment[b["id"]][0]
            if a["subject"] == b["subject"] and ((ta, tb) in pairs or (tb, ta) in pairs):
                soft -= 1
    return hard, soft


def _teacher_model(data: dict, shared: list[list[str]] = ()):
    """Teachers only: per teacher and day one pattern of busy timeslots, worth its back-to-back
    pairs; a slot holds at most one lesson per student group, so at most that many teachers teach
    at once. `shared`: teachers sharing a room are never busy together (for the search only)."""
    ts = data["timeslots"]
    pairs = set(back_to_back(data))
    days = list(dict.fromkeys(t["day"] for t in ts))
    slots_of = {day: [i for i, t in enumerate(ts) if t["day"] == day] for day in days}
    count = defaultdict(int)
    for lesson in data["lessons"]:
        count[lesson["teacher"]] += 1
    groups = len({lesson["student_group"] for lesson in data["lessons"]})
    m = cp_model.CpModel()
    busy: dict[tuple[str, int], list] = defaultdict(list)
    worth = []
    for teacher, n in count.items():
        total = []
        for day in days:
            day_slots = slots_of[day]
            choice = []
            for mask in range(1 << len(day_slots)):
                chosen = [day_slots[k] for k in range(len(day_slots)) if mask >> k & 1]
                var = m.new_bool_var("")
                choice.append(var)
                for t in chosen:
                    busy[(teacher, t)].append(var)
                total.append(len(chosen) * var)
                value = sum(1 for i in chosen for j in chosen if (i, j) in pairs)
                if value:
                    worth.append(value * var)
            m.add_exactly_one(choice)
        m.add(sum(total) == n)
    at = {(teacher, t): sum(busy[(teacher, t)]) for teacher in count for t in range(len(ts))}
    for t in range(len(ts)):
        m.add(sum(at[(teacher, t)] for teacher in count) <= groups)
        for together in shared:
            m.add(sum(at[(teacher, t)] for teacher in together) <= 1)
    m.maximize(sum(worth))
    return m, at


def teacher_bound(data: dict, time_limit: float = 20.0) -> int | None:
    """The relaxation keeping only the teachers, solved to optimality. Penalties are ≥ 0, so its
    optimum bounds the soft score from above (the README's 59 for LARGE)."""
    m, _ = _teacher_model(data)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = 1
    status = solver.solve(m)
    return round(solver.objective_value) if status == cp_model.OPTIMAL else None


def decompose(data: dict, home: dict[str, str], time_limit: float) -> dict[str, int] | None:
    """Logic-based Benders: teachers' busy timeslots from the teacher relaxation (rooms shared as
    `home` says), then lessons into those timeslots with every group in one lesson per slot and no
    subject twice in a row; a busy pattern that cannot be filled is cut off and the relaxation
    solved again. Returns lesson id -> timeslot index, or None."""
    t0 = time.perf_counter()
    rooms: dict[str, list[str]] = defaultdict(list)
    for teacher, room in home.items():
        rooms[room].append(teacher)
    m, at = _teacher_model(data, [ts for ts in rooms.values() if len(ts) > 1])
    pairs = back_to_back(data)
    kinds = defaultdict(list)  # (teacher, group, subject) -> lesson ids
    for lesson in data["lessons"]:
        kinds[(lesson["teacher"], lesson["student_group"], lesson["subject"])].append(lesson["id"])
    groups = sorted({g for _, g, _ in kinds})
    n_slots = len(data["timeslots"])
    while time.perf_counter() - t0 < time_limit:
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.max_time_in_seconds = max(1.0, time_limit - (time.perf_counter() - t0))
        if solver.solve(m) != cp_model.OPTIMAL:
            return None
        busy = {k: solver.value(v) for k, v in at.items()}
        fill = cp_model.CpModel()
        y = {(k, t): fill.new_bool_var("") for k in kinds for t in range(n_slots) if busy[(k[0], t)]}
        for k, ids in kinds.items():
            fill.add(sum(v for (kk, _), v in y.items() if kk == k) == len(ids))
        for (teacher, t), b in busy.items():
            if b:
                fill.add_exactly_one(v for (k, tt), v in y.items() if k[0] == teacher and tt == t)
        for g in groups:
            for t in range(n_slots):
                fill.add_exactly_one(v for (k, tt), v in y.items() if k[1] == g and tt == t)
            for k in (k for k in kinds if k[1] == g):
                for i, j in pairs:
                    fill.add(sum(v for (kk, tt), v in y.items() if kk == k and tt in (i, j)) <= 1)
        fsolver = cp_model.CpSolver()
        fsolver.parameters.num_workers = 1
        fsolver.parameters.max_time_in_seconds = max(1.0, time_limit - (time.perf_counter() - t0))
        if fsolver.solve(fill) in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            out = {}
            for k, ids in kinds.items():
                slots = sorted(t for (kk, t), v in y.items() if kk == k and fsolver.value(v))
                out.update(zip(ids, slots, strict=True))
            return out
        m.add(sum((1 - v) if busy[k] else v for k, v in at.items()) >= 1)  # cut this busy pattern off
    return None


def _model(data: dict, home: dict[str, str] | None):
    """The placement model with Timefold's soft score. `home`: a room per teacher (phase 1), or
    None: every lesson may use any room (the full problem)."""
    ts, rooms, lessons = data["timeslots"], [r["id"] for r in data["rooms"]], data["lessons"]
    items = []
    for lesson in lessons:
        choices = [home[lesson["teacher"]]] if home else rooms
        options = [
            Option(index=k, pattern=t, slots=(t,), room=r)
            for k, (t, r) in enumerate((t, r) for t in range(len(ts)) for r in choices)
        ]
        items.append(
            Item(lesson["id"], options, resources=(("teacher", lesson["teacher"]), ("group", lesson["student_group"])))
        )
    m = cp_model.CpModel()
    core = Placement(m, items).build()
    # identical lessons (teacher, group, subject) are interchangeable: take their slots in order
    same = defaultdict(list)
    for i, lesson in enumerate(lessons):
        same[(lesson["teacher"], lesson["student_group"], lesson["subject"])].append(i)
    for idxs in same.values():
        for a, b in pairwise(idxs):
            m.add(sum(t * v for t, v in core.x[a].items()) < sum(t * v for t, v in core.x[b].items()))
    pairs = back_to_back(data)
    soft = []
    by_teacher, by_group = defaultdict(list), defaultdict(list)
    for i, lesson in enumerate(lessons):
        by_teacher[lesson["teacher"]].append(i)
        by_group[lesson["student_group"]].append(i)
    for idxs in by_teacher.values():
        if home is None:  # stability: a pair in different rooms costs 1 (nothing with home rooms)
            room_of = {i: {r: core.in_room(i, r) for r in rooms} for i in idxs}
            for a, b in combinations(idxs, 2):
                differ = m.new_bool_var("")
                for r in rooms:
                    m.add(differ >= room_of[a][r] - room_of[b][r])
                soft.append(-differ)
        for i, j in pairs:  # efficiency: +1 per back-to-back pair of the teacher's timeslots
            both = m.new_bool_var("")
            m.add(both <= sum(core.at(k, i) for k in idxs))
            m.add(both <= sum(core.at(k, j) for k in idxs))
            soft.append(both)
    for idxs in by_group.values():
        subjects = defaultdict(list)
        for k in idxs:
            subjects[lessons[k]["subject"]].append(k)
        for ks in subjects.values():
            if len(ks) < 2:
                continue
            for i, j in pairs:  # variety: −1 per back-to-back pair of one group's subject
                same_subject = m.new_bool_var("")
                m.add(same_subject >= sum(core.at(k, i) for k in ks) + sum(core.at(k, j) for k in ks) - 1)
                soft.append(-same_subject)
    return m, core, sum(soft)


def home_rooms(data: dict) -> list[dict[str, str]]:
    """Room-per-teacher assignments to try in phase 1: with more teachers than rooms, the teachers
    with the fewest lessons share (they then never teach at the same time)."""
    rooms = [r["id"] for r in data["rooms"]]
    count = defaultdict(int)
    for lesson in data["lessons"]:
        count[lesson["teacher"]] += 1
    teachers = sorted(count, key=lambda t: (-count[t], t))
    n_slots = len(data["timeslots"])
    if len(teachers) <= len(rooms):
        return [{t: rooms[k] for k, t in enumerate(teachers)}]
    out = []
    extra = teachers[len(rooms) - 1 :]  # these share the last room
    if sum(count[t] for t in extra) <= n_slots:
        out.append({**{t: rooms[k] for k, t in enumerate(teachers[: len(rooms) - 1])}, **{t: rooms[-1] for t in extra}})
    return out


def solve(data: dict, time_limit: float = 30, workers: int = 2, seed: int = 1, log=print) -> dict:
    t0 = time.perf_counter()
    bound = teacher_bound(data)
    if bound is None:
        bound = 10**6  # no proof this time: the search runs without a ceiling
    trace = []

    class Log(cp_model.CpSolverSolutionCallback):
        def on_solution_callback(self):
            trace.append({"seconds": round(time.perf_counter() - t0, 3), "soft": round(self.objective_value)})

    def run(m, objective, share):
        m.add(objective <= bound)
        m.maximize(objective)
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(1.0, share)
        solver.parameters.num_workers = workers
        solver.parameters.random_seed = seed
        return solver, solver.solve(m, Log())

    best = None
    # first, the decomposition: a busy pattern worth the bound, filled; the placement core then
    # places each lesson in its timeslot and home room (rooms never clash by construction)
    for home in home_rooms(data):
        slots = decompose(data, home, 0.5 * time_limit)
        if slots is None:
            continue
        m, core, objective = _model(data, home)
        for i, lesson in enumerate(data["lessons"]):
            m.add(core.x[i][slots[lesson["id"]]] == 1)
        solver, status = run(m, objective, time_limit - (time.perf_counter() - t0))
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            best = (solver, core, "decomposition")
            if round(solver.objective_value) >= bound:
                break
    # otherwise: each teacher keeps a home room (stability costs nothing); a far smaller search,
    # and reaching the bound there proves the whole problem's optimum
    for home in home_rooms(data) if best is None or round(best[0].objective_value) < bound else []:
        m, core, objective = _model(data, home)
        solver, status = run(m, objective, 0.6 * time_limit - (time.perf_counter() - t0))
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            best = (solver, core, "home rooms")
            if round(solver.objective_value) >= bound:
                break
    if best is None or round(best[0].objective_value) < bound:
        m, core, objective = _model(data, None)
        solver, status = run(m, objective, time_limit - (time.perf_counter() - t0))
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) and (
            best is None or solver.objective_value > best[0].objective_value
        ):
            best = (solver, core, "free rooms")
    wall = time.perf_counter() - t0
    if best is None:
        return {"instance": data["name"], "status": "UNKNOWN", "seconds": round(wall, 2), "relaxation_bound": bound}
    solver, core, phase = best
    assignment = {}
    for i, lesson in enumerate(data["lessons"]):
        opt = core.chosen(i, solver.value)
        assignment[lesson["id"]] = (opt.pattern, opt.room)
    hard, soft_score = score(data, assignment)  # scored independently of the model
    first = {}
    for e in trace:
        for target in (45, bound):
            if e["soft"] >= target and target not in first:
                first[target] = e["seconds"]
    return {
        "instance": data["name"],
        "hard": hard,
        "soft": soft_score,
        "relaxation_bound": bound,
        "proven_optimal": hard == 0 and soft_score >= bound,
        "phase": phase,
        "seconds": round(wall, 2),
        "time_to_45": first.get(45),
        "time_to_bound": first.get(bound),
        "workers": workers,
        "seed": seed,
        "trace": trace,
        "assignment": {k: {"timeslot": data["timeslots"][t]["id"], "room": r} for k, (t, r) in assignment.items()},
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("name", nargs="?", default="large", choices=["small", "large"])
    ap.add_argument("--time-limit", type=float, default=30)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out")
    args = ap.parse_args()
    result = solve(load(args.name), args.time_limit, args.workers, args.seed)
    text = json.dumps(result, ensure_ascii=False, indent=1)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    brief = {k: v for k, v in result.items() if k not in ("assignment", "trace")}
    print(json.dumps(brief, ensure_ascii=False))


if __name__ == "__main__":
    main()
