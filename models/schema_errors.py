"""Turn pydantic's validation errors into `Problem`s a school scheduler can act on."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import ValidationError

from models.messages import Text
from models.problems import Problem

# Pieces of a pydantic error location that name a union member, not a field.
_UNION_TAG = re.compile(r"^(int|float|str|bool|none|list\[.*\]|literal\[.*\]|function-after\[.*\]|.*\[.*\])$")

_TYPE_NAMES: dict[str, tuple[str, str]] = {
    "int_type": ("整数", "an integer"),
    "int_parsing": ("整数", "an integer"),
    "int_from_float": ("整数", "an integer"),
    "float_type": ("数字", "a number"),
    "float_parsing": ("数字", "a number"),
    "string_type": ("文本", "text"),
    "bool_type": ("true 或 false", "true or false"),
    "bool_parsing": ("true 或 false", "true or false"),
    "list_type": ("列表", "a list"),
    "dict_type": ("对象", "an object"),
    "model_type": ("对象", "an object"),
    "model_attributes_type": ("对象", "an object"),
    "none_required": ("空值 null", "null"),
}


def _clean_loc(loc: Sequence[Any]) -> list[Any]:
    return [p for p in loc if not (isinstance(p, str) and _UNION_TAG.match(p))]


def field_path(loc: Sequence[Any]) -> str | None:
    """('unavailable', 0, 'period') -> 'unavailable[0].period'."""
    out = ""
    for part in _clean_loc(loc):
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or None


def _describe(err: Mapping[str, Any]) -> tuple[str, str, str, str, str]:
    """(code, message zh, message en, hint zh, hint en) for one pydantic error."""
    kind = err["type"]
    ctx = err.get("ctx") or {}
    given = err.get("input")
    shown = repr(given) if not isinstance(given, (dict, list)) else type(given).__name__
    if len(shown) > 60:
        shown = shown[:57] + "…"
    if kind == "missing":
        return (
            "FMT-FIELD",
            "缺少必填字段。",
            "required field is missing.",
            "补上这一项（见 formats.md）。",
            "add the field (see formats.md).",
        )
    if kind == "extra_forbidden":
        return (
            "FMT-FIELD",
            "未知字段，可能是拼写错误。",
            "unknown field, perhaps a typo.",
            "检查字段名拼写，或删除这一项。",
            "check the spelling or remove the field.",
        )
    if kind in _TYPE_NAMES:
        zh, en = _TYPE_NAMES[kind]
        return (
            "FMT-TYPE",
            f"类型错误：应为{zh}，实际是 {shown}。",
            f"wrong type: expected {en}, got {shown}.",
            f"改为{zh}（数字不要加引号，是/否写 true/false）。",
            f"write {en} (numbers without quotes, yes/no as true/false).",
        )
    if kind == "time_format":
        return (
            "FMT-TIME",
            f"时间格式错误：{shown}，应为 24 小时制 HH:MM。",
            f"malformed time {shown}: expected 24-hour HH:MM.",
            "例如 07:40、15:30、20:30。",
            "for example 07:40, 15:30, 20:30.",
        )
    if kind in ("literal_error", "enum"):
        expected = ctx.get("expected", "")
        return (
            "FMT-VALUE",
            f"取值 {shown} 不在允许的取值中：{expected}。",
            f"value {shown} is not one of {expected}.",
            "从允许的取值中选一个。",
            "use one of the allowed values.",
        )
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        bound = next(iter(ctx.values()), "")
        rel = {
            "greater_than_equal": ("不小于", "at least"),
            "greater_than": ("大于", "more than"),
            "less_than_equal": ("不大于", "at most"),
            "less_than": ("小于", "less than"),
        }[kind]
        return (
            "FMT-VALUE",
            f"取值 {shown} 超出范围：应{rel[0]} {bound}。",
            f"value {shown} out of range: must be {rel[1]} {bound}.",
            "改正这个数。",
            "correct the number.",
        )
    if kind in ("string_too_short", "too_short"):
        return (
            "FMT-VALUE",
            "不能为空。",
            "must not be empty.",
            "填写一个值（编号是非空文本）。",
            "fill it in (ids are non-empty text).",
        )
    if kind == "string_too_long":
        limit = ctx.get("max_length", "")
        return (
            "FMT-VALUE",
            f"太长：最多 {limit} 个字符，实际 {len(given) if isinstance(given, str) else '?'} 个。",
            f"too long: at most {limit} characters, got {len(given) if isinstance(given, str) else '?'}.",
            "缩短这一项（编号最多 64 个字符，名称最多 200 个）。",
            "shorten it (ids at most 64 characters, names at most 200).",
        )
    if kind == "control_character":
        return (
            "FMT-VALUE",
            f"编号含控制字符 {ctx.get('char', '')}（第 {ctx.get('pos', '?')} 个字符）。",
            f"the id holds the control character {ctx.get('char', '')} (character {ctx.get('pos', '?')}).",
            "删除不可见的控制字符（如 NUL、换行、制表符）。",
            "remove invisible control characters (NUL, line breaks, tabs).",
        )
    if kind == "finite_number":
        return (
            "FMT-VALUE",
            "数字必须是有限值（不能是 NaN 或无穷大）。",
            "the number must be finite (not NaN or infinity).",
            "写一个普通数字。",
            "write an ordinary number.",
        )
    return (
        "FMT-VALUE",
        f"取值无效：{err.get('msg', '')}。",
        f"invalid value: {err.get('msg', '')}.",
        "改正这一项。",
        "correct the value.",
    )


def problems_from(error: ValidationError | list[dict], record: str, loc_prefix: Sequence[Any] = ()) -> list[Problem]:
    """All problems of a validation error, one per field (union members collapsed)."""
    out: list[Problem] = []
    seen: set[str | None] = set()
    errors = error.errors() if isinstance(error, ValidationError) else error
    for err in errors:
        path = field_path([*loc_prefix, *err["loc"]])
        if path in seen:
            continue
        seen.add(path)
        code, zh, en, hzh, hen = _describe(err)
        out.append(Problem(code, record, path, Text(zh, en), Text(hzh, hen)))
    return out
