"""The rule registry: the single source of ``dutylist rules``, of check's rule selection,
and of the rule metadata in SARIF. Each rule is a small module in :mod:`dutylist.checks.rules`
whose docstring is its documentation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict

from ..diagnostics import Code, Diagnostic, Severity

if TYPE_CHECKING:
    from .context import CheckContext


class RuleOptions(BaseModel):
    """Options of a rule, set in dutylist.toml ``[check.rules.DLxxx]``. Unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)


@dataclass(frozen=True)
class Rule:
    code: str
    name: str  # kebab-case, stable: it names the rule in SARIF and in `dutylist rules`
    title_zh: str
    title_en: str
    severity: Severity
    message: Code
    options: type[RuleOptions]
    needs_diff: bool  # runs only when there is a base to diff against
    run: Callable[[CheckContext, Any], Iterable[Diagnostic]]
    doc: str

    @property
    def summary(self) -> str:
        """The first paragraph of the documentation."""
        return self.doc.strip().split("\n\n", 1)[0].replace("\n", " ")

    def option_rows(self) -> list[tuple[str, str, Any, str]]:
        """(name, type, default, description) of each option."""
        rows = []
        for name, info in self.options.model_fields.items():
            ann = info.annotation
            type_name = getattr(ann, "__name__", str(ann))
            rows.append((name, type_name, info.default, info.description or ""))
        return rows


def _load() -> dict[str, Rule]:
    from .rules import ALL

    return {r.code: r for r in sorted(ALL, key=lambda r: r.code)}


_RULES: dict[str, Rule] | None = None


def rules() -> dict[str, Rule]:
    """Every rule by code, in code order."""
    global _RULES
    if _RULES is None:
        _RULES = _load()
    return _RULES


def rule_code(code: str) -> Code | None:
    rule = rules().get(code)
    return rule.message if rule is not None else None
