"""Property tests of the loader (hypothesis).

(a) Whatever JSON-like data ruamel.yaml dumps (safe, YAML 1.2, block style, unicode) loads back
    to exactly that data. The one thing the loader says about such a file: a plain
    yes/no/on/off/y/n *value* (which a YAML 1.2 dumper writes unquoted) is DL104 — YAML 1.1
    tools read it as a boolean — at the place it stands; every other scalar loads silently.
(b) Mutated files never raise: random character and byte edits of valid files give a
    FileResult whose diagnostics all carry a known code, a message and a place in the file.
"""

from __future__ import annotations

import io
import os
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from dutylist.diagnostics import MESSAGES, Diagnostic
from dutylist.source.files import FileResult, process_bytes
from dutylist.source.limits import Limits
from dutylist.source.yamlload import load_yaml

from .builders import CATALOGUE, FGZ, UNITS

BOOL11 = {"y", "n", "yes", "no", "on", "off"}

# DUTYLIST_EXAMPLES=5000 for a deeper search than the everyday run
SETTINGS = settings(
    max_examples=int(os.environ.get("DUTYLIST_EXAMPLES", "200")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

# --- (a) round trip -------------------------------------------------------------------

# Strings that mean something else to a YAML reader when written plain.
# fmt: off
SPECIAL = [
    "yes", "no", "Yes", "NO", "on", "Off", "y", "n", "Y", "true", "False", "null", "Null", "~", "",
    "2025-01-01", "2025-01-01 12:00:00", "012", "0x1F", "0o17", "1e3", ".inf", "-.Inf", ".nan", "1_000", "+1",
    ": x", "a: b", "a #b", "#", "- a", "-", "?", "? a", "!x", "!!str", "&a", "*a", "|", ">", "@", "`", "%",
    "'", '"', "[a]", "{a: b}", ",", "---", "...", "<<", "=", " lead", "tail ", "a\nb", "a\n", "\t", "\\",
    "府谷镇", "县自然资源局", "《中华人民共和国村民委员会组织法》第八条", "府办发〔2025〕12号", "FG-B-101", "是",
]
# fmt: on

# ruamel.yaml's emitter writes NEL/LS/PS raw inside quotes as if they were line breaks (YAML 1.1);
# in YAML 1.2 they are ordinary characters, so its output does not mean what it dumped. Leave them out.
_CHARS = st.characters(
    blacklist_categories=("Cs",),
    blacklist_characters="\x85\u2028\u2029",
)
_ALPHABET = st.sampled_from("abcyesnoYNt0123456789-_:#&*!?|>[]{},.'\" \t\n府谷镇县局乡村《》〔〕")
texts = st.one_of(
    st.sampled_from(SPECIAL),
    st.text(_ALPHABET, max_size=12),
    st.text(_CHARS, max_size=8),
)
scalars = st.one_of(
    texts,
    st.integers(min_value=-(2**63), max_value=2**64),
    st.booleans(),
    st.none(),
)
json_like = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(texts, children, max_size=4),
    ),
    max_leaves=25,
)


def dump(data: Any) -> str:
    yaml = YAML(typ="safe", pure=True)
    yaml.version = (1, 2)
    yaml.default_flow_style = False
    yaml.allow_unicode = True
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def same(a: Any, b: Any) -> bool:
    """Equal and of the same JSON types all the way down (1 is not True, "1" is not 1)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


def bool_words(data: Any) -> list[str]:
    """The string values (not keys) a 1.2 dumper writes as a bare 1.1 boolean word."""
    if isinstance(data, dict):
        return [w for v in data.values() for w in bool_words(v)]
    if isinstance(data, list):
        return [w for v in data for w in bool_words(v)]
    return [data] if isinstance(data, str) and data.lower() in BOOL11 else []


@SETTINGS
@given(json_like)
def test_dumped_data_loads_back_exactly(data: Any) -> None:
    text = dump(data)
    result = load_yaml(text, Limits())
    assert result.ok, (text, [(p.code, p.line, p.params) for p in result.problems])
    assert same(result.data, data), (text, result.data)
    assert {p.code for p in result.problems} <= {"DL104"}, (text, result.problems)
    assert sorted(p.params["value"] for p in result.problems) == sorted(bool_words(data)), text
    lines = text.splitlines()
    for p in result.problems:
        assert lines[p.line - 1][p.column - 1 :].startswith(p.params["value"]), (text, p)


@SETTINGS
@given(st.dictionaries(st.sampled_from(sorted(BOOL11 | {"Yes", "NO", "On"})), texts, min_size=1, max_size=6))
def test_plain_boolean_words_as_keys_are_not_reported(data: dict[str, Any]) -> None:
    text = dump(data)
    result = load_yaml(text, Limits())
    assert result.ok and same(result.data, data)
    assert sorted(p.params["value"] for p in result.problems) == sorted(bool_words(data)), text


# --- (b) mutations --------------------------------------------------------------------

TEMPLATE = """\
template: township-common
title: 各乡镇（街道）共有事项
basic:
  - {id: FG-B-031, name: 基层党组织建设, basis: [《中国共产党农村基层组织工作条例》]}
