"""``dutylist new LABEL --from SPEC``: start the next version from an existing one.

The sources are copied (from a directory or straight from git objects), ``previous`` is
set to the version started from, and ``adjustments.yaml`` starts empty. What described
the step into the old version is taken out, because it would be wrong in the new one:
``replaces`` of items and units (they name ids of the old version's predecessor) and the
catalogue's ``approval`` (the new version is not approved yet). Nothing else changes, so
``dutylist diff OLD NEW`` shows no change until the catalogue is edited.
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import UserError
from .model.vocab import ID_RE
from .source.limits import Limits
from .source.read import ReadProblem
from .source.spec import resolve

ADJUSTMENTS = """\
# yaml-language-server: $schema=../../schemas/adjustments.schema.json
#
# {label} 版相对 {previous} 版的动态调整记录（DESIGN §6）：每条调整一条记录，写明 kind、items、basis。
[]
"""


class NewVersionError(UserError):
    """The version cannot be started as asked (exit 2); nothing is written."""


@dataclass(frozen=True)
class NewOptions:
    label: str
    source: str
    root: Path = Path("catalogues")
    limits: Limits = field(default_factory=Limits)


@dataclass
class NewResult:
    created: Path
    files: int
    edited: list[str]  # files whose `replaces`/`approval` were taken out


def new_version(options: NewOptions) -> NewResult:
    label = options.label
    if not ID_RE.match(label) or label.startswith("."):
        raise NewVersionError(f"无效的版本名 {label!r}", f"invalid version label {label!r}")
    ref = resolve(options.source, options.root)
    if ref.kind == "compiled":
        raise NewVersionError(
            f"{options.source} 是编译后的清单；新版本需要从源文件（YAML）开始",
            f"{options.source} is a compiled list; a new version starts from sources (YAML)",
        )
    target = options.root / label
    if target.exists():
        raise NewVersionError(f"{target} 已存在，不会覆盖", f"{target} exists and is never overwritten")
    options.root.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=options.root, prefix=f".new-{label}-"))
    try:
        edited = []
        files = 0
        for rel in sorted(ref.files()):
            raw = ref.read(rel, options.limits)
            if isinstance(raw, ReadProblem):
                raise NewVersionError(f"无法读取 {ref.display}/{rel}", f"cannot read {ref.display}/{rel}")
            if rel == "adjustments.yaml":
                continue
            if rel.endswith(".yaml"):
                changed = _edit(rel, raw, label, ref.label)
                if changed is not None:
                    raw = changed
                    if rel != "catalogue.yaml":
                        edited.append(rel)
            path = tmp / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(raw)
            files += 1
        (tmp / "adjustments.yaml").write_text(ADJUSTMENTS.format(label=label, previous=ref.label), encoding="utf-8")
        os.replace(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return NewResult(target, files + 1, edited)


def _yaml() -> Any:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _edit(rel: str, raw: bytes, label: str, previous: str) -> bytes | None:
    """The file with the old step taken out, or None when nothing needs to change."""
    text = raw.decode("utf-8-sig")
    if rel != "catalogue.yaml" and "replaces" not in text:
        return None
    yaml = _yaml()
    try:
        data = yaml.load(text)
    except Exception as exc:  # a broken file: copy it as it is, validate will point at it
        del exc
        return None
    if rel == "catalogue.yaml":
        if not hasattr(data, "insert"):
            return None
        from ruamel.yaml.scalarstring import DoubleQuotedScalarString

        data.pop("approval", None)
        if isinstance(data.get("title"), str) and previous in data["title"]:
            data["title"] = data["title"].replace(previous, label)
        if "version" in data:
            data["version"] = DoubleQuotedScalarString(label)
        if "previous" in data:
            data["previous"] = DoubleQuotedScalarString(previous)
        else:
            keys = list(data)
            at = keys.index("effective") + 1 if "effective" in keys else len(keys)
            data.insert(at, "previous", DoubleQuotedScalarString(previous))
    elif not _drop_replaces(data):
        return None
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue().encode("utf-8")


def _drop_replaces(node: Any) -> bool:
    changed = False
    if isinstance(node, dict):
        if "replaces" in node:
            del node["replaces"]
            changed = True
        for value in node.values():
            changed = _drop_replaces(value) or changed
    elif isinstance(node, list):
        for value in node:
            changed = _drop_replaces(value) or changed
    return changed
