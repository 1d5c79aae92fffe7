"""`export`: what the school hands out, made from a plan by the `export` package (workbooks, guide,
attendance sheets, printouts with the roster merged in, teachers' calendars)."""

from __future__ import annotations

import sys
from pathlib import Path

from cli.common import EXIT_INVALID, EXIT_OK, UsageError, writable, write


def _load_roster(args, loaded):
    """--roster FILE: read it and say (ids only, never names) which rows and students do not match."""
    if not getattr(args, "roster", None):
        return None
    from models.roster import match, read_roster

    roster = read_roster(args.roster)
    m = match(roster, {s.id: s.class_ for s in loaded.instance.students})
    for line in m.lines("zh"):
        print(f"注意 note: {line}", file=sys.stderr)
    return roster


PRINT_WHAT = ("class-pdf", "pupil-pdf", "notices", "class-png", "pupil-png", "class-pngs")


def cmd_export(args) -> int:
    import datetime as dt

    import export
    from export import printouts
    from models.load import load_instance
    from models.plan_io import load_plan

    try:
        term_start = dt.date.fromisoformat(args.term_start)
    except ValueError:
        raise UsageError(
            f"--term-start 应为日期，如 2026-09-01 / must be a date like 2026-09-01: {args.term_start!r}"
        ) from None
    try:
        term_last = dt.date.fromisoformat(args.term_end) if args.term_end else None
    except ValueError:
        raise UsageError(
            f"--term-end 应为日期，如 2027-01-15 / must be a date like 2027-01-15: {args.term_end!r}"
        ) from None
    if term_last is not None and term_last < term_start:
        raise UsageError(f"--term-end {term_last} 早于 --term-start {term_start} / the term ends before it starts")
    writable(args.out)
    L = load_instance(args.instance)
    plan, _ = load_plan(args.plan)
    if plan.instance.school != L.instance.school.id:
        raise UsageError(
            f"方案属于学校 {plan.instance.school}，实例是 {L.instance.school.id} / the plan is for another school"
        )
    if plan.instance.sha256 != L.sha256:
        print(
            "注意 note: 方案记录的实例指纹与此实例文件不同（文件可能已修改） / "
            "the plan was made from a different version of this instance",
            file=sys.stderr,
        )
    if not plan.activities:
        print(
            f"方案没有活动（状态 {plan.status}），无可导出 / "
            f"the plan has no activities (status {plan.status}): nothing to export"
        )
        return EXIT_INVALID
    roster = _load_roster(args, L)
    info = printouts.default_info(plan, args.plan_version)
    from export.calendar import school_calendar

    term_last = term_last or export.term_end(L, term_start)
    calendar = school_calendar(term_start, term_last, list(L.days))
    for note in calendar.notes:
        print(f"注意 note: {note}", file=sys.stderr)
    klass = args.class_
    if args.what in ("pupil-pdf", "notices", "class-png", "class-pngs") and not klass:
        raise UsageError(
            f"--what {args.what} 需要 --class 班级编号 / needs --class CLASS_ID; 有 known: "
            f"{', '.join(c.id for c in L.instance.classes)}"
        )
    if klass and klass not in {c.id for c in L.instance.classes}:
        raise UsageError(
            f"没有编号为 {klass} 的班级 / no class {klass!r}; 有 known: {', '.join(c.id for c in L.instance.classes)}"
        )
    if args.what == "pupil-png":
        if not args.pupil:
            raise UsageError("--what pupil-png 需要 --pupil 学号 / needs --pupil STUDENT_ID")
        if args.pupil not in L.student:
            raise UsageError(f"没有学号为 {args.pupil} 的学生 / no student {args.pupil!r}")
    if args.what == "ics":
        if not args.teacher:
            raise UsageError("--what ics 需要 --teacher 工号 / needs --teacher STAFF_ID")
        if args.teacher not in L.staff:
            raise UsageError(
                f"没有工号为 {args.teacher} 的教职工 / no staff member {args.teacher!r}; "
                f"有 known: {', '.join(list(L.staff)[:20])}"
            )
        data: bytes = export.teacher_ics(L, plan, args.teacher, term_start, args.lang, term_last)
    elif args.what == "ics-zip":
        data = export.teachers_ics_zip(L, plan, term_start, args.lang, term_last)
    elif args.what == "workbook":
        data = export.plan_workbook(L, plan, args.lang)
    elif args.what == "guide-html":
        data = export.guide_html(L, plan, args.lang).encode("utf-8")
    elif args.what == "guide-pdf":
        data = export.guide_pdf(L, plan, args.lang, info=info)
    elif args.what == "class-pdf":
        data = printouts.class_timetables_pdf(L, plan, args.lang, roster, info, [klass] if klass else None)
    elif args.what == "pupil-pdf":
        data = printouts.pupil_timetables_pdf(L, plan, klass, args.lang, roster, info)
    elif args.what == "notices":
        data = printouts.parent_notices_pdf(L, plan, klass, args.lang, roster, info, calendar)
    elif args.what == "class-png":
        data = printouts.timetable_png(L, plan, "class", klass, args.lang, roster, info)
    elif args.what == "pupil-png":
        data = printouts.timetable_png(L, plan, "student", args.pupil, args.lang, roster, info)
    elif args.what == "class-pngs":
        data = printouts.class_pngs_zip(L, plan, klass, args.lang, roster, info)
    else:
        data = export.attendance_workbook(L, plan, args.lang, roster, info, calendar)
    out = Path(args.out)
    write(args.out, data)
    print(f"{args.what} 已写入 written to {out}（{len(data):,} 字节 bytes）")
    return EXIT_OK
