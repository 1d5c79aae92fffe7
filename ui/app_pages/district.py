"""区级运行 / District: every school's plan (R1), coverage, budget, shared staff, the bottom 10% (R22).

Shows a district report: run the demo district here (in the background, one school after
another), or open a `district-report.json` written by `afterschool district`. The planning and
the report are the library's (`solver/district/`); this page only starts them and shows them.
"""

from __future__ import annotations

import io
import json
import tempfile
import threading
from pathlib import Path

import pandas as pd
import streamlit as st

from solver.district.load import load_district
from solver.district.outputs import finish
from solver.district.report import SCHOOL_COLUMNS, SUMMARY_FIELDS, write_workbook
from solver.district.run import Options, run_district

DEMO = Path(__file__).resolve().parents[2] / "instances" / "district-demo" / "district.json"


class DistrictJob:
    """A district run on a worker thread; the page polls `lines` and `report` (numbers and text only)."""

    def __init__(self, path: Path, time_limit: float):
        self.path, self.time_limit = path, time_limit
        self.lines: list[str] = []
        self.report: dict | None = None
        self.error: str | None = None
        self.done = False
        self.lock = threading.Lock()
        threading.Thread(target=self.run, daemon=True).start()

    def say(self, line: str) -> None:
        with self.lock:
            self.lines.append(line)

    def run(self) -> None:
        try:
            LD = load_district(self.path)
            result = run_district(LD, Options(time_limit=self.time_limit, workers=1, progress=self.say))
            _, report = finish(result)
            with self.lock:
                self.report = report
        except Exception as exc:  # shown on the page, never a traceback
            with self.lock:
                self.error = f"{type(exc).__name__}: {exc}"
        finally:
            with self.lock:
                self.done = True


def _zh(label: str) -> str:
    return label.split(" / ")[0]


def show(report: dict) -> None:
    s = report["summary"]
    st.subheader(f"{report['district']['name']}（{report['district']['id']}）")
    cols = st.columns(4)
    cols[0].metric("有效方案 (R1)", f"{s['schools_with_valid_plan']}/{s['schools']}")
    cols[1].metric("覆盖率", f"{100 * (s['coverage'] or 0):.1f}%")
    cols[2].metric("第一志愿率", f"{100 * (s['first_choice_rate'] or 0):.1f}%")
    cols[3].metric("学期结余（元）", f"{s['balance_per_term']:,.0f}")
    if s["schools_failing"]:
        st.error("没有有效方案的学校 (R1)：" + "、".join(s["schools_failing"]))
    if not s["district_checks_ok"]:
        st.error("跨校检查未通过：" + json.dumps(s["district_violations_by_rule"], ensure_ascii=False))
    else:
        st.success("跨校检查通过：共享人员没有同时在两校、往返时间足够、每日学校数和每周课时在上限内。")
    flags = report.get("r22", {})
    if flags.get("flagged"):
        st.warning("满意度后 10% 的学校 (R22)：" + "、".join(flags["flagged"]))
    elif flags.get("note"):
        st.caption(flags["note"])
    rows = [{_zh(label): r.get(key) for key, label in SCHOOL_COLUMNS} for r in report["schools"]]
    st.markdown("#### 各校 / Schools")
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    if report.get("shared_staff"):
        st.markdown("#### 共享人员 / Shared staff")
        st.dataframe(pd.DataFrame(report["shared_staff"]), hide_index=True, width="stretch")
    with st.expander("汇总 / Summary"):
        st.table(pd.DataFrame([{"项目": _zh(label), "值": s.get(key)} for key, label in SUMMARY_FIELDS]))
    buf = io.BytesIO()
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "district-report.xlsx"
        write_workbook(report, target)
        buf.write(target.read_bytes())
    c1, c2 = st.columns(2)
    c1.download_button("下载区级报告（Excel）", buf.getvalue(), "district-report.xlsx")
    c2.download_button("下载区级报告（JSON）", json.dumps(report, ensure_ascii=False, indent=1), "district-report.json")


st.title("区级运行 / District")
st.caption(
    "全区所有学校一起排：区教育局遴选的校外人员和机构在多校之间分配（不重复安排、留足往返时间），"
    "每校并行求解，汇总每校方案 (R1)、覆盖、经费、合规与满意度后 10% (R22)。命令行：afterschool district DISTRICT.json"
)

source = st.radio("报告来源", ["运行示例区（5 所学校）", "打开 district-report.json"], horizontal=True)
if source.startswith("运行"):
    limit = st.slider("每校时间限制（秒）", 3, 60, 10)
    job: DistrictJob | None = st.session_state.get("district_job")
    if st.button("开始运行", disabled=job is not None and not job.done, type="primary"):
        st.session_state["district_job"] = job = DistrictJob(DEMO, float(limit))
        st.session_state.pop("district_report", None)

    @st.fragment(run_every=1.0 if job is not None and not job.done else None)
    def progress() -> None:
        j: DistrictJob | None = st.session_state.get("district_job")
        if j is None:
            return
        with j.lock:
            lines, done, report, error = list(j.lines), j.done, j.report, j.error
        st.code("\n".join(lines[-12:]) or "准备中…", language=None)
        if done and report is not None and "district_report" not in st.session_state:
            st.session_state["district_report"] = report
            st.rerun()
        if error:
            st.error(f"运行失败：{error}")

    progress()
else:
    upload = st.file_uploader("district-report.json", type=["json"])
    if upload is not None:
        try:
            st.session_state["district_report"] = json.loads(upload.getvalue().decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            st.error(f"不是有效的 JSON：{exc}")

report = st.session_state.get("district_report")
if report:
    try:
        show(report)
    except (KeyError, TypeError) as exc:
        st.error(f"这不是区级报告文件（缺少 {exc}）/ not a district report")
