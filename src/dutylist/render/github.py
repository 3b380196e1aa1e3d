"""``--format github``: GitHub Actions workflow commands (annotations on the pull request)."""

from __future__ import annotations

from typing import TextIO

from ..diagnostics import Diagnostic, Severity
from ..validate import ValidateResult

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(d: Diagnostic, lang: str) -> str:
    props = [f"file={_prop(d.fs_path or d.file)}"]
    if d.line:
        props.append(f"line={d.line}")
    if d.column:
        props.append(f"col={d.column}")
    props.append(f"title={_prop(d.code)}")
    message = d.message(lang)
    if d.path:
        message += f" [{d.path}]"
    hint = d.hint(lang)
    if hint:
        message += f"\n{hint}"
    return f"::{_LEVEL[d.level]} {','.join(props)}::{_data(message)}"


def render_validate(result: ValidateResult, lang: str, out: TextIO) -> None:
    for d in result.diagnostics:
        out.write(annotation(d, lang) + "\n")
    errors = sum(d.level is Severity.ERROR for d in result.diagnostics)
    warnings = sum(d.level is Severity.WARNING for d in result.diagnostics)
    if lang == "zh":
        out.write(f"dutylist validate：{errors} 个错误，{warnings} 个警告\n")
    else:
        out.write(f"dutylist validate: {errors} errors, {warnings} warnings\n")
