"""The argparse parser of every command (usage errors exit 2) and `completion` (shtab, from this parser)."""

from __future__ import annotations

import argparse
import sys

from cli.app import cmd_app
from cli.bench import cmd_bench
from cli.common import EXIT_INPUT, EXIT_OK
from cli.demo import cmd_demo
from cli.district import cmd_district, cmd_generate_district
from cli.exports import PRINT_WHAT, cmd_export
from cli.files import cmd_convert, cmd_generate, cmd_import_students, cmd_schema, cmd_template
from cli.solving import cmd_baseline, cmd_check, cmd_solve, cmd_validate
from instances.profiles import PROFILES as PROFILE_NAMES


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("afterschool")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0.1.0+source"


def cmd_completion(args) -> int:
    import shtab

    print(shtab.complete(build_parser(), shell=args.shell))
    return EXIT_OK


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # usage errors are bad input: exit 2, no traceback
        self.print_usage(sys.stderr)
        print(f"{self.prog}: 参数错误 usage error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_INPUT)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="afterschool",
        description="课后服务排课与人员安排 / after-school service timetabling and staffing (双减 policy R1–R25).",
        epilog="退出码 exit codes: 0 成功 success, 1 方案无效或无解 plan invalid / infeasible, 2 输入有误 bad input, "
        "3 内部错误 internal error, 4 时间限制内没有方案 no plan within the time limit, 130 已中断 interrupted "
        "(Ctrl-C).",
    )
    p.add_argument("--version", action="version", version=f"afterschool {_version()}")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    s = sub.add_parser(
        "validate",
        help="检查实例文件 check an instance file (JSON or .xlsx)",
        description="加载实例并列出每个问题（记录、字段、规则、提示）。有错误时退出码 2。"
        " Load an instance and list every problem (record, field, rule, hint); exit 2 on errors.",
    )
    s.add_argument("file", help="实例文件 instance file (.json or .xlsx)")
    s.add_argument("--json", action="store_true", help="以 JSON 输出 machine-readable output")
    s.add_argument("--quiet", action="store_true", help="不列出警告 do not list warnings")
    s.set_defaults(func=cmd_validate)

    s = sub.add_parser(
        "check",
        help="检查方案是否有效 check a plan against its instance",
        description="按政策规则逐条检查方案（覆盖、硬约束、固定安排、费用与指标重算）。"
        " Check a plan against every hard rule, the pins, and recompute its costs and metrics."
        " Exit 0 valid, 1 violations, 2 unreadable or rejected input.",
    )
    s.add_argument("instance", help="实例文件 instance file")
    s.add_argument("plan", help="方案文件 plan file")
    s.add_argument("--json", action="store_true", help="以 JSON 输出 machine-readable output")
    s.set_defaults(func=cmd_check)

    s = sub.add_parser(
        "solve",
        help="用优化器求解 solve with the optimizer (CP-SAT)",
        description="用 CP-SAT 优化器求解：开班、排时段、分教室、派教职工、分学生，按优先级优化（选课覆盖、志愿名次、"
        "经费、负担均衡、本班教师），每个方案都经检查器验证。 Solve with the CP-SAT optimizer; every plan is "
        "checked. Exit 0 plan found, 1 infeasible (with explanation), 2 bad input, 4 no plan in time, "
        "130 interrupted (best checked plan written).",
    )
    s.add_argument("instance", help="实例文件 instance file (.json or .xlsx)")
    s.add_argument("-o", "--output", help="方案输出文件 plan output file (default out/<instance>-plan.json)")
    s.add_argument("--time-limit", type=float, default=60.0, help="时间限制（秒）time limit in seconds (default 60)")
    s.add_argument("--workers", type=int, default=2, help="CP-SAT 线程数 workers (default 2; 1 is reproducible)")
    s.add_argument("--seed", type=int, default=1, help="随机种子 random seed (default 1)")
    s.add_argument("--previous", help="上一版方案：尽量少改动 previous plan to stay close to (minimal change)")
    s.add_argument("--progress", action="store_true", help="总是显示进度行 always show the progress line")
    s.add_argument("--quiet", action="store_true", help="不显示进度 no progress line")
    s.add_argument(
        "--cost-cap",
        action="store_true",
        help="学期支出不高于先到先得方案（缺省关闭：经费在选课之后优化；R20 收支平衡照常）term cost no higher than the "
        "FCFS plan's (off by default: cost is minimised after the preferences; R20 still holds)",
    )
    s.add_argument("--json", action="store_true", help="以 JSON 输出摘要 print a machine-readable summary")
    s.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="输出 CP-SAT 的搜索日志（stderr）pass CP-SAT's search log through to stderr",
    )
    s.set_defaults(func=cmd_solve)

    s = sub.add_parser(
        "baseline",
        help="先到先得基线方案 first-come-first-served baseline plan",
        description="模拟报名平台的先到先得（抢课）：按报名顺序选课，不足开班人数的班取消后重新报名，"
        "其余时段按班级作业辅导、延时托管和晚自习。 Simulate a sign-up platform (FCFS).",
    )
    s.add_argument("instance", help="实例文件 instance file")
    s.add_argument("-o", "--output", required=True, help="方案输出文件 plan output file (.json)")
    s.add_argument(
        "--seed",
        type=int,
        default=None,
        help="随机报名顺序的种子；缺省按文件顺序 seed for a shuffled arrival order (default: file order)",
    )
    s.add_argument(
        "--method",
        choices=["fcfs", "boston"],
        default="fcfs",
        help="fcfs 先到先得（缺省）或 boston 逐志愿抽签 rank-by-rank lottery",
    )
    s.add_argument("--json", action="store_true", help="以 JSON 输出摘要 print a machine-readable summary")
    s.set_defaults(func=cmd_baseline)

    s = sub.add_parser(
        "generate",
        help="生成逼真的实例 generate a realistic instance",
        description="按 domain-facts.md 的公开数据生成学校实例（班额、师生比、参与率、延时与晚自习需求、"
        "减免、补习、社团、校外人员与机构、场地）。 Generate a school instance from published facts.",
    )
    s.add_argument(
        "--kind",
        choices=["primary", "junior", "nine_year", "holiday"],
        help="学段 school kind; holiday: 寒暑假托管 holiday care (afterschool-holiday/1, from a primary school)",
    )
    s.add_argument("--weeks", type=int, default=2, help="托管周数（--kind holiday）weeks of holiday care (default 2)")
    s.add_argument("--students", type=int, help="学生人数 number of students (a profile has its own default)")
    s.add_argument(
        "--profile",
        choices=sorted(PROFILE_NAMES),
        help="另一类学校（默认生成器之外）：" + "、".join(sorted(PROFILE_NAMES)) + " a school of another profile "
        "(instances/profiles.py)",
    )
    s.add_argument("--seed", type=int, default=1, help="随机种子 random seed (default 1)")
    s.add_argument("-o", "--output", required=True, help="输出文件 output file (.json)")
    s.set_defaults(func=cmd_generate)

    s = sub.add_parser(
        "bench",
        help="基准测试 run the benchmarks",
        description="在 instances/bench/ 上运行基线与优化器，记录速度、内存、质量，写出 JSON、表格和图。"
        " Run the baselines and the optimizer on the stored instance set; write JSON, a table and "
        "plots under benchmarks/results/. --quick: S and M primary only (under 10 minutes).",
    )
    s.add_argument("--quick", action="store_true", help="快速子集 quick subset")
    s.add_argument("--label", help="结果目录名 results folder name (default quick/full)")
    s.add_argument(
        "--report-only", action="store_true", help="只汇总已有结果 table and plots of the runs already there"
    )
    s.add_argument(
        "--set",
        choices=["profiles", "heldout"],
        help="其他类型学校：调参集 profiles 或留出集 heldout（调参从不看）the profile schools: the tuning set or "
        "the held-out set (issue 13); default: the classic set",
    )
    s.add_argument("--workers", type=int, default=2, help="CP-SAT 线程数（仅 --set）workers (with --set; default 2)")
    s.set_defaults(func=cmd_bench)

    s = sub.add_parser(
        "template",
        help="写出空白 Excel 模板 write an empty Excel template",
        description="写出带表头说明的空白工作簿（学校、政策、时段、班级、场地、课程、教职工、机构、学生）。"
        " Write an empty workbook with header notes, one sheet per table.",
    )
    s.add_argument("file", help="输出文件 output .xlsx")
    s.set_defaults(func=cmd_template)

    s = sub.add_parser(
        "schema",
        help="打印 JSON Schema print the JSON Schema",
        description="打印实例或方案格式的 JSON Schema。 Print the JSON Schema of the instance or plan format.",
    )
    s.add_argument("which", choices=["instance", "plan", "district"])
    s.set_defaults(func=cmd_schema)

    s = sub.add_parser(
        "convert",
        help="JSON 与 Excel 互转 convert between JSON and Excel",
        description="读取实例（.json 或 .xlsx），检查后写成另一种格式。 Read an instance, validate it, write the"
        " other format.",
    )
    s.add_argument("input", help="输入 input (.json or .xlsx)")
    s.add_argument("output", help="输出 output (.json or .xlsx)")
    s.add_argument("--quiet", action="store_true", help="不列出警告 do not list warnings")
    s.set_defaults(func=cmd_convert)

    s = sub.add_parser(
        "import-students",
        help="用报名表替换学生名单 replace registrations from a sheet or CSV",
        description="把报名系统导出的学生表（.xlsx/.xls/.ods 的“学生”表或 .csv）导入到已有实例，替换其学生报名。"
        " Import a students sheet (.xlsx) or CSV into an instance, replacing its registrations.",
    )
    s.add_argument("instance", help="已有实例 existing instance (.json or .xlsx)")
    s.add_argument("table", help="学生表 students table (.xlsx or .csv)")
    s.add_argument("-o", "--output", required=True, help="输出 output (.json or .xlsx)")
    s.add_argument("--quiet", action="store_true", help="不列出警告 do not list warnings")
    s.set_defaults(func=cmd_import_students)

    s = sub.add_parser(
        "export",
        help="导出学校发放的材料 export what the school hands out",
        description="由方案导出：课表工作簿（按班级、教师、场地，可打印）、课后服务指南（HTML / PDF，R16）、"
        "考勤表（按活动和日期，R21）、教师日历（.ics）。 Export from a plan: the timetable workbook, the "
        "service guide (HTML or PDF), attendance sheets, or a teacher's calendar.",
    )
    s.add_argument("plan", help="方案文件 plan file (.json)")
    s.add_argument("--instance", required=True, help="方案对应的实例 the plan's instance (.json or .xlsx)")
    s.add_argument(
        "--what",
        required=True,
        choices=["workbook", "guide-html", "guide-pdf", "attendance", "ics", "ics-zip", *PRINT_WHAT],
        help="导出内容 what to export: workbook 课表工作簿, guide-html/guide-pdf 服务指南, attendance 考勤表, "
        "ics 教师日历, ics-zip 全部教师日历（zip）, class-pdf 班级课表 PDF, pupil-pdf 学生课表 PDF（每人一页）, "
        "notices 家长告知书 PDF（每人一页）, class-png 班级课表图片, pupil-png 学生课表图片, "
        "class-pngs 班级及每个学生的图片（zip）",
    )
    s.add_argument("--out", required=True, help="输出文件 output file")
    s.add_argument("--teacher", help="教职工工号（--what ics 必填）staff id, required for ics")
    s.add_argument(
        "--class",
        dest="class_",
        metavar="CLASS",
        help="班级编号（pupil-pdf、notices、class-png、class-pngs 必填；class-pdf 缺省为全部班级）class id",
    )
    s.add_argument("--pupil", help="学号（--what pupil-png 必填）student id, required for pupil-png")
    s.add_argument(
        "--roster",
        help="花名册（学号、姓名、班级、监护人、电话；.xlsx/.xls/.ods/.csv，UTF-8 或 GBK）：只在导出时"
        "合并，实例和方案中不保存个人信息 roster file, merged in at export time only",
    )
    s.add_argument(
        "--plan-version",
        help="方案版本（印在每页页脚；缺省为方案内容指纹）plan version printed in footers "
        "(default: a fingerprint of the plan)",
    )
    s.add_argument("--term-start", default="2026-09-01", help="学期第一天 first day of term (default 2026-09-01)")
    s.add_argument(
        "--term-end",
        help="学期最后一天（缺省为第一天起 term_weeks 周）last day of term (default: term_weeks "
        "weeks from the first); 节假日与调休按国务院安排 holidays and make-up days from "
        "chinese-calendar",
    )
    s.add_argument("--lang", choices=["zh", "en"], default="zh", help="语言 language (default zh)")
    s.set_defaults(func=cmd_export)

    s = sub.add_parser(
        "district",
        help="区级排课：多校共享人员 plan a district with shared staff",
        description="区级运行：主问题把共享的校外人员和机构人员分配到各校（日、时段），各校在 Dask 上并行求解，"
        "不能用或不够用的分配退回重分（若干轮）；写出每校方案、区级报告（JSON 与 Excel）并做跨校检查。"
        " Plan every school of a district: a master allocation of shared staff, the schools solved in "
        "parallel on Dask, re-allocation for a few rounds; writes each plan and the district report, "
        "runs the cross-school checks. Exit 0 every school has a valid plan and the district checks "
        "pass, 1 otherwise, 2 bad input.",
    )
    s.add_argument("district", help="区级文件 district file (district.json)")
    s.add_argument("-o", "--output", help="输出目录 output folder (default out/<district id>)")
    s.add_argument(
        "--time-limit", type=float, default=60.0, help="每校时间限制（秒）time limit per school (default 60)"
    )
    s.add_argument(
        "--workers",
        type=int,
        default=None,
        help="本机 Dask 工作进程数（缺省为 CPU 核数；1 表示不用集群）"
        "local Dask workers (default: cores; 1: in-process)",
    )
    s.add_argument(
        "--scheduler",
        help="已有 Dask 集群 an existing Dask cluster, e.g. tls://HOST:8786 (tcp:// only on a "
        "trusted network: anyone who reaches the port can run code)",
    )
    s.add_argument("--tls-ca", help="TLS：签发集群证书的 CA 文件 CA certificate (PEM) of a tls:// cluster")
    s.add_argument("--tls-cert", help="TLS：本客户端证书 this client's certificate (PEM)")
    s.add_argument("--tls-key", help="TLS：本客户端私钥 this client's private key (PEM; omit if in --tls-cert)")
    s.add_argument("--rounds", type=int, default=3, help="分配轮数 allocation rounds (default 3)")
    s.add_argument("--seed", type=int, default=1, help="随机种子 random seed (default 1)")
    s.add_argument(
        "--cost-cap",
        action="store_true",
        help="每校支出不高于先到先得方案（缺省关闭：共享人员要能用上；R20 收支平衡照常）each school no costlier than "
        "its FCFS plan (off by default so allocated shared staff get used; R20 still holds)",
    )
    s.add_argument("--quiet", action="store_true", help="不逐校显示进度 no per-school progress")
    s.add_argument("--json", action="store_true", help="以 JSON 输出区级摘要 print the district summary as JSON")
    s.set_defaults(func=cmd_district)

    s = sub.add_parser(
        "generate-district",
        help="生成区级示例 generate a district",
        description="用生成器生成若干学校和共享人员库（教练、民间艺人、一家遴选机构，每人服务 2–5 所学校），"
        "学校间路程 10–30 分钟。 Generate a district: schools from the generator and a shared pool of "
        "coaches, folk artists and one approved institution serving 2–5 schools each.",
    )
    s.add_argument("--schools", type=int, required=True, help="学校数 number of schools")
    s.add_argument("--students-per-school", type=int, required=True, help="每校学生数 students per school")
    s.add_argument("--seed", type=int, default=1, help="随机种子 random seed (default 1)")
    s.add_argument("-o", "--output", required=True, help="输出目录 output folder (district.json + schools/)")
    s.set_defaults(func=cmd_generate_district)

    s = sub.add_parser(
        "app",
        help="启动排课应用（浏览器）start the app in the browser",
        description="启动课后服务排课应用（Streamlit），在浏览器中打开 http://localhost:8501。"
        " Start the scheduler's app (Streamlit) at http://localhost:8501.",
    )
    s.add_argument("--port", type=int, default=8501, help="端口 port (default 8501)")
    s.add_argument("--address", default="localhost", help="监听地址 address to listen on (default localhost)")
    s.add_argument("--headless", action="store_true", help="不自动打开浏览器 do not open a browser")
    s.set_defaults(func=cmd_app)

    s = sub.add_parser(
        "demo",
        help="演示：示例学校求解并导出 the demo school solved and printed",
        description="用随软件安装的示例学校：检查、求解、检查方案，导出服务指南、考勤表和家长告知书（示例花名册）。"
        " Validate, solve and check the demo school installed with the package, then export the "
        "guide, attendance sheets and parents' notices (demo roster).",
    )
    s.add_argument("-o", "--output", default="out/demo", help="输出目录 output folder (default out/demo)")
    s.add_argument("--time-limit", type=float, default=20.0, help="时间限制（秒）time limit (default 20)")
    s.set_defaults(func=cmd_demo)

    s = sub.add_parser(
        "db",
        help="数据库：方案、版本、审计（afterschool db --help）storage: scenarios, versions, audit",
        description="存储的命令行（与 python -m store 相同）：upgrade、import、list、versions、export、audit。"
        " The storage's command line (same as python -m store).",
        add_help=False,
    )
    s.add_argument("rest", nargs=argparse.REMAINDER, help="afterschool db --help 查看 see")

    s = sub.add_parser(
        "completion",
        help="输出 shell 补全脚本 print a shell completion script",
        description="输出 bash/zsh/tcsh 的补全脚本，例如 bash：afterschool completion bash > "
        "~/.local/share/bash-completion/completions/afterschool"
        " Print a completion script (shtab).",
    )
    s.add_argument("shell", choices=["bash", "zsh", "tcsh"], help="shell")
    s.set_defaults(func=cmd_completion)
    return p
