"""A readable, record-level diff of two instances (as JSON data).

Record lists are matched by id (`pins` by `activity`), so moving a row does not count as a change:

    students[S0042].days: ["mon", "tue"] → ["mon"]
    students[S0107]: 新增 added
    staff[T09]: 删除 removed
    policy.fee_per_term: 300 → 400

A field missing on one side and null on the other is the same (both mean "the default").
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from typing import Any, Literal

from models.labels import SHEETS  # the tables' names as the app's data page shows them

# The lists of records in an instance and the field that identifies a record in each.
RECORD_KEYS: dict[str, str] = {
    "periods": "id",
    "classes": "id",
    "rooms": "id",
    "courses": "id",
    "staff": "id",
    "institutions": "id",
    "students": "id",
    "pins": "activity",
}
MISSING = object()

Kind = Literal["added", "removed", "changed"]


@dataclass(frozen=True)
class Change:
    path: str  # students[S0042].days, staff[T09], policy.fee_per_term
    kind: Kind
    old: Any = None
    new: Any = None

    def render(self, lang: str = "zh") -> str:
        if self.kind == "added":
            return f"{self.path}: " + ("新增" if lang == "zh" else "added") + f" {_short(self.new)}"
        if self.kind == "removed":
            return f"{self.path}: " + ("删除" if lang == "zh" else "removed") + f" {_short(self.old)}"
        return f"{self.path}: {_value(self.old)} → {_value(self.new)}"

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> Change:
        return cls(d["path"], d["kind"], d.get("old"), d.get("new"))


def _value(v: Any) -> str:
    if v is None:
        return "—"
    return json.dumps(v, ensure_ascii=False, separators=(", ", ": "))


def _short(record: Any) -> str:
    """A record in a line: its name field if any, else nothing (the path names it)."""
    if isinstance(record, dict):
        for key in ("name", "class", "course"):
            if isinstance(record.get(key), str) and record[key]:
                return f"({record[key]})"
    return ""


def _record_key(kind: str, record: Any, index: int, seen: set[str]) -> str:
    key = RECORD_KEYS[kind]
    ident = record.get(key) if isinstance(record, dict) else None
    name = ident if isinstance(ident, str) and ident and ident not in seen else f"#{index + 1}"
    seen.add(name)
    return name


def _fields(path: str, old: Any, new: Any, out: list[Change]) -> None:
    """Field-by-field changes of two dicts (one level; nested values are shown whole)."""
    old = old if isinstance(old, dict) else {}
    new = new if isinstance(new, dict) else {}
    for f in list(old) + [f for f in new if f not in old]:
        a, b = old.get(f), new.get(f)
        if a != b:
            out.append(Change(f"{path}.{f}", "changed", a, b))


def diff_instances(old: dict | None, new: dict) -> list[Change]:
    """Every change from `old` to `new`, in instance order (`old` None: everything added)."""
    old = old or {}
    out: list[Change] = []
    keys = list(old) + [k for k in new if k not in old]
    for top in keys:
        a, b = old.get(top, MISSING), new.get(top, MISSING)
        if top in RECORD_KEYS:
            a_list = a if isinstance(a, list) else []
            b_list = b if isinstance(b, list) else []
            seen_a: set[str] = set()
            seen_b: set[str] = set()
            a_recs = {_record_key(top, r, i, seen_a): r for i, r in enumerate(a_list)}
            b_recs = {_record_key(top, r, i, seen_b): r for i, r in enumerate(b_list)}
            for name, rec in a_recs.items():
                path = f"{top}[{name}]"
                if name not in b_recs:
                    out.append(Change(path, "removed", rec, None))
                elif rec != b_recs[name]:
                    if isinstance(rec, dict) and isinstance(b_recs[name], dict):
                        _fields(path, rec, b_recs[name], out)
                    else:
                        out.append(Change(path, "changed", rec, b_recs[name]))
            out += [Change(f"{top}[{name}]", "added", None, rec) for name, rec in b_recs.items() if name not in a_recs]
            continue
        a_v = None if a is MISSING else a
        b_v = None if b is MISSING else b
        if a_v == b_v:
            continue
        if isinstance(a_v, dict) and isinstance(b_v, dict):
            _fields(top, a_v, b_v, out)
        else:
            out.append(Change(top, "changed", a_v, b_v))
    return out


def summary(changes: list[Change], lang: str = "zh") -> str:
    """One line: records added (+), removed (−) and changed (~), by table: `students +1 ~3, policy ~1`."""
    if not changes:
        return "没有变化" if lang == "zh" else "no changes"
    tables: dict[str, dict[str, set[str]]] = {}
    for c in changes:
        table = c.path.split("[", 1)[0].split(".", 1)[0]
        record = c.path.split(".", 1)[0] if "[" in c.path else c.path
        tables.setdefault(table, {"added": set(), "removed": set(), "changed": set()})[c.kind].add(record)
    parts = []
    for table, kinds in tables.items():
        bits = [
            f"{sign}{len(kinds[k])}" for k, sign in (("added", "+"), ("removed", "−"), ("changed", "~")) if kinds[k]
        ]
        parts.append(f"{table} {' '.join(bits)}")
    return ", ".join(parts)


def contents(instance: dict) -> str:
    """What an instance holds, in a line: `students 40, staff 13, courses 8, …` (a first version's summary)."""
    parts = [f"{k} {len(instance[k])}" for k in RECORD_KEYS if isinstance(instance.get(k), list) and instance[k]]
    return ", ".join(parts) if parts else "—"


def localize(text: str, lang: str = "zh") -> str:
    """A stored summary (`students +1 ~3, policy ~1`) with the tables named in the user's language."""
    if lang != "zh":
        return text
    return re.sub(r"\b([a-z_]+)(?= [+−~\d])", lambda m: SHEETS.get(m.group(1), m.group(1)), text)