cooperative:
  - id: FG-C-012
    name: 重大项目征地中的群众工作
    lead: zrzy
    lead_duty: |
      负责征地报批、补偿标准制定
    township_duty: >-
      配合入户调查、
      政策宣传
"""

ADJUSTMENTS = """\
- id: TZ-2025-001
  kind: withdrawn
  items: [FG-B-050, FG-B-051]
  units: [fgz, hsz]
  to: zrzy
  basis: 府办发〔2025〕12号
  reason: 专业性强，乡镇缺乏执法力量
  date: 2025-02-20
"""

SOURCES = [
    ("units/fgz.yaml", "unit", FGZ),
    ("templates/township-common.yaml", "template", TEMPLATE),
    ("units.yaml", "units", UNITS),
    ("catalogue.yaml", "catalogue", CATALOGUE.format(label="2025")),
    ("adjustments.yaml", "adjustments", ADJUSTMENTS),
]

NASTY_CHARS = [":", "-", "[", "]", "{", "}", "!", "&", "*", "?", "|", ">", "#", "'", '"', "%", "@", ",",
               "\t", "\r", "\n", " ", "\x00", "\ufeff", "\x85", "\u2028", "府", "yes", "---", "...", "!!set ",
               "&a ", "*a", "<<: ", "? ", "- ", ": "]  # fmt: skip
NASTY_BYTES = [b"\xff", b"\xfe", b"\xc0\x80", b"\xe5\x8e", b"\xed\xa0\x80", b"\x00\x00", b"\xef\xbb\xbf", b"\x80"]


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, str, bytes]:
    rel, kind, text = draw(st.sampled_from(SOURCES))
    chars = list(text)
    for _ in range(draw(st.integers(1, 6))):
        pos = draw(st.integers(0, len(chars)))
        op = draw(st.sampled_from(["insert", "delete", "replace", "duplicate"]))
        piece = draw(st.one_of(st.sampled_from(NASTY_CHARS), st.text(max_size=3)))
        if op == "insert" or not chars:
            chars[pos:pos] = [piece]
        elif op == "delete":
            del chars[pos : pos + draw(st.integers(1, 8))]
        elif op == "replace":
            chars[min(pos, len(chars) - 1)] = piece
        else:
            start = min(pos, len(chars) - 1)
            chars[start:start] = chars[start : start + draw(st.integers(1, 40))]
    data = "".join(chars).encode("utf-8", "surrogatepass")
    if draw(st.integers(0, 3)) == 0:  # now and then, bytes that are not UTF-8 at all
        cut = draw(st.integers(0, len(data)))
        data = data[:cut] + draw(st.sampled_from(NASTY_BYTES)) + data[cut:]
    return rel, kind, data


def check_diagnostics(result: FileResult, data: bytes) -> None:
    max_line = data.count(b"\n") + data.count(b"\r") + 2
    for d in result.diagnostics:
        assert isinstance(d, Diagnostic)
        assert d.code in MESSAGES, d
        assert d.file == result.rel
        assert d.message("zh") and d.message("en")
        d.hint("zh"), d.hint("en")  # the templates fill without error
        assert 0 <= d.line <= max_line and d.column >= 0, d


@SETTINGS
@given(mutated())
def test_mutated_files_never_raise(case: tuple[str, str, bytes]) -> None:
    rel, kind, data = case
    result = process_bytes(rel, kind, data, Limits())
    assert isinstance(result, FileResult)
    assert (result.rel, result.kind) == (rel, kind)
    check_diagnostics(result, data)
    if result.valid:
        assert result.facts is not None and result.diagnostics == []


@SETTINGS
@given(st.sampled_from(SOURCES), st.binary(max_size=200))
def test_random_bytes_never_raise(source: tuple[str, str, str], data: bytes) -> None:
    rel, kind, _ = source
    result = process_bytes(rel, kind, data, Limits())
    assert isinstance(result, FileResult)
    check_diagnostics(result, data)


def test_the_unmutated_sources_are_valid() -> None:
    for rel, kind, text in SOURCES:
        result = process_bytes(rel, kind, text.encode("utf-8"), Limits())
        assert result.valid and result.diagnostics == [], (rel, result.diagnostics)
