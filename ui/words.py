"""The scheduler's words: what the app shows of records, fields and the planner's bilingual notes,
in the session's language only.

- `record_name("students[S0042]", "zh")` → "学生 S0042"; `field_name("students", "days", "zh")` → "基本服务日";
- `one_language("通过 / passed；加载警告 1 条 / 1 load warnings", "zh")` → "通过；加载警告 1 条": the
  checker and the planner write "中文 / English" (the CLI prints both); the app shows one;
- `record_ref(loaded, "S0042")` → "students[S0042]": an id an explanation names, as its record.
"""

from __future__ import annotations

import re

from models.labels import POLICY_FIELDS, SCHOOL_FIELDS, SHEETS, TABLE_FIELDS
from models.load import Loaded

_SUB = {
    "start": ("开始", "start"),
    "end": ("结束", "end"),
    "day": ("星期", "day"),
    "period": ("时段", "period"),
    "school": ("学校", "school"),
}
_CJK = re.compile(r"[\u4e00-\u9fff]")


def record_name(record: str, lang: str = "zh") -> str:
    """ "students[S0042]" → "学生 S0042" (zh) or "students S0042" (en); "students[#7]" → "学生 第 7 行"."""
    m = re.match(r"^([a-z_]+)(?:\[(.*)\])?(.*)$", record or "")
    if not m:
        return record
    table, ident, rest = m.groups()
    if lang != "zh":
        return f"{table} {ident}{rest}" if ident else record
    name = SHEETS.get(table, {"roster": "花名册"}.get(table, table))
    if ident is None:
        return name + rest
    if ident.startswith("#"):
        return f"{name} 第 {ident[1:]} 条"
    return f"{name} {ident}{rest}"


def field_name(table: str, field: str | None, lang: str = "zh") -> str:
    """A field path of a table in words: "choices[2]" → "志愿（按顺序） 第 3 项";
    "duties[0].start" → "值班时间 第 1 项 开始".
    """
    if not field:
        return "—"
    if lang != "zh":
        return field
    m = re.match(r"^([a-z_]+)((?:\[\d+\])?)(?:\.([a-z_]+))?$", field)
    if not m:
        return field
    base, index, sub = m.groups()
    labels = TABLE_FIELDS.get(table) or (
        POLICY_FIELDS if table == "policy" else SCHOOL_FIELDS if table == "school" else {}
    )
    fl = labels.get(base)
    out = fl.zh if fl else {"id": "编号", "name": "姓名"}.get(base, base)
    if index:
        out += f" 第 {int(index[1:-1]) + 1} 项"
    if sub:
        out += " " + _SUB.get(sub, (sub, sub))[0]
    return out


def path_name(path: str, lang: str = "zh") -> str:
    """A change's path in words: "students[S0042].days" → "学生 S0042 · 基本服务日", "policy.fee_per_term"
    → "政策 · 每生每学期收费（元）"; English keeps the file's own path."""
    if lang != "zh":
        return path
    m = re.match(r"^([a-z_]+(?:\[[^\]]*\])?)(?:\.(.+))?$", path or "")
    if not m:
        return path
    rec, fld = m.groups()
    return record_name(rec, "zh") + (f" · {field_name(table_of_record(rec), fld, 'zh')}" if fld else "")


def change_line(change, lang: str = "zh") -> str:
    """A stored version's change (`store.diff.Change`) in words."""
    if lang != "zh":
        return change.render(lang)
    text = change.render("zh")
    rest = text[len(change.path) :] if text.startswith(change.path) else text
    return path_name(change.path, "zh") + ("：" + rest[2:] if rest.startswith(": ") else rest)


def table_of_record(record: str) -> str:
    m = re.match(r"^([a-z_]+)", record or "")
    return m.group(1) if m else ""


def _split_top(text: str, sep: str) -> list[str]:
    """Split on `sep` outside brackets (（…）, (…), […])."""
    out, depth, start, i = [], 0, 0, 0
    while i < len(text):
        ch = text[i]
        if ch in "（([":
            depth += 1
        elif ch in "）)]":
            depth = max(0, depth - 1)
        elif depth == 0 and text.startswith(sep, i):
            out.append(text[start:i])
            i += len(sep)
            start = i
            continue
        i += 1
    out.append(text[start:])
    return out


_STATUS_ZH = {"optimal": "最优", "feasible": "可行", "infeasible": "无解", "unknown": "未知"}


def _halves(text: str) -> tuple[str, str] | None:
    """(Chinese, English) when `text` is "中文 / English" (one top-level separator), else None."""
    halves = [h.strip() for h in _split_top(text, "/ ")]
    if len(halves) != 2 or not halves[0] or not halves[1]:
        return None
    zh, en = halves
    if not _CJK.search(zh) or not re.search(r"[A-Za-z]{3}", en):
        return None
    return zh, en


def _one(zh: str, en: str, lang: str) -> str:
    if lang == "zh":
        m = re.match(r"^\[([^\]]+)\]\s*([a-z_]+(?:\[[^\]]*\])?)(?:\.([a-z_\[\]0-9.]+))?:\s*", zh)
        if m:  # "[R13] staff[X04].institution: …" → "[R13] 教职工 X04 · 所属机构：…"
            rec, fld = m.group(2), m.group(3)
            where = record_name(rec, "zh") + (f" · {field_name(table_of_record(rec), fld, 'zh')}" if fld else "")
            zh = f"[{m.group(1)}] {where}：" + zh[m.end() :]
        zh = re.sub(r"（([^（）]*?) ?/ [^（）]*）", r"（\1）", zh)  # nested "（须收支平衡 / must balance）"
        return re.sub(r"\b(optimal|feasible|infeasible|unknown)\b", lambda m: _STATUS_ZH[m.group(1)], zh)
    prefix = re.match(r"^(\[[^\]]+\]\s*(?:[a-z_]+(?:\[[^\]]*\])?(?:\.[a-z_\[\]0-9.]+)?:\s*)?)", zh)
    p = prefix.group(1) if prefix else ""
    return en if en.startswith(p) else p + en


def one_language(text: str, lang: str = "zh") -> str:
    """The Chinese or the English half of a "中文 / English" note (or of each "；"-joined piece)."""
    if not text or "/ " not in text:
        return text
    whole = _halves(text)
    if whole:
        return _one(*whole, lang)
    parts = []
    for part in _split_top(text, "；"):
        h = _halves(part)
        parts.append(_one(*h, lang) if h else part)
    return ("；" if lang == "zh" else "; ").join(parts)


def record_ref(loaded: Loaded, ident: str) -> str:
    """An id named by an explanation (S0042, T04, EXT …) as a record name (students[S0042])."""
    if "[" in ident or "." in ident:
        return ident
    for kind, table in (
        ("students", loaded.student),
        ("staff", loaded.staff),
        ("rooms", loaded.room),
        ("courses", loaded.course),
        ("classes", loaded.klass),
        ("periods", loaded.period),
    ):
        if ident in table:
            return f"{kind}[{ident}]"
    return ident
