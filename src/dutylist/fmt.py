"""``dutylist fmt``: canonical formatting of catalogue files, comments kept.

The layout itself (indentation, quotes, comments) is :mod:`dutylist.source.yamlfmt`;
this module knows the catalogue: which keys a file kind holds and in which order, which
lists are lists of ids, and which files to format.

Key order is the schema's (the fields of the models in :mod:`dutylist.model.catalogue`),
except where DESIGN §2 and the sample catalogues put the identifying keys first: a unit
file starts ``unit, include, exclude``, a template ``template, title``, an item
``id, name, replaces, category`` then the fields of its list (``lead …``, ``receiver …``,
``power_type``) then ``tasks, basis, approval``, a unit ``id, name, kind, township, code,
replaces``. Keys the schema does not know stay, after the known ones, in their order.
"""

from __future__ import annotations

import os
import stat
import tempfile
import types
import typing
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

from pydantic import BaseModel, RootModel
from pydantic.types import StringConstraints

from .diagnostics import Diagnostic, has_errors
from .errors import UserError
from .model.catalogue import FILE_MODELS, Item, TemplateFile, UnitBase, UnitFile
from .model.vocab import ID_PATTERN, ITEM_KEY_ORDER
from .source.files import process_bytes
from .source.limits import Limits
from .source.read import decode_text, read_bytes
from .source.spec import list_versions
from .source.version import file_kind
from .source.yamlfmt import Shape, YamlFormatError, reformat
from .source.yamlload import load_yaml

_UNIT_ORDER = ("id", "name", "kind", "township", "code", "replaces")
_LEADING: dict[type[BaseModel], tuple[str, ...]] = {
    UnitFile: ("unit", "include", "exclude"),
    TemplateFile: ("template", "title"),
}


@dataclass(frozen=True)
class FmtOptions:
    paths: tuple[Path, ...] = ()  # files or directories; () = every catalogue file under the root
    check: bool = False
    root: Path = Path("catalogues")
    limits: Limits = field(default_factory=Limits)


@dataclass
class FmtResult:
    changed: list[Path] = field(default_factory=list)  # reformatted (or, with check, that would be)
    unchanged: int = 0
    diagnostics: list[Diagnostic] = field(default_factory=list)  # files that could not be formatted
    check: bool = False
    failed: int = 0  # files left untouched because they could not be read or parsed

    @property
    def exit_code(self) -> int:
        if has_errors(self.diagnostics):
            return 1
        return 1 if self.check and self.changed else 0


# --- the schema's shape ------------------------------------------------------------------


def key_order(model: type[BaseModel]) -> tuple[str, ...]:
    """The canonical key order of a model's mapping (see the module docstring)."""
    keys = [info.alias or name for name, info in model.model_fields.items()]
    leading: tuple[str, ...]
    if issubclass(model, Item):
        leading = ITEM_KEY_ORDER
    elif issubclass(model, UnitBase):
        leading = _UNIT_ORDER
    else:
        leading = _LEADING.get(model, ())
    first = [k for k in leading if k in keys]
    return (*first, *(k for k in keys if k not in first))


