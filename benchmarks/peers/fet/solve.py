"""Solving a FET file with CP-SAT: a first plan (a portfolio of models, then Benders'
decomposition over days), then the soft objective from it; when CP-SAT proves infeasibility,
`diagnose` names the constraint instances in conflict (one assumption literal per instance,
`sufficient_assumptions_for_infeasibility`). Our plan is scored by `checker` (written from FET's
constraint definitions, not from this model).

python -m benchmarks.peers.fet FILE [--time-limit 120] [--workers 2] [--seed 1]
  (FILE: a path, or one relative to the package's examples folder, e.g. Denmark/small-school)
"""

from __future__ import annotations

import argparse
import itertools
import json
import time
from collections import defaultdict

from ortools.sat.python import cp_model

from benchmarks.peers.fet import checker
from benchmarks.peers.fet.fetfile import FetData, example_path, parse
from benchmarks.peers.fet.interpret import constraint_activities
from benchmarks.peers.fet.model import Model, build, min_days
from benchmarks.peers.fet.supported import Unsupported

IMPROVE_1_WORKER = {"interleave_search": True}  # one thread, all subsolvers in turn: proves bounds
LNS_1_WORKER = {"interleave_search": True, "use_lns_only": True}  # one thread, LNS only: improves plans fast
PLAIN_1_WORKER = {"linearization_level": 0}  # one thread, CP-SAT's own search: where LNS stalls (Shipena)
SCALE = 10_000  # objective units per soft conflict (weights are percentages with up to 2 decimals)


class _Trace(cp_model.CpSolverSolutionCallback):
    """Records every improving plan (seconds, soft score); stops the search at `stop_at` (a
    proven lower bound on the objective, in model units), which LNS alone cannot see."""

    def __init__(self, t0: float, scale_objective: bool, trace: list, log=None, stop_at: int | None = None):
        super().__init__()
        self.t0, self.scaled, self.trace, self.log, self.stop_at = t0, scale_objective, trace, log, stop_at

    def on_solution_callback(self):
        soft = round(self.objective_value / SCALE, 4) if self.scaled else 0.0
        if not self.trace or soft < self.trace[-1]["soft"]:
            self.trace.append({"seconds": round(time.perf_counter() - self.t0, 3), "soft": soft})
            if self.log:
                self.log(f"  solution {self.trace[-1]}")
        if self.stop_at is not None and self.scaled and self.objective_value <= self.stop_at + 1e-6:
            self.stop_search()


def _reader(values: dict[int, int]):
    """`value(var)` over a stored plan (variable index -> value)."""
    return lambda var: values[var.index]


def _params(solver: cp_model.CpSolver, limit: float, workers: int, seed: int) -> None:
    solver.parameters.max_time_in_seconds = max(0.05, limit)
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed


