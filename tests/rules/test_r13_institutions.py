"""R13: institution staff only from approved institutions without violations, and never for
subject training."""

from tests.conftest import activity_rules, find, plan_dict, with_instance


def test_staff_of_unapproved_institution(example, example_plan):
    p = plan_dict(example_plan)
    robot = find(p, lambda a: a["course"] == "ROBOT")
    robot["staff"] = ["X04"]  # robotics-qualified, but INST-XUEBA is not approved
    assert "R13" in activity_rules(example, p)


def test_institution_with_a_violation_record(example_plan):
    L = with_instance(lambda r: r["institutions"][0].update(violation_record=True))
    assert "R13" in activity_rules(L, example_plan)


def test_institution_staff_giving_subject_training(example_plan):
    # robotics becomes a maths course: the institution may not teach it
    def change(r):
        next(c for c in r["courses"] if c["id"] == "ROBOT").update(subject="math")
        next(s for s in r["staff"] if s["id"] == "X03")["subjects"] = ["math"]

    assert "R13" in activity_rules(with_instance(change), example_plan)
