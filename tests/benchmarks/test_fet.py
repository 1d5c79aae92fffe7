"""FET peer benchmark: conversion of real FET files into the placement core, CP-SAT plans scored by
the independent checker, and files the converter cannot express skipped by name.

Real files come from the Debian package fet-data (skipped where it is not installed); the small
hand-written files below are built in tmp_path and hold no names from FET's data.
"""

from __future__ import annotations

import argparse
import shutil

import pytest

from benchmarks.peers.fet import checker, fetfile, model, run, solve, supported

needs_data = pytest.mark.skipif(not fetfile.installed(), reason="Debian package fet-data is not installed")
needs_fet = pytest.mark.skipif(
    not (fetfile.installed() and shutil.which("fet-cl")), reason="Debian packages fet and fet-data are not installed"
)

SMALL = "FET-5-official/Denmark/small-school"
SOFT = "FET-5-official/Brazil/2/EEBLJ-Noturno"  # 74 activities, soft min-days constraints


def tiny_fet(tmp_path, constraints: str = "", hours: int = 2, activities: int = 2, name: str = "tiny"):
    """A minimal .fet file: one day of `hours` hours, one teacher T and one year Y sharing
    `activities` one-hour activities (ids 1..n), plus the given time-constraint XML."""
    hour_xml = "".join(f"<Hour><Name>H{h}</Name></Hour>" for h in range(1, hours + 1))
    act_xml = "".join(
        f"<Activity><Teacher>T</Teacher><Subject>S</Subject><Students>Y</Students><Duration>1</Duration>"
        f"<Total_Duration>1</Total_Duration><Id>{i}</Id><Activity_Group_Id>0</Activity_Group_Id>"
        f"<Active>true</Active><Comments></Comments></Activity>"
        for i in range(1, activities + 1)
    )
    text = f"""<?xml version="1.0" encoding="UTF-8"?>
<fet version="6.8.5">
<Institution_Name>x</Institution_Name><Comments></Comments>
<Days_List><Number_of_Days>1</Number_of_Days><Day><Name>D1</Name></Day></Days_List>
<Hours_List><Number_of_Hours>{hours}</Number_of_Hours>{hour_xml}</Hours_List>
<Subjects_List><Subject><Name>S</Name><Comments></Comments></Subject></Subjects_List>
<Activity_Tags_List></Activity_Tags_List>
<Teachers_List><Teacher><Name>T</Name><Comments></Comments></Teacher></Teachers_List>
<Students_List><Year><Name>Y</Name><Number_of_Students>10</Number_of_Students><Comments></Comments></Year>
</Students_List>
<Activities_List>{act_xml}</Activities_List>
<Buildings_List></Buildings_List><Rooms_List></Rooms_List>
<Time_Constraints_List>
<ConstraintBasicCompulsoryTime><Weight_Percentage>100</Weight_Percentage><Active>true</Active>
<Comments></Comments></ConstraintBasicCompulsoryTime>
{constraints}
</Time_Constraints_List>
<Space_Constraints_List>
<ConstraintBasicCompulsorySpace><Weight_Percentage>100</Weight_Percentage><Active>true</Active>
<Comments></Comments></ConstraintBasicCompulsorySpace>
</Space_Constraints_List>
</fet>
"""
    path = tmp_path / f"{name}.fet"
    path.write_text(text, encoding="utf-8")
    return path


def min_days(ids: list[int], weight: int = 95, days: int = 1, consecutive: bool = True) -> str:
    acts = "".join(f"<Activity_Id>{i}</Activity_Id>" for i in ids)
    return (
        f"<ConstraintMinDaysBetweenActivities><Weight_Percentage>{weight}</Weight_Percentage>"
        f"<Consecutive_If_Same_Day>{str(consecutive).lower()}</Consecutive_If_Same_Day>"
        f"<Number_of_Activities>{len(ids)}</Number_of_Activities>{acts}<MinDays>{days}</MinDays>"
        f"<Active>true</Active><Comments></Comments></ConstraintMinDaysBetweenActivities>"
    )


def teacher_not_available(hour: str, weight: int = 100) -> str:
    return (
        f"<ConstraintTeacherNotAvailableTimes><Weight_Percentage>{weight}</Weight_Percentage><Teacher>T</Teacher>"
        f"<Number_of_Not_Available_Times>1</Number_of_Not_Available_Times><Not_Available_Time><Day>D1</Day>"
        f"<Hour>{hour}</Hour></Not_Available_Time><Active>true</Active><Comments></Comments>"
        f"</ConstraintTeacherNotAvailableTimes>"
    )


