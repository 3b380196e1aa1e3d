"""``dutylist init``: scaffold a catalogue repository. (Being written.)"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class ScaffoldError(Exception):
    """A repository that cannot be set up as asked: a usage error (exit 2)."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en

    def message(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class ScaffoldOptions:
    target: Path
    ci: str = "github"  # github | gitlab | none
    version: str | None = None  # first version label; default: the current year
    force: bool = False


def scaffold(options: ScaffoldOptions) -> list[Path]:
    """Write the files; returns the paths written. Existing files are never overwritten
    without ``force`` (OutputExistsError)."""
    raise NotImplementedError
