"""Coverage and groups (R2, R9, R10): everyone supervised, homework first, tutoring given even
when a club would score more."""

from tests.solver.model.helpers import by_id, solve_variant


def test_homework_time_limits_electives_per_day():
    def change(raw):
        s = by_id(raw, "students", "S001")
        s.update(days=["wed"], extended_days=[], electives_per_week=2, choices=["FOOT", "ROBOT", "SCI"])
        by_id(raw, "courses", "FOOT").update(sessions_per_week=1)

    _, plan = solve_variant(change)
    mine = [a for a in plan.activities if "S001" in a.students]
    assert sum(1 for a in mine if a.kind == "elective") <= 1  # one basic period left for homework
    assert sum(1 for a in mine if a.kind == "homework") >= 1


def test_tutoring_comes_before_a_club():
    def change(raw):
        s = by_id(raw, "students", "S002")  # wants science first
        s.update(days=["tue"], extended_days=[], tutoring=["math"])

    _, plan = solve_variant(change)
    mine = [a for a in plan.activities if "S002" in a.students]
    assert any(a.kind == "tutoring" for a in mine)
    assert not any(a.kind == "elective" for a in mine)  # Tuesday's other period is homework (R9)