@needs_data
def test_small_school_converts_into_the_placement_core():
    data = fetfile.parse(fetfile.example_path(SMALL))
    assert supported.unsupported(data) == []
    m = model.build(data)
    acts = [a for a in data.activities if a.active]
    assert len(m.core.items) == len(acts) == m.stats["activities"] == 25
    H = len(data.hours)
    for a, item in zip(m.acts, m.core.items, strict=True):
        assert item.name == str(a.id)
        # every option starts within the day and covers the activity's consecutive hours
        for o in item.options:
            d, h = divmod(o.pattern, H)
            assert o.slots == tuple((d, h + k) for k in range(a.duration)) and h + a.duration <= H
        # its clash resources: its teachers, and (a representative of) each of its subgroups
        assert {r for kind, r in item.resources if kind == "T"} == set(a.teachers)
        assert any(kind == "S" for kind, _ in item.resources) == bool(a.students)


@needs_data
def test_small_school_plan_is_hard_feasible_for_the_checker_and_a_clash_is_not():
    data = fetfile.parse(fetfile.example_path(SMALL))
    r = solve.solve(data, time_limit=20, workers=1)
    assert r["status"] == "OPTIMAL" and r["time_to_first"] is not None
    plan = {int(k): tuple(v) for k, v in r["placement"].items()}
    verdict = checker.check(data, plan)
    assert verdict["feasible"] and verdict["placed"] == verdict["activities"] == 25 and verdict["soft"] == 0
    # move an activity onto the hour of another activity of the same teacher: a teacher clash
    by_teacher: dict[str, list[int]] = {}
    for a in data.activities:
        for t in a.teachers:
            by_teacher.setdefault(t, []).append(a.id)
    first, second = next(ids for ids in by_teacher.values() if len(ids) >= 2)[:2]
    clash = dict(plan)
    clash[second] = plan[first]
    verdict = checker.check(data, clash)
    assert not verdict["feasible"]
    assert any("teacher clash" in v and str(first) in v and str(second) in v for v in verdict["hard_violations"])
    # an activity left out is not a feasible plan either
    del clash[second]
    clash[second] = plan[second]
    del clash[first]
    assert any("not placed" in v for v in checker.check(data, clash)["hard_violations"])


@needs_data
def test_soft_min_days_file_solved_to_a_proven_optimum_that_the_checker_confirms():
    data = fetfile.parse(fetfile.example_path(SOFT))
    r = solve.solve(data, time_limit=30, workers=1)
    assert r["status"] == "OPTIMAL" and r["feasible"]
    # the model's objective, CP-SAT's bound and the independent checker's soft score agree
    assert r["soft"] == pytest.approx(r["objective"]) == pytest.approx(r["bound"])
    assert r["soft"] > 0  # the file's 95% min-days constraints cannot all hold


def test_copies_merged_into_one_item_keep_consecutive_if_same_day(tmp_path):
    # four alike one-hour lessons of one teacher in four hours; lessons 1 and 2 under a soft
    # min-days constraint with "consecutive if same day": two items of two copies each
    data = fetfile.parse(tiny_fet(tmp_path, min_days([1, 2]), hours=4, activities=4))
    m = model.build(data)
    assert m.members == [[1, 2], [3, 4]] and [it.count for it in m.core.items] == [2, 2]
    assert m.stats["activities"] == 4 and m.stats["items"] == 2
    adjacent = {1: (0, 0, None), 2: (0, 1, None), 3: (0, 2, None), 4: (0, 3, None)}
    apart = {1: (0, 0, None), 2: (0, 2, None), 3: (0, 1, None), 4: (0, 3, None)}
    assert checker.check(data, adjacent)["feasible"] and not checker.check(data, apart)["feasible"]
    # the model agrees with the checker on both: lessons 1 and 2 side by side are not barred
    # because another start of the same item lies elsewhere on the day
    assert solve.completed(m, adjacent, seed=1) is not None
    assert solve.completed(m, apart, seed=1) is None
    r = solve.solve(data, time_limit=10, workers=1)
    assert r["status"] == "OPTIMAL" and r["feasible"] and r["soft"] == pytest.approx(0.95) == r["bound"]
    assert sorted(r["placement"]) == ["1", "2", "3", "4"]


@needs_data
def test_merging_copies_keeps_the_proven_optimum():
    data = fetfile.parse(fetfile.example_path(SOFT))
    merged, single = model.build(data), model.build(data, merge=False)
    assert len(merged.core.items) < len(single.core.items) == merged.stats["activities"] == 74
    assert sorted(a for ids in merged.members for a in ids) == sorted(a.id for a in single.acts)
    a = solve.solve(data, time_limit=30, workers=1)
    b = solve.solve(data, time_limit=30, workers=1, merge=False)
    assert a["status"] == b["status"] == "OPTIMAL" and a["feasible"] and b["feasible"]
    assert a["soft"] == pytest.approx(b["soft"]) and len(a["placement"]) == 74


