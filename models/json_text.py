"""JSON text → Python data: standard JSON only, every problem an FMT-JSON naming where it is.

Shared by every file the project reads as JSON (instances, plans, district files).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from models.messages import Text
from models.problems import InputRejected, Problem, Report

MAX_DEPTH = 64
"""Deepest nesting of objects and lists a file may have (formats.md, Ranges)."""
_MAX_NUMBER_CHARS = 100  # no number in the contract needs more; longer ones are not numbers we can use


class DuplicateKey(ValueError):
    pass


class BadNumber(ValueError):
    """A number JSON allows to write but the contract does not (NaN, Infinity, too long, overflowing)."""


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise DuplicateKey(key)
        seen[key] = value
    return seen


def _constant(token: str) -> Any:
    raise BadNumber(f"{token} is not a JSON number (RFC 8259)")


def _int(token: str) -> int:
    if len(token) > _MAX_NUMBER_CHARS:
        raise BadNumber(f"an integer of {len(token)} digits")
    return int(token)


def _float(token: str) -> float:
    if len(token) > _MAX_NUMBER_CHARS:
        raise BadNumber(f"a number of {len(token)} characters")
    value = float(token)
    if value != value or value in (float("inf"), float("-inf")):
        raise BadNumber(f"{token} is too large for a number")
    return value


def nesting_depth(value: Any) -> int:
    """How deeply lists and objects nest in parsed JSON (a scalar: 0), without recursion."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children: Iterable[Any]
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return deepest


def _json_problem(source: str, zh: str, en: str, hint_zh: str, hint_en: str, fld: str | None = None) -> InputRejected:
    return InputRejected(Report(source, [Problem("FMT-JSON", "file", fld, Text(zh, en), Text(hint_zh, hint_en))]))


def parse_json(data: bytes, source: str) -> Any:
    """JSON text → Python data, or InputRejected naming the line and column.

    Standard JSON only (formats.md, Ranges): NaN, Infinity, a key given twice, a number no
    field can hold, or nesting deeper than `MAX_DEPTH` are FMT-JSON.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _json_problem(
            source,
            f"文件不是 UTF-8 编码（第 {exc.start} 字节）。",
            f"the file is not UTF-8 (byte {exc.start}).",
            "用 UTF-8 编码另存为。",
            "save it as UTF-8.",
        ) from None
    try:
        value = json.loads(
            text, object_pairs_hook=_no_duplicate_keys, parse_constant=_constant, parse_int=_int, parse_float=_float
        )
    except DuplicateKey as exc:
        raise _json_problem(
            source,
            f"字段 {exc} 在同一对象中出现两次，其中一个值会丢失。",
            f"key {exc} appears twice in one object; one value would be lost.",
            "删除重复的字段。",
            "remove the duplicate key.",
            str(exc),
        ) from None
    except BadNumber as exc:
        raise _json_problem(
            source,
            f"不是有效的 JSON 数字：{exc}。",
            f"not a valid JSON number: {exc}.",
            "写一个有限的普通数字（不要 NaN、Infinity 或超长数字）。",
            "write a finite, ordinary number (no NaN, Infinity or endless digits).",
        ) from None
    except RecursionError:
        value = None
        too_deep = True
    except json.JSONDecodeError as exc:
        raise _json_problem(
            source,
            f"JSON 格式错误：第 {exc.lineno} 行第 {exc.colno} 列，{exc.msg}。",
            f"malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}.",
            "检查该处的逗号、引号和括号。",
            "check commas, quotes and brackets there.",
        ) from None
    except ValueError as exc:  # anything else the decoder refuses (e.g. Python's digit limit)
        raise _json_problem(
            source,
            f"JSON 无法读取：{exc}。",
            f"cannot read the JSON: {exc}.",
            "检查文件内容。",
            "check the file's content.",
        ) from None
    else:
        too_deep = nesting_depth(value) > MAX_DEPTH
    if too_deep:
        raise _json_problem(
            source,
            f"JSON 嵌套超过 {MAX_DEPTH} 层。",
            f"JSON nested deeper than {MAX_DEPTH} levels.",
            "本格式最多嵌套几层；检查文件是否损坏。",
            "the format nests only a few levels; is the file damaged?",
        )
    return value
