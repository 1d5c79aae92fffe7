"""The app's pages with Streamlit's AppTest: every page runs on the demo school (with and without a
plan, in both languages), a broken cell is named by record, field and rule, edits survive page
changes, uploads, a short solve ends with a plan, an infeasible school shows why, and the Adjust
page pins, marks absences and re-solves with a change list."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from solver.baseline import baseline_plan
from tests.conftest import example_raw
from tests.ui.conftest import APP
from ui import jobs
from ui.session import PlanState

PAGES = ["data", "policy", "solve", "timetable", "adjust", "compliance", "export"]


def texts(at: AppTest) -> str:
    """Every text the page shows (markdown, captions, alerts, titles, html), one string."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "error", "warning", "success", "info"):
        parts += [str(e.value) for e in getattr(at, kind)]
    parts += [str(e.proto.body) for e in at.get("html")]
    parts += [str(e.label) for e in at.button]
    return "\n".join(parts)


def new_app() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=90)
    at.run()
    assert not at.exception
    return at


def go(at: AppTest, page: str) -> AppTest:
    at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def check_of(at: AppTest):
    return at.session_state["_check"][1]


def give_plan(at: AppTest) -> None:
    """The FCFS plan of the session's current data, as if just solved (fast and deterministic)."""
    loaded = check_of(at).loaded
    plan, violations = baseline_plan(loaded)
    assert not violations
    at.session_state["plan"] = PlanState(plan, loaded)