@needs_fet
def test_fet_cl_plan_scored_by_the_checker_matches_fets_own_total(tmp_path):
    data = fetfile.parse(fetfile.example_path(SOFT))
    f = run.run_fet(data, fetfile.example_path(SOFT), tmp_path / "out", time_limit=30, seed=1)
    assert f["status"] == "solved" and f["feasible"] and f["placed"] == f["activities"]
    assert f["soft"] == pytest.approx(f["fet_soft_conflicts"]) and f["checker_agrees"]
    stem = fetfile.example_path(SOFT).stem
    theirs = checker.read_activities(data, tmp_path / "out" / "timetables" / stem / f"{stem}_activities.xml")
    # the model is no stricter than FET: FET's plan is one of its solutions (copies merged, and
    # no ordering of alike lessons, which FET's plan need not follow)
    assert len(theirs) == 74 and solve.completed(model.build(data, symmetry=False), theirs, seed=1) is not None
    ours = solve.solve(data, time_limit=30, workers=1)
    assert ours["soft"] <= f["soft"] + 1e-9  # a proven optimum is never worse than FET's plan
    assert run.verdict(ours, f) in ("win", "tie")


def test_unsupported_constraint_skips_the_file_and_names_it(tmp_path):
    extra = (
        "<ConstraintStudentsMaxHoursDaily><Weight_Percentage>100</Weight_Percentage>"
        "<Maximum_Hours_Daily>1</Maximum_Hours_Daily><Active>true</Active><Comments></Comments>"
        "</ConstraintStudentsMaxHoursDaily>"
    )
    path = tiny_fet(tmp_path, extra)
    data = fetfile.parse(path)
    assert supported.unsupported(data) == ["ConstraintStudentsMaxHoursDaily"]
    with pytest.raises(supported.Unsupported, match="ConstraintStudentsMaxHoursDaily"):
        model.build(data)
    entry = run.run_file(str(path), argparse.Namespace(tier_of={}))
    assert entry["skipped"] == ["ConstraintStudentsMaxHoursDaily"] and "fet" not in entry
    # an inactive constraint of that type is ignored, as FET ignores it
    inactive = tiny_fet(tmp_path, extra.replace("<Active>true</Active>", "<Active>false</Active>"), name="inactive")
    assert supported.unsupported(fetfile.parse(inactive)) == []


def test_supported_constraint_with_an_unexpressible_weight_is_named(tmp_path):
    gaps = (
        "<ConstraintTeachersMaxGapsPerDay><Weight_Percentage>50</Weight_Percentage><Max_Gaps>0</Max_Gaps>"
        "<Active>true</Active><Comments></Comments></ConstraintTeachersMaxGapsPerDay>"
    )
    assert supported.unsupported(fetfile.parse(tiny_fet(tmp_path, gaps))) == [
        "ConstraintTeachersMaxGapsPerDay with weight 50% (soft)"
    ]


def test_soft_not_available_time_costs_its_weight(tmp_path):
    # two activities of one teacher in two hours: one must take the 80% not-available hour
    data = fetfile.parse(tiny_fet(tmp_path, teacher_not_available("H2", weight=80)))
    r = solve.solve(data, time_limit=10, workers=1)
    assert r["status"] == "OPTIMAL" and r["feasible"] and r["soft"] == pytest.approx(0.8) == r["bound"]


def test_infeasible_file_is_proved_and_the_conflicting_constraint_named(tmp_path):
    # two activities of one teacher, two hours, the teacher unavailable in one: no plan exists
    data = fetfile.parse(tiny_fet(tmp_path, teacher_not_available("H2")))
    r = solve.solve(data, time_limit=10, workers=1)
    assert r["status"] == "INFEASIBLE" and "placement" not in r
    c = r["conflict"]
    assert c["proved"] and c["constraints"] == [f"ConstraintTeacherNotAvailableTimes#{1}"]


def test_suite_says_which_debian_packages_are_missing(monkeypatch, tmp_path):
    monkeypatch.setattr(fetfile, "EXAMPLES", tmp_path / "absent")
    monkeypatch.setattr(run.shutil, "which", lambda name: None)
    missing = run.missing_packages()
    assert "fet and fet-data not installed" in missing and "apt-get install -y fet fet-data" in missing
    with pytest.raises(SystemExit, match="FET suite not run"):
        run.main(["--only", "small-school"])
