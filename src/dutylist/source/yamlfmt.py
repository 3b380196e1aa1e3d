"""Re-laying out YAML with ruamel.yaml's round trip, every comment kept with its entry.

ruamel.yaml attaches a comment to the token before it: a comment above an item lives at
the end of the previous item's last value, so moving keys moves comments to the wrong
place. Here comments are found in the text instead (outside scalars, by the parser's
marks) and tied to *entries* — a key of a block mapping or an item of a block sequence —
by line: full-line comments and blank lines belong to the entry below them (the
outermost one starting on that line), a comment after content to the innermost entry on
its line. Then ruamel's own comments are dropped, the data is put in canonical shape, and
every comment is given back to its entry, indented like it.

The layout: 2-space mappings, sequences indented under their key (``key:`` then
``  - item``), a top-level sequence at column 0, no line folding, Unicode as written,
LF line ends. Quotes only where a plain scalar would read as something else — a number,
a boolean in YAML 1.1 or 1.2 (``yes``, ``on``), null — or where YAML syntax needs them;
quotes are always double. Dates stay plain: dutylist reads YAML 1.2, where they are
text. ``null`` items of a list are written ``null``; ``key:`` with nothing stays empty.
"""

from __future__ import annotations

import io
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml import events as ev
from ruamel.yaml.comments import CommentedMap, CommentedSeq, TaggedScalar, merge_attrib
from ruamel.yaml.emitter import RoundTripEmitter
from ruamel.yaml.error import CommentMark, MarkedYAMLError, YAMLError
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.resolver import VersionedResolver, implicit_resolvers
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString
from ruamel.yaml.tokens import CommentToken

from .limits import Limits
from .yamlload import load_yaml

#: An id list is written in flow style (``[a, b]``) when it has at most this many ids...
FLOW_MAX_ITEMS = 8
#: ...and ``[a, b]`` is at most this many characters wide. Otherwise one id a line.
FLOW_MAX_WIDTH = 80
_WIDTH = 1 << 30  # never fold a line


@dataclass(frozen=True)
class Shape:
    """What a mapping may hold: its keys in canonical order (keys not named here keep
    their order, after the named ones), the shape of each key's value (or of the
    mappings in the list at that key), and the keys whose value is a list of ids."""

    order: tuple[str, ...] = ()
    fields: Mapping[str, Shape] = field(default_factory=dict)
    id_lists: frozenset[str] = frozenset()


class YamlFormatError(Exception):
    """The text is not YAML the round trip can read; ``line``/``column`` are 1-based."""

    def __init__(self, problem: str, line: int = 0, column: int = 0) -> None:
        super().__init__(problem)
        self.problem, self.line, self.column = problem, line, column


# --- ruamel.yaml set-up ----------------------------------------------------------------


class _Resolver(VersionedResolver):
    """YAML 1.2 without timestamps: what dutylist's loader reads as text stays text."""

    versions: tuple[tuple[int, int], ...] = ((1, 2),)

    @property
    def versioned_resolver(self) -> Any:
        table = self._version_implicit_resolver
        if "dutylist" not in table:
            for versions, tag, regexp, first in implicit_resolvers:
                if not tag.endswith(":timestamp") and any(v in versions for v in self.versions):
                    self.add_version_implicit_resolver("dutylist", tag, regexp, first)
        return table["dutylist"]


class _QuotingResolver(_Resolver):
    """For writing: a string that YAML 1.1 *or* 1.2 would read as another type is quoted."""

    versions = ((1, 1), (1, 2))


class _Emitter(RoundTripEmitter):
    def choose_scalar_style(self) -> Any:
        style = super().choose_scalar_style()
        return '"' if style == "'" else style


class _Null:
    """A null item of a list, written ``null`` (ruamel would leave ``- `` with a trailing space)."""


class _Representer(RoundTripRepresenter):
    pass


_Representer.add_representer(_Null, lambda rep, _: rep.represent_scalar("tag:yaml.org,2002:null", "null"))


def _loader() -> YAML:
    yaml = YAML(typ="rt", pure=True)
    yaml.Resolver = _Resolver
    return yaml


