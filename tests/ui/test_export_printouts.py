"""The Export page with a roster: the demo roster or an uploaded one (ids-only reports of what does
not match), the per-class printouts, and the plan's version in the footers."""

from __future__ import annotations

from tests.ui.test_pages import give_plan, go, new_app, texts


def test_demo_roster_and_class_printouts():
    at = new_app()
    give_plan(at)
    go(at, "export")
    at.button(key="roster_demo").click().run()
    assert not at.exception
    shown = texts(at)
    assert "已载入花名册 example-roster.csv：40 名学生" in shown
    assert not at.warning  # every pupil has a row
    keys = {b.key for b in at.download_button}
    assert {"dl_notices", "dl_pupil_pdf", "dl_class_png", "dl_class_pngs", "dl_class_pdf", "dl_attendance"} <= keys
    assert "方案版本" in shown
    assert at.selectbox(key="exp_class").options == ["3-1", "3-2", "4-1"]


def test_uploaded_roster_reports_ids_not_names():
    at = new_app()
    give_plan(at)
    go(at, "export")
    body = "学号,姓名,班级\nS001,张三丰,3-1\nS999,李四光,3-1\n".encode("gbk")
    at.file_uploader(key="roster_upload").upload("roster.csv", body, "text/csv").run()
    assert not at.exception
    warnings = " ".join(w.value for w in at.warning)
    assert "S999" in warnings and "39 名学生在花名册中没有记录" in warnings
    assert "李四光" not in warnings and "张三丰" not in warnings
    at.file_uploader(key="roster_upload").upload("bad.csv", "姓名\n张三\n".encode(), "text/csv").run()
    assert any("bad.csv" in e.value for e in at.error)
    assert "缺少“学号”列" in texts(at)


def test_export_page_in_english_says_it_in_english():
    at = new_app()
    at.session_state["lang"] = "en"
    give_plan(at)
    go(at, "export")
    at.button(key="roster_demo").click().run()
    shown = texts(at)
    assert "Roster example-roster.csv loaded" in shown and "花名册" not in shown


def test_term_dates_and_calendar_zip():
    import datetime as dt

    at = new_app()
    give_plan(at)
    go(at, "export")
    at.date_input(key="keep_term_start").set_value(dt.date(2026, 9, 1)).run()
    assert at.date_input(key="keep_term_end").value == dt.date(2027, 1, 4)  # term_weeks from the first day
    at.date_input(key="keep_term_end").set_value(dt.date(2026, 12, 31)).run()
    shown = texts(at)
    assert "个节假日不上课" in shown and "2 个调休上班日照常" in shown
    assert "dl_ics_zip" in {b.key for b in at.download_button}
