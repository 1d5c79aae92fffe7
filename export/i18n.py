"""Bilingual words of everything the school hands out (Chinese first, English on request).

One table, `TEXT`, of key → (Chinese, English); `tr(key, lang, **fields)` looks a key up and fills
in `{fields}`. The Chinese names of the format's enum values come from `models.labels` (the same
words as the Excel workbooks); their English names are here. The app's own strings (`ui/i18n.py`)
extend this table, so exports and screens say the same thing the same way.
"""

from __future__ import annotations

from models.labels import (
    CATEGORY_LABELS,
    DAY_LABELS,
    LEVEL_LABELS,
    PERIOD_KIND_LABELS,
    ROOM_KIND_LABELS,
    STAFF_KIND_LABELS,
    STAGE_LABELS,
)

LANGS = ("zh", "en")

# Activity kinds of a plan (formats.md, "Activities").
ACTIVITY_KIND_LABELS: dict[str, str] = {
    "homework": "作业辅导",
    "elective": "选修课程",
    "tutoring": "补习辅导",
    "extended_care": "延时托管",
    "evening_study": "晚自习",
}

# Subjects (`courses[].subject`, `staff[].subjects`, `students[].tutoring`): free codes in the format;
# these are the ones the generator and the demo use. Unknown codes print as they are.
SUBJECT_LABELS: dict[str, str] = {
    "chinese": "语文",
    "math": "数学",
    "english": "英语",
    "pe": "体育",
    "science": "科学",
    "music": "音乐",
    "art": "美术",
    "morality": "道德与法治",
    "it": "信息科技",
    "physics": "物理",
    "chemistry": "化学",
    "biology": "生物",
    "history": "历史",
    "geography": "地理",
    "politics": "道德与法治",
    "psychology": "心理健康",
}

_EN: dict[str, dict[str, str]] = {
    "day": {"mon": "Mon", "tue": "Tue", "wed": "Wed", "thu": "Thu", "fri": "Fri", "sat": "Sat", "sun": "Sun"},
    "stage": {
        "primary": "primary",
        "junior": "junior secondary",
        "senior": "senior secondary",
        "nine_year": "nine-year school",
    },
    "period_kind": {"basic": "basic service", "extended": "extended care", "evening": "evening study"},
    "category": {
        "homework": "homework",
        "tutoring": "tutoring",
        "extension": "extension",
        "science": "science",
        "sports": "sports",
        "arts": "arts",
        "labour": "labour",
        "reading": "reading",
        "film": "film",
        "interest_group": "interest group",
        "club": "club",
        "thematic": "thematic education",
        "online": "online",
        "care": "extended care",
        "evening_study": "evening study",
    },
    "level": {"support": "support", "standard": "standard", "advanced": "advanced"},
    "staff_kind": {
        "teacher": "school teacher",
        "retired_teacher": "retired teacher",
        "parent": "parent",
        "university_student": "university student",
        "coach": "coach",
        "folk_artist": "folk artist",
        "craftsman": "craftsman",
        "heritage_inheritor": "heritage inheritor",
        "institution_staff": "institution staff",
    },
    "room_kind": {
        "classroom": "classroom",
        "gym": "gym",
        "playground": "playground",
        "music": "music room",
        "art": "art room",
        "lab": "lab",
        "computer": "computer room",
        "library": "library",
        "hall": "hall",
        "venue": "off-campus venue",
    },
    "subject": {
        "chinese": "Chinese",
        "math": "maths",
        "english": "English",
        "pe": "PE",
        "science": "science",
        "music": "music",
        "art": "art",
        "morality": "morality and law",
        "it": "IT",
        "physics": "physics",
        "chemistry": "chemistry",
        "biology": "biology",
        "history": "history",
        "geography": "geography",
        "politics": "politics",
        "psychology": "mental health",
    },
    "activity_kind": {
        "homework": "homework group",
        "elective": "elective",
        "tutoring": "tutoring group",
        "extended_care": "extended care",
        "evening_study": "evening study",
    },
}
_ZH: dict[str, dict[str, str]] = {
    "day": DAY_LABELS,
    "stage": STAGE_LABELS,
    "period_kind": PERIOD_KIND_LABELS,
    "category": CATEGORY_LABELS,
    "level": LEVEL_LABELS,
    "staff_kind": STAFF_KIND_LABELS,
    "room_kind": ROOM_KIND_LABELS,
    "activity_kind": ACTIVITY_KIND_LABELS,
    "subject": SUBJECT_LABELS,
}


