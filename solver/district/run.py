"""Run a district: master allocation of shared staff, schools solved in parallel on Dask, re-allocation.

Engines (issue 6):
- `--workers 1`: no cluster at all, the schools are solved one after another in this process;
- default: a `dask.distributed.LocalCluster` on this machine, one single-threaded worker process
  per core (each school task runs CP-SAT with one worker, so tasks × CP-SAT workers ≤ cores);
- `--scheduler tcp://HOST:8786`: an existing Dask cluster (`dask scheduler`, `dask worker`).
A task gets the school's instance text (its allocation already added) and returns plain JSON data:
the plan, status, explanation or input problems, seconds, and the worker's peak RSS. A school whose
data are rejected, or that has no plan, is reported with why; the others go on.

Rounds (see `solver/district/README.md`): round 1 solves every school with the master's
allocation; each allocation then shrinks to what the school's plan uses (unused slots go back to
the pool and are not offered to that school again); a school where a chosen course needing a
shared qualification did not open asks for it, the master allocates what is free around everything
kept, and only the schools that get more are solved again (their new plan is kept when it places at
least as many students in a chosen course). Shrinking an allocation never invalidates a plan, so
the plans kept from different rounds never share a person at once.

Processes: a local cluster starts worker processes with `spawn`, so a script that runs a district
must guard its entry point with `if __name__ == "__main__":` (the `afterschool` command does).
"""

from __future__ import annotations

import json
import logging
import os
import resource
import socket
import time
import traceback
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from models.common import SlotKey
from models.load import Loaded, load_bytes, load_instance
from models.plan import Plan
from models.plan_io import plan_from_data
from models.problems import InputRejected
from solver.district.load import LoadedDistrict
from solver.district.master import Unit, allocate, demand, unopened, used_slots
from solver.district.pool import clashes, inject, instance_text

VALID = ("optimal", "feasible")


# --------------------------------------------------------------------------- the task (runs on a worker)


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB.

    `resource.getrusage(RUSAGE_SELF).ru_maxrss`, except on Linux where a spawned worker inherits
    its parent's high-water mark through fork + exec (a Dask worker started by a 500 MB driver
    would report 500 MB at once): there the address space's own peak, `VmHWM` in
    /proc/self/status, is what the worker used."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1024 * 1024 if os.uname().sysname == "Darwin" else 1024), 1)


def _school_result(payload: dict, worker: str | None, error: str | None = None) -> dict:
    """A school's result before (or instead of) its solve: no plan yet, status error."""
    return {
        "school": payload["school"],
        "round": payload["round"],
        "worker": worker,
        "plan": None,
        "status": "error",
        "problems": [],
        "explanation": [],
        "violations": [],
        "stages": [],
        "fallback": None,
        "error": error,
    }


def solve_school(payload: dict) -> dict:
    """Solve one school. Input and output are plain JSON data, so any Dask worker can run it."""
    from solver.optimize import Options, optimize

    t0 = time.perf_counter()
    out = _school_result(payload, f"{socket.gethostname()}:{os.getpid()}")
    try:
        loaded = load_bytes(payload["instance_text"].encode("utf-8"), payload["source"])
        plan, violations, report = optimize(
            loaded,
            Options(
                time_limit=payload["time_limit"],
                workers=1,
                seed=payload["seed"],
                cost_cap=payload.get("cost_cap", False),
            ),
        )
        out.update(
            plan=json.loads(plan.to_json()),
            status=plan.status,
            explanation=[e.model_dump(mode="json") for e in plan.explanation],
            violations=[v.to_dict() for v in violations],
            stages=report.stages,
            fallback=report.fallback,
        )
    except InputRejected as exc:
        out.update(status="rejected", problems=[p.to_dict() for p in exc.report.errors])
    except Exception as exc:  # a bug or a crash of ours: report it for this school, keep the others going
        out.update(status="error", error=f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=8)}")
    out["seconds"] = round(time.perf_counter() - t0, 3)
    out["rss_mb"] = peak_rss_mb()
    return out


# --------------------------------------------------------------------------- engines


class EngineError(Exception):
    """The engine cannot start (e.g. the scheduler cannot be reached)."""


class InProcessEngine:
    """No cluster: one school after another in this process (`--workers 1`)."""

    def __init__(self):
        self.info = {"engine": "in-process", "workers": 1, "scheduler": None}

    def run(self, payloads: Iterable[dict]) -> Iterator[dict]:
        for p in payloads:
            yield solve_school(p)

    def close(self) -> None:
        pass


