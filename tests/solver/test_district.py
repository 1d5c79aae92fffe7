"""District runs (issue 6) on a real local Dask cluster: five generated schools sharing coaches, folk
artists and one institution; a district with a broken school; the district checker on planted
double-bookings and travel; the district file loader.

One process cluster for the module (`LocalCluster(n_workers=2, threads_per_worker=1)`); its worker
processes are spawned, which pytest's entry point allows (cpsat-modelling.md §11)."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from cli import main
from instances.district import generate_district, write_district
from models.common import minutes
from models.load import load_instance
from models.plan import Plan
from models.problems import InputRejected
from solver.district.check import check_district, cross_school, services
from solver.district.load import load_district, load_district_data
from solver.district.master import allocate, demand
from solver.district.model import district_schema
from solver.district.outputs import finish, write_outputs
from solver.district.run import DaskEngine, Options, run_district

ROOT = Path(__file__).resolve().parents[2]
TIME_LIMIT = 4.0  # seconds per school (CP-SAT deterministic time, one worker)


@pytest.fixture(scope="module")
def cluster():
    from dask.distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None) as c:
        yield c


@pytest.fixture(scope="module")
def engine(cluster):
    e = DaskEngine(scheduler=cluster.scheduler_address)
    yield e
    e.close()


@pytest.fixture(scope="module")
def district(tmp_path_factory) -> Path:
    return write_district(tmp_path_factory.mktemp("district"), 5, 150, 1)


@pytest.fixture(scope="module")
def solved(district, engine):
    LD = load_district(district)
    run = run_district(LD, Options(time_limit=TIME_LIMIT, rounds=2, master_time_limit=2, progress=None), engine=engine)
    check, report = finish(run)
    return LD, run, check, report


# --------------------------------------------------------------------------- the whole district


def test_every_school_gets_a_valid_plan_on_dask(solved):
    _, run, check, report = solved
    assert run.engine["engine"] == "dask" and run.engine["workers"] == 2
    assert report["summary"]["schools_with_valid_plan"] == 5, report["summary"]
    for sid, result in check.schools.items():
        assert result is not None and result.valid, (sid, result and result.violations[:3])
    assert report["summary"]["r1_all_schools_planned"]
    assert report["summary"]["coverage"] == 1.0
    # two processes did the work, each reporting its peak memory
    assert len(run.worker_peaks()) == 2
    assert all(mb > 50 for mb in run.worker_peaks().values())


def test_cross_school_checks_pass_and_shared_staff_serve_several_schools(solved):
    LD, run, check, report = solved
    assert check.violations == [], [v.render() for v in check.violations]
    assert check.valid and report["summary"]["all_valid"]
    several = [u for u in report["shared_staff"] if u["schools_used"] > 1]
    assert several, report["shared_staff"]
    used = {x.school for x in services(LD, {s: o.loaded for s, o in run.outcomes.items()}, run.plans())}
    assert len(used) >= 3  # shared people work at most of the schools


def test_report_files(solved, tmp_path):
    LD, run, _, report = solved
    written = write_outputs(run, report, tmp_path)
    data = json.loads(written["report"].read_text(encoding="utf-8"))
    assert data["format"] == "afterschool-district-report/1"
    assert {r["id"] for r in data["schools"]} == {s.id for s in LD.district.schools}
    assert all(len(r["compliance"]) == 25 for r in data["schools"])
    assert data["r22"]["assessed"] is False and "R22" in data["r22"]["note"]
    assert written["workbook"].stat().st_size > 5000
    from openpyxl import load_workbook

    wb = load_workbook(written["workbook"])
    assert "学校 Schools" in wb.sheetnames and "共享人员 Shared staff" in wb.sheetnames
    # each plan checks against the instance it was made for, with the stock checker
    for s in run.outcomes:
        assert (
            main(
                [
                    "check",
                    str(tmp_path / "schools" / f"{s}.instance.json"),
                    str(tmp_path / "schools" / f"{s}.plan.json"),
                ]
            )
            == 0
        )


def test_satisfaction_bottom_ten_percent(solved):
    LD, run, check, _ = solved
    from solver.district.report import district_report

    LD2 = copy.deepcopy(LD)
    for i, s in enumerate(LD2.district.schools):
        s.satisfaction = [92, 71.5, 88, 95, 80][i]
    report = district_report(LD2, run.outcomes, check)
    assert report["r22"]["flagged"] == ["S02"]
    assert [r["id"] for r in report["schools"] if r["bottom_10"]] == ["S02"]


# --------------------------------------------------------------------------- a broken school


def test_a_broken_school_is_reported_and_the_rest_solve(district, engine, tmp_path):
    raw = json.loads(district.read_text(encoding="utf-8"))
    base = district.parent
    keep = raw["schools"][:2]
    for s in keep:  # instances live in the district's folder (absolute paths and ../ are refused)
        (tmp_path / s["instance"]).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / s["instance"]).write_bytes((base / s["instance"]).read_bytes())
    broken = json.loads((base / keep[0]["instance"]).read_text(encoding="utf-8"))
    broken["school"]["id"] = "S99"
    broken["students"][0]["class"] = "NO-SUCH-CLASS"
    broken["staff"][0]["pay_per_period"] = "70"
    (tmp_path / "broken.json").write_text(json.dumps(broken, ensure_ascii=False), encoding="utf-8")
    impossible = json.loads((base / keep[1]["instance"]).read_text(encoding="utf-8"))
    impossible["school"]["id"] = "S97"
    for st in impossible["staff"]:
        st["max_periods_per_week"] = 0  # nobody can supervise: the pre-checks prove there is no plan
    (tmp_path / "impossible.json").write_text(json.dumps(impossible, ensure_ascii=False), encoding="utf-8")
    raw["schools"] = [
        *keep,
        {"id": "S99", "instance": "broken.json"},
        {"id": "S98", "instance": "missing.json"},
        {"id": "S97", "instance": "impossible.json"},
    ]
    raw["pool"] = [
        p | {"schools": [s for s in p["schools"] if s in ("S01", "S02", "S99")] or ["S01"]} for p in raw["pool"]
    ]
    raw["travel_minutes"] = [t for t in raw["travel_minutes"] if {t["from"], t["to"]} <= {"S01", "S02"}]
    path = tmp_path / "district.json"
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    LD = load_district(path)
    run = run_district(LD, Options(time_limit=TIME_LIMIT, rounds=1, master_time_limit=2, progress=None), engine=engine)
    check, report = finish(run)
    rows = {r["id"]: r for r in report["schools"]}
    assert rows["S01"]["r1_plan"] and rows["S02"]["r1_plan"]
    assert not rows["S99"]["r1_plan"] and rows["S99"]["status"] == "rejected"
    where = {(p["record"], p.get("field"), p["rule"]) for p in rows["S99"]["problems"]}
    assert (f"students[{broken['students'][0]['id']}]", "class", "FMT-REF") in where
    assert (f"staff[{broken['staff'][0]['id']}]", "pay_per_period", "FMT-TYPE") in where
    assert rows["S98"]["status"] == "rejected" and rows["S98"]["problems"][0]["rule"] == "FMT-FILE"
    assert rows["S97"]["status"] == "infeasible" and rows["S97"]["explanation"]
    assert any("R25" in e["rule"] or "R21" in e["rule"] for e in rows["S97"]["explanation"])
    assert report["summary"]["schools_failing"] == ["S99", "S98", "S97"]
    assert not report["summary"]["all_valid"] and check.cross_ok


# --------------------------------------------------------------------------- the district checker


def _plant(run, school: str, activity_id: str, pid: str) -> dict[str, Plan]:
    plans = {s: p.model_copy(deep=True) for s, p in run.plans().items()}
    for a in plans[school].activities:
        if a.id == activity_id:
            a.staff.append(pid)
    return plans


def test_checker_catches_a_double_booking_across_schools(solved):
    LD, run, _, _ = solved
    originals = {x: o.loaded for x, o in run.outcomes.items()}
    # a shared person's real service, and an activity at another school of theirs at the same time
    for x in services(LD, originals, run.plans()):
        for other in LD.person[x.person].schools:
            if other == x.school or other not in run.outcomes:
                continue
            Lo = originals[other]
            overlapping = {p.id for p in Lo.instance.periods if minutes(p.start) < x.end and x.start < minutes(p.end)}
            acts = [
                b
                for b in run.outcomes[other].plan.activities
                if any(sl.day == x.day and sl.period in overlapping for sl in b.slots)
            ]
            if acts:
                result = check_district(LD, originals, _plant(run, other, acts[0].id, x.person))
                clash = [v for v in result.violations if v.rule == "R21"]
                assert clash and x.person in clash[0].records, result.violations
                assert {x.school, other} <= set(clash[0].records)
                assert not result.valid
                return
    raise AssertionError("no shared service overlaps another school's activity")


def test_checker_catches_too_little_travel_time(solved):
    LD, run, _, _ = solved
    originals = {x: o.loaded for x, o in run.outcomes.items()}
    svc = services(LD, originals, run.plans())
    # a shared person's real service, and a later slot at another school of theirs that starts
    # before the journey could end
    for x in svc:
        for other in LD.person[x.person].schools:
            if other == x.school or other not in run.outcomes:
                continue
            Lo = originals[other]
            need = LD.travel(x.school, other)
            for p in Lo.instance.periods:
                if x.end <= minutes(p.start) < x.end + need:
                    acts = [
                        b
                        for b in run.outcomes[other].plan.activities
                        if any(sl.day == x.day and sl.period == p.id for sl in b.slots)
                    ]
                    if acts:
                        plans = _plant(run, other, acts[0].id, x.person)
                        result = check_district(LD, originals, plans)
                        travel = [v for v in result.violations if v.rule == "R14"]
                        assert travel and x.person in travel[0].records, result.violations
                        assert not [v for v in result.violations if v.rule == "R21"]
                        return
    pytest.skip("no slot pair closer than the travel time in this district")


def test_cross_school_caps_and_school_limit():
    """R25 across schools, the daily school limit and an unlisted school, on hand-made services."""
    from solver.district.check import Service

    d, _ = generate_district(3, 100, 2)
    p = d["pool"][0]
    p["schools"] = ["S01", "S02"]
    p["max_periods_per_week"], p["max_periods_per_day"], p["max_schools_per_day"] = 2, 2, 1
    d["travel_minutes"] = [{"from": "S01", "to": "S02", "minutes": 15}]
    LD = load_district_data(d, "d.json", Path("."))
    svc = [
        Service(p["id"], "S01", "mon", "P1", 900, 960, "A"),
        Service(p["id"], "S02", "mon", "P2", 980, 1040, "B"),
        Service(p["id"], "S03", "tue", "P1", 900, 960, "C"),
    ]
    found = [(v.rule, v.message) for v in cross_school(LD, svc)]
    rules = [r for r, _ in found]
    assert rules.count("R25") == 2  # weekly cap (3 > 2), two schools on Monday (limit 1)
    assert "R12" in rules  # S03 is not on the list
    assert "R14" not in rules  # 20 minutes between, 15 needed
    svc[1] = Service(p["id"], "S02", "mon", "P2", 970, 1030, "B")
    assert "R14" in [v.rule for v in cross_school(LD, svc)]  # 10 minutes between, 15 needed
    svc[1] = Service(p["id"], "S02", "mon", "P2", 930, 990, "B")
    assert "R21" in [v.rule for v in cross_school(LD, svc)]


def test_master_allocation_keeps_the_cross_school_rules(district):
    LD = load_district(district)
    schools = {s.id: load_instance(LD.instance_path(s.id)) for s in LD.district.schools}
    units = [u for s, L in schools.items() for u in demand(LD, s, L)]
    assert units, "the generated district needs its shared staff"
    res = allocate(LD, schools, units, time_limit=5)
    assert res.status in ("optimal", "feasible") and res.covered > 0
    from solver.district.check import Service
    from solver.district.pool import span

    svc = []
    for s, grants in res.grants.items():
        for pid, slots in grants.items():
            for d, per in slots:
                sp = span(schools[s], s, d, per)
                svc.append(Service(pid, s, d, per, sp.start, sp.end, f"{s}-{d}-{per}"))
    assert list(cross_school(LD, svc)) == []
    assert len({x.school for x in svc if len(LD.person[x.person].schools) > 1}) > 1


# --------------------------------------------------------------------------- the district file


def test_loader_rejects_a_broken_file_with_records_and_fields(district, tmp_path):
    raw = json.loads(district.read_text(encoding="utf-8"))
    raw["colour"] = "blue"
    raw["schools"].append(dict(raw["schools"][0]))
    raw["schools"][1]["satisfaction"] = "good"
    raw["pool"][0]["schools"].append("S77")
    raw["pool"][1]["max_periods_per_week"] = -1
    raw["pool"][2]["kind"] = "teacher"
    raw["pool"][3]["institution"] = "NOPE"
    raw["pool"][4]["unavailable"] = [{"day": "monday"}]
    raw["travel_minutes"][0]["to"] = raw["travel_minutes"][0]["from"]
    del raw["district"]["name"]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(InputRejected) as info:
        load_district(path)
    got = {(p.record, p.field, p.rule) for p in info.value.report.errors}
    pool = [p["id"] for p in raw["pool"]]
    assert ("district", "colour", "FMT-FIELD") in got
    assert ("district", "name", "FMT-FIELD") in got
    assert (f"schools[{raw['schools'][0]['id']}]", "id", "FMT-ID") in got
    assert (f"schools[{raw['schools'][1]['id']}]", "satisfaction", "FMT-TYPE") in got
    assert (f"pool[{pool[0]}]", f"schools[{len(raw['pool'][0]['schools']) - 1}]", "FMT-REF") in got
    assert (f"pool[{pool[1]}]", "max_periods_per_week", "FMT-VALUE") in got
    assert (f"pool[{pool[2]}]", "kind", "FMT-VALUE") in got
    assert (f"pool[{pool[3]}]", "institution", "FMT-REF") in got
    assert (f"pool[{pool[4]}]", "unavailable[0].day", "FMT-VALUE") in got
    assert ("travel_minutes[#1]", "to", "FMT-VALUE") in got
    # the CLI: every problem listed, exit 2
    assert main(["district", str(path), "--workers", "1"]) == 2


def test_loader_warns_about_uncertified_and_unapproved(district):
    raw = json.loads(district.read_text(encoding="utf-8"))
    raw["pool"][0]["certified"] = False
    raw["institutions"][0]["approved"] = False
    LD = load_district_data(raw, "d.json", district.parent)
    rules = {(w.record, w.rule) for w in LD.warnings}
    assert (f"pool[{raw['pool'][0]['id']}]", "R12") in rules
    assert any(r == "R13" for _, r in rules)
    assert not LD.assignable(LD.person[raw["pool"][0]["id"]])


def test_schema_and_committed_demo():
    schema = district_schema()
    assert schema["additionalProperties"] is False
    assert {"format", "district", "schools"} <= set(schema["required"])
    committed = json.loads((ROOT / "solver" / "district" / "district.schema.json").read_text(encoding="utf-8"))
    assert committed == schema, "regenerate: python -m solver.district.model > solver/district/district.schema.json"
    LD = load_district(ROOT / "instances" / "district-demo" / "district.json")
    assert len(LD.district.schools) == 5 and LD.district.pool
    for s in LD.district.schools:
        load_instance(LD.instance_path(s.id))


def test_generate_district_cli(tmp_path):
    assert (
        main(
            ["generate-district", "--schools", "3", "--students-per-school", "120", "--seed", "4", "-o", str(tmp_path)]
        )
        == 0
    )
    LD = load_district(tmp_path / "district.json")
    assert [s.id for s in LD.district.schools] == ["S01", "S02", "S03"]
    kinds = {p.kind for p in LD.district.pool}
    assert {"coach", "folk_artist", "institution_staff"} <= kinds
    assert all(2 <= len(p.schools) <= 5 for p in LD.district.pool if len(LD.district.schools) >= 2)
    assert all(10 <= t.minutes <= 30 for t in LD.district.travel_minutes)
    pool = {p.id for p in LD.district.pool}
    for s in LD.district.schools:
        L = load_instance(LD.instance_path(s.id))
        assert not pool & set(L.staff)
        assert not [st for st in L.instance.staff if st.kind in ("coach", "folk_artist")]
        assert not [
            st
            for st in L.instance.staff
            if st.institution
            and L.institution[st.institution].approved
            and not L.institution[st.institution].violation_record
        ]
