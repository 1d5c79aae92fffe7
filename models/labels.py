"""Bilingual names of the instance format's tables, fields and enum values.

Shared by the Excel import/export (`models.excel`) and the app, so that a school scheduler sees
the same Chinese word for a thing everywhere. The English codes are the file format's
(formats.md); the Chinese labels are what people type and read.
"""

from __future__ import annotations

from dataclasses import dataclass

# ---------------------------------------------------------------------------- enum values

DAY_LABELS: dict[str, str] = {
    "mon": "周一",
    "tue": "周二",
    "wed": "周三",
    "thu": "周四",
    "fri": "周五",
    "sat": "周六",
    "sun": "周日",
}
STAGE_LABELS: dict[str, str] = {
    "primary": "小学",
    "junior": "初中",
    "senior": "高中",
    "nine_year": "九年一贯制",
}
PERIOD_KIND_LABELS: dict[str, str] = {"basic": "基本服务", "extended": "延时托管", "evening": "晚自习"}
CATEGORY_LABELS: dict[str, str] = {
    "homework": "作业辅导",
    "tutoring": "补习辅导",
    "extension": "拓展提升",
    "science": "科普",
    "sports": "体育",
    "arts": "艺术",
    "labour": "劳动",
    "reading": "阅读",
    "film": "影视",
    "interest_group": "兴趣小组",
    "club": "社团",
    "thematic": "主题教育",
    "online": "线上课程",
    "care": "托管看护",
    "evening_study": "晚自习",
}
LEVEL_LABELS: dict[str, str] = {"support": "基础", "standard": "标准", "advanced": "提高"}
STAFF_KIND_LABELS: dict[str, str] = {
    "teacher": "本校教师",
    "retired_teacher": "退休教师",
    "parent": "家长",
    "university_student": "大学生",
    "coach": "教练员",
    "folk_artist": "民间艺人",
    "craftsman": "能工巧匠",
    "heritage_inheritor": "非遗传承人",
    "institution_staff": "机构人员",
}
# Room kinds are free ids in the format (a school may add its own), so these names are for
# display only; the Excel files keep the ids as they are.
ROOM_KIND_LABELS: dict[str, str] = {
    "classroom": "教室",
    "gym": "体育馆",
    "playground": "操场",
    "music": "音乐室",
    "art": "美术室",
    "lab": "实验室",
    "computer": "计算机房",
    "library": "图书室",
    "hall": "礼堂",
    "venue": "校外场馆",
}
YES, NO = "是", "否"

# Other ways people write days, mapped to the format's codes.
DAY_ALIASES: dict[str, str] = {
    **{label: code for code, label in DAY_LABELS.items()},
    **{f"星期{label[1]}": code for code, label in DAY_LABELS.items()},
    "星期天": "sun",
    "周天": "sun",
    "monday": "mon",
    "tuesday": "tue",
    "wednesday": "wed",
    "thursday": "thu",
    "friday": "fri",
    "saturday": "sat",
    "sunday": "sun",
}

# ---------------------------------------------------------------------------- tables and fields

SHEETS: dict[str, str] = {
    "school": "学校",
    "policy": "政策",
    "periods": "时段",
    "classes": "班级",
    "rooms": "场地",
    "courses": "课程",
    "staff": "教职工",
    "institutions": "机构",
    "students": "学生",
    "pins": "固定安排",
}


@dataclass(frozen=True)
class FieldLabel:
    """A field's Chinese name, what it means (zh, en), and the policy rule it serves."""

    zh: str
    note_zh: str = ""
    note_en: str = ""
    rule: str = ""


L = FieldLabel  # short name for the tables below

# The 学校 sheet: fields of `school` and the instance's own top-level fields, in sheet order.
SCHOOL_FIELDS: dict[str, FieldLabel] = {
    "format": L("格式", "文件格式版本，保持 afterschool-instance/1。", "format version: keep afterschool-instance/1."),
    "id": L("编号", "学校编号。", "school id."),
    "name": L("名称", "学校名称。", "school name."),
    "stage": L(
        "学段",
        "小学 1–6 年级，初中 7–9，高中 10–12，九年一贯制 1–9。",
        "primary 1–6, junior 7–9, senior 10–12, nine_year 1–9.",
        "R6",
    ),
    "days": L("服务日", "开展课后服务的日子。", "service days.", "R3"),
    "previous_plan": L(
        "上一版方案",
        "上一版方案文件的路径；重新排课时尽量保持不变。",
        "path of an earlier plan; a re-solve stays close to it.",
    ),
}

