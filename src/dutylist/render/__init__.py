"""Renderers, one module per output format. The registry is the source of ``--format`` choices."""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from ..validate import ValidateResult
from . import github, json_out, text

ValidateRenderer = Callable[[ValidateResult, str, TextIO], None]

VALIDATE_RENDERERS: dict[str, ValidateRenderer] = {
    "text": text.render_validate,
    "json": json_out.render_validate,
    "github": github.render_validate,
}
