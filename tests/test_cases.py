"""The case corpus: every directory under ``tests/cases/validate/`` is a catalogue root.

Each case holds one or more version directories and an ``expected.txt`` with one
expected diagnostic a line, ``CODE FILE:LINE`` (FILE as reported, e.g.
``2025/units/fgz.yaml``; LINE 0 when the diagnostic has no line), plus ``# comment``
lines saying what the case is about. An expected.txt without diagnostic lines means
the case must validate with no diagnostics at all.

The comparison is of the exact multiset of ``(code, file, line)``. After a deliberate
change of behaviour, ``pytest tests/test_cases.py --update-cases`` (or
``DUTYLIST_UPDATE_CASES=1``) rewrites the expected files from the actual output, keeping
their comments; review the diff line by line against the case files before committing.
"""

from __future__ import annotations

import shutil
import string
from collections import Counter
from pathlib import Path

import pytest

from dutylist.config import load_config
from dutylist.diagnostics import MESSAGES, Diagnostic, Severity
from dutylist.source import files as files_mod
from dutylist.source import idhash
from dutylist.validate import ValidateOptions, ValidateResult, validate

CASES = Path(__file__).parent / "cases" / "validate"
CASE_DIRS = sorted(p for p in CASES.iterdir() if p.is_dir() and not p.name.startswith("."))

Key = tuple[str, str, int]


def parse_expected(path: Path) -> tuple[list[str], list[Key]]:
    """The comment lines and the expected ``(code, file, line)`` triples of one expected.txt."""
    comments: list[str] = []
    keys: list[Key] = []
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            comments.append(raw.rstrip())
            continue
        code, _, where = line.partition(" ")
        file, sep, lineno = where.strip().rpartition(":")
        assert code in MESSAGES and sep and lineno.isdigit(), f"{path}:{n}: expected 'CODE FILE:LINE', got {raw!r}"
        keys.append((code, file, int(lineno)))
    return comments, sorted(keys)


def run_case(root: Path, *, use_cache: bool = False) -> ValidateResult:
    # dutylist.toml in the case root sets [limits], as it does for the command line
    limits = load_config(root).limits
    return validate(ValidateOptions(root=root, limits=limits, use_cache=use_cache))


def actual_keys(result: ValidateResult) -> list[Key]:
    return sorted((d.code, d.file, d.line) for d in result.diagnostics)


def describe(expected: list[Key], actual: list[Key], result: ValidateResult) -> str:
    missing = Counter(expected) - Counter(actual)
    extra = Counter(actual) - Counter(expected)
    out = ["diagnostics differ from expected.txt"]
    out += [f"  missing:    {c} {f}:{ln}" for (c, f, ln) in sorted(missing.elements())]
    out += [f"  unexpected: {c} {f}:{ln}" for (c, f, ln) in sorted(extra.elements())]
    out.append("actual output:")
    out += [f"  {d.code} {d.file}:{d.line}:{d.column} {d.path} {d.message('en')}" for d in result.diagnostics]
    return "\n".join(out)


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def check_messages(diags: list[Diagnostic]) -> None:
    """Every diagnostic reads as a sentence in both languages, with all its blanks filled."""
    for d in diags:
        spec = MESSAGES[d.code]
        for lang in ("zh", "en"):
            text = d.message(lang)
            assert text.strip(), f"{d.code} at {d.file}:{d.line} has an empty {lang} message"
        for template in (spec.zh, spec.en, spec.hint_zh, spec.hint_en):
            missing = _fields(template) - set(d.params)
            assert not missing, f"{d.code} at {d.file}:{d.line}: no value for {sorted(missing)} in {template!r}"


