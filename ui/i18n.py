"""Every word the app shows, Chinese first, English on the switch.

One table: the app's strings below extend the exports' table (`export.i18n.TEXT`), so a
screen and the paper the school prints say the same thing the same way. `t(key, **fields)` uses
the session's language; `tr(key, lang, **fields)` any language (tests, exports).
"""

from __future__ import annotations

from export.i18n import TEXT as _EXPORT_TEXT
from export.i18n import label, labels

__all__ = ["LANGS", "TEXT", "label", "labels", "lang", "t", "tr"]

LANGS = {"zh": "中文", "en": "English"}

TEXT: dict[str, tuple[str, str]] = {
    **_EXPORT_TEXT,
    # app and navigation
    "app_title": ("课后服务排课", "After-school planner"),
    "app_caption": ("双减 · 课后服务排课与人员安排", "Double reduction · after-school timetabling and staffing"),
    "page_data": ("数据", "Data"),
    "page_policy": ("政策", "Policy"),
    "page_solve": ("求解", "Solve"),
    "page_timetable": ("课表", "Timetables"),
    "page_adjust": ("调整", "Adjust"),
    "page_compliance": ("合规与经费", "Compliance & budget"),
    "page_export": ("导出", "Export"),
    "page_district": ("区级运行", "District"),
    "language": ("语言 Language", "Language 语言"),
    "sb_data": ("数据：{source}", "Data: {source}"),
    "sb_valid": (":material/check_circle: 数据有效", ":material/check_circle: data valid"),
    "sb_invalid": (":material/error: 数据有 {n} 个错误", ":material/error: {n} errors in the data"),
    "sb_plan": ("方案：{status}，{n} 项活动", "Plan: {status}, {n} activities"),
    "sb_no_plan": ("尚无方案", "No plan yet"),
    "sb_running": (":material/hourglass_top: 正在求解… {s:.0f} 秒", ":material/hourglass_top: solving… {s:.0f} s"),
    "sb_queued": (":material/hourglass_top: 排队等待求解…", ":material/hourglass_top: waiting for the solver…"),
    "page_error": (
        "这一页出了问题：{err}。数据没有丢失，可以换一页或修改数据后再试。",
        "This page hit a problem: {err}. Nothing is lost; try another page or fix the data.",
    ),
    "need_plan": (
        "还没有排课方案。请先到“求解”页生成方案。",
        "There is no plan yet. Make one on the Solve page first.",
    ),
    "go_solve": ("去求解", "Go to Solve"),
    "go_data": ("去修改数据", "Go to Data"),
    "stale_plan": (
        "求解后数据已修改：这里显示的是求解时的方案。需要时请重新求解。",
        "The data changed after this plan was made: what you see is the plan as solved. Solve again if needed.",
    ),
    "data_invalid_block": ("数据有 {n} 个错误，修正后才能求解。", "The data has {n} errors; fix them before solving."),
    # tables
    "tbl_school": ("学校", "School"),
    "tbl_policy": ("政策", "Policy"),
    "tbl_periods": ("时段", "Periods"),
    "tbl_classes": ("班级", "Classes"),
    "tbl_rooms": ("场地", "Rooms"),
    "tbl_courses": ("课程", "Courses"),
    "tbl_staff": ("教职工", "Staff"),
    "tbl_institutions": ("机构", "Institutions"),
    "tbl_students": ("学生", "Pupils"),
    "tbl_pins": ("固定安排", "Pins"),
    # data page
    "data_title": ("学校数据", "School data"),
    "data_intro": (
        "从示例学校开始，或上传 JSON / Excel 文件。每个表都可以直接修改，每次修改后立即检查，问题显示在表格旁边。"
        "修改会一直保留（换页也不丢），可随时下载。",
        "Start from the demo school or upload a JSON / Excel file. Edit any table in place; every change is "
        "checked at once and problems appear beside the table. Edits are kept across pages and can be "
        "downloaded at any time.",
    ),
    "load_demo": ("载入示例学校", "Load the demo school"),
    "demo_loaded": ("已载入示例学校。", "Demo school loaded."),
    "upload": ("上传实例文件（JSON 或 Excel）", "Upload an instance (JSON or Excel)"),
    "upload_help": (
        "Excel 请用下方模板（每个表一个工作表）。",
        "For Excel use the template below (one sheet per table).",
    ),
    "uploaded": ("已读入 {name}。", "Read {name}."),
    "upload_problems": (
        "上传的文件 {name} 有 {n} 个问题（已读入能读的部分，请在表格中修正）：",
        "The uploaded file {name} has {n} problems (what could be read is loaded; fix the rest in the tables):",
    ),
    "upload_failed": ("无法读取 {name}，当前数据未改变：", "Could not read {name}; the current data is unchanged:"),
    "dl_template": ("下载空白 Excel 模板", "Download the empty Excel template"),
    "dl_json": ("下载当前数据（JSON）", "Download the data (JSON)"),
    "dl_xlsx": ("下载当前数据（Excel）", "Download the data (Excel)"),
    "dl_xlsx_blocked": (
        "数据有错误时只能下载 JSON；修正后可下载 Excel。",
        "While the data has errors only JSON can be downloaded; Excel once they are fixed.",
    ),
    "status_valid": (
        "数据有效：{students} 名学生，{staff} 名教职工，{courses} 门课程，{rooms} 个场地，{classes} 个班。",
        "Data valid: {students} pupils, {staff} staff, {courses} courses, {rooms} rooms, {classes} classes.",
    ),
    "status_invalid": (
        "数据有 {errors} 个错误（{warnings} 个警告）。错误修正之前不能求解。",
        "The data has {errors} errors ({warnings} warnings). Fix the errors before solving.",
    ),
    "errors_in": ("错误所在的表：{tables}（点下方相应的表查看）。", "Errors are in: {tables} (open that table below)."),
    "warnings_n": (
        "{n} 个警告：这些记录不会被安排（不影响求解）。",
        "{n} warnings: these records are left out (solving still works).",
    ),
    "table": ("表", "Table"),
    "school_tab": ("学校", "School"),
    "problems_here": ("这个表的问题", "Problems in this table"),
    "no_problems_here": ("这个表没有问题。", "No problems in this table."),
    "problem_line": (
        "**{record}** · {field} · 规则 {rule}{row}：{message}",
        "**{record}** · field `{field}` · rule {rule}{row}: {message}",
    ),
    "problem_row": ("（第 {n} 行）", " (row {n})"),
    "problem_hint": ("提示：{hint}", "Hint: {hint}"),
    "more_problems": ("还有 {n} 个问题，见下表。", "{n} more problems, see the table below."),
    "col_record": ("记录", "Record"),
    "col_field": ("字段", "Field"),
    "col_rule": ("规则", "Rule"),
    "col_message": ("问题", "Problem"),
    "col_hint": ("提示", "Hint"),
    "col_row": ("行", "Row"),
    "col_severity": ("级别", "Severity"),
    "sev_error": ("错误", "error"),
    "sev_warning": ("警告", "warning"),
    "editor_help": (
        "直接点击单元格修改；最后一行下方可添加新行，选中行后可删除。列表用逗号分隔（如 3, 4）；时段写成 周一:P1；"
        "值班写成 周一 07:40-15:30。鼠标停在列名上可看说明。",
        "Click a cell to edit; add rows below the last row, select rows to delete them. Lists are "
        "comma-separated (3, 4); slots look like mon:P1; duties like mon 07:40-15:30. Hover a column "
        "name for its meaning.",
    ),
    "focus_record": ("定位到 {record}：见下表高亮的行。", "Showing {record}: see the highlighted row below."),
    "focus_clear": ("取消定位", "Clear"),
    "school_id": ("学校编号", "School id"),
    "school_name": ("学校名称", "School name"),
    "school_stage": ("学段", "Stage"),
    "service_days": ("服务日（R3：周一至周五每天）", "Service days (R3: every day Mon–Fri)"),
    "columns_guide": ("各列含义", "What the columns mean"),
    "required": ("必填", "required"),
    "default_is": ("默认 {d}", "default {d}"),
    # policy page
    "policy_title": ("政策参数与条文", "Policy parameters and wording"),
    "policy_intro": (
        "每条规则（R1–R25）都来自区教育局《关于全面推进中小学课后服务进一步提升课后服务水平的实施意见》。"
        "下面是条文原文、系统的做法和可调整的参数；修改参数后立即重新检查数据。",
        "Each rule R1–R25 comes from the district's implementation opinions on after-school services. "
        "Below: the policy's own words, what the planner does, and the parameters you can set; the data "
        "are re-checked at once after a change.",
    ),
    "policy_source": ("原文（第 {s} 条）", "Policy text (§{s})"),
    "policy_does": ("系统怎样执行", "What the planner does"),
    "policy_kind": ("类型：{k}", "Kind: {k}"),
    "kind_hard": ("硬约束（方案必须满足）", "hard (every plan must meet it)"),
    "kind_input": ("数据检查（加载时检查）", "input check (on loading)"),
    "kind_soft": ("优化目标", "objective"),
    "kind_report": ("报告", "report"),
    "policy_params": ("参数", "Parameters"),
    "policy_no_params": ("本条没有可调参数。", "No parameter for this rule."),
    "waivers_help": ("用逗号分隔，如 建档立卡, 低保", "comma-separated, e.g. 建档立卡, 低保"),
    "policy_filter": ("只看有参数的规则", "Only rules with parameters"),
    # solve page
    "solve_title": ("求解：生成排课与人员方案", "Solve: make the timetable and staffing plan"),
    "solve_intro": (
        "求解在后台运行，期间可以去其他页面查看或修改（修改不影响正在进行的求解）。"
        "图中“目标”是当前方案的选课满意分，“上界”是可能达到的最好分数，两者越接近越好。",
        "The solver runs in the background; you can use other pages meanwhile (edits do not affect the "
        "running solve). In the chart, 'objective' is the current plan's preference score and 'bound' the "
        "best score possible; the closer, the better.",
    ),
    "time_limit": ("时间限制（秒）", "Time limit (seconds)"),
    "time_limit_help": (
        "到时间后返回找到的最好方案；随时可以停止。",
        "The best plan found by then is returned; you can stop at any time.",
    ),
    "weights": ("目标优先级（高级）", "Objective priorities (advanced)"),
    "weights_intro": (
        "先保证每个学生至少选上一门自己报的课，再按志愿名次加分（第一志愿分最高）；"
        "其后依次是：经费最省、教师负担最均衡、作业辅导尽量由本班教师负责。",
        "First every pupil in at least one course they chose, then points by choice rank (first choice "
        "most); after that: lowest cost, most even teacher load, homework groups with their own "
        "class's teacher.",
    ),
    "w_any": ("每名学生选上至少一门志愿的分数", "Points per pupil placed in any chosen course"),
    "w_rank": ("第 {r} 志愿的分数", "Points for choice {r}"),
    "w_class": ("本班教师辅导作业的分数", "Points per homework group with its class teacher"),
    "start_solve": ("开始求解", "Start solving"),
    "stop_solve": ("停止", "Stop"),
    "stopping": ("正在停止，马上返回目前最好的方案…", "Stopping; the best plan so far comes back in a moment…"),
    "solve_running": ("正在求解：{stage}，已用 {s:.0f} / {limit:.0f} 秒", "Solving: {stage}, {s:.0f} / {limit:.0f} s"),
    "solve_queued": ("另一个求解正在进行，排队中…", "Another solve is running; queued…"),
    "solve_prepare": ("准备中（检查数据、计算先到先得基线）…", "Preparing (checks, first-come-first-served baseline)…"),
    "objective": ("目标", "objective"),
    "bound": ("上界", "bound"),
    "gap": ("差距", "gap"),
    "seconds": ("秒", "seconds"),
    "score": ("分数", "score"),
    "series": ("曲线", "series"),
    "stage_students": ("分配学生（时间表固定）", "placing pupils (timetable fixed)"),
    "stage_sections": ("开班、排时间与分配学生", "opening sections, times and pupils"),
    "stage_staff-cost": ("安排教职工：经费最省", "staffing: lowest cost"),
    "stage_staff-balance": ("安排教职工：负担均衡", "staffing: even load"),
    "stage_relaxation": ("分析无解原因", "finding why there is no plan"),
    "solve_done": ("求解完成：{status}，用时 {s:.1f} 秒。", "Solved: {status} in {s:.1f} s."),
    "status_help": (
        "“可行”：方案满足全部规则；“最优”：已证明没有更好的方案。时间越长，方案通常越好。",
        "'feasible': the plan meets every rule; 'optimal': proven that no better plan exists. More time "
        "usually gives a better plan.",
    ),
    "solve_failed": ("求解出错：{err}", "The solver failed: {err}"),
    "solve_result": ("结果", "Result"),
    "view_timetable": ("查看课表", "See the timetables"),
    "infeasible_title": ("无法排出方案，原因如下：", "No plan is possible, because:"),
    "infeasible_records": ("涉及：", "Records involved:"),
    "unknown_title": (
        "在时间限制内没有找到有效方案，请放宽时间限制后再试。",
        "No valid plan within the time limit; try a longer limit.",
    ),
    "kept_previous": (
        "当前仍使用上一版有效方案（课表、合规和导出页显示的都是它）。",
        "The previous valid plan stays current (the Timetables, Compliance and Export pages show it).",
    ),
    "plan_notes": ("方案说明与加载警告（{n} 条）", "Plan notes and load warnings ({n})"),
    "served": ("全程看护", "Served"),
    "first_choice": ("第一志愿", "First choice"),
    "any_choice": ("任一志愿", "Any choice"),
    "term_cost": ("学期支出（元）", "Term cost (yuan)"),
    "balance": ("结余（元）", "Balance (yuan)"),
    "objective_help": (
        "当前方案的选课满意分：选上志愿的学生越多、志愿名次越靠前，分数越高。",
        "The current plan's preference score: more pupils in chosen courses, better ranks, higher.",
    ),
    "bound_help": ("可能达到的最高分（求解器已证明不会更高）。", "The highest score possible (proven by the solver)."),
    "gap_help": (
        "目标与上界的差距；0% 表示已是最好方案。",
        "How far the objective is from the bound; 0% means best possible.",
    ),
    "show_record": ("在数据页查看 {r}", "Show {r} in the data"),
    # timetable page
    "tt_title": ("课表", "Timetables"),
    "tt_view": ("查看", "View"),
    "view_class": ("班级", "Class"),
    "view_staff": ("教师", "Teacher"),
    "view_room": ("场地", "Room"),
    "view_student": ("学生", "Pupil"),
    "tt_pick": ("选择", "Choose"),
    "tt_search": ("查找学生或教师（学号、工号或姓名）", "Find a pupil or teacher (id or name)"),
    "tt_found": ("找到 {n} 个：", "{n} found:"),
    "tt_not_found": ("没有找到“{q}”。", "Nothing matches “{q}”."),
    "tt_legend": ("颜色表示课程类别：", "Colours show the course category:"),
    "tt_empty": ("这一周没有安排。", "Nothing this week."),
    "staff_view": ("教职工工作量与在校时间（R23、R24）", "Staff load and hours on site (R23, R24)"),
    "staff_view_intro": (
        "每天一列：到校—离校时间；“+N 分钟”是下班时间之后的服务分钟数（弹性上下班）。",
        "One column per day: arrival–leaving time; '+N min' is the service after off-work time (flexible hours).",
    ),
    "col_kind": ("类型", "Kind"),
    "col_load": ("每周课时", "Periods / week"),
    "col_pay": ("学期报酬（元）", "Term pay (yuan)"),
    "minutes_after": ("+{m} 分钟", "+{m} min"),
    # adjust page
    "adj_title": ("调整：固定、缺勤、关闭场地，然后重新求解", "Adjust: pin, mark absences, close rooms, then re-solve"),
    "adj_intro": (
        "这里的修改写入数据（在“数据”页可见、可撤销），重新求解时会尽量保持原方案不变，并列出所有变动。",
        "Changes here go into the data (visible and reversible on the Data page); a re-solve keeps as much "
        "of the current plan as it can and lists every change.",
    ),
    "pin_head": ("固定一项活动", "Pin an activity"),
    "pin_activity": ("活动", "Activity"),
    "pin_what": ("固定哪些内容", "What to keep"),
    "pin_staff": ("教职工", "staff"),
    "pin_room": ("场地", "room"),
    "pin_slots": ("时间", "times"),
    "pin_students": ("学生名单", "pupils"),
    "pin_add": ("固定", "Pin"),
    "pin_added": ("已固定 {a}。", "Pinned {a}."),
    "pin_kept": ("固定：{what}", "keeps: {what}"),
    "staff_load": ("每周 {n} 课时", "{n} periods a week"),
    "staff_idle": ("本周无课", "no service"),
    "pins_now": ("当前的固定安排", "Current pins"),
    "pins_none": ("还没有固定安排。", "No pins yet."),
    "pin_remove": ("取消固定 {a}", "Unpin {a}"),
    "absent_head": ("教师本学期缺勤", "A teacher absent for the rest of term"),
    "absent_pick": ("教职工", "Staff member"),
    "absent_mark": ("标记为缺勤", "Mark absent"),
    "absent_done": ("{s} 已标记为缺勤（每周最多课时设为 0）。", "{s} marked absent (weekly cap set to 0)."),
    "absent_now": ("缺勤：{names}", "Absent: {names}"),
    "absent_undo": ("恢复 {s}", "Restore {s}"),
    "room_head": ("场地本学期关闭", "A room closed for the rest of term"),
    "room_pick": ("场地", "Room"),
    "room_close": ("关闭场地", "Close the room"),
    "room_done": ("{r} 已关闭（所有时段不可用）。", "{r} closed (every slot unavailable)."),
    "rooms_now": ("关闭：{names}", "Closed: {names}"),
    "room_undo": ("重新开放 {r}", "Reopen {r}"),
    "resolve_head": ("重新求解（尽量少改动）", "Re-solve (as few changes as possible)"),
    "resolve": ("按当前方案重新求解", "Re-solve from the current plan"),
    "changes_head": ("与上一版方案相比的变动（{n} 项）", "Changes from the previous plan ({n})"),
    "no_changes": ("没有变动。", "No changes."),
    "chg_学生": ("学生的去向变动", "Pupils moved"),
    "chg_教职工": ("负责教职工变动", "Staff changed"),
    "chg_时间": ("活动时间变动", "Sessions moved"),
    "chg_场地": ("场地变动", "Rooms changed"),
    "chg_取消": ("取消的活动", "Activities removed"),
    "chg_新增": ("新增的活动", "Activities added"),
    # compliance page
    "comp_title": ("合规与经费", "Compliance and budget"),
    "comp_summary": ("R1–R25 中 {ok} 条通过，{bad} 条未通过。", "{ok} of R1–R25 pass, {bad} fail."),
    "comp_rule": ("规则", "Rule"),
    "comp_name": ("内容", "What"),
    "comp_ok": ("结果", "Result"),
    "comp_detail": ("说明", "Detail"),
    "pass": ("✓ 通过", "✓ pass"),
    "fail": ("✗ 未通过", "✗ fail"),
    "budget_head": ("学期经费（R18–R20）", "Term budget (R18–R20)"),
    "income": ("收入", "Income"),
    "cost": ("支出", "Cost"),
    "amount": ("金额（元）", "Amount (yuan)"),
    "part": ("项目", "Item"),
    "compare_head": ("与先到先得（抢课）方案对比", "Compared with first-come-first-served sign-up"),
    "compare_intro": (
        "同一份数据，用报名平台常见的先到先得方式排出的方案。",
        "The same data planned the way sign-up platforms do it: first come, first served.",
    ),
    "this_plan": ("本方案", "This plan"),
    "fcfs_plan": ("先到先得", "First come, first served"),
    "rank": ("志愿名次", "Choice rank"),
    "placements": ("安排人次", "Placements"),
    "plan_col": ("方案", "Plan"),
    "rank_n": ("第{n}志愿", "choice {n}"),
    "hist_title": ("学生被安排到第几志愿", "Which choice pupils got"),
    # export page
    "exp_title": ("导出：学校要发放的材料", "Export: what the school hands out"),
    "exp_lang": ("导出语言", "Language of the files"),
    "term_start": ("学期第一天（按校历修改）", "First day of term (as in the school calendar)"),
    "exp_workbook": (
        "课表工作簿（Excel，按班级、教师、场地，可直接打印）",
        "Timetable workbook (Excel: by class, teacher and room, ready to print)",
    ),
    "exp_guide_html": ("课后服务指南（网页，可打印）", "Service guide (web page, printable)"),
    "exp_guide_pdf": ("课后服务指南（PDF）", "Service guide (PDF)"),
    "exp_attendance": (
        "考勤表（Excel，每天一页，每个活动一块）",
        "Attendance sheets (Excel: a sheet per day, a block per activity)",
    ),
    "exp_ics": ("教师日历（.ics，可导入手机日历）", "Teacher calendar (.ics, for phone calendars)"),
    "exp_plan": ("方案文件（JSON）", "Plan file (JSON)"),
    "exp_workbook_for": (
        "给班主任、教师和场地管理：每班、每位教师、每个场地一页，A4 横向。",
        "For class teachers, staff and room keepers: a page per class, staff member and room, A4 landscape.",
    ),
    "exp_guide_html_for": (
        "给家长和学生（R16）：每门课程的类别、内容、师资、对象、人数和时间。",
        "For parents and pupils (R16): each course's type, content, staff, who may join, capacity, times.",
    ),
    "exp_attendance_for": (
        "每天打印给活动负责人：签到、缺勤、交接或放学（R21）。",
        "Printed daily for the staff in charge: attendance, absences, handover or dismissal (R21).",
    ),
    "exp_ics_for": (
        "教师导入手机或电脑日历，整个学期每周提醒。",
        "Teachers import it into their phone or computer calendar: weekly reminders all term.",
    ),
    "exp_plan_for": ("存档，或下次调整时使用。", "To keep, or to adjust later."),
    "exp_teacher": ("教师", "Teacher"),
    "download": ("下载", "Download"),
    "preview_guide": ("预览课后服务指南", "Preview the service guide"),
    "term_weeks_note": (
        "学期共 {w} 周，至 {end}（政策参数“每学期周数”）。",
        "The term runs {w} weeks, to {end} (policy term_weeks).",
    ),
    # storage, login and roles
    "page_versions": ("方案与版本", "Scenarios & versions"),
    "page_audit": ("审计日志", "Audit log"),
    "login_needed": (
        "这是区级排课服务器：请用区教育局统一身份认证登录。登录后只能看到本校的数据。",
        "This is the district's planning server: log in with the district's sign-in. You will see your "
        "own school's data only.",
    ),
    "login": ("登录", "Log in"),
    "logout": ("退出登录", "Log out"),
    "role_district_admin": ("区教育局管理员", "district administrator"),
    "role_scheduler": ("排课员", "scheduler"),
    "role_viewer": ("只读用户", "viewer"),
    "role_local": ("本机用户", "local user"),
    "all_schools": ("全部学校", "all schools"),
    "sb_user": (":material/person: {name} · {role} · {school}", ":material/person: {name} · {role} · {school}"),
    "pick_school": ("查看学校", "School"),
    "db_error": ("无法打开数据库：{err}", "Cannot open the database: {err}"),
    "bad_url": ("网址中的参数无效。", "The address has an invalid parameter."),
    "sb_scenario": (":material/folder: 方案「{name}」· v{n}", ":material/folder: scenario “{name}” · v{n}"),
    "sb_old_version": (
        "（旧版本；最新 v{latest}，保存后成为新版本）",
        "(an old version; latest v{latest}; saving makes it the newest)",
    ),
    "sb_dirty": (":material/edit: 有修改，稍后自动保存", ":material/edit: changed; saved automatically in a moment"),
    "sb_dirty_invalid": (
        ":material/edit: 有修改（数据有错误：已存为草稿，修正后自动保存为新版本；也可手动保存）",
        ":material/edit: changed (errors in the data: kept as a draft, saved as a version once fixed, or save by hand)",
    ),
    "draft_restored": (
        "已恢复你在 {at} 未保存的修改（草稿）。",
        "Your unsaved changes of {at} (a draft) are restored.",
    ),
    "sb_saved": (":material/cloud_done: 已自动保存 {at}", ":material/cloud_done: saved {at}"),
    "sb_clean": (":material/cloud_done: 已保存", ":material/cloud_done: saved"),
    "sb_not_saved": (
        ":material/info: 示例数据，修改后自动保存为新方案",
        ":material/info: demo data: saved as a new scenario once changed",
    ),
    "sb_unsaved_new": (
        ":material/edit: 新数据，稍后自动保存为新方案",
        ":material/edit: new data: saved as a new scenario in a moment",
    ),
    "save": ("保存", "Save"),
    "save_message": ("说明（可选）", "Message (optional)"),
    "save_message_hint": ("例如：按家长意见调整周三社团", "e.g. Wednesday clubs moved after parents' feedback"),
    "save_now": ("保存为新版本", "Save as a new version"),
    "saved": ("已保存为 v{n}。", "Saved as v{n}."),
    "conflict": (
        "{who} 在你之后保存了新版本（最新 v{latest}，你的修改基于 v{base}）。你的修改还没有保存，也没有覆盖他们的版本。"
        "请选择：",
        "{who} saved a newer version (latest v{latest}; your changes are based on v{base}). Your "
        "changes are not saved and overwrote nothing. Choose:",
    ),
    "conflict_theirs": ("载入最新版本（放弃我的修改）", "Load the latest (drop my changes)"),
    "conflict_mine": ("把我的修改另存为新方案", "Keep my changes as a new scenario"),
    "mine_name": ("{name}（我的修改）", "{name} (my changes)"),
    "msg_demo": ("载入示例学校", "demo school loaded"),
    "msg_upload": ("上传 {name}", "uploaded {name}"),
    "msg_auto": ("自动保存", "autosave"),
    "msg_new": ("新建方案", "new scenario"),
    "msg_fork": ("从「{name}」v{n} 另存（保存冲突时）", "kept apart from “{name}” v{n} (after a conflict)"),
    "msg_before_solve": ("求解前自动保存", "saved before solving"),
    "mode_local": ("本机模式：数据保存在 {db}", "Local mode: data kept in {db}"),
    "mode_server": ("区级服务器：按学校和角色控制访问", "District server: access by school and role"),
    "read_only": ("只读：你的角色不能修改数据。", "Read only: your role cannot change data."),
    "no_data_yet": (
        "本校还没有保存的数据。排课员保存后这里就能看到。",
        "Your school has no saved data yet; it appears here once a scheduler saves.",
    ),
    # scenarios and versions page
    "vs_title": ("方案与版本", "Scenarios and versions"),
    "vs_intro": (
        "每次保存都是一个新版本（谁、何时、改了什么）。可以打开、比较、恢复或导出任何版本；每个排课结果都记录它由哪个版本生成；"
        "每个方案可把一个结果标为“已发布”（发给家长的那一版）。",
        "Every save is a new version (who, when, what changed). Open, compare, restore or export any version; "
        "every plan records the version it was made from; one plan per scenario can be marked published "
        "(the one sent to parents).",
    ),
    "vs_school": ("学校", "School"),
    "vs_current": (
        "当前正在使用：方案「{name}」v{n}（最新 v{latest}）",
        "Now working on: scenario “{name}” v{n} (latest v{latest})",
    ),
    "vs_current_none": (
        "当前数据还没有保存为方案（修改后会自动保存）。",
        "The current data is not saved as a scenario yet (it is saved automatically once changed).",
    ),
    "vs_scenarios": ("方案", "Scenarios"),
    "vs_none": ("这所学校还没有方案。", "This school has no scenarios yet."),
    "vs_pick_scenario": ("选择方案", "Scenario"),
    "vs_open_latest": ("打开此方案（最新版本）", "Open this scenario (latest version)"),
    "vs_opened": ("已打开「{name}」v{n}。", "Opened “{name}” v{n}."),
    "vs_new": ("新建方案", "New scenario"),
    "vs_new_name": ("方案名称", "Name"),
    "vs_new_from": ("内容", "Start from"),
    "vs_from_current": ("当前数据", "the current data"),
    "vs_from_demo": ("示例学校", "the demo school"),
    "vs_create": ("新建", "Create"),
    "vs_created": ("已新建方案「{name}」。", "Created “{name}”."),
    "vs_versions": ("版本（{n}）", "Versions ({n})"),
    "vs_pick_version": ("选择版本", "Version"),
    "vs_open_version": ("打开这个版本", "Open this version"),
    "vs_restore": ("恢复为新版本", "Restore as a new version"),
    "vs_restored": ("已把 v{old} 恢复为 v{n}。", "v{old} restored as v{n}."),
    "vs_export": ("导出 JSON", "Export JSON"),
    "vs_changes_of": ("v{n} 与上一版相比的修改", "What v{n} changed from the version before"),
    "vs_first": ("第一版：{summary}", "First version: {summary}"),
    "vs_no_changes": ("没有变化。", "No changes."),
    "vs_compare": ("比较两个版本", "Compare two versions"),
    "vs_cmp_a": ("从", "From"),
    "vs_cmp_b": ("到", "To"),
    "vs_compare_btn": ("比较", "Compare"),
    "vs_diff_head": ("v{a} → v{b}：{n} 处修改（{summary}）", "v{a} → v{b}: {n} changes ({summary})"),
    "vs_more": ("…还有 {n} 处", "… {n} more"),
    "vs_plans": ("排课结果（{n}）", "Plans ({n})"),
    "vs_no_plans": (
        "这个方案还没有排课结果。到“求解”页生成后会自动保存在这里。",
        "No plans for this scenario yet; the ones made on the Solve page are kept here.",
    ),
    "vs_pick_plan": ("选择排课结果", "Plan"),
    "vs_publish": ("标为已发布", "Mark as published"),
    "vs_published": ("已发布：结果 #{id}（由 v{n} 生成）。", "Published: plan #{id} (made from v{n})."),
    "vs_published_now": (
        ":material/campaign: 已发布（发给家长的版本）：结果 #{id}，由 v{n} 生成，{at}",
        ":material/campaign: Published (sent to parents): plan #{id}, made from v{n}, {at}",
    ),
    "vs_open_plan": ("打开这个结果（连同生成它的版本）", "Open this plan (and the version it was made from)"),
    "vs_plan_opened": ("已打开结果 #{id} 和 v{n}。", "Opened plan #{id} and v{n}."),
    "vs_export_plan": ("导出结果 JSON", "Export the plan (JSON)"),
    "vs_col_version": ("版本", "Version"),
    "vs_col_when": ("时间", "When"),
    "vs_col_who": ("保存人", "By"),
    "vs_col_message": ("说明", "Message"),
    "vs_col_auto": ("自动", "Auto"),
    "vs_col_changes": ("修改", "Changes"),
    "vs_col_id": ("编号", "Id"),
    "vs_col_name": ("名称", "Name"),
    "vs_col_latest": ("最新版本", "Latest"),
    "vs_col_published": ("已发布", "Published"),
    "vs_col_status": ("状态", "Status"),
    "vs_col_from": ("来自版本", "From version"),
    "vs_col_sha": ("实例指纹", "Instance sha256"),
    "vs_col_served": ("全程看护", "Served"),
    "vs_col_first": ("第一志愿", "First choice"),
    "vs_col_cost": ("学期支出（元）", "Term cost (yuan)"),
    "vs_refused": ("无权访问：{err}", "Not allowed: {err}"),
    # audit page
    "au_title": ("审计日志", "Audit log"),
    "au_intro": (
        "谁在何时查看或修改了哪所学校的数据（登录、查看、保存、恢复、发布、导出，以及被拒绝的访问）。",
        "Who viewed or changed which school's data, and when (logins, views, saves, restores, publishing, "
        "exports, and refused access).",
    ),
    "au_only_admin": (
        "只有区教育局管理员可以查看审计日志。",
        "Only the district administrator can read the audit log.",
    ),
    "au_school": ("学校", "School"),
    "au_action": ("操作", "Action"),
    "au_user": ("用户", "User"),
    "au_any": ("全部", "all"),
    "au_col_at": ("时间（北京时间）", "When (Beijing time)"),
    "au_col_user": ("用户", "User"),
    "au_col_role": ("角色", "Role"),
    "au_col_school": ("学校", "School"),
    "au_col_action": ("操作", "Action"),
    "au_col_target": ("对象", "What"),
    "au_col_detail": ("详情", "Detail"),
    "au_col_ok": ("结果", "Result"),
    "au_refused": ("拒绝", "refused"),
    "au_count": ("共 {n} 条，显示最近 {shown} 条。", "{n} entries; the latest {shown} shown."),
}