POLICY_FIELDS: dict[str, FieldLabel] = {
    "off_work_time": L("当地下班时间", "基本服务结束不早于此时间。", "the basic block ends no earlier.", "R4"),
    "basic_block_minutes": L(
        "基本服务最短时长（分钟）", "“5+2”：每天至少 2 小时。", "'5+2': at least 2 hours a day.", "R3"
    ),
    "evening_max_minutes": L("晚自习最长时长（分钟）", "", "", "R6"),
    "evening_latest_end": L("晚自习最晚结束时间", "", "", "R6"),
    "fee_per_term": L("每生每学期收费（元）", "不超过 300 元。", "at most 300 yuan.", "R18"),
    "min_teacher_pay_per_period": L("教师每课时最低报酬（元）", "", "", "R19"),
    "term_weeks": L("每学期周数", "", "", "R20"),
    "subsidy_per_term": L("每学期财政补助（元）", "", "", "R20"),
    "budget_must_balance": L(
        "预算须收支平衡", "是：方案的报酬支出不得超过收入。", "yes: the plan's pay may not exceed the income.", "R20"
    ),
    "max_group_size": L("每组最多人数", "", "", "R21"),
    "max_care_group_size": L("托管每组最多人数", "", "", "R21"),
    "homework_min_periods_per_day": L("每天最少作业辅导课时", "", "", "R9"),
    "tutoring_sessions_per_week": L("每周补习辅导次数", "", "", "R10"),
    "max_onsite_minutes": L("教师每天在校最长时间（分钟）", "弹性上下班。", "flexible hours.", "R24"),
    "min_rest_minutes": L("教师两天之间最短休息（分钟）", "弹性上下班。", "flexible hours.", "R24"),
    "min_venue_minutes": L("校外场地最短活动时间（分钟）", "", "", "R14"),
    "offsite_min_staff": L("校外活动最少带队人数", "", "", "R14"),
    "fee_waiver_categories": L(
        "免费类别", "这些类别的学生免交服务费。", "students of these categories pay nothing.", "R18"
    ),
}

