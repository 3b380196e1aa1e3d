"""Validating loaded data against the schema-1 models, as located diagnostics."""

from __future__ import annotations

import difflib
from typing import Any, Literal

from pydantic_core import ErrorDetails, ValidationError

from ..model.coreschema import allowed_keys, validator
from .locate import Mode
from .yamlload import Problem

FileKind = Literal["catalogue", "units", "unit", "template", "adjustments", "negative"]


def validate_data(kind: str, data: Any) -> tuple[Any, list[tuple[Problem, tuple[Any, ...], Mode]]]:
    """The validated data (or None) and each schema problem with its loc and locate mode.

    Runs the precompiled validator of :mod:`dutylist.model.coreschema`, which applies the
    models' rules without importing pydantic.
    """
    try:
        return validator(kind).validate_python(data), []
    except ValidationError as exc:
        errors = exc.errors(include_url=False, include_context=True)
    problems = []
    seen: set[tuple[Any, ...]] = set()
    for err in errors:
        loc = tuple(err["loc"])
        if (loc, err["type"]) in seen:
            continue
        seen.add((loc, err["type"]))
        problems.append(_problem(kind, err, loc))
    return None, problems


def _problem(kind: str, err: ErrorDetails, loc: tuple[Any, ...]) -> tuple[Problem, tuple[Any, ...], Mode]:
    etype = err["type"]
    if etype == "missing":
        return Problem("DL110", {"key": str(loc[-1])}), loc[:-1], "node"
    if etype == "extra_forbidden":
        key = str(loc[-1])
        allowed = allowed_keys(kind, loc[:-1])
        close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        if close:
            hint_zh, hint_en = f"是否想写 {close[0]!r}？", f"did you mean {close[0]!r}?"
        else:
            hint_zh = "可用字段：" + "、".join(allowed) if allowed else ""
            hint_en = "allowed keys: " + ", ".join(allowed) if allowed else ""
        return Problem("DL111", {"key": key, "hint_zh": hint_zh, "hint_en": hint_en}), loc, "key"
    zh, en, hint_zh, hint_en = _explain(err)
    return Problem("DL112", {"problem": en, "problem_zh": zh, "hint_zh": hint_zh, "hint_en": hint_en}), loc, "value"


def _explain(err: ErrorDetails) -> tuple[str, str, str, str]:
    etype, value, ctx = err["type"], err.get("input"), err.get("ctx") or {}
    shown = _short(value)
    msg = err["msg"]
    if etype == "string_type":
        if isinstance(value, bool):
            return (
                f"应为文字，却读到布尔值 {shown}",
                f"expected text, got the boolean {shown}",
                '加引号，如 "true"',
                'quote it, e.g. "true"',
            )
        if isinstance(value, (int, float)):
            return (
                f"应为文字，却读到数字 {shown}",
                f"expected text, got the number {shown}",
                f'加引号写成 "{shown}"（前导 0 才不会丢失）',
                f'quote it: "{shown}" (keeps leading zeros)',
            )
        if value is None:
            return (
                "应为文字，却是空值",
                "expected text, got nothing",
                "填写内容或删除此字段",
                "fill it in or remove the key",
            )
        return (f"应为文字，却是{_kind_zh(value)}", f"expected text, got {_kind_en(value)}", "", "")
    if etype == "list_type":
        return (
            f"应为列表，却是{_kind_zh(value)}",
            f"expected a list, got {_kind_en(value)}",
            "写成 [甲, 乙]，或每行一项“- 甲”",
            "write [a, b], or one '- a' per line",
        )
    if etype in ("dict_type", "model_type", "model_attributes_type"):
        return (
            f"应为映射（键: 值），却是{_kind_zh(value)}",
            f"expected a mapping (key: value), got {_kind_en(value)}",
            "",
            "",
        )
    if etype == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern", ""))
        if pattern.startswith("^[A-Za-z0-9]"):
            return (
                f"编码 {shown} 只能由字母、数字和 . _ - 组成，且以字母或数字开头",
                f"id {shown} may hold only letters, digits, '.', '_' and '-', starting with a letter or digit",
                "",
                "",
            )
        if pattern == r"^\d{6}$":
            return (
                f"区划代码 {shown} 应为 6 位数字",
                f"region code {shown} must be six digits",
                '加引号，如 "610822"',
                'quote it, e.g. "610822"',
            )
        if pattern == r"^\d{4}-\d{2}-\d{2}$":
            return (f"日期 {shown} 应写成 YYYY-MM-DD", f"date {shown} must be YYYY-MM-DD", "", "")
        return (f"{shown} 不符合格式 {pattern}", f"{shown} does not match {pattern}", "", "")
    if etype in ("string_too_short", "too_short"):
        return ("不能为空", "must not be empty", "", "")
    if etype == "string_too_long":
        return (f"过长（最多 {ctx.get('max_length')} 个字符）", msg, "", "")
    if etype == "literal_error":
        expected = str(ctx.get("expected", ""))
        options = [o.strip(" '") for o in expected.replace(" or ", ", ").split(",")]
        close = difflib.get_close_matches(str(value), options, n=1, cutoff=0.6)
        hint = (f"是否想写 {close[0]!r}？", f"did you mean {close[0]!r}?") if close else ("", "")
        return (f"{shown} 不在可选值之中：{expected}", f"{shown} is not one of {expected}", *hint)
    if etype == "invalid_key":
        return ("键必须是文字", "keys must be text", "", "")
    if etype == "calendar_date":
        return (f"{shown} 不是有效日期", f"{shown} is not a calendar date", "写成 YYYY-MM-DD，如 2025-03-01", "")
    if etype == "record_items":
        return ("调整记录须在 items 中列出事项编码", msg, "", "")
    if etype == "record_units":
        return ("机构调整（unit_renamed）记录须在 units 中列出更名后的单位", msg, "", "")
    if etype == "value_error":
        text = msg.removeprefix("Value error, ")
        return (text, text, "", "")
    if etype in ("int_type", "int_parsing"):
        return (f"应为整数，却是 {shown}", f"expected an integer, got {shown}", "", "")
    return (msg, msg, "", "")


def _short(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return _kind_en(value)
    text = repr(value) if isinstance(value, str) else str(value).lower() if isinstance(value, bool) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _kind_zh(value: Any) -> str:
    return {dict: "映射", list: "列表", str: "文字", bool: "布尔值", int: "数字", float: "数字"}.get(
        type(value), "空值" if value is None else type(value).__name__
    )


def _kind_en(value: Any) -> str:
    return {dict: "a mapping", list: "a list", str: "text", bool: "a boolean", int: "a number", float: "a number"}.get(
        type(value), "nothing" if value is None else type(value).__name__
    )
