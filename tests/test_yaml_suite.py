"""The public YAML test suite against dutylist's loader (data: tests/data/yaml-test-suite/,
from yaml/yaml-test-suite, MIT licence; see its README.md files).

- ``fail/``: invalid YAML. Dropped in as a unit file of an otherwise valid version, each must
  give a located diagnostic in that file, and the command must end cleanly (exit 1 or 2).
- ``valid/``: valid but tricky YAML. A single document with the suite's JSON beside it loads to
  exactly that data; several documents are refused (DL106); ``!!set`` is refused (DL105);
  application tags give the DL108 warning and the value as written.
"""

from __future__ import annotations

import csv
import json
import warnings
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from dutylist.cli import app
from dutylist.diagnostics import MESSAGES, Severity
from dutylist.source.limits import Limits
from dutylist.source.yamlload import load_yaml
from dutylist.validate import ValidateOptions, validate

from .builders import write_version

SUITE = Path(__file__).parent / "data" / "yaml-test-suite"
FAIL = sorted((SUITE / "fail").glob("*.yaml"))
VALID = sorted((SUITE / "valid").glob("*.yaml"))
with (SUITE / "valid" / "index.tsv").open(encoding="utf-8", newline="") as _fh:
    DOCS = {row["suite_id"]: int(row["docs"]) for row in csv.DictReader(_fh, delimiter="\t")}

UNIT = "2025/units/hsz.yaml"


def ids(paths: list[Path]) -> list[str]:
    return [p.stem for p in paths]


def json_documents(path: Path) -> list[Any]:
    """The suite's expected data: one JSON value per YAML document, written one after another."""
    text = path.read_text(encoding="utf-8")
    decoder = json.JSONDecoder()
    out: list[Any] = []
    pos = 0
    while True:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos == len(text):
            return out
        value, pos = decoder.raw_decode(text, pos)
        out.append(value)


def same(a: Any, b: Any) -> bool:
    """Equal and of the same JSON types all the way down (so 1 is not True, "1" is not 1)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


def version_with_unit(root: Path, data: bytes) -> None:
    write_version(root)
    (root / UNIT).write_bytes(data)


def run_cli(root: Path) -> tuple[int, str, list[str]]:
    """Exit code, all output, and the Python warnings raised (which would reach the user's stderr)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = CliRunner().invoke(
            app, ["validate", "--root", str(root), "--no-cache", "--lang", "en"], env={"GITHUB_ACTIONS": ""}
        )
    return result.exit_code, result.stdout + result.stderr, [f"{w.category.__name__}: {w.message}" for w in caught]


# --- fail/: invalid YAML --------------------------------------------------------------


@pytest.mark.parametrize("case", FAIL, ids=ids(FAIL))
def test_invalid_yaml_is_located_in_its_file(case: Path, tmp_path: Path) -> None:
    version_with_unit(tmp_path, case.read_bytes())
    result = validate(ValidateOptions(root=tmp_path, use_cache=False))
    assert not result.ok
    assert result.diagnostics, "invalid YAML must give a diagnostic"
    assert {d.file for d in result.diagnostics} == {UNIT}, "only the broken file is at fault"
    assert any(d.line >= 1 for d in result.diagnostics), [(d.code, d.line, d.column) for d in result.diagnostics]
    assert all(d.code in MESSAGES and d.message("en") and d.message("zh") for d in result.diagnostics)


@pytest.mark.parametrize("case", FAIL, ids=ids(FAIL))
def test_invalid_yaml_through_the_cli_ends_cleanly(case: Path, tmp_path: Path) -> None:
    version_with_unit(tmp_path, case.read_bytes())
    code, out, warned = run_cli(tmp_path)
    assert code in (1, 2), out
    assert "Traceback" not in out and "internal error" not in out
    assert UNIT in out
    assert warned == []


# --- valid/: valid but tricky YAML ----------------------------------------------------

SINGLE_WITH_JSON = [p for p in VALID if DOCS[p.stem] == 1 and p.with_suffix(".json").exists() and p.stem != "2XXW"]
MULTI = [p for p in VALID if DOCS[p.stem] > 1]
OTHER = [p for p in VALID if p not in SINGLE_WITH_JSON and p not in MULTI and p.stem != "2XXW"]


def test_the_suite_is_complete() -> None:
    assert len(FAIL) == 94
    assert len(VALID) == 43
    assert len(SINGLE_WITH_JSON) == 26 and len(MULTI) == 7


@pytest.mark.parametrize("case", SINGLE_WITH_JSON, ids=ids(SINGLE_WITH_JSON))
def test_single_document_loads_to_its_json(case: Path) -> None:
    (expected,) = json_documents(case.with_suffix(".json"))
    result = load_yaml(case.read_text(encoding="utf-8"), Limits())
    assert result.ok, [(p.code, p.line, p.params) for p in result.problems]
    assert same(result.data, expected), f"loaded {result.data!r}\nexpected {expected!r}"
    # the only thing said about a valid single document is the application-tag warning
    assert all(p.code == "DL108" for p in result.problems), [(p.code, p.line) for p in result.problems]


