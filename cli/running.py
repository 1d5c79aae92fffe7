"""A solve at the terminal: the live progress line, Ctrl-C that stops the search and keeps the best
checked plan, and `-v` (CP-SAT's search log on stderr). Used by `solve` for schools and holiday care."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from solver.model.run import Progress


class ProgressLine:
    """One live line on stderr: stage, time, objective, bound, gap."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.last = 0.0

    def __call__(self, event: Progress) -> None:
        import time as _time

        now = _time.monotonic()
        if not self.enabled or now - self.last < 0.25:
            return
        self.last = now
        print(
            f"\r[{event.stage:>13}] {event.seconds:6.1f}s  目标 objective {event.objective:>10.0f}  "
            f"界 bound {event.bound:>10.0f}  差距 gap {100 * event.gap:6.2f}%",
            end="",
            file=sys.stderr,
            flush=True,
        )

    def done(self) -> None:
        if self.enabled and self.last:
            print(file=sys.stderr)


def cpsat_log_through() -> None:
    """`-v`: every CP-SAT search the optimizer runs logs its progress to stderr (stdout stays the
    summary's). Done at the solver's door (CpSolver.solve) so the optimizer's code is untouched."""
    from ortools.sat.python import cp_model

    if getattr(cp_model.CpSolver.solve, "_afterschool_verbose", False):
        return
    original = cp_model.CpSolver.solve

    def solve(self, model, solution_callback=None):
        self.parameters.log_search_progress = True
        self.parameters.log_to_stdout = False
        self.log_callback = lambda line: print(line, file=sys.stderr, flush=True)
        return original(self, model, solution_callback)

    solve._afterschool_verbose = True  # type: ignore[attr-defined]  # the mark looked for above, on the function itself
    cp_model.CpSolver.solve = solve  # type: ignore[method-assign]  # deliberate: `-v` wraps CP-SAT's own solve


class StopOnCtrlC:
    """While a solve runs, Ctrl-C asks the optimizer to stop (Options.stop) instead of killing the
    process: the best checked plan found so far is written. A second Ctrl-C interrupts at once."""

    def __init__(self):
        import threading

        self.event = threading.Event()
        self.previous = None

    def __enter__(self):
        import signal
        import threading

        if (
            threading.current_thread() is threading.main_thread()
            and signal.getsignal(signal.SIGINT) is not signal.SIG_IGN
        ):  # a background job keeps ignoring it
            self.previous = signal.signal(signal.SIGINT, self._handler)
        return self

    def run(self, fn, *args):
        """`fn(*args)` in a worker thread while this (main) thread waits: Python runs signal handlers
        only in the main thread between bytecodes, never while it sits inside CP-SAT's C++ search."""
        import threading

        result: dict = {}

        def work():
            try:
                result["value"] = fn(*args)
            except BaseException as exc:  # handed back to the main thread
                result["error"] = exc

        import signal

        worker = threading.Thread(target=work, name="solve", daemon=True)
        worker.start()
        while worker.is_alive():
            worker.join(0.05)
            if self.previous is not None:
                # CP-SAT puts its own SIGINT handler in place for each search (a thread-local one that
                # aborts when the signal reaches another thread) and resets it to the default after:
                # ours goes back every 50 ms, so Ctrl-C reaches this handler and stops the search cleanly.
                signal.signal(signal.SIGINT, self._handler)
        if "error" in result:
            raise result["error"]
        return result["value"]

    def _handler(self, signum, frame):
        if self.event.is_set():
            raise KeyboardInterrupt
        self.event.set()
        print(
            "\n已中断：正在停止搜索并写出目前最好的已检查方案（再按一次 Ctrl-C 立即退出）/ stopping: writing the best "
            "checked plan so far (Ctrl-C again to quit at once)",
            file=sys.stderr,
            flush=True,
        )

    def __exit__(self, *exc):
        import signal

        if self.previous is not None:
            signal.signal(signal.SIGINT, self.previous)
        return False
