"""One finding type for every command: a problem a user can fix, at a place in a file.

The core builds :class:`Diagnostic` values with a stable ``code`` and parameters; the
text of the message is chosen by language only when rendering (``message(lang)``), from
the registry :data:`MESSAGES`. Diagnostics sort by location so output is stable.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


SEVERITY_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


@dataclass(frozen=True, slots=True)
class Code:
    """A diagnostic code: its default severity and its texts in Chinese and English."""

    code: str
    severity: Severity
    zh: str
    en: str
    hint_zh: str = ""
    hint_en: str = ""


def _c(code: str, sev: Severity, zh: str, en: str, hint_zh: str = "", hint_en: str = "") -> Code:
    return Code(code, sev, zh, en, hint_zh, hint_en)


E, W = Severity.ERROR, Severity.WARNING

#: Every DL1xx code. Templates use ``str.format`` fields filled from ``Diagnostic.params``.
MESSAGES: dict[str, Code] = {
    c.code: c
    for c in [
        # reading and parsing (DL100–DL109)
        _c("DL100", E, "无法读取文件：{reason}", "cannot read file: {reason}"),
        _c(
            "DL101",
            E,
            "文件不是 UTF-8 编码{guess_zh}",
            "file is not UTF-8{guess_en}",
            "请用 UTF-8 编码重新保存（如记事本“另存为”选择 UTF-8）",
            "re-save the file as UTF-8",
        ),
        _c("DL102", E, "YAML 语法错误：{problem}", "YAML syntax error: {problem}"),
        _c(
            "DL103",
            E,
            "重复的键 {key!r}：YAML 中同一映射的键不能重复",
            "duplicate key {key!r}: a key may appear only once in a mapping",
            "删除或合并重复的键",
            "remove or merge the duplicate key",
        ),
        _c(
            "DL104",
            E,
            "{value!r} 会被部分 YAML 工具读成布尔值",
            "{value!r} is read as a boolean by YAML 1.1 tools",
            '加引号写成 "{value}"',
            'quote it: "{value}"',
        ),
        _c(
            "DL105",
            E,
            "不支持 YAML 标签 {tag}",
            "YAML tags are not allowed here: {tag}",
            "删除标签；若要字符串请加引号",
            "remove the tag; quote the value to make it a string",
        ),
        _c("DL106", E, "{what}", "{what_en}"),
        _c(
            "DL107",
            E,
            "文件结构超出限制：{what}",
            "file exceeds a limit: {what_en}",
            "可在 dutylist.toml 的 [limits] 中调整",
            "limits are set in dutylist.toml [limits]",
        ),
        _c(
            "DL108",
            W,
            "YAML 标签 {tag} 已忽略，按原值读取",
            "YAML tag {tag} ignored; the value is read as written",
            "删除标签",
            "remove the tag",
        ),
        # schema (DL110–DL119)
        _c("DL110", E, "缺少必填字段 {key!r}", "missing required key {key!r}"),
        _c("DL111", E, "未知字段 {key!r}", "unknown key {key!r}", "{hint_zh}", "{hint_en}"),
        _c("DL112", E, "字段值无效：{problem_zh}", "invalid value: {problem}", "{hint_zh}", "{hint_en}"),
        # integrity (DL120–DL139)
        _c(
            "DL120",
            E,
            "文件名 {stem!r} 与 unit: {unit!r} 不一致",
            "file name {stem!r} does not match unit: {unit!r}",
            "文件应命名为 units/{unit}.yaml",
            "name the file units/{unit}.yaml",
        ),
        _c(
            "DL121",
            E,
            "单位 {unit!r} 不在 units.yaml 中",
            "unit {unit!r} is not in units.yaml",
            "{hint_zh}",
            "{hint_en}",
        ),
        _c(
            "DL122",
            E,
            "{kind_zh}不能有“{list_zh}”（{list}）",
            "a {kind} may not hold the list {list!r}",
            "{kind_zh}可用的清单：{allowed}",
            "lists allowed for a {kind}: {allowed}",
        ),
        _c(
            "DL123",
            E,
            "{field_zh} {ref!r} 不是 units.yaml 中的部门",
            "{field} {ref!r} is not a department of units.yaml",
            "{hint_zh}",
            "{hint_en}",
        ),
        _c("DL124", E, "模板 {template!r} 不存在", "template {template!r} does not exist", "{hint_zh}", "{hint_en}"),
        _c("DL125", E, "排除的事项 {id!r} 不在所引用的模板中", "excluded item {id!r} is not in the included templates"),
        _c(
            "DL126",
            E,
            "事项编码 {id!r} 在本单位重复（另见 {other}）",
            "item id {id!r} is used twice in this unit (also at {other})",
        ),
        _c(
            "DL127",
            E,
            "同一事项编码 {id!r} 名称不一致：此处为“{name}”，{other} 为“{other_name}”",
            "item id {id!r} names two items: {name!r} here, {other_name!r} at {other}",
            "同一编码应指同一事项；若是不同事项请换用新编码",
            "one id names one item; give a different item a new id",
        ),
        _c(
            "DL128",
            E,
            "类别 {value!r} 不在 catalogue.yaml 的 categories 中",
            "category {value!r} is not in catalogue.yaml categories",
            "{hint_zh}",
            "{hint_en}",
        ),
        _c(
            "DL129",
            E,
            "权力类型 {value!r} 不在权力类型目录中",
            "power type {value!r} is not a known power type",
            "{hint_zh}",
            "{hint_en}",
        ),
        _c(
            "DL130",
            E,
            "村 {village!r} 所属乡镇 {township!r} 不是 units.yaml 中的乡镇（街道）",
            "village {village!r} belongs to {township!r}, which is not a township",
        ),
        _c(
            "DL131",
            E,
            "版本号 {version!r} 与目录名 {label!r} 不一致",
            "version {version!r} does not match the directory name {label!r}",
        ),
        _c(
            "DL132",
            E,
            "replaces 中的 {ref!r} 在上一版本 {previous!r} 中不存在",
            "replaces names {ref!r}, which is not in the previous version {previous!r}",
            "{hint_zh}",
            "{hint_en}",
        ),
        _c("DL133", E, "单位编码 {id!r} 在 units.yaml 中重复", "unit id {id!r} appears twice in units.yaml"),
        _c("DL134", E, "缺少 {name}", "missing {name}", "{hint_zh}", "{hint_en}"),
        _c(
            "DL135",
            E,
            "模板文件名 {stem!r} 与 template: {name!r} 不一致",
            "template file name {stem!r} does not match template: {name!r}",
        ),
        _c(
            "DL136",
            W,
            "上一版本 {previous!r} 不存在，无法核对 replaces",
            "previous version {previous!r} not found; replaces are not checked",
        ),
        _c(
            "DL138",
            W,
            "文件 {name!r} 不属于目录约定，已忽略",
            "file {name!r} is not part of the catalogue layout and was ignored",
            "单位文件放在 units/，模板放在 templates/",
            "unit files go in units/, templates in templates/",
        ),
        _c(
            "DL139",
            E,
            "模板 {template!r} 中的清单 {list!r} 不适用于{kind_zh} {unit!r}",
            "template {template!r} has list {list!r}, which a {kind} ({unit!r}) may not hold",
        ),
    ]
}


def code_spec(code: str) -> Code:
    """The texts of a code: DL1xx from :data:`MESSAGES`, DL2xx from the rule registry."""
    spec = MESSAGES.get(code)
    if spec is None:
        from .checks.registry import rule_code

        spec = rule_code(code)
        if spec is None:
            raise KeyError(code)
    return spec


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """A problem at a place: ``file:line:column path``. ``line``/``column`` are 1-based; 0 = unknown."""

    code: str
    file: str = ""
    line: int = 0
    column: int = 0
    path: str = ""
    params: Mapping[str, Any] = field(default_factory=dict)
    severity: Severity | None = None
    fs_path: str = ""  # the file on disk relative to the working directory, when there is one

    @property
    def level(self) -> Severity:
        return self.severity or code_spec(self.code).severity

    def message(self, lang: str = "zh") -> str:
        spec = code_spec(self.code)
        return _fill(spec.zh if lang == "zh" else spec.en, self.params)

    def hint(self, lang: str = "zh") -> str:
        spec = code_spec(self.code)
        return _fill(spec.hint_zh if lang == "zh" else spec.hint_en, self.params)

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.line, self.column, self.code, self.path)

    def at(self, file: str | None = None, line: int | None = None, column: int | None = None) -> Diagnostic:
        return replace(
            self,
            file=self.file if file is None else file,
            line=self.line if line is None else line,
            column=self.column if column is None else column,
        )

    def to_json(self, lang: str = "zh") -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.level.value,
            "message": self.message(lang),
            "hint": self.hint(lang),
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": self.path,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any], file: str) -> Diagnostic:
        sev = data.get("severity_override")
        return cls(
            code=data["code"],
            file=file,
            line=data["line"],
            column=data["column"],
            path=data["path"],
            params=data["params"],
            severity=Severity(sev) if sev else None,
        )

    def to_cache(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "code": self.code,
            "line": self.line,
            "column": self.column,
            "path": self.path,
            "params": dict(self.params),
        }
        if self.severity is not None:
            out["severity_override"] = self.severity.value
        return out


class _Default(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return ""


def _fill(template: str, params: Mapping[str, Any]) -> str:
    return template.format_map(_Default(params))


def sort_diagnostics(diags: Iterable[Diagnostic]) -> list[Diagnostic]:
    return sorted(diags, key=Diagnostic.sort_key)


def has_errors(diags: Iterable[Diagnostic]) -> bool:
    return any(d.level is Severity.ERROR for d in diags)
