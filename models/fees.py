"""R18/R20 fee arithmetic, one place for everyone who needs it (the checker, the budget rule of
the model, the FCFS baseline): who pays, and the term's income."""

from __future__ import annotations

from models.instance import Instance, Policy


def payers(instance: Instance) -> int:
    """R18: students registered for any service who pay (no waiver)."""
    return sum(1 for s in instance.students if (s.days or s.extended_days or s.evening_days) and s.fee_waiver is None)


def term_income(instance: Instance, policy: Policy) -> float:
    """R20: fees after waivers plus the subsidy, per term."""
    return policy.fee_per_term * payers(instance) + policy.subsidy_per_term