def label(group: str, code: str | None, lang: str = "zh") -> str:
    """The name of an enum value (`label("day", "mon")` → 周一 / Mon); unknown codes as they are."""
    if code is None:
        return ""
    table = _ZH if lang == "zh" else _EN
    return table.get(group, {}).get(code, code)


def labels(group: str, lang: str = "zh") -> dict[str, str]:
    return dict((_ZH if lang == "zh" else _EN)[group])


TEXT: dict[str, tuple[str, str]] = {
    # timetables
    "timetable": ("课表", "Timetable"),
    "class": ("班级", "Class"),
    "teacher": ("教师", "Teacher"),
    "staff": ("教职工", "Staff"),
    "room": ("场地", "Room"),
    "student": ("学生", "Student"),
    "period": ("时段", "Period"),
    "day": ("星期", "Day"),
    "students_n": ("{n}人", "{n} pupils"),
    "of_class_n": ("本班{n}人", "{n} of this class"),
    "free": ("—", "—"),
    "activity": ("活动", "Activity"),
    "course": ("课程", "Course"),
    "category": ("类别", "Category"),
    "kind": ("类型", "Type"),
    "slots": ("时间", "Times"),
    "size": ("人数", "Size"),
    "grades": ("年级", "Grades"),
    "grade_n": ("{n}年级", "grade {n}"),
    "sheet_class": ("班{id}", "Class {id}"),
    "sheet_staff": ("师{id}", "Staff {id}"),
    "sheet_room": ("室{id}", "Room {id}"),
    "overview": ("总览", "Overview"),
    "activities": ("全部活动", "Activities"),
    "where_students": ("学生去向（每个时段在哪项活动）", "Where each pupil is, slot by slot"),
    "class_title": ("{school} · {klass} 班课后服务课表", "{school} · class {klass} after-school timetable"),
    "staff_title": ("{school} · {name}（{id}）课后服务课表", "{school} · timetable of {name} ({id})"),
    "room_title": ("{school} · {name}（{id}）使用安排", "{school} · use of {name} ({id})"),
    "plan_status": ("方案状态", "Plan status"),
    "status_optimal": ("最优", "optimal"),
    "status_feasible": ("可行", "feasible"),
    "status_infeasible": ("无解", "infeasible"),
    "status_unknown": ("未找到有效方案", "no valid plan"),
    "school": ("学校", "School"),
    "metric": ("指标", "Metric"),
    "value": ("数值", "Value"),
    "m_students": ("学生数", "Students"),
    "m_students_served": ("全程看护的学生", "Students served in every registered slot"),
    "m_electives_requested": ("申请选修课次数", "Electives requested"),
    "m_electives_assigned": ("安排选修课次数", "Electives assigned"),
    "m_first_choice_rate": ("第一志愿满足率", "First-choice rate"),
    "m_any_choice_rate": ("任一志愿满足率", "Any-choice rate"),
    "m_staff_used": ("参与教职工", "Staff serving"),
    "m_external_staff_used": ("其中校外人员", "of whom external"),
    "m_max_staff_load": ("最高每周课时", "Highest weekly load"),
    "m_min_staff_load": ("最低每周课时", "Lowest weekly load"),
    "c_income": ("学期收入（服务费＋补助）", "Term income (fees + subsidy)"),
    "c_fees": ("服务费收入", "Fee income"),
    "c_subsidy": ("财政补助", "Subsidy"),
    "c_cost": ("学期教职工报酬", "Term staff pay"),
    "c_balance": ("结余", "Balance"),
    "yuan": ("{x} 元", "{x} yuan"),
    "periods_per_week": ("每周课时", "Periods per week"),
    "pay_per_term": ("学期报酬（元）", "Term pay (yuan)"),
    "name": ("姓名", "Name"),
    "id": ("编号", "Id"),
    "printed_from": ("由课后服务排课系统导出", "exported by the after-school planner"),
    # service guide (R16)
    "guide_title": ("{school} 课后服务指南", "{school} after-school service guide"),
    "guide_intro": (
        "本指南依据“一校一案”要求编制，列出本学期课后服务的办班种类、课程内容、师资安排、参加对象、容纳人数和时间安排（R16）。",
        "This guide lists this term's after-school offerings — type, content, staff, who may join, capacity and "
        "times — as the policy's 'one plan per school' asks (R16).",
    ),
    "guide_times": ("服务时间", "Service times"),
    "guide_days": ("服务日：{days}", "Service days: {days}"),
    "guide_fee": (
        "收费：每生每学期 {fee} 元；{waivers}家庭经济困难学生免收（R18）。",
        "Fee: {fee} yuan per pupil per term; free for pupils of {waivers} families (R18).",
    ),
    "guide_electives": ("选修课程（学生自愿选报）", "Elective courses (chosen by pupils)"),
    "guide_tutoring": ("补习辅导与答疑（按需安排，不讲授新课）", "Tutoring and questions (as needed; no new lessons)"),
    "guide_assigned": ("基本托管服务", "Supervised services for everyone registered"),
    "guide_not_open": ("本学期未开班", "not running this term"),
    "g_type": ("办班种类", "Type"),
    "g_content": ("课程内容", "Content"),
    "g_staff": ("师资安排", "Staff"),
    "g_target": ("参加对象", "Who may join"),
    "g_capacity": ("容纳人数", "Capacity"),
    "g_times": ("时间安排", "Times"),
    "g_place": ("地点", "Place"),
    "g_enrolled": ("已安排 {n} 人", "{n} placed"),
    "g_sections": ("{n} 个班", "{n} sections"),
    "g_section": ("第{i}班", "Section {i}"),
    "g_advanced": ("学有余力的学生", "pupils flagged as able"),
    "g_tutoring_target": ("经学校确定需要补习的学生", "pupils the school flagged for tutoring"),
    "g_off_campus": ("校外场馆，往返 {m} 分钟，由 {n} 名教职工带队", "off campus, {m} min each way, {n} escorts"),
    "g_groups": ("共 {n} 个组次", "{n} groups in the week"),
    "g_group_cap": ("每组不超过 {n} 人", "at most {n} per group"),
    "g_every_day": ("每个服务日", "every service day"),
    "g_registered": ("报名本项服务的学生", "pupils registered for it"),
    "g_homework_target": ("全部报名学生（按班级或合班）", "every registered pupil (by class or merged classes)"),
    "g_level": ("层次：{level}", "level: {level}"),
    "g_subject": ("学科：{subject}", "subject: {subject}"),
    "g_print": ("打印本页", "Print this page"),
    # attendance (R21)
    "att_title": ("{school} 课后服务考勤表 · {day}", "{school} after-school attendance · {day}"),
    "att_block": (
        "{course}（{id}）　{time}　地点：{room}　负责：{staff}　共 {n} 人",
        "{course} ({id})   {time}   room: {room}   staff: {staff}   {n} pupils",
    ),
    "att_no": ("序号", "No."),
    "att_student": ("学号", "Pupil id"),
    "att_class": ("班级", "Class"),
    "att_in": ("到（签到）", "Present (sign)"),
    "att_absent": ("缺勤／请假", "Absent / excused"),
    "att_next": ("之后去向（交接／离校）", "Then (handover / dismissal)"),
    "att_out": ("交接签字", "Handed over (sign)"),
    "att_note": ("备注", "Note"),
    "att_dismiss": ("离校 {time}", "leaves {time}"),
    "att_handover": ("→ {course}（{room}）", "→ {course} ({room})"),
    "att_footer": ("负责教职工签字：__________　　日期：____月____日", "Staff signature: __________   Date: ______"),
    "att_legend": (
        "每个活动每次一表：到场打 √，缺勤写原因；活动结束时按“之后去向”交接或放学（R21）。",
        "One block per activity and day: tick those present, note why others are absent; at the end hand "
        "each pupil over or dismiss them as the 'then' column says (R21).",
    ),
    "att_dates": ("本学期按此表上课的日期（{n} 天）：{dates}。", "Dates this sheet is used this term ({n}): {dates}."),
    "att_off": ("　节假日不上课：{dates}。", "  No service on public holidays: {dates}."),
    # calendar
    "ics_name": ("{name} 课后服务", "{name} after-school service"),
    "ics_desc": ("{kind}；{klass}{n} 人；共同负责：{others}", "{kind}; {klass}{n} pupils; with: {others}"),
    "none": ("无", "none"),
    # printouts (PDF, PNG)
    "p_footer": ("方案版本 {version} · 打印日期 {date}", "plan version {version} · printed {date}"),
    "p_page": ("第 {i} 页 / 共 {n} 页", "page {i} of {n}"),
    "p_pupil_title": (
        "{school} · {name}（{klass} 班 {id}）课后服务课表",
        "{school} · after-school timetable of {name} ({klass}, {id})",
    ),
    "p_class_pupils": ("本班学生（{n} 人）及其选修课程", "Pupils of the class ({n}) and their courses"),
    "p_clubs": ("选修课程与补习辅导", "Courses and tutoring"),
    "p_class_doc": ("{school} 班级课后服务课表", "{school} class timetables"),
    "p_pupil_doc": ("{school} {klass} 学生课后服务课表", "{school} {klass} pupils' timetables"),
    # parents' notices (家长告知书)
    "n_doc": ("{school} {klass} 课后服务家长告知书", "{school} {klass} notices to parents"),
    "n_title": ("{school} 课后服务家长告知书", "{school} · after-school service: notice to parents"),
    "n_pupil": ("学生：{name}　学号：{id}　班级：{klass}", "Pupil: {name}   id: {id}   class: {klass}"),
    "n_guardian": ("家长", "parent or guardian"),
    "n_dear": ("尊敬的{guardian}：", "Dear {guardian},"),
    "n_intro": (
        "根据您的报名，本学期您孩子参加的课后服务安排如下。请按接送时间准时接孩子；如有变动，学校将另行通知。",
        "As you registered, your child's after-school services this term are as follows. Please collect your "
        "child at the pick-up time; the school will tell you of any change.",
    ),
    "n_term": (
        "本学期课后服务从 {start} 到 {end}，法定节假日不上课，调休上班日照常（按所补工作日的安排）。",
        "This term's service runs from {start} to {end}; none on public holidays; make-up working days "
        "follow the timetable of the weekday they replace.",
    ),
    "n_week": ("每周安排", "Each week"),
    "n_time": ("时间", "Time"),
    "n_what": ("内容", "Activity"),
    "n_pickup": ("接孩子时间", "Pick-up"),
    "n_not_registered": ("本学期未报名课后服务", "not registered for after-school service this term"),
    "n_clubs": ("选修课程（社团）与补习辅导", "Clubs, courses and tutoring"),
    "n_club_line": (
        "· {course}（{kind}）：{times}，地点 {place}，指导老师 {staff}",
        "· {course} ({kind}): {times}, at {place}, with {staff}",
    ),
    "n_no_clubs": (
        "本学期未安排选修课程（其余时间参加作业辅导或托管）。",
        "No club this term (homework guidance or care at the other times).",
    ),
    "n_fee_head": ("收费", "Fee"),
    "n_fee": ("本学期课后服务费 {fee} 元（R18）。", "The term's fee is {fee} yuan (R18)."),
    "n_fee_waived": (
        "本学期课后服务费 {fee} 元，您的孩子属于“{category}”，免收，应缴 0 元（R18）。",
        "The term's fee is {fee} yuan; your child is in the waived category '{category}': 0 yuan to pay (R18).",
    ),
    "n_pickup_note": (
        "接孩子时间为当天最后一项活动结束的时间；参加校外活动的学生由带队老师送回学校。",
        "The pick-up time is when the day's last activity ends; pupils on off-campus visits are brought "
        "back to school by their escorts.",
    ),
    "n_sign": (
        "家长签字：＿＿＿＿＿＿＿＿　　联系电话：＿＿＿＿＿＿＿＿　　日期：＿＿＿＿年＿＿月＿＿日",
        "Parent's signature: ______________   Phone: ______________   Date: ____________",
    ),
    "n_school_sign": ("{school}　{date}", "{school}   {date}"),
}


def tr(key: str, lang: str = "zh", **fields) -> str:
    """The text of `key` in `lang` ("zh" or "en"), with `{fields}` filled in; unknown keys as they are."""
    zh, en = TEXT.get(key, (key, key))
    text = en if lang == "en" else zh
    return text.format(**fields) if fields else text
