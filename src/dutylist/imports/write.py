"""Rows into a unit file, edited with ruamel.yaml's round trip: comments kept, keys in the
schema's order, Chinese text exactly as in the sheet, a comment on each item naming its
source row, and the file replaced atomically.

Comments between list items are kept with the item they stand above. ruamel attaches such
a comment to the end of the previous item (its last key, or the last element of its last
value), so before a list is edited its comments are lifted into "blocks", one before each
item and one after the last, and put back as the items' own leading comments afterwards:
an item moves, is inserted or removed without a group heading (``# 城乡建设（3项）``)
ending up above the wrong item.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString, SingleQuotedScalarString
from ruamel.yaml.tokens import CommentToken

from ..model.catalogue import CooperativeItem, Item, PowerItem, RecalledItem
from ..model.vocab import ALL_LISTS, LIST_LABELS_ZH
from . import ImportFailed

#: The model of each list's items: their fields, in the order they are written.
LIST_MODELS: dict[str, type[Item]] = {
    "basic": Item,
    "cooperative": CooperativeItem,
    "recalled": RecalledItem,
    "powers": PowerItem,
    "autonomy": Item,
    "assist": Item,
    "negative": Item,
}
#: Fields a spreadsheet never carries: they are kept as the file has them.
FILE_ONLY = ("id", "approval", "replaces")
#: Fields that name a department, and their names in comments.
DEPARTMENT_FIELDS = {"lead": "牵头部门", "receiver": "承接部门"}
TOP_KEYS = ("unit", "include", "exclude", *ALL_LISTS)
SCHEMA_LINE = "# yaml-language-server: $schema=../../../schemas/unit.schema.json"
UNRESOLVED_MARK = "未能对应到部门编码"
SOURCE_MARK = "来源："
INDENT = 2  # list items sit two spaces in: `  - id: …`

Lines = list[str]  # comment lines: "" for a blank line, else "# …"


def field_order(list_key: str) -> list[str]:
    return list(LIST_MODELS[list_key].model_fields)


def sheet_fields(list_key: str) -> list[str]:
    """The fields a sheet can set on an item of ``list_key`` (name first)."""
    return [f for f in field_order(list_key) if f not in FILE_ONLY]


# --- values ----------------------------------------------------------------------------

_YAML11_WORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~", ""})
_YAML11_NUMBER = re.compile(
    r"[-+]?(?:0b[01_]+|0x[0-9a-f_]+|0o?[0-7_]+|[0-9][0-9_]*(?::[0-5]?[0-9])*(?:\.[0-9_]*)?(?:e[-+]?[0-9]+)?"
    r"|\.[0-9_]+(?:e[-+]?[0-9]+)?|\.inf|\.nan)",
    re.IGNORECASE,
)


def scalar(text: str) -> str:
    """Text as YAML will keep it: quoted where any YAML reader could take it for something else."""
    out: str = text
    if "\n" in text:
        out = LiteralScalarString(text)
    elif text.lower() in _YAML11_WORDS or _YAML11_NUMBER.fullmatch(text):
        out = SingleQuotedScalarString(text)
    return out


def yaml_value(value: str | list[str]) -> Any:
    if isinstance(value, list):
        seq = CommentedSeq([scalar(v) for v in value])
        seq.fa.set_flow_style()
        return seq
    return scalar(value)


def plain(value: Any) -> Any:
    """A value of the file as plain data, to compare with a sheet's."""
    if isinstance(value, list):
        return [str(v) for v in value]
    if isinstance(value, str):
        return str(value)
    return value


# --- loading and dumping -------------------------------------------------------------


def yaml_rt() -> YAML:
    yaml = YAML(typ="rt")
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096  # never fold long Chinese lines
    yaml.preserve_quotes = True
    return yaml


@dataclass
class Document:
    yaml: YAML
    data: CommentedMap
    original: str | None  # the file's text, None for a new file
    crlf: bool = False

    def dump(self) -> str:
        out = io.StringIO()
        self.yaml.dump(self.data, out)
        text = out.getvalue()
        return text.replace("\n", "\r\n") if self.crlf else text


def load_document(path: Path, unit_id: str, header: str) -> Document:
    yaml = yaml_rt()
    if not path.exists():
        text = f"{SCHEMA_LINE}\n#\n# {header}\n\nunit: {unit_id}\n"
        return Document(yaml, yaml.load(text), None)
    try:
        original = path.read_text(encoding="utf-8-sig")
        data = yaml.load(original)
    except (OSError, UnicodeDecodeError, ValueError) as exc:  # ruamel's errors are ValueErrors or YAMLError
        raise _unreadable(path, exc) from None
    except Exception as exc:  # ruamel.yaml.YAMLError and its kin
        if type(exc).__module__.startswith("ruamel"):
            raise _unreadable(path, exc) from None
        raise
    if not isinstance(data, CommentedMap):
        raise ImportFailed(f"{path} 不是单位文件（应为键值映射）", f"{path} is not a unit file (a mapping)")
    return Document(yaml, data, original, "\r\n" in original)


