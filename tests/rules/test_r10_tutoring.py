"""R10: flagged students get their tutoring sessions, by staff who teach the subject; only flagged
students sit in tutoring; advanced courses only for students flagged able."""

from tests.conftest import activity_rules, find, homework_at, move, plan_dict, with_instance


def test_flagged_student_without_tutoring(example, example_plan):
    p = plan_dict(example_plan)
    tut = find(p, lambda a: a["kind"] == "tutoring")
    sid = tut["students"][0]
    s = tut["slots"][0]
    move(p, sid, tut, homework_at(p, example, sid, s["day"], s["period"]))
    assert activity_rules(example, p) == {"R10"}


def test_unflagged_student_in_tutoring(example, example_plan):
    p = plan_dict(example_plan)
    tut = find(p, lambda a: a["kind"] == "tutoring")
    s = tut["slots"][0]
    hw = find(
        p,
        lambda a: (
            a["kind"] == "homework" and s in a["slots"] and any(not example.student[x].tutoring for x in a["students"])
        ),
    )
    sid = next(x for x in hw["students"] if not example.student[x].tutoring)
    move(p, sid, hw, tut)
    assert "R10" in activity_rules(example, p)


def test_tutor_who_does_not_teach_the_subject(example_plan):
    # the tutor no longer teaches maths
    tut = next(a for a in example_plan.activities if a.kind == "tutoring")
    tutor = tut.staff[0]
    L = with_instance(lambda r: next(s for s in r["staff"] if s["id"] == tutor).update(subjects=["art"]))
    assert "R10" in activity_rules(L, example_plan)


def test_advanced_course_takes_only_able_students(example_plan):
    L = with_instance(lambda r: next(c for c in r["courses"] if c["id"] == "FOOT").update(level="advanced"))
    assert "R10" in activity_rules(L, example_plan)