TEXT.update(
    {
        # the roster (names) and the printouts (issue 15)
        "roster_head": ("花名册（学生姓名）", "Roster (pupils' names)"),
        "roster_for": (
            "学号、姓名、班级、监护人、电话（Excel 或 CSV，UTF-8 或 GBK）。"
            "只在本次导出时使用：不保存、不写入排课数据和方案。",
            "Id, name, class, guardian, phone (Excel or CSV, UTF-8 or GBK). Used for these files only: never saved, "
            "never in the data or the plan.",
        ),
        "roster_upload": ("上传花名册", "Upload a roster"),
        "roster_help": (
            "第一行为表头：学号、姓名（必填），班级、监护人、电话（可选）。",
            "First row a header: 学号/id and 姓名/name (required), class, guardian, phone (optional).",
        ),
        "roster_demo": ("用示例花名册", "Use the demo roster"),
        "roster_bad": ("花名册 {name} 无法使用：", "The roster {name} cannot be used:"),
        "roster_ok": ("已载入花名册 {name}：{n} 名学生。", "Roster {name} loaded: {n} pupils."),
        "roster_clear": ("移除花名册", "Remove the roster"),
        "plan_version_n": ("第 {n} 版", "v{n}"),
        "plan_version_note": (
            "每页页脚注明：方案版本 {version}，打印日期 {date}。",
            "Every page's footer names the plan version {version} and the date {date}.",
        ),
        "exp_class_pdf": (
            "班级课表（PDF，每班一页，附本班学生及其选修课程）",
            "Class timetables (PDF: a page per class, with its pupils and their courses)",
        ),
        "exp_class_pdf_for": ("给班主任张贴和存档。", "For class teachers to post and keep."),
        "exp_per_class": (
            "按班级：家长告知书、学生课表、图片",
            "Per class: notices to parents, pupils' timetables, pictures",
        ),
        "exp_per_class_for": (
            "家长告知书每生一页（课程、时间、地点、收费、接孩子时间）；图片可发到班级群。",
            "Notices one page per pupil (courses, times, places, fee, pick-up); pictures for the class chat.",
        ),
        "dl_notices": ("家长告知书 PDF", "Notices (PDF)"),
        "dl_pupil_pdf": ("学生课表 PDF", "Pupils' timetables (PDF)"),
        "dl_class_png": ("班级课表图片", "Class picture (PNG)"),
        "dl_class_pngs": ("全班图片（zip）", "All pictures (zip)"),
        "preview_class_png": ("预览班级课表图片", "Preview the class picture"),
        "up_limit": (
            "拖入文件或点击上传，每个文件不超过 200MB · {types}",
            "Drop a file or upload, 200MB per file · {types}",
        ),
        "up_browse": ("上传", "Upload"),
    }
)
TEXT["tt_staff_unused"] = (
    "{name} 在本方案中没有安排任何课后服务（未被分配或不可用），所以课表是空的。",
    "{name} has no after-school service in this plan (not assigned or unavailable): the grid is empty.",
)
TEXT["tt_room_unused"] = ("{name} 在本方案中没有被使用。", "{name} is not used in this plan.")
TEXT["tt_pupil_unregistered"] = (
    "该学生没有报名课后服务，所以课表是空的。",
    "This pupil did not register for the service: the grid is empty.",
)
TEXT["compare_why"] = (
    "本方案安排的选修课次数比先到先得少 {fewer} 次，但得到自己所选课程的学生更多"
    "（任一志愿 {any_a} 对 {any_b}，第一志愿 {first_a} 对 {first_b}）："
    "先到先得让先报名的学生占满名额、多选多得，后报名的学生一门也选不上；"
    "本方案先保证每个学生至少有一门自己选的课，再按志愿名次分配，所以总次数少一些而满意的学生多。",
    "This plan places {fewer} fewer elective sessions than first-come-first-served, yet more pupils get a course they "
    "chose (any choice {any_a} vs {any_b}, first choice {first_a} vs {first_b}): first come first served lets early "
    "sign-ups fill the seats and take several each while late ones get none; this plan first gives every pupil one "
    "course they chose, then follows their ranks — fewer sessions in total, more pupils satisfied.",
)
TEXT["term_end"] = ("学期最后一天", "Last day of term")
TEXT["term_calendar_note"] = (
    "按校历：本学期 {n} 个服务日，{off} 个节假日不上课，{makeup} 个调休上班日照常（国务院节假日安排）。",
    "School calendar: {n} service days this term, {off} public holidays off, {makeup} make-up "
    "working days on (the State Council's holiday schedule).",
)
TEXT["exp_ics_zip"] = ("全部教师日历（zip，每人一个 .ics）", "Every teacher's calendar (zip, one .ics each)")
TEXT["sort_view"] = ("排序查看（只读）", "Sortable view (read-only)")
TEXT["sort_view_help"] = (
    "点击列标题按该列排序，便于在大表中查找；不改变表中顺序（报名先后）。关闭后可继续编辑。",
    "Click a column title to sort by it, to find things in a big table; the table's own order "
    "(sign-up order) is unchanged. Switch off to edit again.",
)
TEXT["stale_warnings"] = (
    "上次检查通过时的 {n} 条警告（改正错误后重新检查）",
    "{n} warnings from the last check that passed (checked again once the errors are fixed)",
)
TEXT["served_help"] = (
    "报名课后服务的 {n} 名学生中，每个报名时段都有人看护的人数。另有 {out} 名学生未报名（全校 {all} 人），不计入。",
    "Of the {n} pupils registered for the service, those supervised in every registered slot; {out} "
    "more never registered (of {all}) and are not counted.",
)
TEXT["staff_absent"] = ("已标记缺勤", "marked absent")
TEXT["exp_guide_pdf_for"] = TEXT["exp_guide_html_for"]


def lang() -> str:
    """The session's language ("zh" unless switched)."""
    import streamlit as st

    return st.session_state.get("lang", "zh")


def tr(key: str, language: str = "zh", **fields) -> str:
    zh, en = TEXT.get(key, (key, key))
    text = en if language == "en" else zh
    return text.format(**fields) if fields else text


def t(key: str, **fields) -> str:
    return tr(key, lang(), **fields)
