"""Peer benchmark adapters on their own data (skipped where ../shared/peers is not beside the clone)."""

from __future__ import annotations

import pytest

from benchmarks.peers import timefold

pytestmark = pytest.mark.skipif(not timefold.PEERS.exists(), reason="../shared/peers is not beside this checkout")


def test_timefold_small_optimum_proven():
    r = timefold.solve(timefold.load("small"), time_limit=20, workers=1)
    assert (r["hard"], r["soft"], r["relaxation_bound"]) == (0, 11, 11) and r["proven_optimal"]


def test_timefold_large_optimum_59_proven():
    data = timefold.load("large")
    r = timefold.solve(data, time_limit=30, workers=2)
    assert (r["hard"], r["soft"]) == (0, 59) and r["proven_optimal"]
    # the scorer is independent of the model: an assignment with a clash scores a hard conflict
    assignment = {
        k: (next(i for i, t in enumerate(data["timeslots"]) if t["id"] == v["timeslot"]), v["room"])
        for k, v in r["assignment"].items()
    }
    first, second = data["lessons"][0]["id"], data["lessons"][1]["id"]
    assignment[second] = assignment[first]
    assert timefold.score(data, assignment)[0] < 0


def test_teacher_relaxation_bound_is_59():
    assert timefold.teacher_bound(timefold.load("large")) == 59