def write_expected(path: Path, comments: list[str], keys: list[Key]) -> None:
    lines = [*comments, *(f"{c} {f}:{ln}" for c, f, ln in keys)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.parametrize("case", CASE_DIRS, ids=[p.name for p in CASE_DIRS])
def test_case(case: Path, update_cases: bool) -> None:
    expected_file = case / "expected.txt"
    comments, expected = parse_expected(expected_file) if expected_file.exists() else ([], [])
    result = run_case(case)
    actual = actual_keys(result)
    check_messages(result.diagnostics)
    if update_cases and actual != expected:
        write_expected(expected_file, comments, actual)
        pytest.skip("expected.txt rewritten: review the diff")
    assert expected_file.exists(), f"{case.name}: no expected.txt"
    assert comments, f"{case.name}: expected.txt says in a # comment what the case is about"
    assert actual == expected, describe(expected, actual, result)
    assert result.ok == (not any(d.level is Severity.ERROR for d in result.diagnostics))


@pytest.mark.parametrize("case", CASE_DIRS, ids=[p.name for p in CASE_DIRS])
def test_case_through_cache(case: Path, tmp_path: Path) -> None:
    """A second run served from the content cache reports exactly what the first one did."""
    root = tmp_path / case.name
    shutil.copytree(case, root, symlinks=True)
    first = run_case(root, use_cache=True)
    second = run_case(root, use_cache=True)
    assert sum(v.cached for v in second.versions) > 0 or not any(v.files for v in second.versions)
    view = [(d.code, d.file, d.line, d.column, d.path, d.level, d.message("en")) for d in second.diagnostics]
    assert view == [(d.code, d.file, d.line, d.column, d.path, d.level, d.message("en")) for d in first.diagnostics]


@pytest.mark.parametrize("case", CASE_DIRS, ids=[p.name for p in CASE_DIRS])
def test_case_with_colliding_digests(case: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Checks across files rule things out by id digests and confirm on the real ids: with
    every id given the same digest, each file seems to share ids with every other, and the
    answers must be exactly those of the normal run."""
    normal = run_case(case)
    monkeypatch.setattr(idhash, "digest_ids", lambda ids: (b"\0" * idhash.WIDTH * len(set(ids))).hex())
    monkeypatch.setattr(files_mod, "digest_ids", idhash.digest_ids)
    colliding = run_case(case)
    assert [(d.code, d.file, d.line, d.column, d.path) for d in colliding.diagnostics] == [
        (d.code, d.file, d.line, d.column, d.path) for d in normal.diagnostics
    ]


def test_corpus_covers_every_code() -> None:
    """Every DL1xx code the validator can emit is shown by at least one case (or a read-error test)."""
    seen = set()
    for case in CASE_DIRS:
        _, keys = parse_expected(case / "expected.txt")
        seen.update(code for code, _, _ in keys)
    # made at run time in test_read_errors.py (bytes that cannot be committed sanely)
    seen.add("DL101")
    assert sorted(set(MESSAGES) - seen) == []


# "did you mean" hints: what the user reads to fix a typo (case, code, file, line, English hint)
HINTS = [
    ("dl111-unknown-keys", "DL111", "2025/catalogue.yaml", 5, "did you mean 'approval'?"),
    ("dl111-unknown-keys", "DL111", "2025/units/fgz.yaml", 5, "did you mean 'category'?"),
    ("dl111-unknown-keys", "DL111", "2025/units/fgz.yaml", 12, "did you mean 'recalled'?"),
    ("dl111-unknown-keys", "DL111", "2025/units/fgz.yaml", 14, "allowed keys: basic, cooperative"),
    ("dl112-wrong-types", "DL112", "2025/units.yaml", 5, "did you mean 'town'?"),
    ("dl112-adjustments", "DL112", "2025/adjustments.yaml", 3, "did you mean 'withdrawn'?"),
    ("dl121-unknown-unit", "DL121", "2025/units/fgzz.yaml", 1, "did you mean 'fgz'?"),
    ("dl123-not-a-department", "DL123", "2025/units/fgz.yaml", 5, "did you mean 'zrzy'?"),
    ("dl123-not-a-department", "DL123", "2025/units/fgz.yaml", 10, "'hsz' is a town"),
    ("dl124-missing-template", "DL124", "2025/units/fgz.yaml", 3, "did you mean 'township-common'?"),
    ("dl128-category", "DL128", "2025/units/fgz.yaml", 8, "did you mean '城乡建设'?"),
    ("dl129-power-type", "DL129", "2025/units/zrzy.yaml", 4, "did you mean '行政许可'?"),
    ("dl132-replaces-unknown", "DL132", "2025/units.yaml", 2, "did you mean 'gtzy'?"),
]


@pytest.mark.parametrize(("case", "code", "file", "line", "hint"), HINTS, ids=[f"{h[0]}:{h[3]}" for h in HINTS])
def test_case_hints(case: str, code: str, file: str, line: int, hint: str) -> None:
    result = run_case(CASES / case)
    hints = [d.hint("en") for d in result.diagnostics if (d.code, d.file, d.line) == (code, file, line)]
    assert any(hint in h for h in hints), f"{code} {file}:{line}: hints {hints}"
    zh = [d.hint("zh") for d in result.diagnostics if (d.code, d.file, d.line) == (code, file, line)]
    assert all(zh), "the Chinese hint is there too"
