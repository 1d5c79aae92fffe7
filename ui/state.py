"""The app's session state: the instance being edited, its check, and the current plan.

The instance lives in two parts: `doc` (school, policy, days … as in the JSON file) and one
DataFrame per table (`tables`), which is what the editors show and change. Every run turns them
back into instance data and checks it with the library's loader (`models.load.load_data`), so a
table says exactly what a file would. Cells hold the Excel workbook's conventions
(`models.excel.COLUMNS`): lists "3, 4", slots "周一:P1", duties "周一 07:40-15:30"; booleans,
numbers and enum values are typed columns.

Editors keep their edits in widget state keyed `ed_<table>_<version>` on top of a frozen `base`
DataFrame; each run copies the edited result into `tables`, so edits survive page changes (when
Streamlit drops a widget's state the editor restarts from `tables`). Replacing data bumps the
version, which starts every editor afresh.
"""

from __future__ import annotations

import copy
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from models.excel import BOOL, COLUMNS, INT, MONEY, TABLE_KINDS, CellError, Column, Enum, ListOf
from models.labels import CATEGORY_LABELS, DAY_LABELS, LEVEL_LABELS, PERIOD_KIND_LABELS, STAFF_KIND_LABELS
from models.load import Loaded, load_data, record_name
from models.plan import Plan
from models.problems import InputRejected, Problem
from ui.i18n import label, lang, t

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "instances" / "example.json"
TABLES: tuple[str, ...] = TABLE_KINDS  # periods, classes, rooms, courses, staff, institutions, students, pins
DOC_KEYS = ("format", "school", "policy", "days", "previous_plan")
_OMIT = object()

# Which label group each enum column uses (for its display names in both languages).
_ENUM_GROUPS = {id(CATEGORY_LABELS): "category", id(LEVEL_LABELS): "level", id(PERIOD_KIND_LABELS): "period_kind",
                id(STAFF_KIND_LABELS): "staff_kind", id(DAY_LABELS): "day"}


# ============================================================================ cells


def _shape(column: Column) -> str:
    """How a field is edited: bool, int, money, enum, multi (a list of enum codes) or text."""
    ct = column.cell_type
    if ct is BOOL:
        return "bool"
    if ct is INT:
        return "int"
    if ct is MONEY:
        return "money"
    if isinstance(ct, Enum):
        return "enum"
    if isinstance(ct, ListOf) and isinstance(ct.item, Enum):
        return "multi"
    return "text"


def enum_group(column: Column) -> str:
    ct = column.cell_type.item if isinstance(column.cell_type, ListOf) else column.cell_type
    return _ENUM_GROUPS.get(id(ct.labels), "")


def blank(value: Any) -> bool:
    """An empty cell: None, NaN, pandas' NA, or only spaces."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple | dict) or hasattr(value, "tolist"):
        return False
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def to_cell(column: Column, value: Any) -> Any:
    """A field's JSON value as the editor shows it."""
    shape = _shape(column)
    if shape == "bool":
        return bool(value) if value is not None else bool(column.default)
    if shape in ("int", "money"):
        return value if isinstance(value, int | float) and not isinstance(value, bool) else None
    if shape == "enum":
        return value if isinstance(value, str) else None
    if shape == "multi":
        return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []
    if isinstance(value, str) and column.cell_type.is_list:
        return value  # text that could not be read as a list (kept from an earlier edit): as typed
    try:
        return column.cell(value)
    except Exception:  # a value of the wrong type (an uploaded file with errors): show it as text
        return None if value is None else json.dumps(value, ensure_ascii=False)


def from_cell(column: Column, cell: Any) -> Any:
    """An editor cell as the field's JSON value, `_OMIT` (left out: the default), or CellError."""
    shape = _shape(column)
    if hasattr(cell, "tolist") and not isinstance(cell, str):
        cell = cell.tolist()  # numpy arrays from list columns
    if shape == "multi":
        if not isinstance(cell, list | tuple):
            return [] if column.required else _OMIT
        return [str(v) for v in cell]
    if blank(cell):
        return [] if column.cell_type.is_list and column.required else _OMIT
    if shape == "bool":
        return bool(cell)
    if shape in ("int", "money"):
        if isinstance(cell, float) and cell.is_integer():
            cell = int(cell)
        return column.cell_type.read(cell)
    if shape == "enum":
        return column.cell_type.read(str(cell))
    return column.read(str(cell))


