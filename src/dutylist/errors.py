"""The base of every expected failure a user can fix: one line on stderr, exit 2."""

from __future__ import annotations


class UserError(Exception):
    """A usage error or unusable input, with its message in Chinese and English."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh, self.en = zh, en

    def message(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en
