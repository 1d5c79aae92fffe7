"""Solves in a background thread, so the app stays usable while the optimizer runs.

The job object lives in `st.session_state`; the thread runs `solver.optimize.optimize` and only
copies numbers into the job (under its lock) from the progress callback — never a Streamlit call
off the script thread. Pages poll the job from a fragment (`st.fragment(run_every=…)`), and
`stop()` sets the optimizer's stop event: the best valid plan found so far comes back.
A finished plan is stored server-side by the job itself (`keep`, given at start), before the job
reports "done": it is kept whether or not the tab that started it is still open.
At most one solve runs at a time in the process (2 cores): others wait their turn.
"""

from __future__ import annotations

import logging
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from models.load import Loaded
from models.plan import Plan
from solver.model.objective import DEFAULT, Weights
from solver.optimize import Options, optimize

log = logging.getLogger(__name__)

# One solve at a time per server process: CP-SAT uses both cores.
_TURN = threading.Semaphore(1)

# Stages whose objective is the preference score (plotted); staffing stages minimise cost.
PREFERENCE_STAGES = ("students", "sections")


@dataclass
class Point:
    seconds: float
    stage: str
    objective: float
    bound: float
    gap: float


@dataclass
class SolveJob:
    loaded: Loaded
    time_limit: float
    weights: Weights = DEFAULT
    previous: Plan | None = None
    purpose: str = "solve"  # "solve" or "resolve" (from the Adjust page)
    state: str = "queued"  # queued, running, done, failed
    points: list[Point] = field(default_factory=list)
    stage: str = ""
    started: float = field(default_factory=time.monotonic)
    finished: float | None = None
    plan: Plan | None = None
    changes: list[str] = field(default_factory=list)
    fallback: str | None = None
    error: str | None = None
    stop_event: threading.Event = field(default_factory=threading.Event)
    announced: bool = False  # a fragment has triggered the full rerun that shows the result
    harvested: bool = False  # the result was taken into the session
    lock: threading.Lock = field(default_factory=threading.Lock)
    thread: threading.Thread | None = None
    keep: Callable[[Plan, str], Any] | None = None  # stores the plan (runs on the job's thread)
    stored: Any = None  # what `keep` returned (a store.repo.PlanInfo)
    store_error: str | None = None

    # ---- called on solver threads: numbers only
    def on_progress(self, event) -> None:
        with self.lock:
            self.stage = event.stage
            self.points.append(
                Point(event.seconds, event.stage, float(event.objective), float(event.bound), float(event.gap))
            )

    def run(self) -> None:
        while not _TURN.acquire(timeout=0.2):
            if self.stop_event.is_set():
                with self.lock:
                    self.state, self.error, self.finished = "failed", "stopped before it started", time.monotonic()
                return
        try:
            with self.lock:
                self.state = "running"
                self.started = time.monotonic()
            opts = Options(
                time_limit=self.time_limit,
                workers=2,
                seed=1,
                weights=self.weights,
                previous=self.previous,
                progress=self.on_progress,
                stop=self.stop_event,
            )
            plan, _violations, report = optimize(self.loaded, opts)
            stored = store_error = None
            if self.keep is not None:
                try:
                    stored = self.keep(plan, self.purpose)
                except Exception as exc:  # the plan stays in the job; the page says it was not kept
                    log.warning("plan not kept: %s", exc)
                    store_error = f"{type(exc).__name__}: {exc}"
            with self.lock:
                self.stored, self.store_error = stored, store_error
                self.plan, self.changes, self.fallback = plan, list(report.changes), report.fallback
                self.state = "done"
        except Exception as exc:  # shown on the page; the session goes on
            log.error("solve failed: %s", traceback.format_exc())
            with self.lock:
                self.state, self.error = "failed", f"{type(exc).__name__}: {exc}"
        finally:
            with self.lock:
                self.finished = time.monotonic()
            _TURN.release()

    # ---- called on the script thread
    def snapshot(self) -> dict:
        with self.lock:
            end = self.finished or time.monotonic()
            return {
                "state": self.state,
                "stage": self.stage,
                "points": list(self.points),
                "seconds": end - self.started,
                "stopping": self.stop_event.is_set(),
            }

    @property
    def active(self) -> bool:
        return self.state in ("queued", "running")

    def stop(self) -> None:
        self.stop_event.set()


def start(
    loaded: Loaded,
    time_limit: float,
    weights: Weights = DEFAULT,
    previous: Plan | None = None,
    purpose: str = "solve",
    keep: Callable[[Plan, str], Any] | None = None,
) -> SolveJob:
    job = SolveJob(loaded, time_limit, weights, previous, purpose, keep=keep)
    job.thread = threading.Thread(target=job.run, name=f"solve-{loaded.instance.school.id}", daemon=True)
    job.thread.start()
    return job


def wait(job: SolveJob, timeout: float) -> bool:
    """Block until the job ends (tests); True when it did."""
    if job.thread is not None:
        job.thread.join(timeout)
    return not job.active