def records_to_frame(kind: str, records: list[Any]) -> pd.DataFrame:
    columns = COLUMNS[kind]
    rows = []
    for rec in records:
        rec = rec if isinstance(rec, dict) else {}
        rows.append({f: to_cell(c, rec.get(f)) for f, c in columns.items()})
    df = pd.DataFrame(rows, columns=list(columns))
    for f, c in columns.items():
        shape = _shape(c)
        if shape == "bool":
            df[f] = df[f].astype("bool")
        elif shape == "int":
            df[f] = df[f].astype("Int64")
        elif shape == "money":
            df[f] = pd.to_numeric(df[f], errors="coerce").astype("Float64")
        elif shape == "multi":
            df[f] = df[f].astype("object")
        else:
            df[f] = df[f].astype("string")
    return df


def _row_blank(columns: dict[str, Column], row: dict) -> bool:
    return all(blank(row.get(f)) or _shape(c) == "bool" or (_shape(c) == "multi" and not list(row.get(f) or []))
               for f, c in columns.items())


def frame_to_records(kind: str, df: pd.DataFrame) -> tuple[list[dict], list[Problem], dict[str, int]]:
    """Table rows → records, the cells that could not be read, and each record's row (1-based)."""
    columns = COLUMNS[kind]
    records, problems, rows = [], [], {}
    for i, row in enumerate(df.to_dict("records")):
        if _row_blank(columns, row):
            continue
        rec: dict[str, Any] = {}
        bad: list[tuple[str, CellError]] = []
        for f, c in columns.items():
            if f not in row:
                continue
            try:
                value = from_cell(c, row[f])
            except CellError as err:  # kept as typed, so a download loses nothing; the problem names it
                bad.append((f, err))
                value = row[f] if isinstance(row[f], str) else str(row[f])
            if value is not _OMIT:
                rec[f] = value
        name = record_name(kind, rec, len(records))
        rows.setdefault(name, i + 1)
        for f, err in bad:
            problems.append(Problem(err.rule, name, f, err.zh, err.en, err.hint_zh, err.hint_en, row=i + 1))
        records.append(rec)
    return records, problems, rows


# ============================================================================ the check


@dataclass
class Check:
    """What the loader says about the current data."""

    raw: dict
    text: str
    loaded: Loaded | None
    errors: list[Problem]
    warnings: list[Problem]
    rows: dict[str, int] = field(default_factory=dict)  # record name → 1-based row in its table

    @property
    def valid(self) -> bool:
        return self.loaded is not None and not self.errors

    def row(self, p: Problem) -> int | None:
        return p.row if p.row is not None and p.sheet is None else self.rows.get(p.record)


def table_of(p: Problem) -> str:
    """Which table (or "school" / "policy") a problem is about."""
    head = p.record.split("[", 1)[0]
    if head in TABLES or head == "policy":
        return head
    if head == "instance" and p.field in TABLES:
        return p.field
    return "school"


def _top(fld: str | None) -> str | None:
    import re

    return re.split(r"[\[.]", fld, maxsplit=1)[0] if fld else None


def check_raw(raw: dict, cell_problems: list[Problem], rows: dict[str, int]) -> Check:
    text = json.dumps(raw, ensure_ascii=False, indent=1)
    covered = {(p.record, _top(p.field)) for p in cell_problems}
    try:
        loaded = load_data(raw, text.encode("utf-8"), "app")
        found: list[Problem] = []
    except InputRejected as exc:
        loaded = None
        found = [p for p in exc.report.problems if (p.record, _top(p.field)) not in covered]
    problems = cell_problems + found
    errors = [p for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity == "warning"] + (loaded.warnings if loaded else [])
    if errors:
        loaded = None
    return Check(raw, text, loaded, errors, warnings, rows)


# ============================================================================ session


def _ss():
    return st.session_state


def init() -> None:
    """First run of a session: the latest saved scenario (`ui.storage.open_initial`), else the demo
    school; no plan."""
    ss = _ss()
    ss.setdefault("lang", "zh")
    ss.setdefault("ver", 0)
    if "doc" not in ss:
        from ui import storage

        storage.open_initial()