def edit(at: AppTest, table: str, rows: dict) -> AppTest:
    """Edit cells of a table's editor the way the browser reports an edit."""
    at.session_state["data_table"] = table
    at.run()
    key = f"ed_{table}_{at.session_state['ver']}"
    at.session_state[key] = {"edited_rows": rows, "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception
    return at


def solve(at: AppTest, seconds: int = 5) -> None:
    job = at.session_state["job"]
    assert jobs.wait(job, seconds + 90), "the solve did not end"
    at.run()
    assert not at.exception


# ---------------------------------------------------------------------------- every page


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_runs_without_a_plan(lang):
    at = new_app()
    at.segmented_control(key="lang").set_value(lang).run()
    for page in PAGES:
        go(at, page)
        if page in ("timetable", "adjust", "compliance", "export"):
            assert ("还没有排课方案" if lang == "zh" else "There is no plan yet") in texts(at)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_runs_with_a_plan(lang):
    at = new_app()
    at.segmented_control(key="lang").set_value(lang).run()
    give_plan(at)
    for page in PAGES:
        go(at, page)
    go(at, "timetable")
    shown = texts(at)
    assert "作业辅导" in shown  # the class grid (course names are data, not translated)
    assert ("3-1 班课后服务课表" if lang == "zh" else "class 3-1 after-school timetable") in shown
    go(at, "compliance")
    assert ("R1–R25 中 25 条通过" if lang == "zh" else "25 of R1–R25 pass") in texts(at)


def test_timetable_views_and_search():
    at = new_app()
    give_plan(at)
    go(at, "timetable")
    for view in ("staff", "room", "student"):
        at.segmented_control(key="tt_view").set_value(view).run()
        assert not at.exception
    at.text_input(key="tt_search").set_value("王老师").run()
    assert at.session_state["tt_view"] == "staff" and at.session_state["tt_pick_staff"] == "T01"
    assert "王老师（T01）课后服务课表" in texts(at)
    at.text_input(key="tt_search").set_value("S00").run()  # several: buttons to choose
    assert "找到" in texts(at) and not at.exception
    at.text_input(key="tt_search").set_value("s0012").run()  # the exact id, zero padding aside
    assert at.session_state["tt_view"] == "student" and at.session_state["tt_pick_student"] == "S012"
    assert at.text_input(key="tt_search").placeholder.startswith("S001 / T01 / ")  # the school's own ids


def test_unused_teacher_grid_says_why():
    at = new_app()
    give_plan(at)
    plan = at.session_state["plan"].plan
    loaded = at.session_state["plan"].loaded
    used = {s for a in plan.activities for s in a.staff}
    idle = next(s.id for s in loaded.instance.staff if s.id not in used)
    go(at, "timetable")
    at.segmented_control(key="tt_view").set_value("staff").run()
    at.selectbox(key="tt_pick_staff").set_value(idle).run()
    assert f"{loaded.staff[idle].name} 在本方案中没有安排任何课后服务" in texts(at)


def test_solve_metrics_count_registered_pupils_and_notes_in_one_language():
    at = new_app()
    give_plan(at)
    go(at, "solve")
    served = next(m for m in at.metric if m.label == "全程看护")
    ps = at.session_state["plan"]
    registered = sum(1 for s in ps.loaded.instance.students if s.days or s.extended_days or s.evening_days)
    assert served.value == f"{ps.plan.metrics.students_served}/{registered}"
    notes = " ".join(m.value for m in at.markdown)
    assert "R13" in notes and "is not approved" not in notes  # the planner's notes in Chinese only
    go(at, "compliance")
    table = at.dataframe[0].value
    details = " ".join(str(x) for x in table.data[table.columns[-1]]) if hasattr(table, "data") else str(table)
    assert "passed" not in details and "通过" in details


# ---------------------------------------------------------------------------- data: problems beside the data


def test_broken_cell_names_record_field_and_rule_then_fix():
    at = new_app()
    edit(at, "staff", {0: {"pay_per_period": 50}})
    errors = "\n".join(e.value for e in at.error)
    assert "教职工 T01" in errors and "每课时报酬（元）" in errors and "R19" in errors
    assert "pay_per_period" not in errors and "staff[" not in errors  # Chinese words, not the file's codes
    assert "提高到不低于 70 元" in errors  # the hint
    assert any("1 个错误" in c.value for c in at.sidebar.caption)
    go(at, "solve")
    assert at.button(key="start_solve").disabled
    assert "数据有 1 个错误，修正后才能求解" in texts(at)
    go(at, "data")
    assert "教职工 T01" in "\n".join(e.value for e in at.error)  # the edit survived the page change
    edit(at, "staff", {0: {"pay_per_period": 80}})
    assert not [e for e in at.error if "教职工 T01" in e.value]
    assert any("数据有效" in s.value for s in at.success)


def test_unreadable_cell_is_named_too():
    at = new_app()
    edit(at, "rooms", {3: {"unavailable": "周八:P2"}})
    errors = "\n".join(e.value for e in at.error)
    assert "场地 GYM" in errors and "不可用时段" in errors and "FMT-VALUE" in errors
    assert sum("场地 GYM" in e.value for e in at.error) == 1  # once, not again by the loader
    raw = json.loads(check_of(at).text)  # what "download JSON" gives keeps the text as typed
    assert next(r for r in raw["rooms"] if r["id"] == "GYM")["unavailable"] == "周八:P2"
    go(at, "policy")
    go(at, "data")  # back: the editor restarts from the tables, the text is still there
    assert "场地 GYM" in "\n".join(e.value for e in at.error)
    edit(at, "students", {0: {"class": "9-9"}})
    errors = "\n".join(e.value for e in at.error)
    assert "学生 S001" in errors and "FMT-REF" in errors


def test_added_and_deleted_rows():
    at = new_app()
    at.session_state["data_table"] = "classes"
    at.run()
    key = f"ed_classes_{at.session_state['ver']}"
    at.session_state[key] = {
        "edited_rows": {},
        "added_rows": [{"id": "5-1", "grade": 5, "homeroom": "R999"}],
        "deleted_rows": [],
    }
    at.run()
    errors = "\n".join(e.value for e in at.error)
    assert "班级 5-1" in errors and "教室" in errors and "FMT-REF" in errors


def test_policy_parameter_is_checked():
    at = new_app()
    go(at, "policy")
    key = next(w.key for w in at.number_input if w.key.startswith("pol_fee_per_term_"))
    at.number_input(key=key).set_value(400).run()
    assert not at.exception
    shown = texts(at)
    assert "**政策** · 每生每学期收费（元） · 规则 R18" in shown and "fee_per_term" not in shown
    assert "课后服务时间与当地正常上下班时间相衔接" in shown  # the policy's own words


def test_upload_json_with_problems_and_malformed_json():
    at = new_app()
    raw = example_raw()
    raw["courses"][2]["new_lesson"] = True
    at.file_uploader(key="upload").upload(
        "broken.json", json.dumps(raw, ensure_ascii=False).encode(), "application/json"
    ).run()
    assert not at.exception
    assert at.session_state["source"] == "broken.json"
    errors = "\n".join(e.value for e in at.error)
    assert "R8" in errors
    at = new_app()
    at.file_uploader(key="upload").upload("bad.json", b"{ not json", "application/json").run()
    assert not at.exception
    assert "无法读取 bad.json" in texts(at) and at.session_state["source"] == "example.json"


def test_upload_excel_with_a_broken_cell():
    import io

    import openpyxl

    from models.excel import write_instance_workbook
    from tests.conftest import load_raw

    buf = io.BytesIO()
    write_instance_workbook(load_raw(example_raw()).instance, buf)
    wb = openpyxl.load_workbook(io.BytesIO(buf.getvalue()))
    ws = wb["教职工"]
    col = next(c.column for c in ws[1] if c.value and "pay_per_period" in c.value)
    ws.cell(row=2, column=col, value=50)
    out = io.BytesIO()
    wb.save(out)
    at = new_app()
    at.file_uploader(key="upload").upload(
        "school.xlsx", out.getvalue(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ).run()
    assert not at.exception and at.session_state["source"] == "school.xlsx"
    assert at.session_state["data_table"] == "staff"  # opened where the error is
    errors = "\n".join(e.value for e in at.error)
    assert "教职工 T01" in errors and "R19" in errors


# ---------------------------------------------------------------------------- solve


def test_solve_with_a_short_time_limit_shows_a_plan():
    at = new_app()
    go(at, "solve")
    at.number_input(key="keep_time_limit").set_value(5).run()
    at.button(key="start_solve").click().run()
    assert at.session_state["job"].active or at.session_state["job"].state == "done"
    solve(at)
    assert "求解完成" in texts(at)
    plan = at.session_state["plan"].plan
    assert plan.status in ("optimal", "feasible") and plan.activities
    go(at, "timetable")
    assert "作业辅导" in texts(at)


def test_stop_returns_the_best_plan_so_far():
    at = new_app()
    go(at, "solve")
    at.number_input(key="keep_time_limit").set_value(300).run()
    at.button(key="start_solve").click().run()
    job = at.session_state["job"]
    assert job.active and not at.button(key="stop_solve").disabled
    go(at, "data")  # the rest of the app works while it runs
    assert any("数据有效" in s.value for s in at.success)
    go(at, "solve")
    at.button(key="stop_solve").click().run()
    assert jobs.wait(job, 60), "stop did not end the solve"
    at.run()
    assert job.finished - job.started < 60
    assert at.session_state["plan"].plan.status in ("optimal", "feasible")
    assert "求解完成" in texts(at)


def test_impossible_school_says_so():
    at = new_app()
    raw = example_raw()
    for s in raw["staff"]:  # nobody can supervise on Tuesday P2
        s["unavailable"] = [{"day": "tue", "period": "P2"}]
    at.file_uploader(key="upload").upload(
        "tight.json", json.dumps(raw, ensure_ascii=False).encode(), "application/json"
    ).run()
    go(at, "solve")
    at.number_input(key="keep_time_limit").set_value(10).run()
    at.button(key="start_solve").click().run()
    solve(at)
    outcome = at.session_state["attempt"].plan
    assert outcome.status in ("infeasible", "unknown")
    assert "plan" not in at.session_state  # no valid plan yet
    shown = texts(at)
    assert ("无法排出方案" in shown) if outcome.status == "infeasible" else ("没有找到有效方案" in shown)
    for e in outcome.explanation:
        assert e.rule in shown


def test_explanation_links_to_the_records_it_names():
    from models.plan import Explanation
    from solver.check.assemble import assemble
    from ui.session import PlanState

    at = new_app()
    loaded = check_of(at).loaded
    plan, _ = assemble(
        loaded,
        [],
        status="infeasible",
        seconds=0.1,
        explanation=[
            Explanation(rule="R10", detail="学生 S033 的 math 补习辅导无法安排", records=["S033"]),
            Explanation(rule="R20", detail="收支无法平衡", records=["policy.subsidy_per_term"]),
        ],
    )
    at.session_state["attempt"] = PlanState(plan, loaded)
    go(at, "solve")
    shown = texts(at)
    assert "无法排出方案" in shown and "[R10]" in shown and "[R20]" in shown
    next(b for b in at.button if b.label == "S033").click().run()
    assert at.session_state["focus"] == "students[S033]"
    assert "定位到 students[S033]" in texts(at) and at.session_state["data_table"] == "students"
    go(at, "solve")
    next(b for b in at.button if b.label == "policy.subsidy_per_term").click().run()
    assert "政策参数与条文" in texts(at)


# ---------------------------------------------------------------------------- adjust


def test_pin_absent_close_and_resolve_lists_changes():
    at = new_app()
    give_plan(at)
    go(at, "adjust")
    plan = at.session_state["plan"].plan
    elective = next(a for a in plan.activities if a.kind == "elective")
    at.selectbox(key="pin_activity").set_value(elective.id).run()
    at.button(key="pin_add").click().run()
    pins = at.session_state["tables"]["pins"]
    assert list(pins["activity"]) == [elective.id] and pins["room"][0] == elective.room
    teacher = next(s for a in plan.activities if a.kind == "homework" for s in a.staff)
    at.selectbox(key="absent_pick").set_value(teacher).run()
    at.button(key="absent_mark").click().run()
    staff = at.session_state["tables"]["staff"]
    assert int(staff.loc[staff["id"] == teacher, "max_periods_per_week"].iloc[0]) == 0
    assert teacher in texts(at)
    closed = next(a.room for a in plan.activities if a.kind == "elective" and a.room != elective.room)
    at.selectbox(key="room_pick").set_value(closed).run()
    at.button(key="room_close").click().run()
    go(at, "data")  # the changes are data: still valid
    assert any("数据有效" in s.value for s in at.success)
    go(at, "adjust")
    at.number_input(key="keep_resolve_limit").set_value(5).run()
    at.button(key="resolve").click().run()
    solve(at)
    ps = at.session_state["plan"]
    assert ps.previous is plan
    assert all(teacher not in a.staff for a in ps.plan.activities)
    assert all(a.room != closed for a in ps.plan.activities)
    kept = next(a for a in ps.plan.activities if a.id == elective.id)
    assert kept.room == elective.room and set(kept.staff) == set(elective.staff)
    shown = texts(at)
    assert f"与上一版方案相比的变动（{len(ps.changes)} 项）" in shown and ps.changes
    # in names: "三年级作业辅导 周三第2节：熊老师 → 李老师", never "教职工 staff HW-…: T01 → T05"
    name = ps.loaded.staff[teacher].name
    assert any(f"：{name} → " in line and "节" in line for line in shown.splitlines()), shown
    assert "staff" not in shown and f"{teacher} →" not in shown
    assert "已标记缺勤" in " ".join(o for o in at.selectbox(key="absent_pick").options)


def test_failed_resolve_keeps_the_current_plan():
    at = new_app()
    give_plan(at)
    plan = at.session_state["plan"].plan
    go(at, "adjust")
    for s in at.session_state["tables"]["staff"]["id"]:  # every teacher absent: no plan can exist
        at.selectbox(key="absent_pick").set_value(s).run()
        at.button(key="absent_mark").click().run()
    at.number_input(key="keep_resolve_limit").set_value(5).run()
    at.button(key="resolve").click().run()
    solve(at)
    assert at.session_state["attempt"].plan.status in ("infeasible", "unknown")
    assert at.session_state["plan"].plan is plan
    shown = texts(at)
    assert "当前仍使用上一版有效方案" in shown
    assert "无法排出方案" in shown or "没有找到有效方案" in shown


def test_export_page_offers_every_file():
    at = new_app()
    give_plan(at)
    go(at, "export")
    keys = {b.key for b in at.download_button}
    assert {"dl_workbook", "dl_guide_html", "dl_guide_pdf", "dl_attendance", "dl_plan", "dl_ics"} <= keys


def test_district_page_shows_a_report(tmp_path):
    """The district page opens a district report and shows R1, schools and shared staff."""

    from streamlit.testing.v1 import AppTest

    from solver.district.load import load_district
    from solver.district.outputs import finish
    from solver.district.run import Options, run_district

    demo = Path(__file__).resolve().parents[2] / "instances" / "district-demo" / "district.json"
    run = run_district(load_district(demo), Options(time_limit=2, workers=1, progress=None, rounds=1))
    _, report = finish(run)
    at = AppTest.from_file(
        str(Path(__file__).resolve().parents[2] / "ui" / "app_pages" / "district.py"), default_timeout=60
    )
    at.session_state["district_report"] = json.loads(json.dumps(report))
    at.run()
    assert not at.exception
    text = " ".join(m.value for m in at.metric)
    assert f"{report['summary']['schools_with_valid_plan']}/{report['summary']['schools']}" in text
    assert len(at.dataframe) >= 1


def test_compliance_comparison_explains_fewer_electives_with_more_satisfied():
    at = new_app()
    give_plan(at)
    ps = at.session_state["plan"]
    m = ps.plan.metrics
    better = ps.plan.model_copy(
        update={
            "metrics": m.model_copy(
                update={
                    "electives_assigned": m.electives_assigned - 3,
                    "first_choice_rate": min(1.0, m.first_choice_rate + 0.05),
                }
            )
        }
    )
    assert better.metrics.first_choice_rate > m.first_choice_rate
    at.session_state["plan"] = PlanState(better, ps.loaded)
    go(at, "compliance")
    assert "本方案安排的选修课次数比先到先得少 3 次，但得到自己所选课程的学生更多" in texts(at)


def test_big_table_has_a_sortable_read_only_view():
    at = new_app()
    at.session_state["data_table"] = "students"
    at.run()
    at.toggle(key="sort_view_students").set_value(True).run()
    assert not at.exception
    assert len(at.dataframe) >= 1 and at.dataframe[0].value.shape[0] == 40
    assert list(at.session_state["tables"]["students"]["id"])[:3] == ["S001", "S002", "S003"]  # order kept