TABLE_FIELDS: dict[str, dict[str, FieldLabel]] = {
    "periods": {
        "id": L("编号", "时段编号，如 P1。", "period id, e.g. P1."),
        "start": L("开始", "24 小时制。", "24-hour clock."),
        "end": L("结束", "须晚于开始时间。", "after the start."),
        "kind": L("类型", "基本服务（2 小时）、延时托管或晚自习。", "basic, extended care or evening study.", "R6"),
    },
    "classes": {
        "id": L("班级编号", "行政班编号，如 3-1。", "administrative class id, e.g. 3-1."),
        "grade": L("年级", "1–12。", "1 to 12."),
        "homeroom": L("教室", "本班教室的场地编号。", "room id of the home room."),
    },
    "rooms": {
        "id": L("编号", "场地编号。", "room id."),
        "name": L("名称", "", ""),
        "kind": L(
            "类型",
            "如 classroom、gym、lab、venue；课程按类型选场地。",
            "e.g. classroom, gym, lab, venue; courses pick rooms by kind.",
        ),
        "capacity": L("容量", "最多容纳人数。", "how many people it holds."),
        "off_campus": L("校外", "校外场馆（图书馆、博物馆等）。", "an off-campus venue.", "R14"),
        "travel_minutes": L("单程分钟", "校外场馆单程路程时间。", "one-way travel time to the venue.", "R14"),
        "unavailable": L("不可用时段", "", ""),
    },
    "courses": {
        "id": L("编号", "课程编号。", "course id."),
        "name": L("名称", "", ""),
        "category": L(
            "类别",
            "作业辅导、补习辅导、托管看护、晚自习由学校安排；其余为学生可选课程。",
            "homework, tutoring, care and evening study are assigned; the rest are electives.",
            "R11",
        ),
        "subject": L(
            "学科", "学科类内容的学科，如 math；非学科类留空。", "subject of subject content, e.g. math.", "R13"
        ),
        "grades": L("年级", "可参加的年级，如 3, 4 或 1-6。", "eligible grades, e.g. 3, 4 or 1-6.", "R11"),
        "level": L(
            "层次",
            "基础、标准、提高；提高只面向学有余力的学生。",
            "support, standard, advanced (only for able students).",
            "R10",
        ),
        "new_lesson": L("讲授新课", "是：该课程会被拒绝。", "yes: the course is rejected.", "R8"),
        "sessions_per_week": L("每周次数", "", ""),
        "periods_per_session": L("每次课时数", "每次连续的时段数。", "consecutive periods per session."),
        "period_kinds": L("时段类型", "", ""),
        "min_size": L("最少人数", "不足则不开班。", "below it the section does not run.", "R21"),
        "max_size": L("最多人数", "", "", "R21"),
        "max_sections": L("最多班数", "", ""),
        "room_kinds": L("场地类型", "可用的场地类型。", "room kinds it may use."),
        "qualification": L(
            "所需资质",
            "授课人员需有的资质；留空表示任何本校教师。",
            "the skill staff need; empty means any school teacher.",
        ),
        "staff_per_section": L("每班教师数", "", ""),
    },
    "staff": {
        "id": L("工号", "教职工编号。", "staff id."),
        "name": L("姓名", "", ""),
        "kind": L("类型", "本校教师或校外人员的类别。", "school teacher or kind of external person.", "R12"),
        "institution": L(
            "所属机构", "机构人员必填：机构编号。", "institution id, required for institution staff.", "R13"
        ),
        "qualifications": L("资质", "", ""),
        "subjects": L("任教学科", "", "", "R10"),
        "classes": L("任教班级", "", ""),
        "certified": L("已认证", "校外人员须具备资质。", "external people must be certified.", "R12"),
        "violation_record": L(
            "违规记录", "有违规记录的校外人员不会被安排。", "external people with one are never assigned.", "R12"
        ),
        "pay_per_period": L(
            "每课时报酬（元）", "本校教师不低于政策最低标准。", "teachers at least the policy minimum.", "R19"
        ),
        "max_periods_per_week": L("每周最多课时", "", "", "R25"),
        "max_periods_per_day": L("每天最多课时", "", "", "R25"),
        "unavailable": L("不可用时段", "", ""),
        "duties": L(
            "值班时间", "平日在校工作时间，用于弹性上下班。", "regular duty windows, for flexible hours.", "R24"
        ),
    },
    "institutions": {
        "id": L("编号", "机构编号。", "institution id."),
        "name": L("名称", "", ""),
        "approved": L("已遴选", "经区教育局遴选。", "approved by the district bureau.", "R13"),
        "violation_record": L("违规记录", "", "", "R13"),
    },
    "students": {
        "id": L("学号", "学生编号。", "student id."),
        "class": L("班级", "行政班编号；年级由班级得出。", "class id; the grade comes from it."),
        "days": L("基本服务日", "报名基本服务的日子。", "days registered for basic service.", "R2"),
        "extended_days": L("延时托管日", "", "", "R5"),
        "evening_days": L("晚自习日", "只限七年级及以上。", "grade 7 and up only.", "R6"),
        "fee_waiver": L("减免类别", "不减免则留空。", "empty when the student pays.", "R18"),
        "choices": L("志愿（按顺序）", "选报课程编号，第一志愿在前。", "chosen course ids, best first.", "R11"),
        "electives_per_week": L("每周选课数", "希望参加的不同课程数。", "how many different chosen courses.", "R11"),
        "tutoring": L("需补习学科", "", "", "R10"),
        "advanced": L("学有余力", "可参加“提高”层次课程。", "may take advanced courses.", "R10"),
    },
    "pins": {
        "activity": L("活动", "上一版方案中的活动编号。", "activity id of the earlier plan."),
        "staff": L("教职工", "留空：不固定。", "empty: not pinned."),
        "room": L("场地", "留空：不固定。", "empty: not pinned."),
        "slots": L("时段", "留空：不固定。", "empty: not pinned."),
        "students": L("学生", "固定留在该活动的学生；留空：不固定。", "students who stay; empty: not pinned."),
    },
}

del L