def set_raw(raw: dict, source: str, upload_problems: list[Problem] | None = None) -> None:
    """Replace the whole instance (a load or an upload): every editor starts afresh."""
    ss = _ss()
    ss.doc = {k: copy.deepcopy(raw[k]) for k in DOC_KEYS if k in raw}
    ss.tables = {k: records_to_frame(k, raw[k] if isinstance(raw.get(k), list) else []) for k in TABLES}
    ss.base = dict(ss.tables)
    ss.source = source
    ss.upload_problems = upload_problems or []
    ss.focus = None
    ss.ver = ss.get("ver", 0) + 1
    ss.pop("_check", None)
    ss.pop("_check_of", None)


def editor_key(kind: str) -> str:
    return f"ed_{kind}_{_ss().ver}"


def widget_key(name: str) -> str:
    """A key for a widget showing instance data: new whenever the data are replaced."""
    return f"{name}_{_ss().ver}"


def restart_editors() -> None:
    """Start every editor afresh from the current tables (language switch, table changed in code)."""
    ss = _ss()
    ss.base = dict(ss.tables)
    ss.ver += 1


def replace_table(kind: str, df: pd.DataFrame) -> None:
    ss = _ss()
    ss.tables = {**ss.tables, kind: df.reset_index(drop=True)}
    restart_editors()


def update_doc(key: str, value: Any) -> None:
    ss = _ss()
    doc = dict(ss.doc)
    if value is _OMIT:
        doc.pop(key, None)
    else:
        doc[key] = value
    ss.doc = doc


def current_raw() -> tuple[dict, list[Problem], dict[str, int]]:
    ss = _ss()
    raw: dict[str, Any] = {k: copy.deepcopy(v) for k, v in ss.doc.items()}
    problems: list[Problem] = []
    rows: dict[str, int] = {}
    for kind in TABLES:
        records, bad, where = frame_to_records(kind, ss.tables[kind])
        if records or kind in ("periods", "classes", "rooms", "courses", "staff", "students"):
            raw[kind] = records
        problems += bad
        rows.update(where)
    order = ["format", "school", "policy", "days", "periods", "classes", "rooms", "courses", "staff",
             "institutions", "students", "pins", "previous_plan"]
    return {k: raw[k] for k in order if k in raw}, problems, rows


def check() -> Check:
    """The check of the current data (cached until the data change).

    The data change only by replacing `ss.tables` or `ss.doc` (never in place), so while both are
    the very objects the last check was made of, it still holds (the app asks several times a run:
    pages, sidebar, saving)."""
    ss = _ss()
    cached = ss.get("_check")
    made_of = ss.get("_check_of")
    if cached is not None and made_of is not None and made_of[0] is ss.tables and made_of[1] is ss.doc:
        return cached[1]
    raw, problems, rows = current_raw()
    key = json.dumps([raw, [(p.record, p.field, p.message) for p in problems]], ensure_ascii=False, sort_keys=True)
    if cached is None or cached[0] != key:
        cached = (key, check_raw(raw, problems, rows))
        ss["_check"] = cached
    ss["_check_of"] = (ss.tables, ss.doc)  # held, so the identities cannot be reused by new objects
    return cached[1]


# ============================================================================ plan


@dataclass
class PlanState:
    plan: Plan
    loaded: Loaded  # the instance the plan was made for
    changes: list[str] = field(default_factory=list)
    previous: Plan | None = None
    fallback: str | None = None
    purpose: str = "solve"
    stored_id: int | None = None  # the plan's id in the database, once kept
    version_number: int | None = None  # the scenario version it was made from

    @property
    def valid(self) -> bool:
        return self.plan.status in ("optimal", "feasible")


def plan_state() -> PlanState | None:
    """The current plan: the last valid one (a failed re-solve never replaces it)."""
    return _ss().get("plan")


def attempt() -> PlanState | None:
    """The last solve's outcome, valid or not (what the Solve and Adjust pages report)."""
    return _ss().get("attempt")


def set_plan(ps: PlanState) -> None:
    _ss().plan = ps


def is_stale(ps: PlanState) -> bool:
    c = check()
    return not c.valid or c.loaded.sha256 != ps.loaded.sha256


def require_plan(warn_stale: bool = True, need_activities: bool = False) -> PlanState:
    """The current plan for a page that shows one; without it, a pointer to the solve page and a
    stop. A plan made from other data than the page's is flagged."""
    ps = plan_state()
    if ps is None or (need_activities and not ps.plan.activities):
        st.info(t("need_plan"))
        st.page_link("app_pages/solve.py", label=t("go_solve"), icon=":material/settings:")
        st.stop()
    if warn_stale and is_stale(ps):
        st.warning(t("stale_plan"))
    return ps


