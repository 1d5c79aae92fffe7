"""R5: a student whose guardian applied gets care after the basic block on each applied day."""

from tests.conftest import activity_rules, find, plan_dict


def test_applied_care_missing(example, example_plan):
    p = plan_dict(example_plan)
    care = find(p, lambda a: a["kind"] == "extended_care")
    care["students"].pop()
    assert activity_rules(example, p) == {"R5"}