class DaskEngine:
    """Dask distributed: a LocalCluster sized to `workers` (default: the cores), or an existing
    cluster at `scheduler`. Tasks run `solve_school`; results stream back as schools finish."""

    def __init__(self, workers: int | None = None, scheduler: str | None = None, tls: TLS | None = None):
        from dask.distributed import Client, LocalCluster

        self.cluster = None
        if scheduler:
            security = tls.security() if tls is not None and tls.given else None  # None: Dask's config decides
            if security is not None and not scheduler.startswith("tls://"):
                raise EngineError(
                    f"给了 TLS 证书，但调度器地址不是 tls:// / TLS certificates given but the scheduler "
                    f"address {scheduler} is not tls://"
                )
            if security is None and scheduler.startswith("tls://"):
                from distributed.security import Security

                if Security().get_connection_args("client").get("ssl_context") is None:
                    raise EngineError(
                        f"调度器 {scheduler} 要求 TLS：请给出 --tls-ca、--tls-cert、--tls-key（或 Dask 的 "
                        f"distributed.comm.tls 配置） / the scheduler {scheduler} uses TLS: give --tls-ca, "
                        "--tls-cert and --tls-key (or Dask's distributed.comm.tls configuration)"
                    )
            try:
                self.client = Client(scheduler, timeout="15s", security=security)
            except (OSError, TimeoutError, ValueError) as exc:
                raise EngineError(
                    f"无法连接 Dask 调度器 cannot reach the Dask scheduler at {scheduler}: {exc}"
                ) from None
        else:
            n = workers or os.cpu_count() or 1
            self.cluster = LocalCluster(
                n_workers=n,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
                silence_logs=logging.ERROR,
            )
            self.client = Client(self.cluster)
        n_workers = len(self.client.scheduler_info().get("workers", {}))
        assert self.client.scheduler is not None  # the client is connected
        self.info = {
            "engine": "dask",
            "scheduler": self.client.scheduler.address,
            "workers": n_workers,
            "local_cluster": self.cluster is not None,
        }

    def run(self, payloads: Iterable[dict]) -> Iterator[dict]:
        from dask.distributed import as_completed

        tag = uuid.uuid4().hex[:8]
        futures = {}
        for p in payloads:
            fut = self.client.submit(solve_school, p, key=f"school-{p['school']}-r{p['round']}-{tag}", pure=False)
            futures[fut] = p
        for fut in as_completed(list(futures)):
            p = futures.pop(fut)
            try:
                yield fut.result()
            except Exception as exc:  # the worker died (memory, crash) or the task failed: report this school
                yield {**_school_result(p, None, f"{type(exc).__name__}: {exc}"), "seconds": None, "rss_mb": None}
            fut.release()

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


@dataclass(frozen=True)
class TLS:
    """Certificates for a Dask cluster that requires TLS (`tls://` scheduler): the CA that signed the
    cluster's certificates, and this client's certificate and key (PEM files). Left empty, Dask's own
    configuration (`distributed.comm.tls.*`, e.g. ~/.config/dask/distributed.yaml) applies."""

    ca: str | None = None
    cert: str | None = None
    key: str | None = None

    @property
    def given(self) -> bool:
        return any((self.ca, self.cert, self.key))

    def security(self):
        from distributed.security import Security

        missing = [n for n, v in (("--tls-ca", self.ca), ("--tls-cert", self.cert)) if not v]
        if missing:
            raise EngineError(f"TLS 需要 {', '.join(missing)} / TLS needs {', '.join(missing)}")
        for path in (self.ca, self.cert, self.key):
            if path and not os.path.isfile(path):
                raise EngineError(f"找不到证书文件 certificate file not found: {path}")
        return Security(
            tls_ca_file=self.ca, tls_client_cert=self.cert, tls_client_key=self.key, require_encryption=True
        )


def make_engine(workers: int | None, scheduler: str | None, tls: TLS | None = None):
    if scheduler:
        return DaskEngine(scheduler=scheduler, tls=tls)
    if workers == 1:
        return InProcessEngine()
    return DaskEngine(workers=workers)


# --------------------------------------------------------------------------- the district loop


@dataclass
class Options:
    time_limit: float = 60.0  # per school
    workers: int | None = None  # None: one per core; 1: no cluster
    scheduler: str | None = None
    tls: TLS | None = None  # certificates for a tls:// scheduler
    rounds: int = 3
    seed: int = 1
    master_time_limit: float = 10.0
    # The optimizer's single-school promise "no costlier than the FCFS plan" (Options.cost_cap) would
    # leave most allocated specialists idle (FCFS rarely uses them); the budget (R20) still holds.
    cost_cap: bool = False
    progress: Callable[[str], None] | None = print