# ============================================================================ files


def read_upload(name: str, data: bytes) -> tuple[dict | None, list[Problem]]:
    """An uploaded JSON or Excel file as instance data to edit, and the problems found in it.

    A file the loader rejects is still opened when it can be read, so its problems can be fixed
    in the tables; only an unreadable file gives None.
    """
    from models.calamine import is_calamine, to_xlsx_bytes
    from models.excel import read_instance_bytes
    from models.load import parse_json

    if is_calamine(name):  # .xls / .ods through python-calamine, then as an .xlsx with the same cells
        try:
            data = to_xlsx_bytes(data, name)
        except InputRejected as exc:
            return None, exc.report.problems
        name = name.rsplit(".", 1)[0] + ".xlsx"
    if name.lower().endswith((".xlsx", ".xlsm")):
        try:
            loaded = read_instance_bytes(data, name)
            return loaded.instance.to_json_dict(), list(loaded.warnings)
        except InputRejected as exc:
            problems = exc.report.problems
            try:  # the workbook's cells as instance data, errors and all (private helpers of models.excel)
                from models.excel import _read_instance, _xlsx_grids

                raw = _read_instance(_xlsx_grids(data, name)).raw
            except Exception:
                return None, problems
            return (raw if isinstance(raw, dict) and raw else None), problems
    try:
        raw = parse_json(data, name)
    except InputRejected as exc:
        return None, exc.report.problems
    if not isinstance(raw, dict):
        return None, [Problem("FMT-TYPE", "instance", None, "文件顶层应为 JSON 对象。", "the top level must be a JSON object.")]
    try:
        loaded = load_data(raw, data, name)
        return raw, list(loaded.warnings)
    except InputRejected as exc:
        return raw, exc.report.problems


def instance_xlsx(c: Check) -> bytes:
    from models.excel import write_instance_workbook

    buf = io.BytesIO()
    write_instance_workbook(c.loaded.instance, buf)
    return buf.getvalue()


def template_xlsx() -> bytes:
    from models.excel import write_template

    buf = io.BytesIO()
    write_template(buf)
    return buf.getvalue()


def problem_text(p: Problem, c: Check | None = None) -> tuple[str, str]:
    """A problem as one line (record, field, rule, row, message) and its hint, in the session's language."""
    en = lang() == "en"
    row = c.row(p) if c is not None else None
    where = f"{p.sheet}!{p.column or ''}{p.row or ''}" if p.sheet else ""
    row_text = t("problem_row", n=row) if row else (f" · {where}" if where else "")
    from ui.words import field_name, record_name, table_of_record

    lg = "en" if en else "zh"
    line = t("problem_line", record=record_name(p.record, lg), field=field_name(table_of_record(p.record), p.field, lg),
             rule=p.rule, row=row_text, message=p.message_en if en else p.message)
    hint = p.hint_en if en else p.hint
    return line, (t("problem_hint", hint=hint) if hint else "")


def day_name(code: str) -> str:
    return label("day", code, lang())


# ============================================================================ solving


def job():
    """The session's solve job (running or finished), if any."""
    return _ss().get("job")


def start_solve(loaded: Loaded, time_limit: float, weights=None, previous: Plan | None = None,
                purpose: str = "solve") -> None:
    from solver.model.objective import DEFAULT
    from ui import jobs, storage

    storage.ensure_saved(t("msg_before_solve"))  # the plan will name the exact version it was made from
    _ss().job = jobs.start(loaded, time_limit, weights or DEFAULT, previous, purpose,
                           keep=storage.job_keeper(loaded))  # stored by the job: a closed tab loses nothing


def harvest() -> None:
    """Take a finished solve's plan into the session (once)."""
    j = job()
    if j is None or j.harvested or j.active:
        return
    j.harvested = True
    if j.state == "done" and j.plan is not None:
        ps = PlanState(j.plan, j.loaded, j.changes, j.previous, j.fallback, j.purpose)
        from ui import storage

        if j.stored is not None:  # the job kept it already
            ps.stored_id, ps.version_number = j.stored.id, j.stored.version_number
        else:
            storage.keep_plan(ps)
        _ss().attempt = ps
        if ps.valid:
            set_plan(ps)