@pytest.mark.parametrize("case", MULTI, ids=ids(MULTI))
def test_several_documents_are_refused(case: Path) -> None:
    assert len(json_documents(case.with_suffix(".json"))) == DOCS[case.stem]
    result = load_yaml(case.read_text(encoding="utf-8"), Limits())
    assert not result.ok and result.data is None
    dl106 = [p for p in result.problems if p.code == "DL106"]
    assert len(dl106) == 1 and dl106[0].line >= 1
    assert {p.code for p in result.problems} <= {"DL106", "DL108"}


def test_unordered_set_is_refused_by_design() -> None:
    result = load_yaml((SUITE / "valid" / "2XXW.yaml").read_text(encoding="utf-8"), Limits())
    assert not result.ok and result.data is None
    assert [(p.code, p.line, p.params["tag"]) for p in result.problems] == [("DL105", 4, "!!set")]


def test_empty_stream_loads_to_nothing() -> None:
    result = load_yaml((SUITE / "valid" / "8G76.yaml").read_text(encoding="utf-8"), Limits())
    assert json_documents(SUITE / "valid" / "8G76.json") == []
    assert result.ok and result.data is None and result.problems == []


@pytest.mark.parametrize("case", OTHER, ids=ids(OTHER))
def test_other_valid_cases_load_or_are_refused_with_a_located_code(case: Path) -> None:
    """Complex keys, empty keys, duplicate keys via aliases: never an exception; when refused, said where."""
    result = load_yaml(case.read_text(encoding="utf-8"), Limits())
    assert all(p.code in MESSAGES for p in result.problems)
    errors = [p for p in result.problems if MESSAGES[p.code].severity is Severity.ERROR]
    if result.ok:
        assert errors == [], [(p.code, p.line) for p in errors]
    else:
        assert errors and all(p.line >= 1 for p in errors), [(p.code, p.line) for p in errors]


@pytest.mark.parametrize("case", VALID, ids=ids(VALID))
def test_valid_yaml_that_is_no_unit_file_ends_cleanly(case: Path, tmp_path: Path) -> None:
    """None of the valid cases is a unit file: exit 1 with diagnostics, no traceback, no Python warnings."""
    version_with_unit(tmp_path, case.read_bytes())
    code, out, warned = run_cli(tmp_path)
    assert code == 1, out
    assert "Traceback" not in out and "internal error" not in out
    assert UNIT in out
    assert warned == []


# --- tags -----------------------------------------------------------------------------

TAGGED = [
    ("!foo bar\n", "bar", [("!foo", 1, 1)]),
    # a tagged scalar is not resolved by the core schema: its value is its text
    ("a: !foo 12\n", {"a": "12"}, [("!foo", 1, 4)]),
    ("a: !foo '012'\n", {"a": "012"}, [("!foo", 1, 4)]),
    ("a: ! true\n", {"a": "true"}, [("!", 1, 4)]),
    ("- !local {b: c}\n- !local [1, 2]\n", [{"b": "c"}, [1, 2]], [("!local", 1, 3), ("!local", 2, 3)]),
    ("name: !<tag:example.com,2025:zh> 府谷镇\n", {"name": "府谷镇"}, [("tag:example.com,2025:zh", 1, 7)]),
    ("%TAG !e! tag:example.com,2025:\n---\nx: !e!unit fgz\n", {"x": "fgz"}, [("tag:example.com,2025:unit", 3, 4)]),
]


@pytest.mark.parametrize(("text", "data", "tags"), TAGGED, ids=[t[0].splitlines()[-1] for t in TAGGED])
def test_application_tags_warn_and_keep_the_value(text: str, data: Any, tags: list[tuple[str, int, int]]) -> None:
    result = load_yaml(text, Limits())
    assert result.ok
    assert same(result.data, data)
    assert [(p.code, p.params["tag"], p.line, p.column) for p in result.problems] == [("DL108", *t) for t in tags]
    assert all(MESSAGES[p.code].severity is Severity.WARNING for p in result.problems)


CORE_TAGS = [
    ("a: !!str 12\n", {"a": "12"}),
    ("a: !!int '12'\n", {"a": 12}),
    ("a: !!str yes\n", {"a": "yes"}),
    ("a: !!null ''\n", {"a": None}),
    ("a: !!bool true\n", {"a": True}),
    ("a: !!map {b: c}\n", {"a": {"b": "c"}}),
    ("a: !!seq [b]\n", {"a": ["b"]}),
]


@pytest.mark.parametrize(("text", "data"), CORE_TAGS, ids=[t[0].strip() for t in CORE_TAGS])
def test_core_tags_of_plain_data_are_honoured_silently(text: str, data: Any) -> None:
    result = load_yaml(text, Limits())
    assert result.ok and result.problems == []
    assert same(result.data, data)


@pytest.mark.parametrize(
    "text",
    ["a: !!set {b}\n", "a: !!omap [b: 1]\n", "a: !!pairs [b: 1]\n", "a: !!python/tuple [1, 2]\n", "a: !!timestamp x\n"],
)
def test_core_tags_of_other_structures_are_refused(text: str) -> None:
    result = load_yaml(text, Limits())
    assert not result.ok
    assert [(p.code, p.line, p.column) for p in result.problems] == [("DL105", 1, 4)]
