"""Settings: ``dutylist.toml`` in the catalogue root, or ``[tool.dutylist]`` in a
``pyproject.toml`` (the root's, or its parent's: the repository's). Unknown keys are
errors, located at their line (DESIGN §6).

```toml
[limits]
max_file_mb = 64

[check]
fail_on = "error"            # error | warning | never
select = []                  # rule codes or prefixes to run (empty: all)
ignore = ["DL209"]           # rule codes or prefixes not to run

[check.rules.DL204]          # per rule: severity, and the rule's own options
severity = "error"
max_burden_growth = 3

[[check.exceptions]]         # one finding waived: rule + item (+ unit), with a reason
rule = "DL201"
item = "AL-B-134"
reason = "县委常委会会议纪要〔2025〕3号已同意，文件待印发"
```
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .source.limits import Limits

CONFIG_NAME = "dutylist.toml"
SEVERITIES = ("error", "warning", "info", "off")
FAIL_ON = ("error", "warning", "never")

_LIMIT_KEYS = ("max_file_mb", "max_depth", "max_alias_events")
_CHECK_KEYS = ("fail_on", "select", "ignore", "rules", "exceptions")
_EXCEPTION_KEYS = ("rule", "item", "unit", "reason")


class ConfigError(Exception):
    """A configuration that cannot be used: a usage error (exit 2), located."""

    def __init__(self, file: str, line: int, zh: str, en: str) -> None:
        super().__init__(en)
        self.file, self.line, self.zh, self.en = file, line, zh, en

    def message(self, lang: str) -> str:
        where = f"{self.file}:{self.line}: " if self.line else f"{self.file}: "
        return where + (self.zh if lang == "zh" else self.en)


@dataclass(frozen=True)
class Waiver:
    rule: str
    item: str
    reason: str
    unit: str | None = None
    line: int = 0


@dataclass(frozen=True)
class CheckConfig:
    fail_on: str = "error"
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    rules: dict[str, dict[str, Any]] = field(default_factory=dict)  # code -> options (and severity)
    rule_lines: dict[str, int] = field(default_factory=dict)
    exceptions: tuple[Waiver, ...] = ()


@dataclass(frozen=True)
class Config:
    limits: Limits = field(default_factory=Limits)
    check: CheckConfig = field(default_factory=CheckConfig)
    path: Path | None = None
    text: str = ""

    def line_of(self, key: str) -> int:
        return _line_of(self.text, key)

    def error(self, key: str, zh: str, en: str) -> ConfigError:
        return ConfigError(str(self.path or CONFIG_NAME), self.line_of(key), zh, en)


def find_config(root: Path) -> tuple[Path, bool] | None:
    """The settings file that applies to ``root``: (path, is_pyproject)."""
    own = root / CONFIG_NAME
    if own.is_file():
        return own, False
    for folder in (root, root.resolve().parent):
        py = folder / "pyproject.toml"
        if py.is_file() and re.search(r"^\s*\[tool\.dutylist[\].]", _read(py), re.M):
            return py, True
    return None


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return ""


def load_config(root: Path) -> Config:
    found = find_config(root)
    if found is None:
        return Config()
    path, is_pyproject = found
    import tomllib

    shown = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ConfigError(shown, 0, "文件不是 UTF-8 编码", "file is not UTF-8") from None
    except OSError as exc:
        raise ConfigError(shown, 0, f"无法读取：{exc.strerror}", f"cannot read: {exc.strerror}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise ConfigError(
            shown, int(m.group(1)) if m else 0, f"TOML 语法错误：{exc}", f"TOML syntax error: {exc}"
        ) from None
    if is_pyproject:
        data = data.get("tool", {}).get("dutylist", {})
        if not isinstance(data, dict):
            raise ConfigError(
                shown, _line_of(text, "tool.dutylist"), "[tool.dutylist] 应为表", "[tool.dutylist] must be a table"
            )
    reader = _Reader(shown, text)
    for section, body in data.items():
        if section not in ("limits", "check") or not isinstance(body, dict):
            raise reader.err(
                section,
                f"未知的配置节 [{section}]（可用：limits、check）",
                f"unknown section [{section}] (allowed: limits, check)",
            )
    limits = _limits(reader, data.get("limits", {}))
    check = _check(reader, data.get("check", {}))
    return Config(limits=limits, check=check, path=path, text=text)


class _Reader:
    def __init__(self, shown: str, text: str) -> None:
        self.shown, self.text = shown, text

    def err(self, key: str, zh: str, en: str) -> ConfigError:
        return ConfigError(self.shown, _line_of(self.text, key), zh, en)

    def unknown(self, section: str, key: str, allowed: tuple[str, ...]) -> ConfigError:
        return self.err(
            key,
            f"[{section}] 中未知的配置项 {key!r}（可用：{'、'.join(allowed)}）",
            f"unknown key {key!r} in [{section}] (allowed: {', '.join(allowed)})",
        )

    def strings(self, key: str, value: Any) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.err(key, f"{key} 应为字符串列表", f"{key} must be a list of strings")
        return tuple(value)


def _limits(reader: _Reader, body: dict[str, Any]) -> Limits:
    for key, value in body.items():
        if key not in _LIMIT_KEYS:
            raise reader.unknown("limits", key, _LIMIT_KEYS)
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            raise reader.err(key, f"{key} 应为正整数", f"{key} must be a positive integer")
    base = Limits()
    return Limits(
        max_file_bytes=int(body.get("max_file_mb", base.max_file_bytes // (1024 * 1024))) * 1024 * 1024,
        max_depth=int(body.get("max_depth", base.max_depth)),
        max_alias_events=int(body.get("max_alias_events", base.max_alias_events)),
    )


_CODE = re.compile(r"^DL\d{1,3}$")


def _check(reader: _Reader, body: dict[str, Any]) -> CheckConfig:
    for key in body:
        if key not in _CHECK_KEYS:
            raise reader.unknown("check", key, _CHECK_KEYS)
    fail_on = body.get("fail_on", "error")
    if fail_on not in FAIL_ON:
        raise reader.err(
            "fail_on", f"fail_on 应为 {'、'.join(FAIL_ON)} 之一", f"fail_on must be one of {', '.join(FAIL_ON)}"
        )
    select = reader.strings("select", body.get("select", []))
    ignore = reader.strings("ignore", body.get("ignore", []))
    for key, codes in (("select", select), ("ignore", ignore)):
        for code in codes:
            if not _CODE.match(code):
                raise reader.err(
                    key,
                    f"{key} 中的 {code!r} 不是规则代码（如 DL201、DL2）",
                    f"{code!r} in {key} is not a rule code (e.g. DL201, DL2)",
                )
    rules_raw = body.get("rules", {})
    if not isinstance(rules_raw, dict):
        raise reader.err("rules", "[check.rules] 应为表", "[check.rules] must be a table")
    rules: dict[str, dict[str, Any]] = {}
    lines: dict[str, int] = {}
    for code, opts in rules_raw.items():
        if not isinstance(opts, dict):
            raise reader.err(code, f"[check.rules.{code}] 应为表", f"[check.rules.{code}] must be a table")
        sev = opts.get("severity")
        if sev is not None and sev not in SEVERITIES:
            raise reader.err(
                "severity",
                f"severity 应为 {'、'.join(SEVERITIES)} 之一",
                f"severity must be one of {', '.join(SEVERITIES)}",
            )
        rules[code] = dict(opts)
        lines[code] = _line_of(reader.text, f"check.rules.{code}") or _line_of(reader.text, code)
    exceptions = []
    raw_exc = body.get("exceptions", [])
    if not isinstance(raw_exc, list) or not all(isinstance(e, dict) for e in raw_exc):
        raise reader.err(
            "exceptions", "[[check.exceptions]] 应为表的数组", "[[check.exceptions]] must be an array of tables"
        )
    for e in raw_exc:
        for key, value in e.items():
            if key not in _EXCEPTION_KEYS:
                raise reader.unknown("check.exceptions", key, _EXCEPTION_KEYS)
            if not isinstance(value, str) or not value.strip():
                raise reader.err(key, f"{key} 应为非空字符串", f"{key} must be a non-empty string")
        for key in ("rule", "item", "reason"):
            if key not in e:
                hint = "（豁免必须写明理由）" if key == "reason" else ""
                raise reader.err(
                    "check.exceptions", f"[[check.exceptions]] 缺少 {key}{hint}", f"[[check.exceptions]] needs {key!r}"
                )
        exceptions.append(Waiver(e["rule"], e["item"], e["reason"], e.get("unit")))
    return CheckConfig(fail_on, select, ignore, rules, lines, tuple(exceptions))


def _line_of(text: str, key: str) -> int:
    for i, line in enumerate(text.splitlines(), 1):
        if re.match(rf"\s*\[*\s*{re.escape(key)}\s*[\]=]", line):
            return i
    return 0