def _unreadable(path: Path, exc: Exception) -> ImportFailed:
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return ImportFailed(
        f"{path} 无法读取：{first}；请先运行 dutylist validate 修正",
        f"{path} cannot be read: {first}; run dutylist validate and fix it first",
    )


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same directory."""
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o777 if path.exists() else None
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# --- comments between items ----------------------------------------------------------


def _lines(text: str) -> Lines:
    parts = text.split("\n")
    if parts and not parts[-1].strip():
        parts = parts[:-1]
    return [p.strip() for p in parts]


def _split_own(value: str) -> tuple[str, Lines]:
    """An end-of-line comment token: the comment on the line itself, and the lines after it."""
    if value.lstrip(" ").startswith("#"):
        own, _, rest = value.partition("\n")
        return own + "\n", _lines(rest)
    return "", _lines(value[1:] if value.startswith("\n") else value)


def _eol_token(comment: str) -> CommentToken:
    # column 0 and a leading space: the emitter puts it two spaces after the value
    return CommentToken(" " + comment, CommentMark(0), None)


def set_eol(node: CommentedMap, key: Any, comment: str) -> None:
    entry = node.ca.items.setdefault(key, [None, None, None, None])
    entry[2] = _eol_token(comment)


def _token_lines(tokens: Any) -> Lines:
    out: Lines = []
    for tok in tokens or ():
        if isinstance(tok, CommentToken):
            out.extend(_lines(tok.value))
    return out


def _is_block(value: Any) -> bool:
    return isinstance(value, CommentedMap | CommentedSeq) and len(value) > 0 and not value.fa.flow_style()


def _pop_eol(items: dict[Any, Any], key: Any, index: int, value: Any) -> Lines:
    entry = items.get(key)
    tok = entry[index] if entry and len(entry) > index else None
    if entry is None or not isinstance(tok, CommentToken):
        return []
    if isinstance(value, LiteralScalarString | FoldedScalarString):
        own, rest = "", _lines(tok.value)  # a block scalar ends its own line: all of it follows
    else:
        own, rest = _split_own(tok.value)
    if own:
        tok.value = own
    else:
        entry[index] = None
        comment = getattr(getattr(value, "ca", None), "comment", None)
        if comment and comment[0] is tok:
            comment[0] = None
    return rest


def _pop_end(node: Any) -> Lines:
    lines = _token_lines(node.ca.end)
    node.ca.end = []
    return lines


def pop_trailing(node: Any) -> Lines:
    """Lift the comment lines that follow ``node``'s content (they belong to what comes next)."""
    if isinstance(node, CommentedMap) and node:
        key = next(reversed(node))
        value = node[key]
        inner = pop_trailing(value) if _is_block(value) else _pop_eol(node.ca.items, key, 2, value)
        return inner + _pop_end(node)
    if isinstance(node, CommentedSeq) and node:
        i = len(node) - 1
        value = node[i]
        inner = pop_trailing(value) if _is_block(value) else _pop_eol(node.ca.items, i, 0, value)
        return inner + _pop_end(node)
    return []


def take_blocks(parent: CommentedMap, key: str) -> tuple[list[Lines], Lines]:
    """The comment lines before each item of the list ``parent[key]``, and after its last."""
    seq = parent[key]
    blocks: list[Lines] = [[] for _ in seq]
    entry = parent.ca.items.get(key)
    first: Lines = []
    if entry:
        if len(entry) > 2 and isinstance(entry[2], CommentToken):
            first += _pop_eol(parent.ca.items, key, 2, seq)
        if len(entry) > 3 and entry[3]:
            first += _token_lines(entry[3])
            entry[3][:] = []
            entry[3] = None
    for i in range(len(seq)):
        before = first if i == 0 else pop_trailing(seq[i - 1])
        pre = seq.ca.items.get(i)
        if pre and len(pre) > 1 and pre[1]:
            before += _token_lines(pre[1])
        blocks[i] = before
    end = (pop_trailing(seq[-1]) if len(seq) else first) + _pop_end(seq)
    seq.ca.items.clear()
    return blocks, end


def _tokens(lines: Lines, column: int) -> list[CommentToken]:
    return [CommentToken(f"{line}\n" if line else "\n", CommentMark(column if line else 0), None) for line in lines]


def put_blocks(seq: CommentedSeq, blocks: list[Lines], end: Lines) -> None:
    for i, lines in enumerate(blocks):
        if lines:
            seq.ca.items[i] = [None, _tokens(lines, INDENT), None, None]
    set_end(seq, end)


