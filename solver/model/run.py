"""Running CP-SAT: parameters, reproducibility, progress and stopping, in one place.

- Progress: every improving solution reports elapsed time, objective, bound and gap through a
  plain callback (it runs on solver threads: it must not touch any UI).
- Stopping: a stop request (threading.Event) ends the search at once, via a watcher thread,
  and the best solution found so far is kept.
- Reproducibility: with one worker the limit is CP-SAT's deterministic time, so the same
  instance, seed and `--workers 1` give the same plan whatever else the machine is doing; the wall
  clock is then only a backstop (cpsat-modelling.md §7).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model


@dataclass
class Progress:
    stage: str
    seconds: float
    objective: float
    bound: float
    sense: str = "max"  # "max": preferences (students, sections); "min": cost and load (staff-*)

    @property
    def gap(self) -> float:
        return abs(self.objective - self.bound) / max(1.0, abs(self.objective))


ProgressFn = Callable[[Progress], None]


class Reporter(cp_model.CpSolverSolutionCallback):
    def __init__(self, stage: str, progress: ProgressFn | None, t0: float):
        super().__init__()
        self.stage, self.progress, self.t0 = stage, progress, t0
        self.trace: list[Progress] = []

    def on_solution_callback(self) -> None:
        event = Progress(
            self.stage,
            time.perf_counter() - self.t0,
            self.objective_value,
            self.best_objective_bound,
            "min" if self.stage.startswith("staff") else "max",
        )
        self.trace.append(event)
        if self.progress is not None:
            self.progress(event)


@dataclass
class Settings:
    workers: int = 2
    seed: int = 1
    progress: ProgressFn | None = None
    stop: threading.Event | None = None
    t0: float = 0.0


def solve(
    model: cp_model.CpModel, stage: str, budget: float, settings: Settings, **params
) -> tuple[cp_model.CpSolver, cp_model.CpSolverStatus, list[Progress]]:
    """Solve within `budget` seconds (deterministic seconds with one worker)."""
    solver = cp_model.CpSolver()
    p = solver.parameters
    p.num_workers = settings.workers
    p.random_seed = settings.seed
    if settings.workers == 1:
        p.max_deterministic_time = max(0.5, budget)
        p.max_time_in_seconds = max(10.0, 10 * budget)  # a backstop only: reproducible unless hit
    else:
        p.max_time_in_seconds = max(0.5, budget)
    for key, value in params.items():
        setattr(p, key, value)
    reporter = Reporter(stage, settings.progress, settings.t0)
    done = threading.Event()
    watcher = None
    stop = settings.stop
    if stop is not None:
        if stop.is_set():
            return solver, cp_model.UNKNOWN, []

        def watch() -> None:
            while not done.wait(0.1):
                if stop.is_set():
                    solver.stop_search()
                    return

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
    try:
        status = solver.solve(model, reporter)
    finally:
        done.set()
        if watcher is not None:
            watcher.join()
    return solver, status, reporter.trace