@dataclass
class SchoolOutcome:
    """One school's result. `status`: a plan status, or `rejected` (bad input) or `error`."""

    id: str
    name: str = ""
    status: str = "unknown"
    loaded: Loaded | None = None  # the school's own instance
    solved_text: str | None = None  # the instance the plan was made for (allocation added)
    plan: Plan | None = None
    problems: list[dict] = field(default_factory=list)
    result: dict = field(default_factory=dict)  # the worker's data for the kept plan
    offered: dict[str, set[SlotKey]] = field(default_factory=dict)  # allocation the kept plan was solved with
    round: int = 0
    history: list[dict] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return self.plan is not None and self.status in VALID and not self.result.get("violations")

    @property
    def placed(self) -> tuple:
        """Students placed in a chosen course, then in their first choice (to compare two plans)."""
        if self.plan is None or self.loaded is None:
            return (-1, -1)
        n = sum(1 for cids in self.loaded.kept_choices.values() if cids)
        m = self.plan.metrics
        return (round(m.any_choice_rate * n), round(m.first_choice_rate * n))


@dataclass
class DistrictRun:
    LD: LoadedDistrict
    outcomes: dict[str, SchoolOutcome]
    rounds: list[dict]
    engine: dict
    seconds: float
    units: list[Unit] = field(default_factory=list)

    def worker_peaks(self) -> dict[str, float]:
        """Peak RSS (MB) per worker process over every task it ran."""
        out: dict[str, float] = {}
        for o in self.outcomes.values():
            for h in o.history:
                w, rss = h.get("worker"), h.get("rss_mb")
                if w and rss is not None:
                    out[w] = max(out.get(w, 0.0), rss)
        return dict(sorted(out.items()))

    def plans(self) -> dict[str, Plan]:
        return {s: o.plan for s, o in self.outcomes.items() if o.plan is not None}


def _load_schools(LD: LoadedDistrict, outcomes: dict[str, SchoolOutcome], say) -> dict[str, Loaded]:
    loaded = {}
    for s in LD.district.schools:
        o = outcomes[s.id] = SchoolOutcome(s.id)
        try:
            L = load_instance(LD.instance_path(s.id))
        except InputRejected as exc:
            o.status, o.problems = "rejected", [p.to_dict() for p in exc.report.errors]
            say(
                f"  {s.id}: 实例被拒绝 instance rejected — {len(o.problems)} 个问题 problems "
                f"(e.g. {exc.report.errors[0].where}: {exc.report.errors[0].message_en})"
            )
            continue
        o.loaded, o.name = L, L.instance.school.name
        bad = clashes(LD, s.id, L.instance.to_json_dict())
        if bad:
            o.status, o.problems = "rejected", [p.to_dict() for p in bad]
            say(f"  {s.id}: 编号冲突 id clash — {bad[0].message_en}")
            continue
        loaded[s.id] = L
    return loaded


def _progress_line(o: SchoolOutcome, res: dict, done: int, total: int, rnd: int, kept: bool) -> str:
    head = f"[轮 round {rnd}] {done}/{total} {o.id} {o.name}: "
    secs = f"{res['seconds']:.1f} s" if res.get("seconds") is not None else "-"
    where = f"worker {res.get('worker')}, 峰值内存 peak RSS {res.get('rss_mb')} MB"
    if res["status"] in VALID and res.get("plan"):
        m = res["plan"]["metrics"]
        shared = sum(len(v) for v in o.offered.values())
        note = "" if kept else "（保留上一轮方案 kept the previous plan）"
        return (
            f"{head}{res['status']} {secs}，任一志愿 any choice {100 * m['any_choice_rate']:.1f}%，"
            f"第一志愿 first {100 * m['first_choice_rate']:.1f}%，共享人员课时 shared periods offered {shared}"
            f"{note} ({where})"
        )
    if res["status"] == "rejected":
        return f"{head}数据被拒绝 rejected — {res['problems'][0]['message_en'] if res['problems'] else ''} ({where})"
    if res["status"] == "infeasible":
        why = res["explanation"][0]["detail"] if res["explanation"] else ""
        return f"{head}无解 infeasible — {why} ({where})"
    if res["status"] == "error":
        return f"{head}出错 error — {(res.get('error') or '').splitlines()[0] if res.get('error') else ''}"
    return f"{head}{res['status']}：没有有效方案 no valid plan {secs} ({where})"