def _dumper() -> YAML:
    yaml = YAML(typ="rt", pure=True)
    yaml.Resolver = _QuotingResolver
    yaml.Emitter = _Emitter
    yaml.Representer = _Representer
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = _WIDTH
    yaml.allow_unicode = True
    return yaml


# --- comments in the text --------------------------------------------------------------


@dataclass(slots=True)
class _Line:
    col: int
    text: str  # "" for a blank line


@dataclass(eq=False, slots=True)
class _Entry:
    owner: Any  # the CommentedMap or CommentedSeq
    key: Any
    line: int
    col: int  # of the key, or of the dash
    value: Any
    parent: _Entry | None
    pre: list[_Line] = field(default_factory=list)  # the lines above it
    eol: _Line | None = None  # the comment after it, on its line
    post: list[_Line] = field(default_factory=list)  # comments after its value, indented deeper than what follows
    sunk: list[_Line] = field(default_factory=list)  # its ancestors' post lines, already re-indented


def _scalar_spans(text: str) -> list[tuple[int, int]]:
    """Where scalars are (character offsets); a block scalar from the end of its header
    line to its last non-blank character, unless it keeps trailing lines (``|+``)."""
    spans = []
    for event in YAML(typ="safe", pure=True).parse(text):
        if not isinstance(event, ev.ScalarEvent):
            continue
        start, end = event.start_mark.index, event.end_mark.index
        if event.style in ("|", ">"):
            newline = text.find("\n", start, end)
            header_end = end if newline < 0 else newline
            if "+" not in text[start:header_end].split("#")[0]:
                end = header_end + len(text[header_end:end].rstrip())
            start = header_end
        if end > start:
            spans.append((start, end))
    return spans


def _scan(text: str) -> list[tuple[bool, _Line | None]]:
    """Per line: (is it a gap line — blank or a comment alone —, the comment if any)."""
    spans = _scalar_spans(text)
    starts = [s for s, _ in spans]

    def in_scalar(index: int, strict: bool = False) -> bool:
        k = bisect_right(starts, index - 1 if strict else index) - 1
        return k >= 0 and index < spans[k][1]

    out: list[tuple[bool, _Line | None]] = []
    pos = 0
    for line in text.split("\n"):
        begin, pos = pos, pos + len(line) + 1
        stripped = line.lstrip()
        if not in_scalar(begin, strict=True):
            if not stripped:
                out.append((True, _Line(0, "")))
                continue
            if stripped.startswith("#"):
                out.append((True, _Line(len(line) - len(stripped), stripped.rstrip())))
                continue
        comment = None
        at = line.find("#")
        while at >= 0:
            if (at == 0 or line[at - 1] in " \t") and not in_scalar(begin + at):
                comment = _Line(at, line[at:].rstrip())
                break
            at = line.find("#", at + 1)
        out.append((False, comment))
    return out


def _is_block(node: Any) -> bool:
    return isinstance(node, (CommentedMap, CommentedSeq)) and not node.fa.flow_style()


def _entries(node: Any, lines: list[str], parent: _Entry | None, out: list[_Entry], seen: set[int]) -> None:
    if not _is_block(node) or id(node) in seen:
        return
    seen.add(id(node))
    pairs = node.items() if isinstance(node, CommentedMap) else enumerate(node)
    for key, value in list(pairs):
        entry = None
        where = node.lc.data.get(key)
        if where is not None:
            line, col = where[0], where[1]
            if isinstance(node, CommentedSeq):  # the column of the dash, not of the item
                head = lines[line][:col].rstrip() if line < len(lines) else ""
                col = len(head) - 1 if head.endswith("-") else max(col - 2, 0)
            entry = _Entry(node, key, line, col, value, parent)
            out.append(entry)
        _entries(value, lines, entry or parent, out, seen)


