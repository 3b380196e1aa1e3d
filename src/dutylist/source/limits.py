"""Bounds on what the loader accepts (configurable in dutylist.toml ``[limits]``)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Limits:
    max_file_bytes: int = 64 * 1024 * 1024
    max_depth: int = 32
    max_alias_events: int = 100_000

    def cache_token(self) -> str:
        return f"{self.max_file_bytes}:{self.max_depth}:{self.max_alias_events}"