def run_district(LD: LoadedDistrict, opts: Options | None = None, engine=None) -> DistrictRun:
    """Plan every school of the district (see the module docstring). `engine`: an engine to reuse
    (it is left open); otherwise one is made from the options and closed at the end."""
    opts = opts or Options()
    t0 = time.perf_counter()
    say = opts.progress or (lambda _line: None)
    outcomes: dict[str, SchoolOutcome] = {}
    loaded = _load_schools(LD, outcomes, say)
    pool_ids = {p.id for p in LD.district.pool}
    own = engine is None
    engine = engine or make_engine(opts.workers, opts.scheduler, opts.tls)
    rounds: list[dict] = []
    first_units = [u for s, L in loaded.items() for u in demand(LD, s, L)]
    units = list(first_units)
    fixed: dict[str, dict[str, set[SlotKey]]] = {}
    banned: dict[tuple[str, str], set[SlotKey]] = defaultdict(set)
    try:
        for rnd in range(1, max(1, opts.rounds) + 1):
            live = {s: loaded[s] for s in loaded if rnd == 1 or outcomes[s].valid}
            master = allocate(
                LD, live, units, fixed=fixed, banned=banned, time_limit=opts.master_time_limit, seed=opts.seed
            )
            if rnd == 1:
                todo = sorted(loaded, key=lambda s: -len(loaded[s].instance.students))
            else:
                todo = [s for s in live if _more(master.grants.get(s, {}), fixed.get(s, {}))]
            info: dict[str, Any] = {"round": rnd, "master": master.summary(), "schools_solved": todo}
            rounds.append(info)
            say(
                f"[轮 round {rnd}] 主问题 master: {master.status}，需求 demand {master.demand} 课时 periods，"
                f"覆盖 covered {master.covered}，分配 allocated {info['master']['allocated_periods']}；"
                f"求解 solving {len(todo)} 所学校 schools on {engine.info['engine']} ({engine.info['workers']} workers)"
            )
            if not todo:
                break
            offers = {s: master.grants.get(s, {}) for s in todo}
            payloads = []
            texts = {}
            for s in todo:
                texts[s] = instance_text(inject(LD, s, loaded[s], offers[s]))
                payloads.append(
                    {
                        "school": s,
                        "round": rnd,
                        "instance_text": texts[s],
                        "source": f"{s}.json",
                        "time_limit": opts.time_limit,
                        "seed": opts.seed,
                        "cost_cap": opts.cost_cap,
                    }
                )
            for done, res in enumerate(engine.run(payloads), 1):
                s = res["school"]
                kept = _take(outcomes[s], res, texts[s], offers[s], rnd)
                say(_progress_line(outcomes[s], res, done, len(todo), rnd, kept))
            units = []
            for s in todo:
                o = outcomes[s]
                if not o.valid:
                    fixed.pop(s, None)
                    continue
                assert o.plan is not None  # a valid outcome has a plan
                used = used_slots(o.plan, pool_ids)
                for pid, slots in offers[s].items():
                    banned[(s, pid)] |= slots - used.get(pid, set())
                fixed[s] = used
                if o.round == rnd:  # the plan of this round is kept: what it still misses
                    units += unopened(LD, s, loaded[s], o.plan)
            info["asked_again"] = [
                {"school": u.school, "course": u.course, "qualification": u.qualification} for u in units
            ]
            if not units:
                break
    finally:
        if own:
            engine.close()
    return DistrictRun(LD, outcomes, rounds, dict(engine.info), time.perf_counter() - t0, first_units)


def _more(new: dict[str, set[SlotKey]], old: dict[str, set[SlotKey]]) -> bool:
    return any(slots - old.get(pid, set()) for pid, slots in new.items())


def _take(o: SchoolOutcome, res: dict, text: str, offer: dict[str, set[SlotKey]], rnd: int) -> bool:
    """Record a worker's result; keep its plan unless an earlier valid plan placed more students."""
    o.history.append({k: res.get(k) for k in ("round", "status", "seconds", "rss_mb", "worker", "fallback")})
    plan = None
    if res.get("plan") is not None:
        plan = plan_from_data(res["plan"], f"{o.id}-plan")
    candidate = SchoolOutcome(
        o.id, o.name, res["status"], o.loaded, text, plan, res.get("problems", []), res, offer, rnd
    )
    if o.valid and not (candidate.valid and candidate.placed >= o.placed):
        return False
    history = o.history
    o.__dict__.update(candidate.__dict__)
    o.history = history
    return True
