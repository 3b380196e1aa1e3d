"""``dutylist check --format junit``: JUnit XML, as GitLab (``artifacts:reports:junit``) and
Jenkins (the JUnit plugin) read it.

``<testsuites>`` holds one ``<testsuite>`` for validation (``DL1xx validation``) and one per
policy rule that ran (``DL201 duty-without-approval``), in code order; rules that did not
run have no suite. Test cases:

- In a rule's suite, one per unit of head (sorted by id), classname the rule code, name
  ``<unit id> <unit name>``: it fails when a finding of the rule names the unit in its
  ``units`` parameter. A finding naming several units fails each of their test cases. A
  finding that names no unit (an adjustment record, say) goes to a test case named after its
  file (``2025/adjustments.yaml``), and one naming a unit that head no longer has to a test
  case named after that unit's id.
- In the validation suite, one per code and file with a finding (classname the code, name
  the file); when there is none, one passing test case named after the version, so the
  suite still says that validation ran.

A finding makes its test case fail (``<failure message=… type=code>``, the text one
``file:line:col: message [path]`` line per finding, its hint below) exactly when it would
fail the check, that is when its severity is in ``--fail-on`` (``fail_on``): by default
errors fail and warnings do not. Findings that do not fail the check, and waived findings,
are written to the test case's ``<system-out>``, so the report is complete and a CI server
still agrees with the exit code (a warning never turns a GitLab pipeline or a Jenkins build
red while ``dutylist check`` exits 0). ``errors`` is always 0: an internal error produces
no report. Output is deterministic: no timestamps, no host names, sorted test cases.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import TextIO

from ..check import FAIL_LEVELS, CheckResult
from ..config import Waiver
from ..diagnostics import Diagnostic
from .text import location

VALIDATION = "DL1xx"

#: Characters that XML 1.0 cannot hold even escaped (control characters); shown as U+FFFD.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@dataclass
class _Case:
    classname: str
    name: str
    findings: list[Diagnostic] = field(default_factory=list)
    waived: list[tuple[Diagnostic, Waiver]] = field(default_factory=list)


def render_junit(result: CheckResult, lang: str, out: TextIO) -> None:
    lang = "zh" if lang == "zh" else "en"
    suites = [(f"{VALIDATION} validation", _validation_cases(result))]
    suites += [(f"{run.code} {run.name}", _rule_cases(result, run.code)) for run in result.rules if run.ran]
    root = ET.Element("testsuites", name="dutylist check")
    tests = failures = 0
    for name, cases in suites:
        suite = ET.SubElement(root, "testsuite", name=name)
        failed = sum(_testcase(suite, case, result, lang) for case in cases)
        _counts(suite, len(cases), failed)
        tests, failures = tests + len(cases), failures + failed
    _counts(root, tests, failures)
    ET.indent(root)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n")


def _counts(el: ET.Element, tests: int, failures: int) -> None:
    el.attrib.update({"tests": str(tests), "failures": str(failures), "errors": "0", "skipped": "0"})


def _validation_cases(result: CheckResult) -> list[_Case]:
    cases: dict[tuple[str, str], _Case] = {}
    for d in result.diagnostics:
        if _is_validation(d):
            cases.setdefault((d.code, d.file), _Case(d.code, d.file)).findings.append(d)
    for d, w in result.waived:
        if _is_validation(d):
            cases.setdefault((d.code, d.file), _Case(d.code, d.file)).waived.append((d, w))
    if not cases:
        return [_Case(VALIDATION, str(result.head["spec"]))]
    return [cases[key] for key in sorted(cases)]


def _rule_cases(result: CheckResult, code: str) -> list[_Case]:
    by_unit = {u: _Case(code, f"{u} {info['name']}") for u, info in sorted(result.units.items())}
    by_file: dict[str, _Case] = {}

    def cases_of(d: Diagnostic) -> list[_Case]:
        units = sorted(set(d.params.get("units") or ()))
        if not units:
            return [by_file.setdefault(d.file, _Case(code, d.file))]
        return [by_unit.setdefault(u, _Case(code, u)) for u in units]

    for d in result.diagnostics:
        if d.code == code:
            for case in cases_of(d):
                case.findings.append(d)
    for d, w in result.waived:
        if d.code == code:
            for case in cases_of(d):
                case.waived.append((d, w))
    return [by_unit[u] for u in sorted(by_unit)] + [by_file[f] for f in sorted(by_file)]


def _is_validation(d: Diagnostic) -> bool:
    return d.code.startswith("DL1")


def _testcase(suite: ET.Element, case: _Case, result: CheckResult, lang: str) -> bool:
    """Add ``case`` to ``suite``; whether it failed."""
    el = ET.SubElement(suite, "testcase", classname=case.classname, name=_xml(case.name))
    levels = FAIL_LEVELS[result.fail_on]
    failing = [d for d in case.findings if d.level in levels]
    if failing:
        message = failing[0].message(lang) + (f" (+{len(failing) - 1})" if len(failing) > 1 else "")
        failure = ET.SubElement(el, "failure", message=_xml(message), type=case.classname)
        failure.text = _xml("\n".join(_line(d, lang) for d in failing))
    notes = [_line(d, lang) for d in case.findings if d.level not in levels]
    label = "已豁免" if lang == "zh" else "waived"
    notes += [
        f"{label}（{w.reason}）：{_line(d, lang)}" if lang == "zh" else f"{label} ({w.reason}): {_line(d, lang)}"
        for d, w in case.waived
    ]
    if notes:
        ET.SubElement(el, "system-out").text = _xml("\n".join(notes))
    return bool(failing)


def _line(d: Diagnostic, lang: str) -> str:
    text = f"{location(d)}: {d.level.value} {d.code} {d.message(lang)}"
    if d.path:
        text += f" [{d.path}]"
    hint = d.hint(lang)
    if hint:
        text += f"\n    {'提示：' if lang == 'zh' else 'hint: '}{hint}"
    return text


def _xml(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)
