"""``--format json``: the stable shapes of DESIGN §7."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any, TextIO

import orjson

from ..validate import ValidateResult


def dumps(data: Any) -> str:
    return orjson.dumps(data, option=orjson.OPT_INDENT_2).decode() + "\n"


def render_validate(result: ValidateResult, lang: str, out: TextIO) -> None:
    out.write(
        dumps(
            {
                "ok": result.ok,
                "diagnostics": [d.to_json(lang) for d in result.diagnostics],
                "versions": [asdict(v) for v in result.versions],
            }
        )
    )