def sidebar_status() -> None:
    """Data and plan status; while a solve runs, a ticking line that reruns the app when it ends."""
    c = check()
    st.caption(t("sb_data", source=_ss().source))
    st.caption(t("sb_valid") if c.valid else t("sb_invalid", n=len(c.errors)))
    ps = plan_state()
    if ps is not None:
        st.caption(t("sb_plan", status=t(f"status_{ps.plan.status}"), n=len(ps.plan.activities)))
    else:
        st.caption(t("sb_no_plan"))
    j = job()
    running = j is not None and j.active

    @st.fragment(run_every=1.0 if running else None)
    def ticker() -> None:
        current = job()
        if current is None:
            return
        if current.active:
            snap = current.snapshot()
            st.caption(t("sb_queued") if snap["state"] == "queued" else t("sb_running", s=snap["seconds"]))
        elif not current.announced and not current.harvested:
            current.announced = True
            st.rerun()

    ticker()


# ============================================================================ editors


def column_title(column: Column) -> str:
    title = column.label.zh if lang() == "zh" else column.field.replace("_", " ")
    return f"{title} *" if column.required else title


def column_help(column: Column) -> str:
    lab = column.label
    zh = lang() == "zh"
    parts = [f"{lab.zh} · `{column.field}`", lab.note_zh if zh else lab.note_en,
             (column.cell_type.zh if zh else column.cell_type.en)]
    parts.append(t("required") if column.required else t("default_is", d=column.shown_default()))
    if lab.rule:
        parts.append(f"{t('col_rule')} {lab.rule}")
    return "  \n".join(p for p in parts if p)


def column_config(kind: str) -> dict:
    """Typed columns of a table's editor (the same for a table and language: edits are kept)."""
    cc = st.column_config
    out = {}
    for f, c in COLUMNS[kind].items():
        title, help_ = column_title(c), column_help(c)
        shape = _shape(c)
        if shape == "bool":
            out[f] = cc.CheckboxColumn(title, help=help_, default=bool(c.default))
        elif shape == "int":
            out[f] = cc.NumberColumn(title, help=help_, step=1, format="%d")
        elif shape == "money":
            out[f] = cc.NumberColumn(title, help=help_)
        elif shape in ("enum", "multi"):
            group = enum_group(c)
            item = c.cell_type.item if isinstance(c.cell_type, ListOf) else c.cell_type
            codes = list(item.labels)
            if lang() == "zh":
                def fmt(code: str, g: str = group) -> str:
                    return label(g, code, "zh")
            else:
                def fmt(code: str, g: str = group) -> str:
                    return label(g, code, "en")
            if shape == "enum":
                out[f] = cc.SelectboxColumn(title, help=help_, options=codes, format_func=fmt, required=c.required)
            else:
                out[f] = cc.MultiselectColumn(title, help=help_, options=codes, format_func=fmt)
        else:
            out[f] = cc.TextColumn(title, help=help_)
    return out


def table_editor(kind: str) -> pd.DataFrame:
    """The editor of one table; its edits go into the session's tables at once."""
    from ui import storage

    ss = _ss()
    key = editor_key(kind)
    if key not in ss:  # a fresh editor (first show, or Streamlit dropped its state on a page change)
        ss.base = {**ss.base, kind: ss.tables[kind]}
    base = ss.base[kind]
    height = min(38 + 35 * (len(base) + 2), 600)
    if not storage.writable():  # a viewer or the district administrator: shown, never changed
        st.dataframe(base, hide_index=True, column_config=column_config(kind), height=height,
                     width="stretch")
        return base
    # Streamlit cannot sort an editor that adds and deletes rows (streamlit#10790): a sortable view of
    # the same table, read-only, for finding things in a big one; the file's order (arrival order,
    # which the FCFS baseline uses) is never changed by sorting.
    if len(base) > 20 and st.toggle(t("sort_view"), key=f"sort_view_{kind}", help=t("sort_view_help")):
        st.dataframe(ss.tables[kind], hide_index=True, column_config=column_config(kind), height=height,
                     width="stretch")
        return ss.tables[kind]
    edited = st.data_editor(base, key=key, num_rows="dynamic", hide_index=True, column_config=column_config(kind),
                            height=height, width="stretch", placeholder="")
    ss.tables = {**ss.tables, kind: edited}
    return edited