def _attach(scan: list[tuple[bool, _Line | None]], entries: list[_Entry]) -> tuple[list[_Line], list[_Line]]:
    """Tie each comment and blank line to an entry; returns the document's head and tail."""
    by_line: dict[int, list[_Entry]] = {}
    for entry in entries:  # outer entries come first: the walk is pre-order
        by_line.setdefault(entry.line, []).append(entry)
    starts = sorted(by_line)

    def last_before(number: int) -> _Entry | None:
        k = bisect_left(starts, number) - 1
        return by_line[starts[k]][-1] if k >= 0 else None

    pending: list[_Line] = []
    for number, (gap, comment) in enumerate(scan):
        if gap:
            assert comment is not None
            pending.append(comment)
            continue
        here = by_line.get(number)
        if here:
            here[0].pre.extend(_split_trail(pending, here[0], last_before(number)))
            pending = []
        if comment is None:
            continue
        target = last_before(number + 1)
        if target is None or target.eol is not None:
            pending.append(comment)  # a second comment on one entry goes on a line of its own
        elif _block_scalar(target.value) and isinstance(target.owner, CommentedSeq):
            target.pre.append(comment)
        else:
            target.eol = comment
    tail = _split_trail(pending, None, last_before(len(scan)))
    head: list[_Line] = []
    if entries:
        head, entries[0].pre = entries[0].pre, []
    return head, tail


def _split_trail(pending: list[_Line], below: _Entry | None, previous: _Entry | None) -> list[_Line]:
    """Comments indented deeper than the entry below them close what is above: each goes
    after the value of the entry it lines up with (all of them after the outermost one,
    unless they step outwards). Returns the lines that stay above the entry below."""
    col = below.col if below is not None else 0
    ancestor = below.parent if below is not None else None
    while ancestor is not None:
        if ancestor is previous:  # between a key and its first child: all above the child
            return pending
        ancestor = ancestor.parent
    n = 0
    while n < len(pending) and (not pending[n].text or pending[n].col > col):
        n += 1
    while n and not pending[n - 1].text:
        n -= 1
    indents = [line.col for line in pending[:n] if line.text]
    if previous is None or not indents:
        return pending
    stepping_out = indents == sorted(indents, reverse=True)
    next_indent = iter(indents if stepping_out else [min(indents)] * len(indents))
    indent = next(next_indent)
    for line in pending[:n]:
        owner = previous
        while owner.parent is not None and owner.col > indent:
            owner = owner.parent
        owner.post.append(line)
        if line.text:
            indent = next(next_indent, indent)
    return pending[n:]


def _block_scalar(value: Any) -> bool:
    return isinstance(value, (LiteralScalarString, FoldedScalarString))


# --- canonical shape -------------------------------------------------------------------


def _walk(node: Any, shape: Shape | None, index: dict[tuple[int, Any], _Entry], in_flow: bool) -> None:
    anchor = getattr(node, "anchor", None)
    if anchor is not None and getattr(anchor, "value", None):
        anchor.always_dump = True  # ruamel drops anchors nothing refers to
    if isinstance(node, CommentedMap):
        flow = in_flow or bool(node.fa.flow_style())
        if shape is not None and not getattr(node, merge_attrib, None):
            _reorder(node, shape.order, index)
        for key, value in node.items():
            child = shape.fields.get(key) if shape is not None and isinstance(key, str) else None
            if isinstance(value, CommentedSeq) and shape is not None and key in shape.id_lists and not flow:
                _flow_rule(value, index)
            _walk(value, child, index, flow)
    elif isinstance(node, CommentedSeq):
        flow = in_flow or bool(node.fa.flow_style())
        for i, item in enumerate(node):
            if item is None:
                node[i] = _Null()
            else:
                _walk(item, shape, index, flow)


def _reorder(node: CommentedMap, order: tuple[str, ...], index: dict[tuple[int, Any], _Entry]) -> None:
    keys = list(node.keys())
    named = set(order)
    new = [k for k in order if k in node] + [k for k in keys if not (isinstance(k, str) and k in named)]
    if new == keys:
        return
    old_first, new_first = index.get((id(node), keys[0])), index.get((id(node), new[0]))
    if old_first is not None and new_first is not None:
        # what stood above the mapping's first key stays above the mapping
        new_first.pre[:0], old_first.pre = old_first.pre, []
        item = new_first.parent
        if new_first.pre and item is not None and isinstance(item.owner, CommentedSeq) and item.value is node:
            # the first key of a list item shares the dash's line: its comments go above the dash
            item.pre += [_Line(line.col - new_first.col + item.col, line.text) for line in new_first.pre]
            new_first.pre = []
    for key in new:
        node.move_to_end(key)


