"""The optimizer: diagnose → heuristics → sectioning (CP-SAT + LNS) → groups and rooms → staffing
(CP-SAT, with repair) → check → the floor.

Every constructive planner runs first (`solver/heuristics.py`); stage 1 (`solver/model/sectioning.py`)
decides sections, times, rooms and students to maximise preferences (a, b), warm-started from the
best of them (or the previous plan). Stage 2 (`solver/model/staffing.py`) staffs every activity,
supervision groups included, for cost (c), load (d) and class teachers (e); when it cannot, the
least valuable section in the conflict is closed and it runs again. Every plan goes through the
checker (`solver/check/assemble.py`); the plan written is never worse than the best heuristic's, and if
a stage fails that plan is returned — never an invalid one as valid.

Status: `infeasible` only with a proof — the counting pre-checks (`solver/diagnose.py`) or the
sectioning model's own infeasibility with the constraint groups CP-SAT finds in conflict;
otherwise `unknown` when no valid plan was found in time.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field

from models.load import Loaded
from models.messages import Text
from models.plan import Activity, Explanation, Plan, Status
from solver import heuristics
from solver.check import Violation
from solver.check.assemble import assemble
from solver.diagnose import ZH_DAY, diagnose
from solver.eligibility import min_staff
from solver.model import groups as grouping
from solver.model import objective, sectioning, staffing
from solver.model.data import ProblemData, build_problem
from solver.model.objective import DEFAULT, Weights
from solver.model.r09_homework import offer_junior_homework
from solver.model.run import ProgressFn, Settings
from solver.model.sectioning import OpenSection
from solver.model.staffing import Job

REPAIRS = 12  # sections stage 2 may close before the best heuristic plan is taken instead


@dataclass
class Options:
    time_limit: float = 60.0
    workers: int = 2
    seed: int = 1
    weights: Weights = DEFAULT
    previous: Plan | None = None
    progress: ProgressFn | None = None
    stop: threading.Event | None = None
    sectioning_share: float = 0.75  # of the time limit; the rest goes to staffing
    fixed_share: float = 0.15  # of sectioning: students (and proposed sections) on a fixed timetable first
    lns_share: float = 0.9  # of the rest of sectioning: our own LNS (solver/model/lns.py), then CP-SAT's joint search
    cost_cap: bool = False  # a benchmark target, never a default: the term cost no higher than the FCFS plan's


@dataclass
class Report:
    """What happened, for the CLI and the benchmarks."""

    stages: list[dict] = field(default_factory=list)
    fallback: str | None = None
    trace: list = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    fcfs: dict = field(default_factory=dict)  # the FCFS plan's cost and rates, for the summary


def _pool_rooms(data: ProblemData, sections: list[OpenSection]) -> dict[int, str] | None:
    """Name a room from its pool for each pooled section (the same room in all its slots); a
    pinned room first."""
    used = {(s.option.room, d, p) for s in sections if s.option.room for d, p in s.option.slots}
    pinned = {p.activity: p.room for p in data.loaded.instance.pins if p.room}
    out = {}
    order = sorted(enumerate(sections), key=lambda t: (t[1].spec.name not in pinned, -len(t[1].option.slots)))
    for i, sec in order:
        if sec.option.pool is None:
            continue
        rooms = data.pools[sec.option.pool]
        want = pinned.get(sec.spec.name)
        for rid in ([want] if want in rooms else []) + rooms:
            if all((rid, d, p) not in used for d, p in sec.option.slots):
                out[i] = rid
                used.update((rid, d, p) for d, p in sec.option.slots)
                break
        else:
            return None
    return out


def _activities(
    sections: list[OpenSection], rooms: dict[int, str], jobs: dict[str, Job], groups: list[grouping.Group]
) -> list[Activity]:
    acts = []
    for i, sec in enumerate(sections):
        name = sec.spec.name
        acts.append(
            Activity.model_validate(
                {
                    "id": name,
                    "course": sec.spec.course.id,
                    "kind": sec.spec.kind,
                    "class": None,
                    "slots": [{"day": d, "period": p} for d, p in sec.option.slots],
                    "room": sec.option.room or rooms[i],
                    "staff": jobs[name].staff,
                    "students": sec.students,
                }
            )
        )
    for g in groups:
        acts.append(
            Activity.model_validate(
                {
                    "id": g.id,
                    "course": g.course.id,
                    "kind": g.kind,
                    "class": g.klass,
                    "slots": [{"day": g.slot[0], "period": g.slot[1]}],
                    "room": g.room,
                    "staff": jobs[g.id].staff,
                    "students": g.students,
                }
            )
        )
    return acts


def _jobs(
    loaded: Loaded,
    data: ProblemData,
    sections: list[OpenSection],
    pooled: dict[int, str],
    groups: list[grouping.Group],
    previous: list[Activity] | None,
) -> dict[str, Job]:
    prev = {a.id: list(a.staff) for a in previous} if previous else {}
    pins = {p.activity: p for p in loaded.instance.pins}
    jobs: dict[str, Job] = {}
    for i, sec in enumerate(sections):
        pin = pins.get(sec.spec.name)
        jobs[sec.spec.name] = Job(
            sec.spec.name,
            sec.spec.course,
            sec.spec.kind,
            sec.option.slots,
            min_staff(loaded, sec.spec.course, loaded.room[sec.option.room or pooled[i]]),
            hint=sec.staff,
            previous=prev.get(sec.spec.name, []),
            pinned=pin.staff if pin and pin.staff is not None else None,
        )
    for g in groups:
        pin = pins.get(g.id)
        assert g.room is not None  # assign_rooms found a room for every group
        jobs[g.id] = Job(
            g.id,
            g.course,
            g.kind,
            (g.slot,),
            min_staff(loaded, g.course, loaded.room[g.room]),
            klass=g.klass,
            previous=prev.get(g.id, []),
            pinned=pin.staff if pin and pin.staff is not None else None,
        )
    return jobs


def explain_groups(loaded: Loaded, names: list[str]) -> list[Explanation]:
    """Readable explanations of the constraint groups the sectioning model found in conflict."""
    out = []
    for name in names:
        parts = name.split("|")
        rule = parts[0]
        if rule == "R10":
            out.append(
                Explanation(
                    rule="R10",
                    detail=str(
                        Text(
                            f"学生 {parts[1]} 的 {parts[2]} 补习辅导无法安排：补习课的时间、教师或教室与其他安排冲突",
                            f"the {parts[2]} tutoring of student {parts[1]} cannot be placed",
                        )
                    ),
                    records=[parts[1]],
                )
            )
        elif rule == "R21" and parts[1] == "staff":
            out.append(
                Explanation(
                    rule="R21/R24/R25",
                    detail=str(
                        Text(
                            f"{ZH_DAY[parts[2]]} {parts[2]} {parts[3]} 的看护组教职工不够",
                            f"not enough staff to supervise everyone at {parts[2]} {parts[3]}",
                        )
                    ),
                    records=[parts[3]],
                )
            )
        elif rule == "R21":
            out.append(
                Explanation(
                    rule="R21",
                    detail=str(
                        Text(
                            f"{ZH_DAY[parts[2]]} {parts[2]} {parts[3]} 的教室不够",
                            f"not enough rooms at {parts[2]} {parts[3]}",
                        )
                    ),
                    records=[parts[3]],
                )
            )
        elif rule == "R20":
            out.append(
                Explanation(
                    rule="R20",
                    detail=str(Text("收支无法平衡", "the budget cannot balance")),
                    records=["policy.subsidy_per_term"],
                )
            )
        elif rule == "R25":
            out.append(
                Explanation(
                    rule="R25",
                    detail=str(Text("教职工每周课时上限合计不够", "the weekly caps do not cover the periods needed")),
                    records=[],
                )
            )
        elif rule == "PIN":
            out.append(
                Explanation(
                    rule="PIN",
                    detail=str(Text(f"固定安排 {parts[1]} 无法保持", f"the pin on {parts[1]} cannot be kept")),
                    records=[parts[1]],
                )
            )
        else:
            out.append(Explanation(rule=rule, detail=name, records=parts[1:]))
    return out


def _section_value(loaded: Loaded, sections: list[OpenSection], weights: Weights) -> dict[int, int]:
    """What each elective section is worth on the preference objective: its students' rank points,
    plus the any-choice points of those for whom it is the only chosen course they sit in."""
    chosen: dict[str, int] = defaultdict(int)
    for sec in sections:
        if sec.spec.kind == "elective":
            for s in sec.students:
                chosen[s] += 1
    out = {}
    for i, sec in enumerate(sections):
        if sec.spec.kind != "elective":
            continue
        total = 0
        for s in sec.students:
            kept = loaded.kept_choices[s]
            if sec.spec.course.id in kept:
                total += weights.rank(kept.index(sec.spec.course.id) + 1)
                total += weights.any_choice if chosen[s] == 1 else 0
        out[i] = total
    return out


@dataclass
class _Staffed:
    acts: list[Activity] | None
    status: str  # staffing status
    why: str = ""
    core: list[str] = field(default_factory=list)  # activity ids (and "budget") that cannot be staffed together
    jobs: list[Job] = field(default_factory=list)  # what staffing was asked to staff


def _staff(
    loaded: Loaded,
    data: ProblemData,
    sections: list[OpenSection],
    previous: list[Activity] | None,
    opts: Options,
    settings: Settings,
    report: Report,
    budget: float,
    explain: bool,
) -> _Staffed:
    """Groups, rooms and staff for fixed sections: the activities, or why not."""
    pooled = _pool_rooms(data, sections)
    if pooled is None:
        return _Staffed(None, "rooms", "pooled rooms could not be named")
    busy = {(s, d, p) for sec in sections for s in sec.students for d, p in sec.option.slots}
    groups, problems = grouping.form_groups(loaded, busy, pins=loaded.instance.pins)
    if problems:
        return _Staffed(None, "groups", "; ".join(problems[:3]))
    taken = {(sec.option.room or pooled[i], d, p) for i, sec in enumerate(sections) for d, p in sec.option.slots}
    unroomed = grouping.assign_rooms(loaded, groups, taken)
    if unroomed:
        return _Staffed(
            None, "rooms", f"no room for {len(unroomed)} groups, e.g. {unroomed[0].id}", core=[g.id for g in unroomed]
        )
    jobs = _jobs(loaded, data, sections, pooled, groups, previous)
    st = staffing.solve(
        data, list(jobs.values()), time_limit=budget, settings=settings, class_weight=opts.weights.class_teacher
    )
    report.stages.append(
        {
            "stage": "staffing",
            "status": st.status,
            "objective": st.objective,
            "bound": st.bound,
            "seconds": round(st.seconds, 3),
            "variables": st.variables,
        }
    )
    report.trace += st.trace
    if st.status in ("optimal", "feasible"):
        return _Staffed(_activities(sections, pooled, jobs, groups), st.status)
    core = []
    if explain and st.status == "infeasible":
        core = [name for name, _ in staffing.explain(data, list(jobs.values()), max(2.0, min(10.0, budget)))]
    return _Staffed(
        None,
        st.status,
        f"staffing {st.status}" + (": " + ", ".join(core[:8]) if core else ""),
        core,
        list(jobs.values()),
    )


def _repair(loaded: Loaded, sections: list[OpenSection], core: list[str], weights: Weights) -> list[OpenSection] | None:
    """Stage 1 picked what stage 2 cannot staff: close the elective section that costs the least
    preference, among those named in the staffing conflict (else among all, the least valuable per
    staff period); its pupils go back to their homework groups. None when nothing can be closed."""
    value = _section_value(loaded, sections, weights)
    if not value:
        return None
    named = [i for i in value if sections[i].spec.name in core]
    pool = named or list(value)

    def cost(i: int) -> float:
        sec = sections[i]
        periods = len(sec.option.slots) * max(1, len(sec.staff) or sec.option.staff_need)
        return value[i] / periods

    drop = min(pool, key=lambda i: (cost(i), sections[i].spec.name))
    return [sec for i, sec in enumerate(sections) if i != drop]


def optimize(loaded: Loaded, opts: Options | None = None) -> tuple[Plan, list[Violation], Report]:
    opts = opts or Options()
    t0 = time.perf_counter()
    report = Report()
    settings = Settings(opts.workers, opts.seed, opts.progress, opts.stop, t0)

    explanation = diagnose(loaded)
    if explanation:
        plan, v = assemble(
            loaded,
            [],
            status="infeasible",
            seconds=time.perf_counter() - t0,
            explanation=explanation,
            warnings=["预检证明无解 / the pre-checks prove no plan exists"],
        )
        return plan, v, report
    previous = opts.previous.activities if opts.previous else None
    pinned = bool(loaded.instance.pins)
    # every constructive planner, checked; the best is the start and the floor (issue 13)
    # with one worker the set depends on the school only (reproducible); with more, at most a fifth of the limit
    candidates = heuristics.run_all(
        loaded,
        opts.weights,
        only_fcfs=previous is not None or pinned,
        seconds=None if opts.workers == 1 else 0.2 * opts.time_limit,
    )
    base = candidates[0].plan
    base_ok = candidates[0].valid
    report.stages.append({"stage": "baseline", "valid": base_ok, "seconds": round(base.solve_seconds, 3)})
    if base_ok:
        report.fcfs = {
            "term_cost": base.costs.staff_pay_per_term,
            "first_choice_rate": base.metrics.first_choice_rate,
            "any_choice_rate": base.metrics.any_choice_rate,
        }
    top = heuristics.best(candidates) if previous is None and not pinned else None
    for c in candidates[1:]:
        report.stages.append(
            {"stage": f"heuristic {c.name}", "valid": c.valid, "score": c.score, "seconds": round(c.seconds, 3)}
        )
    if top is not None:
        report.stages.append(
            {"stage": f"start: {top.name}", "score": top.score, "cost": top.plan.costs.staff_pay_per_term}
        )
    hint = previous or (top.plan.activities if top is not None else base.activities)
    data = build_problem(loaded, [hint])
    if opts.cost_cap and base_ok and previous is None and not pinned:
        data.cost_cap = base.costs.staff_pay_per_term  # --cost-cap: never costlier than FCFS (a target, off by default)

    def heuristic_plan(why: str) -> tuple[Plan, list[Violation], Report] | None:
        if top is None:
            return None
        report.fallback = why
        plan, v = assemble(
            loaded,
            top.plan.activities,
            status="feasible",
            seconds=time.perf_counter() - t0,
            warnings=[f"返回最好的启发式方案（{top.name}）/ the best heuristic plan ({top.name}): {why}"],
        )
        return plan, v, report

    def give_up(why: str, explanation: list[Explanation] | None = None) -> tuple[Plan, list[Violation], Report]:
        fallback = heuristic_plan(why)
        if fallback is not None:
            return fallback
        report.fallback = why
        if base_ok and not pinned:
            plan, v = assemble(
                loaded,
                base.activities,
                status="feasible",
                seconds=time.perf_counter() - t0,
                warnings=[f"优化未完成，返回先到先得基线方案 / fell back to the FCFS plan: {why}"],
            )
            return plan, v, report
        status: Status = "infeasible" if explanation else "unknown"
        plan, v = assemble(
            loaded,
            [],
            status=status,
            seconds=time.perf_counter() - t0,
            explanation=explanation or [],
            warnings=[f"没有找到方案 / no plan found: {why}"],
        )
        return plan, v, report

    slack = 0.0
    cost_note: list[str] = []
    for attempt in range(2):
        # one worker: fixed shares of the limit (reproducible); more: shares of what the heuristics left
        left = opts.time_limit if opts.workers == 1 else max(1.0, opts.time_limit - (time.perf_counter() - t0))
        share = left * opts.sectioning_share * (1 if attempt == 0 else 0.5)
        res = sectioning.solve(
            data,
            time_limit=share,
            settings=settings,
            weights=opts.weights,
            hint=hint,
            previous=previous,
            budget_slack=slack,
            fixed_share=opts.fixed_share if attempt == 0 else 0.0,
            lns_share=opts.lns_share,
        )
        report.stages.append(
            {
                "stage": "sectioning",
                "status": res.status,
                "objective": res.objective,
                "bound": res.bound,
                "seconds": round(res.seconds, 3),
                "variables": res.variables,
                "constraints": res.constraints,
                "ceiling": res.ceiling,
                **({"lns": res.lns} if res.lns else {}),
            }
        )
        report.trace += res.trace
        if res.status == "infeasible":
            names = sectioning.explain(data, opts.weights, max(5.0, opts.time_limit / 4))
            return give_up("sectioning infeasible", explain_groups(loaded, names) if names else None)
        if res.status not in ("optimal", "feasible"):
            return give_up(f"sectioning {res.status}")
        sections = offer_junior_homework(loaded, res.sections)
        budget = (
            opts.time_limit * (1 - opts.sectioning_share)
            if opts.workers == 1
            else max(1.0, opts.time_limit - (time.perf_counter() - t0))
        )
        done = _staff(loaded, data, sections, previous, opts, settings, report, budget, explain=True)
        if done.acts is None and done.status == "infeasible" and attempt == 0 and "budget" in done.core:
            over = staffing.overshoot(data, done.jobs, settings)
            if over:
                # the sectioning model's cost bound was too low: ask it for that much less (R20)
                slack += over
                continue
        # stage 1 picked what stage 2 cannot staff: close the least valuable sections and restaff
        repairs = 0
        while done.acts is None and done.status in ("infeasible", "unknown", "rooms") and repairs < REPAIRS:
            if opts.stop is not None and opts.stop.is_set():
                break
            elapsed = time.perf_counter() - t0
            if repairs and elapsed > opts.time_limit * (10 if opts.workers == 1 else 1.1):
                break  # out of time: the best heuristic plan is written instead
            smaller = _repair(loaded, sections, done.core, opts.weights)
            if smaller is None:
                break
            sections = smaller
            repairs += 1
            budget = (
                max(1.0, budget / 2) if opts.workers == 1 else max(1.0, opts.time_limit - (time.perf_counter() - t0))
            )
            done = _staff(loaded, data, sections, previous, opts, settings, report, min(budget, 10.0), explain=True)
        if repairs:
            report.stages.append({"stage": "repair", "sections_closed": repairs, "staffed": done.acts is not None})
            if done.acts is not None:
                cost_note.append(
                    f"为能排出人员，关闭了 {repairs} 个选课班 / closed {repairs} sections that could not be staffed"
                )
        if done.acts is not None:
            break
        if done.status == "infeasible" and data.cost_cap is not None:
            # our own promise (cost no higher than FCFS) is what fails, not a rule: keep the better
            # plan at a higher cost, within the budget if one must balance, and say so
            data.cost_cap = None
            cost_note.append("学期支出高于先到先得方案（为满足更多志愿）/ the term cost is above the FCFS plan's")
            done = _staff(loaded, data, sections, previous, opts, settings, report, max(1.0, budget / 2), explain=False)
            if done.acts is not None:
                break
        return give_up(done.why)
    acts = done.acts
    assert acts is not None  # the loop above ends staffed, or returns
    status: Status = "optimal" if res.status == "optimal" and done.status == "optimal" else "feasible"
    notes = [
        f"优化器：分班 {res.status}，人员 {done.status}（目标与界限为选课偏好）/ optimizer: sectioning {res.status}, "
        f"staffing {done.status} (objective and bound are the preference objective)",
        *cost_note,
    ]
    score = objective.plan_score(loaded, acts, opts.weights)
    plan, violations = assemble(
        loaded,
        acts,
        status=status,
        seconds=time.perf_counter() - t0,
        objective=score if previous is None else res.objective,
        bound=res.bound,
        warnings=notes,
    )
    if violations:  # a bug of ours: say so, never hand it out as valid
        why = f"optimizer plan failed the checker ({len(violations)} violations): {violations[0].render()}"
        fallback = heuristic_plan(why)
        if fallback is not None:
            return fallback
        report.fallback = why
        if base_ok and not pinned:
            fb, v = assemble(
                loaded,
                base.activities,
                status="feasible",
                seconds=time.perf_counter() - t0,
                warnings=[f"优化方案未通过检查，返回基线方案 / {why}"],
            )
            return fb, v, report
    elif top is not None and heuristics.plan_key(loaded, plan, opts.weights) < top.key:
        # the floor: never worse than the best heuristic on the documented priority order
        fallback = heuristic_plan("the search ended below the best heuristic plan")
        if fallback is not None:
            fb, v, _ = fallback
            fb.bound = res.bound
            return fb, v, report
    if opts.previous is not None:
        report.changes = changes(opts.previous, plan)
    return plan, violations, report


def changes(before: Plan, after: Plan) -> list[str]:
    """Who moves where between two plans: students moved, staff changed, sessions moved."""
    out = []
    b = {a.id: a for a in before.activities}
    f = {a.id: a for a in after.activities}
    where_b: dict[tuple[str, str, str], str] = {}
    where_f: dict[tuple[str, str, str], str] = {}
    for acts, where in ((before.activities, where_b), (after.activities, where_f)):
        for a in acts:
            for s in a.students:
                for sl in a.slots:
                    where[(s, sl.day, sl.period)] = a.id
    moved = defaultdict(list)
    for key in sorted(set(where_b) | set(where_f)):
        if where_b.get(key) != where_f.get(key):
            moved[key[0]].append(f"{key[1]} {key[2]}: {where_b.get(key, '-')} → {where_f.get(key, '-')}")
    for s, items in moved.items():
        out.append(f"学生 student {s}: " + "; ".join(items))
    for aid in sorted(set(b) & set(f)):
        if set(b[aid].staff) != set(f[aid].staff):
            out.append(f"教职工 staff {aid}: {', '.join(b[aid].staff)} → {', '.join(f[aid].staff)}")
        if {s.key() for s in b[aid].slots} != {s.key() for s in f[aid].slots}:
            out.append(f"时间 sessions {aid}: moved")
        if b[aid].room != f[aid].room:
            out.append(f"场地 room {aid}: {b[aid].room} → {f[aid].room}")
    for aid in sorted(set(b) - set(f)):
        out.append(f"取消 removed {aid}")
    for aid in sorted(set(f) - set(b)):
        out.append(f"新增 added {aid}")
    return out
