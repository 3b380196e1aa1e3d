"""The commented ``dutylist.toml`` that ``dutylist init`` writes.

Generated, not kept as text: the ``[check.rules.DLxxx]`` tables come from the rule
registry (each rule's default severity and its options with their defaults), so a new
rule or option appears in the template by itself. Every setting is commented out at its
default, under a one-line explanation in Chinese and English; removing the ``# `` in
front of a setting line gives a valid file (tests/test_init.py holds it to that).

A rule option may carry a Chinese description in its pydantic field as
``json_schema_extra={"description_zh": "…"}``; without one, the line names the rule.
"""

from __future__ import annotations

import json
from typing import Any

from .checks.registry import Rule, rules
from .config import SEVERITIES
from .source.limits import Limits

_MIB = 1024 * 1024

_HEADER = """\
# dutylist 设置（dutylist.toml，放在清单根目录 catalogues/ 中）。
# dutylist settings (dutylist.toml, in the catalogue root catalogues/).
#
# 下面每一项都已注释掉，写的是默认值：去掉行首的“# ”即可修改。未知的节、键、规则代码和
# 规则选项都会报错（退出码 2，并指出行号）。dutylist rules DL201 查看一条规则的说明。
# Every setting below is commented out at its default: remove the leading "# " to change
# it. Unknown sections, keys, rule codes and rule options are errors (exit 2, with the
# line). `dutylist rules DL201` explains a rule.
"""


def toml_value(value: Any) -> str:
    """A TOML literal for a default value (strings, numbers, booleans, lists of them)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # JSON string escapes are valid TOML
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise TypeError(f"no TOML literal for {value!r}")


_TYPES_ZH = {"int": "整数", "float": "数", "bool": "true 或 false", "str": "文本", "list": "列表"}


def _setting(key: str, value: Any, zh: str, en: str | None = None) -> list[str]:
    """One setting, commented out: its explanation (Chinese, English), then ``key = default``."""
    return [f"# {zh}", *([f"# {en}"] if en else []), f"# {key} = {toml_value(value)}"]


def _limits() -> list[str]:
    base = Limits()
    return [
        "# ── [limits]：读取 YAML 的上限 / bounds on reading YAML ──",
        "# [limits]",
        *_setting(
            "max_file_mb",
            base.max_file_bytes // _MIB,
            "单个 YAML 文件的大小上限（MB）。",
            "Largest YAML file read, in MB.",
        ),
        *_setting("max_depth", base.max_depth, "映射和列表嵌套的最大层数。", "Deepest nesting of mappings and lists."),
        *_setting(
            "max_alias_events",
            base.max_alias_events,
            "每个文件展开别名（alias）的次数上限，防止“十亿笑声”式文件。",
            "Alias expansion budget per file (against 'billion laughs').",
        ),
    ]


def _check() -> list[str]:
    return [
        "# ── [check]：dutylist check 的规则选择 / rule selection of dutylist check ──",
        "# [check]",
        *_setting(
            "fail_on",
            "error",
            "达到这一级别的问题使检查失败（退出码 1）：error | warning | never；命令行 --fail-on 优先。",
            "Findings at this level or worse fail the check (exit 1): error | warning | never; --fail-on overrides.",
        ),
        *_setting(
            "select",
            [],
            "只运行这些规则（代码或前缀，如 DL2、DL204）；空列表表示全部。",
            "Run only these rules (codes or prefixes such as DL2, DL204); empty: all.",
        ),
        *_setting("ignore", [], "不运行这些规则（代码或前缀）。", "Do not run these rules (codes or prefixes)."),
    ]


def _option_values(rule: Rule, name: str) -> list[Any]:
    """Allowed values of an option, when the model fixes them (enums, lists of enums)."""
    prop = rule.options.model_json_schema().get("properties", {}).get(name, {})
    values = prop.get("enum") or prop.get("items", {}).get("enum") or []
    return list(values)


def _rule(rule: Rule) -> list[str]:
    levels = " | ".join(SEVERITIES)
    needs = "（需要对比基准 / needs a base）" if rule.needs_diff else ""
    lines = [
        f"# ── {rule.code} {rule.name}：{rule.title_zh} / {rule.title_en}{needs} ──",
        f"# [check.rules.{rule.code}]",
        *_setting("severity", rule.severity.value, f"级别 / severity: {levels}（off：不运行 / not run）"),
    ]
    defaults = rule.options().model_dump(mode="json")
    for name, type_name, _default, description in rule.option_rows():
        field = rule.options.model_fields[name]
        extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
        zh = str(extra.get("description_zh") or f"{rule.title_zh}的选项 {name}")
        values = " | ".join(map(str, _option_values(rule, name)))
        kind = _TYPES_ZH.get(type_name, type_name)
        lines += _setting(name, defaults[name], f"{zh}（{kind}{'：' + values if values else ''}）", description)
    return lines


def _exceptions() -> list[str]:
    return [
        "# ── [[check.exceptions]]：豁免一条检查结果，可写多个 / waive one finding; repeat for more ──",
        "# 被豁免的结果连同理由单独列出，不会悄悄消失。 Waived findings are listed apart with their reasons.",
        "# [[check.exceptions]]",
        *_setting("rule", "DL201", "规则代码。", "The rule code."),
        *_setting(
            "item",
            "SL-B-001",
            "事项 id（DL203、DL208 写调整记录 id，DL204 写乡镇 id）。",
            "The item id (the record id for DL203 and DL208, the township id for DL204).",
        ),
        *_setting("unit", "shili", "可选：只豁免这个单位的结果。", "Optional: only this unit's finding."),
        *_setting("reason", "县委常委会已同意，文件待印发", "必填：豁免的理由。", "Required: why it is waived."),
    ]


def settings_template() -> str:
    """The text of a fully commented ``dutylist.toml``."""
    blocks = [_HEADER.rstrip("\n").splitlines(), _limits(), _check()]
    blocks += [_rule(rule) for rule in rules().values()]
    blocks.append(_exceptions())
    return "\n\n".join("\n".join(block) for block in blocks) + "\n"