def _flow_rule(seq: CommentedSeq, index: dict[tuple[int, Any], _Entry]) -> None:
    short = len(seq) <= FLOW_MAX_ITEMS and all(
        isinstance(x, (str, int)) and not isinstance(x, bool) and not _block_scalar(x) and "\n" not in str(x)
        for x in seq
    )
    width = sum(len(str(x)) for x in seq) + 2 * len(seq)
    commented = any(
        e is not None and (e.pre or e.eol or e.post) for e in (index.get((id(seq), i)) for i in range(len(seq)))
    )
    if short and width <= FLOW_MAX_WIDTH and not commented:
        seq.fa.set_flow_style()
    else:
        seq.fa.set_block_style()


# --- comments back in ------------------------------------------------------------------


def _tokens(lines: list[_Line], delta: int, shift: int) -> list[Any] | None:
    out = []
    blank = False
    for line in lines:
        if not line.text:
            if not blank:
                out.append(CommentToken("\n", CommentMark(0), None))
            blank = True
            continue
        blank = False
        out.append(CommentToken(line.text + "\n", CommentMark(max(0, line.col + delta) + shift), None))
    return out or None


def _clear(node: Any, seen: set[int]) -> None:
    if isinstance(node, (CommentedMap, CommentedSeq)) and id(node) not in seen:
        seen.add(id(node))
        node.ca.comment = None
        node.ca.items.clear()
        node.ca.end = []
        for child in node.values() if isinstance(node, CommentedMap) else node:
            _clear(child, seen)


def _restore(node: Any, col: int, shift: int, index: dict[tuple[int, Any], _Entry]) -> None:
    """Give each entry its comments; ``col`` is where this collection's keys (or dashes) go."""
    if not _is_block(node):
        return
    pairs = node.items() if isinstance(node, CommentedMap) else enumerate(node)
    for key, value in pairs:
        entry = index.get((id(node), key))
        if entry is not None:
            _give(entry, node, key, value, col - entry.col, shift, index)
        # ruamel writes a list in a list as `-   - item`: the inner dash 4 columns in
        step = 4 if isinstance(node, CommentedSeq) and isinstance(value, CommentedSeq) else 2
        _restore(value, col + step, shift, index)


def _give(
    entry: _Entry, node: Any, key: Any, value: Any, delta: int, shift: int, index: dict[tuple[int, Any], _Entry]
) -> None:
    after = [_Line(line.col + delta, line.text) for line in entry.post] + entry.sunk
    if after and _is_block(value) and len(value):
        last = index.get((id(value), list(value.keys())[-1] if isinstance(value, CommentedMap) else len(value) - 1))
        if last is not None:  # after a mapping or list: after its last entry's value
            last.sunk.extend(after)
            after = []
    pre = _tokens(entry.pre, delta, shift)
    eol = entry.eol
    eol_col = max(0, eol.col + delta) + shift if eol is not None else 0
    if _block_scalar(value):  # deeper lines after it would read as its text
        after = [_Line(min(line.col, entry.col + delta), line.text) for line in after]
    trailing = "".join(" " * (line.col + shift) + line.text + "\n" if line.text else "\n" for line in after)
    if _block_scalar(value):
        # a block scalar ends with a line break: what follows it starts a line of its own
        header = ["  " + eol.text] if eol is not None else None
        token = CommentToken(trailing, CommentMark(0), None) if trailing else None
        if isinstance(node, CommentedSeq):
            node.ca.items[key] = [token, pre, None, None]
        else:
            node.ca.items[key] = [None, pre, token, header]
        return
    token = None
    if eol is not None or trailing:
        text = (eol.text if eol is not None else "") + "\n" + trailing
        token = CommentToken(text, CommentMark(eol_col), None)
    if isinstance(node, CommentedSeq):
        node.ca.items[key] = [token, pre, None, None]
    else:
        node.ca.items[key] = [None, pre, token, None]


def _lines_text(lines: list[_Line]) -> str:
    tokens = _tokens(lines, 0, 0) or []
    return "".join(" " * t.start_mark.column + t.value if t.value != "\n" else "\n" for t in tokens)


# --- the whole ---------------------------------------------------------------------------