def record_ref(loaded: Loaded, ident: str) -> str:
    """An id named by an explanation (S0042, T04, EXT …) as a record name (students[S0042])."""
    if "[" in ident or "." in ident:
        return ident
    for kind, table in (("students", loaded.student), ("staff", loaded.staff), ("rooms", loaded.room),
                        ("courses", loaded.course), ("classes", loaded.klass), ("periods", loaded.period)):
        if ident in table:
            return f"{kind}[{ident}]"
    return ident


def _progress_chart(points: list):
    import altair as alt

    from ui import jobs

    pts = [p for p in points if p.stage in jobs.PREFERENCE_STAGES]
    if not pts:
        return None
    x, y, s = t("seconds"), t("score"), t("series")
    rows = [{x: p.seconds, y: p.objective, s: t("objective")} for p in pts]
    rows += [{x: p.seconds, y: p.bound, s: t("bound")} for p in pts]
    return alt.Chart(pd.DataFrame(rows)).mark_line(point=True, interpolate="step-after").encode(
        x=alt.X(f"{x}:Q", title=x),
        y=alt.Y(f"{y}:Q", title=y, scale=alt.Scale(zero=False)),
        color=alt.Color(f"{s}:N", title=None,
                        scale=alt.Scale(domain=[t("objective"), t("bound")], range=["#1f77b4", "#ff7f0e"])),
    ).properties(height=260)


def solve_progress(chart: bool = True) -> None:
    """The running (or last) solve: stage, time, objective, bound, gap and their chart; polled
    every half second while the solve runs, and a full rerun when it ends."""
    from ui import jobs

    j = job()
    running = j is not None and j.active

    @st.fragment(run_every=0.5 if running else None)
    def panel() -> None:
        current = job()
        if current is None:
            return
        snap = current.snapshot()
        if snap["state"] == "queued":
            st.info(t("solve_queued"))
        elif current.active:
            stage = t(f"stage_{snap['stage']}") if snap["stage"] else t("solve_prepare")
            st.progress(min(1.0, snap["seconds"] / max(current.time_limit, 1)),
                        text=t("solve_running", stage=stage, s=snap["seconds"], limit=current.time_limit))
            if snap["stopping"]:
                st.caption(t("stopping"))
        pref = [p for p in snap["points"] if p.stage in jobs.PREFERENCE_STAGES]
        if pref and chart:
            last = pref[-1]
            m1, m2, m3 = st.columns(3)
            m1.metric(t("objective"), f"{last.objective:,.0f}", help=t("objective_help"))
            m2.metric(t("bound"), f"{last.bound:,.0f}", help=t("bound_help"))
            m3.metric(t("gap"), f"{100 * last.gap:.1f}%", help=t("gap_help"))
            figure = _progress_chart(snap["points"])
            if figure is not None:
                st.altair_chart(figure, width="stretch")
        if not current.active and not current.harvested and not current.announced:
            current.announced = True
            st.rerun()

    panel()


def one_language(text: str, lg: str) -> str:
    from ui.words import one_language as one

    return one(text, lg)


def show_failure(ps: PlanState, key: str) -> None:
    """Why a solve gave no valid plan: the explanation with buttons to the records it names
    (infeasible), or the checker's findings (no valid plan in time)."""
    plan = ps.plan
    if plan.status == "infeasible":
        st.error(t("infeasible_title"))
        for i, e in enumerate(plan.explanation):
            with st.container(border=True):
                st.markdown(f"**[{e.rule}]** {one_language(e.detail, lang())}")
                if e.records:
                    st.caption(t("infeasible_records"))
                    cols = st.columns(min(len(e.records), 6))
                    for j, rec in enumerate(e.records[:12]):
                        target = record_ref(ps.loaded, rec)
                        if cols[j % len(cols)].button(rec, key=f"{key}_rec_{i}_{j}", help=t("show_record", r=target)):
                            if target.startswith("policy"):
                                st.switch_page("app_pages/policy.py")
                            _ss().focus = target
                            st.switch_page("app_pages/data.py")
    else:
        st.error(t("unknown_title"))
        found = [w for w in plan.warnings if w.startswith("[") and not w.startswith(("[R3]", "[R4]", "[R12]", "[R13]",
                                                                                      "[R14]", "[R10]", "[R11]"))]
        for w in found[-10:]:
            st.markdown(f"- {one_language(w, lang())}")
    if plan_state() is not None and plan_state() is not ps:
        st.info(t("kept_previous"))
