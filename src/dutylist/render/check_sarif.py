"""``dutylist check --format sarif``: SARIF 2.1.0, what GitHub code scanning uploads.

One run. ``tool.driver.rules`` holds every rule of the registry (the policy rules, with
their documentation) and the DL1xx codes that occur, sorted by id; each result names its
rule by ``ruleId`` and ``ruleIndex``. A result's location is the file on disk relative to
the working directory (``fs_path``: the repository root in CI), or the diagnostic's file
when there is none (a version read from git); relative URIs have forward slashes and are
percent-encoded, absolute paths become ``file://`` URIs. ``region`` has the 1-based line and
column (counted in code points) only when they are known. The key path goes into a logical
location.

``partialFingerprints`` hashes the code, the file as the catalogue names it
(``2025/units/fgz.yaml``), the key path and the item or record id — not the line — so code
scanning keeps tracking a finding when lines above it move. Waived findings are results
too, with an ``external`` suppression carrying the reason, so code scanning closes them
instead of forgetting why. Rules that did not run (no base, head invalid) are tool
configuration notifications.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any, TextIO
from urllib.parse import quote

from .. import __version__
from ..check import CheckResult
from ..checks.registry import Rule, rules
from ..config import Waiver
from ..diagnostics import MESSAGES, Diagnostic, Severity
from .check_out import SKIPPED_ZH
from .json_out import dumps

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
INFORMATION_URI = "https://github.com/dutylist/dutylist"
FINGERPRINT = "dutylistFinding/v1"
LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}

_FIELD = re.compile(r"\{[^{}]*\}")


def render_sarif(result: CheckResult, lang: str, out: TextIO) -> None:
    out.write(dumps(to_sarif(result, lang)))


def to_sarif(result: CheckResult, lang: str) -> dict[str, Any]:
    lang = "zh" if lang == "zh" else "en"
    found: list[tuple[Diagnostic, Waiver | None]] = [(d, None) for d in result.diagnostics]
    found += [(d, w) for d, w in sorted(result.waived, key=lambda dw: dw[0].sort_key())]
    validation = sorted({d.code for d, _w in found if d.code in MESSAGES})
    descriptors = [_validation_rule(code, lang) for code in validation]
    descriptors += [_policy_rule(rule, lang) for rule in rules().values()]
    index = {r["id"]: i for i, r in enumerate(descriptors)}
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "dutylist",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": descriptors,
            }
        },
        "invocations": [_invocation(result, index, lang)],
        "language": "zh-CN" if lang == "zh" else "en-US",
        "columnKind": "unicodeCodePoints",
        "results": [_result(d, w, index, lang) for d, w in found],
        "properties": {"head": result.head, "base": result.base, "failOn": result.fail_on, "failed": result.failed},
    }
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def _policy_rule(rule: Rule, lang: str) -> dict[str, Any]:
    doc = rule.doc.strip()
    options = [f"- {name} ({kind}, {default!r}): {desc}" for name, kind, default, desc in rule.option_rows()]
    help_text = doc + (f"\n\n[check.rules.{rule.code}] (dutylist.toml):\n" + "\n".join(options) if options else "")
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.title_zh if lang == "zh" else rule.title_en},
        "fullDescription": {"text": doc},
        "defaultConfiguration": {"level": LEVEL[rule.severity]},
        "help": {"text": help_text},
        "properties": {"tags": ["dutylist", "policy"]},
    }


def _validation_rule(code: str, lang: str) -> dict[str, Any]:
    """A DL1xx code: its message with the parameters elided, and its hint when it has one."""
    spec = MESSAGES[code]
    short = _template(spec.zh if lang == "zh" else spec.en)
    if not short.strip("… "):  # the whole message is a parameter (DL106)
        short = "校验发现的问题" if lang == "zh" else "a validation finding"
    hint = _template(spec.hint_zh if lang == "zh" else spec.hint_en)
    if lang == "zh":
        full = f"校验（dutylist validate）发现的问题：{short}"
    else:
        full = f"found by validation (dutylist validate): {short}"
    return {
        "id": code,
        "shortDescription": {"text": short},
        "fullDescription": {"text": full},
        "defaultConfiguration": {"level": LEVEL[spec.severity]},
        "help": {"text": f"{full}\n\n{hint}" if hint.strip("…") else full},
        "properties": {"tags": ["dutylist", "validation"]},
    }


def _template(text: str) -> str:
    return _FIELD.sub("…", text).strip()


def _result(d: Diagnostic, waiver: Waiver | None, index: dict[str, int], lang: str) -> dict[str, Any]:
    text = d.message(lang)
    hint = d.hint(lang)
    if hint:
        text += "\n" + hint
    out: dict[str, Any] = {
        "ruleId": d.code,
        "ruleIndex": index[d.code],
        "level": LEVEL[d.level],
        "message": {"text": text},
    }
    if d.file or d.fs_path:
        location: dict[str, Any] = {
            "physicalLocation": {"artifactLocation": {"uri": artifact_uri(d.fs_path or d.file)}}
        }
        if d.line > 0:
            region = {"startLine": d.line}
            if d.column > 0:
                region["startColumn"] = d.column
            location["physicalLocation"]["region"] = region
        if d.path:
            location["logicalLocations"] = [{"fullyQualifiedName": d.path}]
        out["locations"] = [location]
    out["partialFingerprints"] = {FINGERPRINT: fingerprint(d)}
    if waiver is not None:
        out["suppressions"] = [{"kind": "external", "status": "accepted", "justification": waiver.reason}]
    return out


def artifact_uri(path: str) -> str:
    """A file path as a URI reference: relative stays relative (forward slashes, encoded)."""
    windows = PureWindowsPath(path)
    if windows.drive and windows.is_absolute():
        return windows.as_uri()
    posix = path.replace("\\", "/")
    if posix.startswith("/"):
        return PurePosixPath(posix).as_uri()
    return quote(posix, safe="/")


def fingerprint(d: Diagnostic) -> str:
    """Stable across runs and line moves: code, catalogue file, key path, item or record."""
    item = d.params.get("item") or d.params.get("record") or ""
    key = "\0".join((d.code, d.file, d.path, str(item)))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _invocation(result: CheckResult, index: dict[str, int], lang: str) -> dict[str, Any]:
    notes = []
    for run in result.rules:
        if run.ran or run.skipped in ("", "not selected", "off"):
            continue
        why = SKIPPED_ZH.get(run.skipped, run.skipped) if lang == "zh" else run.skipped
        text = f"规则 {run.code} 未运行：{why}" if lang == "zh" else f"rule {run.code} did not run: {why}"
        rule = {"id": run.code, "index": index[run.code]}
        notes.append({"associatedRule": rule, "level": "note", "message": {"text": text}})
    invocation: dict[str, Any] = {"executionSuccessful": True}
    if notes:
        invocation["toolConfigurationNotifications"] = notes
    return invocation