def reformat(text: str, shape: Shape | None, limits: Limits | None = None) -> str:
    """``text`` in canonical layout; ``shape`` describes the root mapping (or, for a list
    at the root, each of its mappings). The data and every comment are kept: a text that
    ruamel.yaml reads otherwise than dutylist, or a result that would lose either, raises
    YamlFormatError rather than being returned."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    try:
        data = _loader().load(text)
        scan = _scan(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (0, 0)
        raise YamlFormatError(exc.problem or str(exc), line, column) from None
    except (YAMLError, TypeError, ValueError, RecursionError) as exc:  # TypeError: a list as a key
        raise YamlFormatError(str(exc) or type(exc).__name__) from None
    expected = load_yaml(text, limits or Limits())
    if expected.ok and not _same(data, expected.data):
        raise _read_differently(text)
    if not _is_block(data):
        # nothing but comments, a lone scalar or a flow collection: not ours to lay out
        body = "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")
        return body + "\n" if body else ""
    entries: list[_Entry] = []
    _entries(data, text.split("\n"), None, entries, set())
    head, tail = _attach(scan, entries)
    index = {(id(e.owner), e.key): e for e in entries}
    _walk(data, shape, index, False)
    first = index.get((id(data), next(iter(data.keys())) if isinstance(data, CommentedMap) else 0))
    if first is not None and (not head or not head[-1].text):
        while first.pre and not first.pre[0].text:  # no blank line at the top, nor two in a row
            first.pre.pop(0)
    _clear(data, set())
    shift = 2 if isinstance(data, CommentedSeq) else 0
    _restore(data, 0, shift, index)
    while head and not head[0].text:
        head.pop(0)
    buf = io.StringIO()
    _dumper().dump(data, buf)
    out = buf.getvalue()
    if shift:
        out = "\n".join(line[2:] if line.startswith("  ") else line for line in out.split("\n"))
    while tail and not tail[-1].text:
        tail.pop()
    out = _lines_text(head) + out + _lines_text(tail)
    _verify(out, scan, expected.data if expected.ok else None, limits or Limits())
    return out


def _comments(scan: list[tuple[bool, _Line | None]]) -> Counter[str]:
    return Counter(c.text for _, c in scan if c is not None and c.text)


def _verify(after: str, scan: list[tuple[bool, _Line | None]], expected: Any, limits: Limits) -> None:
    """The last line of defence: a result that reads otherwise, or lost a comment, is refused
    (the file is left as it is; such a file is worth a bug report)."""
    new = load_yaml(after, limits)
    if expected is not None and (not new.ok or not _same(new.data, expected)):
        raise YamlFormatError("formatting would change what this file says; format it by hand")
    try:
        kept = _comments(scan) == _comments(_scan(after))
    except YAMLError:
        kept = False
    if not kept:
        raise YamlFormatError("formatting would lose or change a comment; format this file by hand")


_NAN = object()


def _same(data: Any, expected: Any) -> bool:
    try:
        return bool(_plain(data) == _plain(expected))
    except TypeError:  # a list or mapping as a key
        return False


def _plain(node: Any) -> Any:
    """Data to compare: application tags dropped (dutylist ignores them), NaN equal to NaN."""
    if isinstance(node, TaggedScalar):
        return node.value
    if isinstance(node, dict):
        return {_plain(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(x) for x in node]
    if isinstance(node, float) and node != node:
        return _NAN
    return node


def _read_differently(text: str) -> YamlFormatError:
    """ruamel.yaml's round trip reads the text otherwise than dutylist does: not ours to rewrite."""
    problem = "ruamel.yaml reads this file differently from dutylist; it cannot be formatted safely"
    for at, ch in enumerate(text):
        if ch in "\x85\u2028\u2029":  # line breaks in YAML 1.1, ordinary characters in 1.2
            line = text.count("\n", 0, at) + 1
            column = at - text.rfind("\n", 0, at)
            return YamlFormatError(f"{problem} (U+{ord(ch):04X}: write it as an escape in double quotes)", line, column)
    return YamlFormatError(problem)


def iter_comments(text: str) -> Iterator[str]:
    """The comments of a YAML text, in order (for tests and checks)."""
    for _, comment in _scan(text):
        if comment is not None and comment.text:
            yield comment.text
