"""What the school hands out, made from a plan: pure functions returning bytes (or text).

- `plan_workbook`: the plan as a printable Excel workbook (overview, staff load and pay, a
  timetable sheet per class, staff member and room);
- `guide_html`, `guide_pdf`: the service guide 课后服务指南 (R16);
- `attendance_workbook`: attendance sheets per activity and day (R21);
- `teacher_ics`: one staff member's sessions as an iCalendar file.

Every function takes the `Loaded` instance the plan was made for, the `Plan` and `lang` ("zh" or
"en"); labels come from `export.i18n` and `models.labels`. No Streamlit here.
"""

from __future__ import annotations

from export.attendance import attendance_workbook
from export.guide import guide_html, guide_pdf, offerings
from export.ical import teacher_ics, teachers_ics_zip, term_end
from export.timetable import CATEGORY_COLOURS, Timetable
from export.workbook import plan_workbook

WHAT = ("workbook", "guide-html", "guide-pdf", "attendance", "ics")

__all__ = [
    "CATEGORY_COLOURS",
    "WHAT",
    "Timetable",
    "attendance_workbook",
    "guide_html",
    "guide_pdf",
    "offerings",
    "plan_workbook",
    "teacher_ics",
    "teachers_ics_zip",
    "term_end",
]