def day_master(data: FetData, fm: Model):
    """The relaxation over days that Benders' decomposition iterates on: y[i][d] = activity i on
    day d (only days where it has a start), with per day the capacity of every teacher, subgroup
    and room set (hours its activities can cover, and within every window of hours the activities
    that can only be inside it), teachers' daily and weekly limits, same starting time (same day),
    min days between activities with FET's exact cost. Any plan gives a solution of it, so its
    optimum bounds the min-days cost of every plan."""
    D, H = len(data.days), len(data.hours)
    core, acts = fm.core, fm.acts
    n = len(acts)
    index = {a.id: i for i, a in enumerate(acts)}
    m = cp_model.CpModel()
    days_of = [sorted({s // H for s in core.x[i]}) for i in range(n)]
    y = {(i, d): m.new_bool_var(f"y{i},{d}") for i in range(n) for d in days_of[i]}
    for i in range(n):
        m.add_exactly_one([y[i, d] for d in days_of[i]])

    def on_day(i, d):
        return y.get((i, d), 0)

    def hours_on(i, d):  # (first hour, end hour) any start of i on day d can reach, or None
        hs = [s % H for s in core.x[i] if s // H == d]
        return (min(hs), max(hs) + acts[i].duration) if hs else None

    # capacity of each clash resource (teachers, subgroups) per day, with windows of hours
    by_res: dict = defaultdict(list)
    for i, it in enumerate(core.items):
        for r in it.resources:
            by_res[r].append(i)
    rooms_of = [frozenset(o.room for o in it.options if o.room) for it in core.items]
    for rs in set(rooms_of):
        if rs:
            by_res[("R", rs)] = [i for i in range(n) if rooms_of[i] and rooms_of[i] <= rs]
    for r, idx in by_res.items():
        room_set = r[1] if r[0] == "R" else None
        for d in range(D):
            here = [i for i in idx if (i, d) in y]
            if not here:
                continue
            if room_set is None:
                cover = {t for i in here for s, _ in core.x[i].items() if s // H == d for t in core.pattern_slots[i][s]}
                cap_at = {h: 1 for (_, h) in cover}
            else:
                cap_at = defaultdict(int)
                for rm in room_set:
                    hs = {
                        t[1]
                        for i in here
                        for o in core.items[i].options
                        if o.room == rm and o.pattern // H == d
                        for t in o.slots
                    }
                    for h in hs:
                        cap_at[h] += 1
            span = {i: hours_on(i, d) for i in here}
            los = sorted({v[0] for v in span.values()})
            his = sorted({v[1] for v in span.values()})
            for lo in los:
                for hi in his:
                    if hi <= lo:
                        continue
                    inside = [i for i in here if span[i][0] >= lo and span[i][1] <= hi]
                    cap = sum(c for h, c in cap_at.items() if lo <= h < hi)
                    if inside and sum(acts[i].duration for i in inside) > cap:
                        m.add(sum(acts[i].duration * y[i, d] for i in inside) <= cap)
    objective = []
    live = [c for c in data.constraints if c.active and c.weight > 0]
    by_teacher: dict[str, list[int]] = defaultdict(list)
    for i, a in enumerate(acts):
        for t in a.teachers:
            by_teacher[t].append(i)
    for c in live:
        k = c.kind
        if k == "ConstraintMinDaysBetweenActivities":
            idx = [index[x] for x in dict.fromkeys(constraint_activities(data, c))]
            if len(idx) >= 2:
                objective += min_days(m, c, idx, on_day, D, lambda ct, constraint: ct)
        elif k == "ConstraintActivitiesSameStartingTime":
            idx = [index[x] for x in dict.fromkeys(constraint_activities(data, c))]
            for a, b in itertools.pairwise(idx):
                for d in range(D):
                    m.add(on_day(a, d) == on_day(b, d))
        elif k.startswith(
            ("ConstraintTeacherMax", "ConstraintTeachersMax", "ConstraintTeacherMin", "ConstraintTeachersMin")
        ) and ("Days" in k or "Hours" in k):
            name = c.one("Teacher_Name")
            teachers = [name] if k.startswith("ConstraintTeacherM") and name is not None else list(by_teacher)
            for t in teachers:
                idx = by_teacher.get(t, [])
                if not idx:
                    continue
                load = [sum(acts[i].duration * on_day(i, d) for i in idx) for d in range(D)]
                if k.endswith("MaxHoursDaily"):
                    for d in range(D):
                        m.add(load[d] <= int(c.one("Maximum_Hours_Daily").strip()))
                    continue
                work = [m.new_bool_var("") for _ in range(D)]
                for d in range(D):
                    for i in idx:
                        if (i, d) in y:
                            m.add(work[d] >= y[i, d])
                if k.endswith("MaxDaysPerWeek"):
                    m.add(sum(work) <= int(c.one("Max_Days_Per_Week").strip()))
                elif k.endswith("MinHoursDaily"):
                    mh = int(c.one("Minimum_Hours_Daily").strip())
                    empty_ok = (c.one("Allow_Empty_Days", "false") or "").strip() == "true"
                    for d in range(D):
                        m.add(load[d] >= mh * (work[d] if empty_ok else 1))
    if objective:
        m.minimize(sum(w * v for w, v, _ in objective))
    return m, y, days_of, bool(objective)


def decompose(data: FetData, fm: Model, deadline: float, workers: int, seed: int, t0: float, log=None) -> dict:
    """Logic-based Benders over days: the day master (above) proposes a day for every activity;
    the full model with those days fixed places them in hours and rooms (one solve, all days at
    once), or is infeasible — then a set of activities that cannot all keep their days (CP-SAT's
    core over per-activity assumptions) becomes a cut on the master. Ends with a complete plan
    (feasible for every constraint), a proof of infeasibility (the master runs out of day
    assignments), or the deadline. When the master was solved to optimality, its optimum is a
    lower bound on the soft score (min-days costs are day costs; all others are >= 0)."""
    master, y, days_of, has_obj = day_master(data, fm)
    H = len(data.hours)
    core = fm.core
    n = len(fm.acts)
    out = {"iterations": 0, "cuts": 0, "bound": 0.0, "status": "UNKNOWN"}
    hint = None
    while time.perf_counter() < deadline:
        out["iterations"] += 1
        ms = cp_model.CpSolver()
        _params(ms, min(deadline - time.perf_counter(), 30.0), workers, seed)
        if hint:
            master.clear_hints()
            for (i, d), v in y.items():
                master.add_hint(v, hint[i] == d)
        st = ms.solve(master)
        if st == cp_model.INFEASIBLE:
            out["status"] = "INFEASIBLE"
            return out
        if st not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return out
        if has_obj:
            out["bound"] = max(out["bound"], ms.best_objective_bound / SCALE)
        out["master_optimal"] = st == cp_model.OPTIMAL
        day = {i: next(d for d in days_of[i] if ms.value(y[i, d])) for i in range(n)}
        hint = day
        # the full model with every activity on its day
        sub = fm.model.clone()
        fix = {}
        for i in range(n):
            off = [v for s, v in core.x[i].items() if s // H != day[i]]
            if off:
                lit = sub.new_bool_var(f"d{i}")
                sub.add(sum(off) == 0).only_enforce_if(lit)
                fix[i] = lit
        ss = cp_model.CpSolver()
        _params(ss, min(deadline - time.perf_counter(), 60.0), workers, seed)
        sub_fixed = sub.clone()
        for lit in fix.values():
            sub_fixed.add(lit == 1)
        st = ss.solve(sub_fixed)
        if st in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            out["status"] = "FEASIBLE"
            out["x"] = {(i, s): ss.value(v) for i in range(n) for s, v in core.x[i].items()}
            out["z"] = {(i, o): ss.value(v) for i in range(n) for o, v in core.z[i].items()}
            out["seconds"] = round(time.perf_counter() - t0, 3)
            return out
        if st != cp_model.INFEASIBLE:
            return out
        # which activities cannot keep their days together
        sub.add_assumptions(list(fix.values()))
        cs = cp_model.CpSolver()
        _params(cs, min(deadline - time.perf_counter(), 30.0), 1, seed)
        st = cs.solve(sub)
        if st != cp_model.INFEASIBLE:
            return out
        names = [sub.get_bool_var_from_proto_index(k).name for k in cs.sufficient_assumptions_for_infeasibility()]
        culprits = [int(x[1:]) for x in names if x.startswith("d")]
        if not culprits:  # infeasible whatever the days: the master cannot fix it
            out["status"] = "INFEASIBLE"
            return out
        master.add(sum(y[i, day[i]] for i in culprits) <= len(culprits) - 1)
        out["cuts"] += 1
        if log:
            log(f"  benders iteration {out['iterations']}: cut over {len(culprits)} activities")
    return out


def completed(fm: Model, placement: dict[int, tuple[int, int, str | None]], seed: int) -> dict[int, int] | None:
    """Every variable's value of `fm` for a given plan (the plan's options fixed, CP-SAT fills in the
    rest), as a complete hint."""
    H = len(fm.data.hours)
    m = fm.model.clone()
    for i, a in enumerate(fm.acts):
        wanted = [placement[aid] for aid in (fm.members[i] if fm.members else [a.id]) if aid in placement]
        for o, var in fm.core.z[i].items():
            opt = fm.core.items[i].options[o]
            m.add(
                m.get_bool_var_from_proto_index(var.index)
                == int((opt.pattern // H, opt.pattern % H, opt.room) in wanted)
            )
    s = cp_model.CpSolver()
    _params(s, 30.0, 1, seed)
    if s.solve(m) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return {k: s.value(m.get_int_var_from_proto_index(k)) for k in range(len(m.proto.variables))}


# The first-plan portfolio, tried in turn with doubling time slices (CP-SAT on one thread runs one
# search): the merged model with every soft min-days constraint made hard (a plan of it is a plan
# with no min-days cost; dropped once proved infeasible, which proves nothing about the file), the
# model with copies merged (no permutations: best on the largest files), the model of single
# activities with ordered copies, and the merged one with CP-SAT's interleaved subsolvers (its
# feasibility-jump local search).
PORTFOLIO = (("hardened", {}), ("merged", {}), ("single", {}), ("merged", IMPROVE_1_WORKER))


def solve(
    data: FetData,
    time_limit: float = 120,
    workers: int = 2,
    seed: int = 1,
    diagnose_limit: float = 60,
    benders: bool = True,
    direct_share: float = 0.3,
    log=None,
    merge: bool = True,
) -> dict:
    """Solve a file: first a plan by CP-SAT (feasibility only, the `PORTFOLIO` in doubling time
    slices, for `direct_share` of the limit), failing that by Benders' decomposition over days
    (until 80% of the limit), then CP-SAT on the model that found the plan with the soft objective,
    from that plan, until the limit (it stops early when optimality is proven). Reports the time to
    the first feasible plan, the soft score at the limit (checked by `checker`), the proven bound;
    on infeasibility, the constraints in conflict. If the last phase finds nothing better in its
    time, the first plan is the result. `merge=False`: single activities only."""
    t0 = time.perf_counter()
    deadline = t0 + time_limit
    models = {"merged": build(data, merge=merge)}
    fm = models["merged"]
    build_s = time.perf_counter() - t0
    trace: list = []
    out = {
        "file": data.name,
        "workers": workers,
        "seed": seed,
        "time_limit": time_limit,
        "build_seconds": round(build_s, 3),
        "model": fm.stats,
    }
    bound = 0.0
    first = None
    plan: dict | None = None  # the first plan: proto index of each x/z literal -> value
    status = None

    def keep(value_of) -> dict:
        """Every variable's value (a complete hint: CP-SAT takes it as its first solution)."""
        m = fm.model
        return {k: value_of(m.get_int_var_from_proto_index(k)) for k in range(len(m.proto.variables))}

    # 1. CP-SAT, feasibility first: the portfolio in turn, each slice twice the last
    direct_end = t0 + direct_share * time_limit if benders else deadline
    merged_any = len(fm.acts) < fm.stats["activities"]
    soft_min_days = any(
        c.kind == "ConstraintMinDaysBetweenActivities" and 0 < c.weight < 100 for c in data.constraints if c.active
    )
    portfolio = [(k, p) for k, p in PORTFOLIO if (k != "single" or merged_any) and (k != "hardened" or soft_min_days)]
    slice_s = min(10.0, max(1.5, fm.stats["patterns"] / 5000))
    out["direct"] = []
    while plan is None and status is None and time.perf_counter() < direct_end - 0.05:
        for kind, params in list(portfolio):
            left = direct_end - time.perf_counter()
            if left <= 0.05:
                break
            if kind not in models:
                models[kind] = build(data, merge=merge and kind != "single", harden=kind == "hardened")
            fs = cp_model.CpSolver()
            _params(fs, min(slice_s, left), workers, seed)
            if workers == 1:
                fs.parameters.linearization_level = 0
            for k, v in params.items():
                setattr(fs.parameters, k, v)
            fs.parameters.stop_after_first_solution = True
            st = fs.solve(models[kind].model)
            out["direct"].append(
                {
                    "model": kind,
                    **params,
                    "limit": round(min(slice_s, left), 2),
                    "status": cp_model.CpSolverStatus(st).name,
                }
            )
            if st in (cp_model.OPTIMAL, cp_model.FEASIBLE) and kind == "hardened":
                # a plan of the real model: the merged one's values for it, for the soft phase
                plan = completed(fm, models[kind].placement(fs.value), seed)
                if plan is not None:
                    first = round(time.perf_counter() - t0, 3)
                    break
            elif st in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                fm = models[kind]  # the soft phase goes on with the model that found the plan
                first = round(time.perf_counter() - t0, 3)
                plan = keep(fs.value)
                break
            elif st == cp_model.INFEASIBLE and kind == "hardened":
                portfolio.remove((kind, params))
            elif st == cp_model.INFEASIBLE:
                status = cp_model.INFEASIBLE
                break
        slice_s *= 2
    m = fm.model
    out["model"] = fm.stats
    # 2. Benders' decomposition over days (on the model of single activities: its cuts name them)
    if plan is None and status is None and benders and all(fm.core.x.values()):  # (every activity has a start)
        single = models.get("single") or (build(data, merge=False) if merged_any else fm)
        dec = decompose(data, single, t0 + 0.8 * time_limit, workers, seed, t0, log)
        out["benders"] = {k: v for k, v in dec.items() if k not in ("x", "z")}
        bound = max(bound, dec["bound"])
        if dec["status"] == "FEASIBLE":
            first = dec["seconds"]
            vals = {single.core.x[i][s].index: v for (i, s), v in dec["x"].items()}
            vals.update({single.core.z[i][o].index: v for (i, o), v in dec["z"].items()})
            plan = vals if single is fm else completed(fm, single.placement(_reader(vals)), seed)
        elif dec["status"] == "INFEASIBLE":
            status = cp_model.INFEASIBLE
    # 3. the soft objective, from the plan. On one worker: a short proving search (interleaved
    # subsolvers: search, LP bound, LNS), CP-SAT's plain search (on Shipena it goes from 10.9 to
    # FET's 1.99 where LNS finds nothing), then LNS only (much faster to improve a plan on one
    # thread), then the proving search again from the best plan for the bound; each phase starts
    # from the best plan so far and stops when it reaches the proven bound
    solver = None
    value = plan_value = None
    objective_value = None
    if plan is not None:
        status = cp_model.FEASIBLE
        value = plan_value = _reader(plan)
        if fm.objective:
            m.minimize(fm.objective_expr())
            phases = (
                [(IMPROVE_1_WORKER, 0.1), (PLAIN_1_WORKER, 0.3), (LNS_1_WORKER, 0.4), (IMPROVE_1_WORKER, 1.0)]
                if workers == 1
                else [({}, 1.0)]
            )
            best = plan
            for params, share in phases:
                left = deadline - time.perf_counter()
                if left <= 0.05:
                    break
                m.clear_hints()
                for idx, v in best.items():
                    m.add_hint(m.get_int_var_from_proto_index(idx), v)
                solver = cp_model.CpSolver()
                _params(
                    solver, max(0.05, min(left, max(5.0, share * time_limit)) if share < 1 else left), workers, seed
                )
                for k, v in params.items():
                    setattr(solver.parameters, k, v)
                st = solver.solve(m, _Trace(t0, True, trace, log, stop_at=round(bound * SCALE)))
                bound = max(bound, solver.best_objective_bound / SCALE)
                if st in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                    if objective_value is None or solver.objective_value <= objective_value:
                        objective_value = solver.objective_value
                        best = keep(solver.value)
                        value = _reader(best)
                        status = st
                    if st == cp_model.OPTIMAL or objective_value <= bound * SCALE + 1e-6:
                        status = cp_model.OPTIMAL
                        break
        else:
            status = cp_model.OPTIMAL  # nothing soft: any plan is optimal
    wall = time.perf_counter() - t0
    out.update(
        {
            "status": "UNKNOWN" if status is None else cp_model.CpSolverStatus(status).name,
            "seconds": round(wall, 3),
            "trace": trace,
            "time_to_first": first,
        }
    )
    if value is not None:
        placement = fm.placement(value)
        check = checker.check(data, placement)
        if not fm.objective:
            objective = 0.0
        elif value is plan_value:
            objective = None  # the first plan, kept: the checker's soft score is the one that counts
        else:
            objective = round(objective_value / SCALE, 4)
        out.update(
            {
                "objective": objective,
                "bound": round(bound, 4),
                "feasible": check["feasible"],
                "soft": check["soft"],
                "hard_violations": check["hard_violations"][:20],
                "placement": {str(k): list(v) for k, v in sorted(placement.items())},
            }
        )
        out["status"] = "FEASIBLE"
        if out["feasible"] and out["soft"] <= out["bound"] + 1e-9:
            out["status"] = "OPTIMAL"
        if trace:
            out["time_to_best"] = trace[-1]["seconds"]
    elif status == cp_model.INFEASIBLE:
        out["conflict"] = diagnose(data, diagnose_limit)
    return out


def diagnose(data: FetData, time_limit: float = 60) -> dict:
    """Name a set of constraint instances that cannot hold together: every instance behind an
    assumption literal, one worker, presolve off; the core CP-SAT returns is then shrunk by
    dropping instances one at a time while it stays infeasible (as time allows)."""
    t0 = time.perf_counter()
    fm = build(data, diagnose=True)
    labels = sorted(fm.groups)

    def infeasible(subset: list[str], limit: float) -> tuple[bool | None, list[str]]:
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.cp_model_presolve = False
        solver.parameters.max_time_in_seconds = max(1.0, limit)
        fm.model.clear_assumptions()
        fm.model.add_assumptions([fm.groups[x] for x in subset])
        status = solver.solve(fm.model)
        if status == cp_model.INFEASIBLE:
            core = [
                fm.model.get_bool_var_from_proto_index(i).name
                for i in solver.sufficient_assumptions_for_infeasibility()
            ]
            return True, sorted(core)
        return (False if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None), []

    ok, core = infeasible(labels, time_limit)
    if ok is not True:
        return {
            "proved": False,
            "seconds": round(time.perf_counter() - t0, 2),
            "note": "the assumption model was not proved infeasible within the limit",
        }
    minimal = len(core) <= 1
    for x in list(core):  # deletion filter
        left = time_limit - (time.perf_counter() - t0)
        if left <= 1:
            break
        rest = [y for y in core if y != x]
        res, sub = infeasible(rest, min(left, 10))
        if res is True:
            core = sub or rest
    else:
        minimal = True
    by_kind = defaultdict(int)
    for x in core:
        by_kind[x.split("#")[0].split(":")[0]] += 1
    return {
        "proved": True,
        "constraints": core,
        "by_kind": dict(by_kind),
        "minimal": minimal,
        "seconds": round(time.perf_counter() - t0, 2),
        "note": "with the basic clash rules (teachers, subgroups, rooms) always on",
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("file")
    ap.add_argument("--time-limit", type=float, default=120)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    data = parse(example_path(args.file))
    try:
        r = solve(data, args.time_limit, args.workers, args.seed, log=print if args.verbose else None)
    except Unsupported as e:
        print(json.dumps({"file": data.name, "skipped": e.reasons}))
        return
    print(json.dumps({k: v for k, v in r.items() if k not in ("placement", "trace")}, ensure_ascii=False))


if __name__ == "__main__":
    main()