def _models_in(annotation: object) -> tuple[type[BaseModel] | None, bool]:
    """The model a field's value holds (itself, or in a list), and whether it is a list of ids."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, False
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is list and args:
        inner = args[0]
        metadata = getattr(inner, "__metadata__", ())
        if any(isinstance(m, StringConstraints) and m.pattern == ID_PATTERN for m in metadata):
            return None, True
        return _models_in(inner)[0], False
    if origin in (typing.Union, types.UnionType):
        for arg in args:
            found = _models_in(arg)
            if found != (None, False):
                return found
    return None, False


@cache
def shape_of(model: type[BaseModel]) -> Shape:
    if issubclass(model, RootModel):
        inner, _ = _models_in(model.model_fields["root"].annotation)
        return shape_of(inner) if inner is not None else Shape()
    fields: dict[str, Shape] = {}
    id_lists = set()
    for name, info in model.model_fields.items():
        key = info.alias or name
        inner, is_ids = _models_in(info.annotation)
        if inner is not None:
            fields[key] = shape_of(inner)
        if is_ids:
            id_lists.add(key)
    return Shape(key_order(model), fields, frozenset(id_lists))


def format_text(text: str, kind: str, limits: Limits | None = None) -> str:
    """``text``, a catalogue file of ``kind`` (catalogue, units, unit, template, adjustments,
    negative), in canonical layout, comments kept; the data it holds is unchanged.

    Raises YamlFormatError when the text is not YAML that can be formatted safely (its
    ``problem``, ``line`` and ``column`` make a DL102 diagnostic)."""
    model = FILE_MODELS.get(kind)
    return reformat(text, shape_of(model) if model is not None else None, limits)


# --- which files ---------------------------------------------------------------------------


def _version_files(vdir: Path) -> list[tuple[Path, str]]:
    out = []
    for dirpath, dirnames, filenames in os.walk(vdir):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            path = Path(dirpath) / name
            kind = file_kind(path.relative_to(vdir).as_posix())
            if kind is not None:
                out.append((path, kind))
    return out


def _root_files(root: Path) -> list[tuple[Path, str]]:
    out = [f for label in list_versions(root) for f in _version_files(root / label)]
    if (root / "negative.yaml").is_file():
        out.append((root / "negative.yaml", "negative"))
    return out


def _dir_files(directory: Path) -> list[tuple[Path, str]]:
    if (directory / "catalogue.yaml").is_file():
        return _version_files(directory)
    if directory.name in ("units", "templates") and (directory.parent / "catalogue.yaml").is_file():
        return [f for f in _version_files(directory.parent) if f[0].parent == directory]
    if list_versions(directory):
        return _root_files(directory)
    out = []
    for sub in sorted(directory.iterdir()):
        if sub.is_dir() and not sub.name.startswith(".") and not sub.is_symlink():
            out += _dir_files(sub)
    return out


def _file_kind(path: Path) -> str | None:
    if path.parent.name in ("units", "templates") and path.suffix == ".yaml":
        return "unit" if path.parent.name == "units" else "template"
    kind = {"catalogue.yaml": "catalogue", "units.yaml": "units", "adjustments.yaml": "adjustments"}.get(path.name)
    return kind or ("negative" if path.name == "negative.yaml" else None)


def _collect(options: FmtOptions, result: FmtResult) -> list[tuple[Path, str]]:
    if not options.paths:
        if not options.root.is_dir():
            raise UserError(f"找不到目录根 {options.root}", f"no catalogue root {options.root}")
        return _root_files(options.root)
    files: list[tuple[Path, str]] = []
    for path in options.paths:
        if path.is_dir():
            files += _dir_files(path)
        elif path.exists() or path.is_symlink():
            kind = _file_kind(path)
            if kind is None:
                shown = _shown(path)
                result.diagnostics.append(Diagnostic("DL138", shown, params={"name": path.name}, fs_path=shown))
            else:
                files.append((path, kind))
        else:
            raise UserError(f"找不到 {path}", f"no such file or directory: {path}")
    unique: dict[Path, tuple[Path, str]] = {}
    for path, kind in files:
        unique.setdefault(path.absolute(), (path, kind))
    return list(unique.values())


def _shown(path: Path) -> str:
    try:
        return path.absolute().relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()


# --- formatting ----------------------------------------------------------------------------


def run_fmt(options: FmtOptions) -> FmtResult:
    """Format the files ``options`` names; a file that cannot be read or parsed is left as it
    is and reported with the loader's diagnostics, and the others are still formatted."""
    result = FmtResult(check=options.check)
    for path, kind in _collect(options, result):
        shown = _shown(path)
        raw = read_bytes(path, options.limits)
        text = decode_text(raw) if isinstance(raw, bytes) else raw
        if not (isinstance(raw, bytes) and isinstance(text, str) and load_yaml(text, options.limits, raw).ok):
            result.diagnostics += [
                replace(d, fs_path=d.file) for d in process_bytes(shown, kind, raw, options.limits).diagnostics
            ]
            result.failed += 1
            continue
        try:
            new = format_text(text, kind, options.limits).encode("utf-8")
        except YamlFormatError as exc:
            params = {"problem": exc.problem}
            result.diagnostics.append(Diagnostic("DL102", shown, exc.line, exc.column, params=params, fs_path=shown))
            result.failed += 1
            continue
        if new == raw:
            result.unchanged += 1
            continue
        result.changed.append(Path(shown))
        if not options.check:
            _write(path, new)
    result.diagnostics.sort(key=Diagnostic.sort_key)
    return result


def _write(path: Path, data: bytes) -> None:
    """Atomically: a temporary file beside the target, then a rename; the mode is kept."""
    target = Path(os.path.realpath(path))
    mode = stat.S_IMODE(target.stat().st_mode)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise UserError(f"无法写入 {path}：{exc.strerror}", f"cannot write {path}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise UserError(f"无法写入 {path}：{exc.strerror}", f"cannot write {path}: {exc.strerror}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


__all__ = ["FmtOptions", "FmtResult", "format_text", "key_order", "run_fmt", "shape_of"]
