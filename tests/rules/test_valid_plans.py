"""The uncorrupted baseline plans are valid: every test in this folder starts from them."""

from models.plan import RULE_CODES
from tests.conftest import rules_of


def test_example_plan_is_valid(example, example_plan):
    assert rules_of(example, example_plan) == set()
    assert [c.rule for c in example_plan.compliance] == list(RULE_CODES)


def test_junior_plan_with_evening_study_is_valid(junior, junior_plan):
    assert rules_of(junior, junior_plan) == set()
    assert any(a.kind == "evening_study" for a in junior_plan.activities)
