"""The file formats: `generate` an instance, the Excel `template`, the JSON `schema`, `convert`
between JSON and Excel, `import-students` from a registration sheet."""

from __future__ import annotations

import json
from pathlib import Path

from cli.common import EXIT_OK, UsageError, print_warnings, writable, write


def cmd_generate(args) -> int:
    from instances.generator import generate
    from models.load import dump_instance, load_bytes

    writable(args.output)
    if args.profile:
        from instances.profiles import generate_profile

        if args.students is not None and args.students < 1:
            raise UsageError("--students 必须是正整数 / must be a positive integer")
        instance = generate_profile(args.profile, args.seed, args.students)
    else:
        if args.kind is None or args.students is None:
            raise UsageError("需要 --kind 与 --students，或 --profile / give --kind and --students, or --profile")
        if args.students < 1:
            raise UsageError("--students 必须是正整数 / must be a positive integer")
        if args.kind == "holiday":
            from instances.holiday import generate_holiday
            from models.holiday import load_holiday

            if args.weeks < 1:
                raise UsageError("--weeks 必须是正整数 / must be a positive integer")
            write(
                args.output,
                json.dumps(generate_holiday(args.students, args.weeks, args.seed), ensure_ascii=False, indent=1) + "\n",
            )
            H = load_holiday(args.output)  # what we write must load
            print(
                f"{args.output}: 寒暑假托管 holiday care「{H.name}」，{len(H.weeks)} 周 weeks，"
                f"{len(H.children)} 名儿童 children，{len(H.groups)} 个年龄段分组 groups，"
                f"{len(H.staff)} 名志愿者 volunteers"
            )
            return EXIT_OK
        instance = generate(args.kind, args.students, args.seed)
    text = dump_instance(instance)
    L = load_bytes(text.encode("utf-8"), args.output)  # what we write must load
    write(args.output, text)
    i = L.instance
    print(
        f"{args.output}: {i.school.name}，{len(i.students)} 名学生 students，{len(i.classes)} 个班 classes，"
        f"{len(i.staff)} 名教职工 staff，{len(i.courses)} 门课程 courses，{len(i.rooms)} 个场地 rooms"
    )
    return EXIT_OK


def cmd_template(args) -> int:
    from models.excel import write_template

    write_template(args.file)
    print(f"模板已写入 template written to {args.file}")
    return EXIT_OK


def cmd_schema(args) -> int:
    from pydantic import BaseModel

    from models.instance import Instance
    from models.plan import Plan
    from solver.district.model import District

    formats: dict[str, type[BaseModel]] = {"instance": Instance, "plan": Plan, "district": District}
    model = formats[args.which]
    print(json.dumps(model.model_json_schema(by_alias=True), ensure_ascii=False, indent=1))
    return EXIT_OK


def cmd_convert(args) -> int:
    from models.excel import write_instance_workbook
    from models.load import dump_instance, load_instance

    if not args.output.lower().endswith((".xlsx", ".json")):
        raise UsageError("输出文件须为 .json 或 .xlsx / output must end in .json or .xlsx")
    writable(args.output)
    L = load_instance(args.input)
    if args.output.lower().endswith(".xlsx"):
        write_instance_workbook(L.instance, args.output)
    else:
        write(args.output, dump_instance(L.instance))
    print(f"{args.input} → {args.output}")
    print_warnings(L, quiet=args.quiet)
    return EXIT_OK


def cmd_import_students(args) -> int:
    import tempfile

    from models.calamine import is_calamine, to_xlsx_bytes
    from models.excel import replace_students, write_instance_workbook
    from models.load import dump_instance, read_bytes

    writable(args.output)
    table = args.table
    with tempfile.TemporaryDirectory() as tmp:
        if is_calamine(table):  # .xls / .ods exports: read through python-calamine, same sheets and cells
            table = str(Path(tmp) / (Path(table).stem + ".xlsx"))
            Path(table).write_bytes(to_xlsx_bytes(read_bytes(args.table), args.table))
        L = replace_students(args.instance, table)
    if args.output.lower().endswith(".xlsx"):
        write_instance_workbook(L.instance, args.output)
    else:
        write(args.output, dump_instance(L.instance))
    print(
        f"{args.output}: 已导入 {len(L.instance.students)} 名学生的报名 / registrations of "
        f"{len(L.instance.students)} students imported"
    )
    print_warnings(L, quiet=args.quiet)
    return EXIT_OK
