"""Loading YAML exactly and fast.

The fast path is yaml_rs (Rust; YAML 1.2 core schema, duplicate keys refused, aliases
bounded), chosen by measurement: about 50 MB/s here against 7 MB/s for PyYAML's C loader
(see benchmarks/). It is exact for what it accepts, but YAML 1.2 reads ``yes``/``no``/
``on``/``off`` as strings and ignores most tags, and it returns several documents as one
list. So before the fast parse, cheap scans of the text look for anything that could need
a closer look (a ``!``, a bare yes/no/on/off, a document marker, deep nesting); only then
does ruamel.yaml's event parser walk the file and decide exactly. Round-trip parsing is
used only to point at the line of a problem (:mod:`dutylist.source.locate`).
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from typing import Any

import yaml_rs

from .limits import Limits

_BOOL11_WORDS = frozenset({"y", "n", "yes", "no", "on", "off"})
_BOOL11_BYTES = frozenset(w.encode() for w in _BOOL11_WORDS)
# Everything that can stand beside a plain scalar becomes a space; non-ASCII goes away.
_SEPARATORS = b"\t\r\n[]{},:"
_TO_SPACE = bytes.maketrans(_SEPARATORS, b" " * len(_SEPARATORS))
_NON_ASCII = bytes(range(128, 256))
_DOC_MARK = re.compile(r"(?m)^(?:---|\.\.\.)(?=[ \t]|$)")
# a plain scalar that starts with an underscore then a digit, '.' or '_' (yaml_rs may read
# `_0`, `_.5`, `__1` as numbers; YAML reads them as text)
_LEADING_UNDERSCORE = re.compile(rb"(?:^|[\s\[{,:-])_[0-9._]", re.M)
_COMMENT_LINE = re.compile(rb"(?m)^[ \t]*#.*$")
_NESTED_FLOW = (b"[[", b"[{", b"{[", b"{{")
_CORE_PREFIX = "tag:yaml.org,2002:"
# Tags of YAML's core schema that resolve to plain data (text, number, boolean, null, list, mapping).
_PLAIN_CORE_TAGS = frozenset({"str", "int", "float", "bool", "null", "seq", "map", "binary"})
_LINE_ERR = re.compile(r"at line (\d+), column (\d+)")


@dataclass(slots=True)
class Problem:
    """A problem found while loading: a diagnostic code, its parameters and a 1-based place."""

    code: str
    params: dict[str, Any]
    line: int = 0
    column: int = 0


@dataclass(slots=True)
class LoadResult:
    data: Any = None
    ok: bool = False
    problems: list[Problem] = field(default_factory=list)


def load_yaml(text: str, limits: Limits, raw: bytes | None = None) -> LoadResult:
    """Parse one YAML document. ``ok`` is False when the data could not be had at all.

    ``raw`` is the file's bytes when the caller has them (saves encoding the text again).
    """
    result = LoadResult()
    raw = text.encode("utf-8") if raw is None else raw
    scan, underscore = _needs_exact_scan(raw, limits)
    if scan:
        fatal = _exact_scan(text, limits, result.problems)
        if fatal:
            return result
    try:
        data = yaml_rs.loads(
            text,
            parse_datetime=False,
            alias_limits=yaml_rs.AliasLimits(
                max_total_replayed_events=limits.max_alias_events,
                max_replay_stack_depth=limits.max_depth,
            ),
        )
    except yaml_rs.YAMLDecodeError as exc:
        result.problems.append(_decode_problem(str(exc), text))
        return result
    except RecursionError:
        result.problems.append(_depth_problem(limits, 0))
        return result
    except (TypeError, ValueError):
        # a list or mapping used as a mapping key: valid YAML, but no data a catalogue holds
        line, column = _complex_key(text)
        result.problems.append(
            Problem(
                "DL106",
                {"what": "列表或映射不能作为键", "what_en": "a list or mapping cannot be a key"},
                line,
                column,
            )
        )
        return result
    if underscore:
        # yaml_rs reads a plain `_0` as the number 0; YAML reads it as text. Such files take
        # their scalars from the exact constructor (yaml_rs has already vetted the syntax
        # and bounded the aliases).
        data = _exact_load(text, data)
    result.data = data
    result.ok = True
    return result


def _exact_load(text: str, fallback: Any) -> Any:
    from ruamel.yaml import YAML

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return YAML(typ="safe", pure=True).load(text)
    except Exception:  # the fast parser accepted it: keep its reading
        return fallback


def _needs_exact_scan(raw: bytes, limits: Limits) -> tuple[bool, bool]:
    """Could this file hold a tag, a bare 1.1 boolean, a second document or deep nesting
    (first answer), or a plain scalar such as ``_0`` that yaml_rs reads as a number (second)?

    Every test runs over the file's ASCII skeleton (its bytes less every non-ASCII byte):
    all YAML syntax is ASCII, and dropping other bytes can only join neighbours, so a
    feature present in the file is present in the skeleton. False alarms cost an exact scan.
    """
    ascii_only = raw.translate(None, _NON_ASCII)
    if b"#" in ascii_only:
        ascii_only = _COMMENT_LINE.sub(b"", ascii_only)
    skeleton = b" " + ascii_only.translate(_TO_SPACE)
    underscore = b" _" in skeleton and _LEADING_UNDERSCORE.search(raw) is not None
    if b"!" in ascii_only:
        return True, underscore
    if b"[" in ascii_only or b"{" in ascii_only:
        tight = ascii_only.translate(None, b" \t\r\n")
        if any(pair in tight for pair in _NESTED_FLOW):
            return True, underscore
    if b" " * max(limits.max_depth // 2, 1) in ascii_only or b"- - " in ascii_only:
        return True, underscore
    if ascii_only.startswith((b"---", b"...")) or b"\n---" in ascii_only or b"\n..." in ascii_only:
        text = raw.decode("utf-8", "replace")
        marks = _DOC_MARK.findall(text)
        if len(marks) > 1 or (marks and marks[0] == "..."):
            return True, underscore
        if marks:
            head = text[: _DOC_MARK.search(text).start()]  # type: ignore[union-attr]
            if any(ln.strip() and not ln.lstrip().startswith(("#", "%")) for ln in head.splitlines()):
                return True, underscore
    return not _BOOL11_BYTES.isdisjoint(skeleton.lower().split()), underscore


def _exact_scan(text: str, limits: Limits, problems: list[Problem]) -> bool:
    """Walk the parser's events. Report tags, 1.1 booleans, extra documents, depth.

    Returns True when the file must not be loaded at all. Errors of the event parser are
    left to the fast parser, which is the stricter of the two.
    """
    from ruamel.yaml import YAML
    from ruamel.yaml import events as ev

    # One entry per open collection: for a mapping, whether the next scalar is a key.
    stack: list[list[bool]] = []
    documents = 0
    fatal = False
    try:
        for event in YAML(typ="safe", pure=True).parse(text):
            mark = event.start_mark
            is_key = bool(stack) and stack[-1][0] and stack[-1][1]
            if isinstance(event, (ev.ScalarEvent, ev.AliasEvent, ev.CollectionStartEvent)) and stack:
                top = stack[-1]
                if top[0]:
                    top[1] = not top[1]
            if isinstance(event, (ev.MappingStartEvent, ev.SequenceStartEvent)):
                stack.append([isinstance(event, ev.MappingStartEvent), True])
                if len(stack) > limits.max_depth:
                    problems.append(_depth_problem(limits, mark.line + 1, mark.column + 1))
                    return True
            elif isinstance(event, (ev.MappingEndEvent, ev.SequenceEndEvent)):
                stack.pop()
            elif isinstance(event, ev.DocumentStartEvent):
                documents += 1
                if documents == 2:
                    problems.append(
                        Problem(
                            "DL106",
                            {
                                "what": "一个文件只能有一个 YAML 文档（发现第二个 ---）",
                                "what_en": "a file holds one YAML document; found a second one",
                            },
                            mark.line + 1,
                            mark.column + 1,
                        )
                    )
                    fatal = True
            tag = getattr(event, "tag", None)
            if tag is not None and not isinstance(event, ev.DocumentStartEvent):
                shown = str(tag).replace(_CORE_PREFIX, "!!")
                if str(tag).startswith(_CORE_PREFIX):
                    if str(tag)[len(_CORE_PREFIX) :] not in _PLAIN_CORE_TAGS:
                        # !!set, !!omap, !!python/...: would build something other than plain data
                        problems.append(Problem("DL105", {"tag": shown}, mark.line + 1, mark.column + 1))
                        fatal = True
                else:
                    # application tags mean nothing to a catalogue: the value is kept as written
                    problems.append(Problem("DL108", {"tag": shown}, mark.line + 1, mark.column + 1))
            if (
                isinstance(event, ev.ScalarEvent)
                and not is_key
                and not event.style
                and tag is None
                and event.value.lower() in _BOOL11_WORDS
            ):
                problems.append(Problem("DL104", {"value": event.value}, mark.line + 1, mark.column + 1))
    except RecursionError:
        problems.append(_depth_problem(limits, 0))
        return True
    except Exception:
        return fatal
    return fatal


def _complex_key(text: str) -> tuple[int, int]:
    """Where the first list or mapping stands as a mapping key (1, 1 when not found)."""
    from ruamel.yaml import YAML
    from ruamel.yaml import events as ev

    stack: list[list[bool]] = []
    try:
        for event in YAML(typ="safe", pure=True).parse(text):
            is_key = bool(stack) and stack[-1][0] and stack[-1][1]
            if isinstance(event, (ev.ScalarEvent, ev.AliasEvent, ev.CollectionStartEvent)) and stack and stack[-1][0]:
                stack[-1][1] = not stack[-1][1]
            if isinstance(event, ev.CollectionStartEvent):
                if is_key:
                    return event.start_mark.line + 1, event.start_mark.column + 1
                stack.append([isinstance(event, ev.MappingStartEvent), True])
            elif isinstance(event, ev.CollectionEndEvent):
                stack.pop()
    except Exception:  # the parser gave up: say where the document starts
        pass
    return 1, 1


def _depth_problem(limits: Limits, line: int, column: int = 0) -> Problem:
    return Problem(
        "DL107",
        {
            "what": f"嵌套层数超过 {limits.max_depth}",
            "what_en": f"nesting deeper than {limits.max_depth} levels",
        },
        line,
        column,
    )


def _decode_problem(message: str, text: str) -> Problem:
    first, _, rest = message.partition("\n")
    if first.startswith("duplicate mapping key"):
        key = first.partition(":")[2].strip().strip("'\"")
        line, column = _locate_duplicate(text)
        return Problem("DL103", {"key": key}, line, column)
    if first.startswith("alias replay limit"):
        return Problem("DL107", {"what": "别名展开过多（疑似“亿笑”攻击）", "what_en": first})
    match = _LINE_ERR.search(first)
    problem = rest.rsplit("\n", 1)[-1].strip() if rest else first
    if match:
        return Problem("DL102", {"problem": problem}, int(match.group(1)), int(match.group(2)))
    return Problem("DL102", {"problem": problem or first})


def _locate_duplicate(text: str) -> tuple[int, int]:
    """Where the second of two equal keys stands, as ruamel.yaml's round-trip loader finds it."""
    from ruamel.yaml import YAML

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            YAML(typ="rt").load(text)
    except Exception as exc:
        mark = getattr(exc, "problem_mark", None)
        if mark is not None:
            return mark.line + 1, mark.column + 1
    return 0, 0