def set_end(seq: CommentedSeq, lines: Lines) -> None:
    """The comment lines after a list's last item (a blank line before the next key)."""
    seq.ca.end = _tokens(lines, INDENT)
    if lines and seq.ca.comment is None:
        seq.ca.comment = [None, None]  # ruamel emits a list's end comments only beside these


# --- items ---------------------------------------------------------------------------


def source_comment(file_name: str, sheet: str, row: int) -> str:
    return f"# {SOURCE_MARK}{file_name} 工作表“{sheet}” 第 {row} 行"


def unresolved_line(field: str, text: str, candidates: tuple[str, ...]) -> str:
    label = DEPARTMENT_FIELDS[field]
    if candidates:
        return f"# {label}“{text}”可能是 {'、'.join(candidates)}，{UNRESOLVED_MARK}"
    return f"# {label}“{text}”{UNRESOLVED_MARK}"


def set_source(item: CommentedMap, comment: str) -> None:
    """Put (or replace) the source comment at the end of the item's ``id`` line."""
    if item.fa.flow_style() or "id" not in item:
        return
    entry = item.ca.items.get("id")
    tok = entry[2] if entry and len(entry) > 2 else None
    if not isinstance(tok, CommentToken):
        set_eol(item, "id", comment)
        return
    value = tok.value
    if value.lstrip(" ").startswith("#"):
        own, newline, after = value.partition("\n")
        if not own.lstrip(" #").startswith(SOURCE_MARK):
            return  # the file's own comment stays
        tok.value = " " + comment + newline + after
    else:
        tok.value = " " + comment + value
    tok.start_mark = CommentMark(0)  # type: ignore[assignment]


def new_item(item_id: str, values: dict[str, Any], order: list[str]) -> CommentedMap:
    item = CommentedMap()
    item["id"] = scalar(item_id)
    for key in order:
        value = values.get(key)
        if key != "id" and value is not None:
            item[key] = yaml_value(value)
    return item


def update_item(
    item: CommentedMap, values: dict[str, Any], order: list[str], skip: set[str]
) -> list[tuple[str, Any, Any]]:
    """Set the sheet's fields on an existing item; returns (field, old, new) of each change."""
    changes: list[tuple[str, Any, Any]] = []
    rank = {key: i for i, key in enumerate(order)}
    for key, new in values.items():
        if key in skip:
            continue
        old = plain(item.get(key))
        if old == new or (old in (None, []) and new is None):
            continue
        changes.append((key, old, new))
        if new is None:
            del item[key]
        elif key in item:
            item[key] = yaml_value(new)
        else:
            keys = list(item.keys())
            at = sum(1 for k in keys if rank.get(k, len(order)) < rank[key])
            item.insert(at, key, yaml_value(new))
    return changes


def differences(known: dict[str, Any], values: dict[str, Any], skip: set[str]) -> list[tuple[str, Any, Any]]:
    out = []
    for key, new in values.items():
        old = plain(known.get(key))
        if key not in skip and old != new and not (old in (None, []) and new is None):
            out.append((key, old, new))
    return out


def list_seq(doc: Document, list_key: str) -> CommentedSeq:
    """The document's list ``list_key``, added in its place (with a blank line) when missing."""
    data = doc.data
    current = data.get(list_key)
    if isinstance(current, CommentedSeq):
        current.fa.set_block_style()  # a flow list [{…}, {…}] cannot hold comments between items
        return current
    if list_key in data and current is not None:
        raise ImportFailed(
            f"单位文件中的 {list_key} 不是列表，请先修正",
            f"{list_key} in the unit file is not a list: fix it first",
        )
    seq = CommentedSeq()
    rank = {key: i for i, key in enumerate(TOP_KEYS)}
    if list_key in data:  # `basic:` with nothing under it: its comments stay
        data[list_key] = seq
        return seq
    keys = list(data.keys())
    at = sum(1 for k in keys if rank.get(k, len(TOP_KEYS)) < rank[list_key])
    before = data[keys[at - 1]] if at else None
    data.insert(at, list_key, seq)
    if at < len(keys):
        set_end(seq, [""])  # the blank line before the next list
    if isinstance(before, CommentedSeq) and before:
        # what follows the list before (a blank line before the next key) now precedes this one
        lines = pop_trailing(before)
        if not lines or lines[-1]:
            lines.append("")
        set_end(before, lines)
    else:
        data.ca.items[list_key] = [None, _tokens([""], 0), None, None]
    set_eol(data, list_key, f"# {LIST_LABELS_ZH[list_key]}")
    return seq


def is_ours(line: str) -> bool:
    return line.startswith("#") and line.endswith(UNRESOLVED_MARK)
