"""Issue 13: the profile schools (instances/profiles.py) are what their names say, load without
problems, and have a valid sign-up plan; the held-out set is stored apart from the tuning set."""

from __future__ import annotations

import pytest

from benchmarks.instances import PROFILE_SEEDS, profile_path
from instances.profiles import PROFILES, generate_profile
from models.load import dump_instance, load_bytes
from solver.baseline import baseline_plan


@pytest.mark.parametrize("name", sorted(PROFILES))
def test_profile_loads_and_has_a_valid_sign_up_plan(name):
    inst = generate_profile(name, 7, 200 if name != "budget-tight" else None)
    L = load_bytes(dump_instance(inst).encode(), name)
    plan, violations = baseline_plan(L)
    assert plan.status == "feasible" and not violations
    electives = [c for c in inst.courses if c.category not in ("homework", "tutoring", "care", "evening_study")]
    if name == "junior-2p":
        assert sum(c.periods_per_session == 2 for c in electives) >= 0.3 * len(electives)
        assert {L.grade(s) for s in inst.students} <= {7, 8, 9}
    if name == "budget-tight":
        assert inst.policy.budget_must_balance
    if name == "offsite":
        assert sum(r.off_campus for r in inst.rooms) >= 4
    if name in ("primary-40", "wide-60"):
        assert len(electives) == int(name.split("-")[1])


def test_profiles_are_reproducible_and_seeds_differ():
    a = dump_instance(generate_profile("shortage", 3, 150))
    assert a == dump_instance(generate_profile("shortage", 3, 150))
    assert a != dump_instance(generate_profile("shortage", 4, 150))


def test_held_out_set_is_stored_apart_from_the_tuning_set():
    tuning, heldout = set(PROFILE_SEEDS["profiles"]), set(PROFILE_SEEDS["heldout"])
    assert not tuning & heldout
    for name in PROFILES:
        for seed in heldout:
            assert profile_path("heldout", name, seed).exists()
        for seed in tuning:
            assert profile_path("profiles", name, seed).exists()
