"""``dutylist.toml`` in the catalogue root (DESIGN §6). Unknown keys are errors."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .source.limits import Limits

CONFIG_NAME = "dutylist.toml"

_SCHEMA: dict[str, dict[str, type]] = {
    "limits": {"max_file_mb": int, "max_depth": int, "max_alias_events": int},
}


class ConfigError(Exception):
    """A dutylist.toml that cannot be used: a usage error (exit 2), located."""

    def __init__(self, file: str, line: int, zh: str, en: str) -> None:
        super().__init__(en)
        self.file, self.line, self.zh, self.en = file, line, zh, en

    def message(self, lang: str) -> str:
        where = f"{self.file}:{self.line}: " if self.line else f"{self.file}: "
        return where + (self.zh if lang == "zh" else self.en)


@dataclass(frozen=True)
class Config:
    limits: Limits = field(default_factory=Limits)
    path: Path | None = None


def load_config(root: Path) -> Config:
    path = root / CONFIG_NAME
    if not path.is_file():
        return Config()
    import tomllib

    text = path.read_text(encoding="utf-8-sig")
    shown = str(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise ConfigError(
            shown, int(m.group(1)) if m else 0, f"TOML 语法错误：{exc}", f"TOML syntax error: {exc}"
        ) from None
    limits = Limits()
    for section, body in data.items():
        keys = _SCHEMA.get(section)
        if keys is None or not isinstance(body, dict):
            raise ConfigError(
                shown, _line_of(text, section), f"未知的配置节 [{section}]", f"unknown section [{section}]"
            )
        for key, value in body.items():
            kind = keys.get(key)
            if kind is None:
                raise ConfigError(
                    shown,
                    _line_of(text, key),
                    f"[{section}] 中未知的配置项 {key!r}（可用：{', '.join(keys)}）",
                    f"unknown key {key!r} in [{section}] (allowed: {', '.join(keys)})",
                )
            if not isinstance(value, kind) or isinstance(value, bool) or (isinstance(value, int) and value <= 0):
                raise ConfigError(shown, _line_of(text, key), f"{key} 应为正整数", f"{key} must be a positive integer")
        limits = _limits(data.get("limits", {}))
    return Config(limits=limits, path=path)


def _limits(body: dict[str, Any]) -> Limits:
    base = Limits()
    return Limits(
        max_file_bytes=int(body.get("max_file_mb", base.max_file_bytes // (1024 * 1024))) * 1024 * 1024,
        max_depth=int(body.get("max_depth", base.max_depth)),
        max_alias_events=int(body.get("max_alias_events", base.max_alias_events)),
    )


def _line_of(text: str, key: str) -> int:
    for i, line in enumerate(text.splitlines(), 1):
        if re.match(rf"\s*\[?\s*{re.escape(key)}\s*[\]=]", line):
            return i
    return 0
