"""The policy rules (DL2xx), one small module each; :data:`ALL` feeds the registry."""

from __future__ import annotations

from . import (
    burden,
    cooperative,
    document_number,
    negative,
    new_duty,
    no_basis,
    recalled,
    undeclared,
    unhappened,
)

ALL = [
    new_duty.RULE,
    undeclared.RULE,
    unhappened.RULE,
    burden.RULE,
    cooperative.RULE,
    recalled.RULE,
    negative.RULE,
    no_basis.RULE,
    document_number.RULE,
]
