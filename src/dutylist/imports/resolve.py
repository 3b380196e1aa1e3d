"""What an import writes into: the version directory, the unit, its lists and templates, and
department names turned into unit ids.

Department names are matched exactly first (id, then name), then after normalisation
(:func:`dutylist.diff.names.normalise`), then without the county prefix (安澜县、县、区、市)
and the 局/委/办 ending. A step that finds two departments stops the search: an ambiguous
name is reported, never guessed.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..diff.names import normalise
from ..model.vocab import ALL_LISTS, LIST_LABELS_ZH, LISTS_BY_KIND
from ..source.limits import Limits
from ..source.read import ReadProblem, decode_text, read_bytes
from ..source.spec import list_versions, resolve
from ..source.yamlload import load_yaml
from . import ImportFailed
from .ids import Known


@dataclass(frozen=True)
class Unit:
    id: str
    name: str
    kind: str  # department, town, township, street, village
    replaces: tuple[str, ...] = ()


@dataclass(frozen=True)
class Resolution:
    """A department name's unit id; ``candidates`` holds the ids it could mean when ambiguous."""

    id: str | None
    candidates: tuple[str, ...] = ()


@dataclass
class VersionContext:
    """The version directory an import writes into, and what it needs to know of it."""

    dir: Path
    spec: str  # as given to validate and diff
    label: str
    unit: Unit
    departments: list[Unit] = field(default_factory=list)
    region: str = ""
    previous: str = ""  # the version catalogue.yaml names as previous

    @property
    def unit_file(self) -> Path:
        return self.dir / "units" / f"{self.unit.id}.yaml"

    def resolver(self) -> DepartmentResolver:
        replaced = {old: d.id for d in self.departments for old in d.replaces}
        return DepartmentResolver(self.departments, self.region, replaced)

    def template(self, name: str, limits: Limits) -> dict[str, Any] | None:
        """A template's data, or None when it is missing or unreadable (validate reports it)."""
        path = self.dir / "templates" / f"{name}.yaml"
        if not path.is_file():
            return None
        data = load_plain(path, limits, quiet=True)
        return data if isinstance(data, dict) else None


def load_plain(path: Path, limits: Limits, *, quiet: bool = False) -> Any:
    """A YAML file's data; an unreadable file is an :class:`ImportFailed` (or None when quiet)."""
    raw = read_bytes(path, limits)
    text = raw if isinstance(raw, ReadProblem) else decode_text(raw)
    result = None if isinstance(text, ReadProblem) else load_yaml(text, limits)
    if result is None or not result.ok:
        if quiet:
            return None
        raise ImportFailed(
            f"{path} 无法读取或有语法错误，请先运行 dutylist validate 修正",
            f"{path} cannot be read or has syntax errors: run dutylist validate and fix it first",
        )
    return result.data


def load_context(unit_id: str, version: str | None, root: Path, limits: Limits) -> VersionContext:
    """The version directory (``version``, else the newest under ``root``) and the unit in it."""
    if version is None:
        labels = list_versions(root)
        if not labels:
            raise ImportFailed(
                f"{root} 下没有版本目录（含 catalogue.yaml 的子目录）；请用 --root 或 --version 指定",
                f"no versions under {root} (subdirectories holding catalogue.yaml): give --root or --version",
            )
        version = labels[-1]
    ref = resolve(version, root)
    if ref.kind != "dir" or ref.path is None:
        raise ImportFailed(
            f"{version} 不是版本目录；导入只能写入工作目录中的版本（如 2025）",
            f"{version} is not a version directory: import writes into a version on disk (e.g. 2025)",
        )
    units = load_plain(ref.path / "units.yaml", limits)
    catalogue = load_plain(ref.path / "catalogue.yaml", limits)
    known = _units(units)
    unit = next((u for u in known if u.id == unit_id), None)
    if unit is None:
        raise ImportFailed(*_no_unit(unit_id, ref.label, known))
    meta = catalogue if isinstance(catalogue, dict) else {}
    region = meta.get("region")
    region_name = str(region.get("name") or "") if isinstance(region, dict) else ""
    departments = [u for u in known if u.kind == "department"]
    previous = str(meta.get("previous") or "")
    return VersionContext(ref.path, ref.spec, ref.label, unit, departments, region_name, previous)


def _units(data: Any) -> list[Unit]:
    out: list[Unit] = []
    if not isinstance(data, dict):
        return out
    for section, kind in (("departments", "department"), ("townships", ""), ("villages", "village")):
        for entry in data.get(section) or []:
            if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                old = entry.get("replaces")
                replaces = tuple(str(r) for r in old) if isinstance(old, list) else ()
                unit_kind = kind or str(entry.get("kind") or "town")
                out.append(Unit(entry["id"], str(entry.get("name") or ""), unit_kind, replaces))
    return out


def _no_unit(unit_id: str, label: str, known: list[Unit]) -> tuple[str, str]:
    by_name = [u.id for u in known if u.name and (u.name == unit_id or normalise(u.name) == normalise(unit_id))]
    close = by_name or difflib.get_close_matches(unit_id, [u.id for u in known], n=1, cutoff=0.6)
    hint_zh = f"；是否想写 {close[0]!r}？" if close else ""
    hint_en = f"; did you mean {close[0]!r}?" if close else ""
    return (
        f"单位 {unit_id!r} 不在 {label}/units.yaml 中{hint_zh}",
        f"unit {unit_id!r} is not in {label}/units.yaml{hint_en}",
    )


def choose_list(unit: Unit, given: str | None, from_sheet: str | None, sheet: str) -> str:
    """``--list``, else the list the sheet's name says, else the unit kind's main list."""
    key = given or from_sheet
    if key is None:
        if unit.kind == "department":
            key = "powers"
        elif unit.kind == "village":
            raise ImportFailed(
                f"村（社区）{unit.name}（{unit.id}）有三个清单，工作表“{sheet}”的名称看不出是哪一个："
                "请用 --list autonomy|assist|negative 指定",
                f"village {unit.id} has three lists and sheet {sheet!r} does not say which: "
                "give --list autonomy, assist or negative",
            )
        else:
            key = "basic"
    allowed = LISTS_BY_KIND.get(unit.kind, ())
    if key not in allowed:
        label = LIST_LABELS_ZH.get(key, key)
        why_zh = "" if given else f"（工作表“{sheet}”的名称如此）"
        why_en = "" if given else f" (as sheet {sheet!r} is named)"
        raise ImportFailed(
            f"{unit.name}（{unit.id}）不能有{label}（{key}）{why_zh}；可用的清单：{'、'.join(allowed)}",
            f"{unit.id} ({unit.kind}) cannot hold list {key!r}{why_en}; its lists: {', '.join(allowed)}",
        )
    return key


# --- department names ----------------------------------------------------------------

_ENDINGS = re.compile(r"(委员会|办公室|局|委|办)$")
_PREFIXES = ("县", "区", "市")


class DepartmentResolver:
    """Department names as written in a spreadsheet → department ids of units.yaml."""

    def __init__(self, departments: list[Unit], region: str = "", replaced: dict[str, str] | None = None) -> None:
        self._departments = departments
        self._region = normalise(region) if region else ""
        self._replaced = replaced or {}
        self._memo: dict[str, Resolution] = {}

    def resolve(self, text: str) -> Resolution:
        found = self._memo.get(text)
        if found is None:
            found = self._memo[text] = self._resolve(text.strip())
        return found

    def _resolve(self, text: str) -> Resolution:
        plain = normalise(text)
        county = self._county(plain)
        core = self._core(plain)
        steps = (
            lambda d: d.id == text,
            lambda d: d.name == text,
            lambda d: d.id.casefold() == text.casefold(),
            lambda d: normalise(d.name) == plain,
            lambda d: normalise(d.name) == county,  # 府谷县应急管理局 → 县应急管理局
            lambda d: core != "" and self._core(normalise(d.name)) == core,  # 应急管理 → 县应急管理局
        )
        for step in steps:
            hits = sorted({d.id for d in self._departments if step(d)})
            if len(hits) == 1:
                return Resolution(hits[0])
            if hits:
                return Resolution(None, tuple(hits))
        if text in self._replaced:
            return Resolution(self._replaced[text])
        return Resolution(None)

    def _county(self, text: str) -> str:
        """The county's own name as 县 (区, 市): 府谷县自然资源局 → 县自然资源局."""
        region = self._region
        if region and text.startswith(region) and len(text) > len(region):
            return region[-1] + text[len(region) :]
        return text

    def _core(self, text: str) -> str:
        """Without the county prefix and the 局/委/办 ending: 县应急管理局 → 应急管理."""
        text = self._county(text)
        if text[:1] in _PREFIXES and len(text) > 1:
            text = text[1:]
        return _ENDINGS.sub("", text)


# --- templates -----------------------------------------------------------------------


@dataclass
class Templates:
    items: dict[str, list[tuple[Known, dict[str, Any]]]]  # list key -> (item, data), exclusions left out
    ids: set[str]


def unit_templates(data: Any, context: VersionContext, limits: Limits) -> Templates:
    """The items of the templates the unit file includes, its exclusions left out, and every
    id they hold (ids stay unique in the unit, template items included)."""
    include = data.get("include")
    exclude = data.get("exclude")
    excluded = {str(x) for x in exclude} if isinstance(exclude, list) else set()
    out = Templates({}, set())
    for name in include if isinstance(include, list) else []:
        data = context.template(str(name), limits)
        for key in ALL_LISTS:
            items = data.get(key) if data else None
            for item in items if isinstance(items, list) else []:
                if isinstance(item, dict) and isinstance(item.get("id"), str):
                    out.ids.add(item["id"])
                    if item["id"] not in excluded:
                        known = Known(item["id"], str(item.get("name")), str(name))
                        out.items.setdefault(key, []).append((known, item))
    return out


# --- rows ------------------------------------------------------------------------------


@dataclass
class PreparedRow:
    """A spreadsheet row as the fields of an item of one list."""

    sheet: str
    row: int
    name: str
    rid: str | None  # the sheet's 编号, when it is a valid id
    values: dict[str, Any]  # every field the sheet carries (name too): text, list of texts, or None
    unresolved: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)  # field -> (text, candidates)


def prepare_rows(tables: list[Any], list_key: str, resolver: DepartmentResolver) -> tuple[list[PreparedRow], list[Any]]:
    """The rows of ``tables`` (SheetTable) as items of ``list_key``; department names resolved."""
    from . import ImportNote
    from .ids import valid_id
    from .write import DEPARTMENT_FIELDS, sheet_fields

    wanted = sheet_fields(list_key)
    rows: list[PreparedRow] = []
    notes: list[ImportNote] = []
    for table in tables:
        carried = [key for key in wanted if key in table.columns or key == "name"]
        for key, header in table.columns.items():
            if key not in wanted and key not in ("id", "seq", "-") and any(r.fields.get(key) for r in table.rows):
                notes.append(
                    ImportNote(
                        table.sheet,
                        "",
                        f"列“{header}”不属于{LIST_LABELS_ZH[list_key]}，已忽略",
                        f"column {header!r} ({key}) has no place in list {list_key}; ignored",
                    )
                )
        for source in table.rows:
            name = text_value(source.fields.get("name"))
            if name is None:
                continue
            raw_id = text_value(source.fields.get("id"))
            rid = valid_id(raw_id)
            if raw_id is not None and rid is None:
                notes.append(
                    ImportNote(
                        source.sheet,
                        "",
                        f"编号“{raw_id}”不能作编号（只能用字母、数字和 . _ -），已另行编号",
                        f"编号 {raw_id!r} is not a valid id (letters, digits, '.', '_', '-'); a new id is given",
                        source.row,
                    )
                )
            row = PreparedRow(source.sheet, source.row, name, rid, {})
            for key in carried:
                value = basis_value(source.fields.get(key)) if key == "basis" else text_value(source.fields.get(key))
                if key in DEPARTMENT_FIELDS and isinstance(value, str):
                    found = resolver.resolve(value)
                    if found.id is None:
                        row.unresolved[key] = (value, found.candidates)
                        continue
                    value = found.id
                row.values[key] = value
            rows.append(row)
    return rows, notes


def text_value(value: Any) -> str | None:
    """A cell as text, outer spaces trimmed; None when empty."""
    if value is None:
        return None
    if isinstance(value, list):
        value = "\n".join(str(v) for v in value)
    elif isinstance(value, float) and value.is_integer():
        value = int(value)
    elif hasattr(value, "isoformat"):
        value = value.isoformat()
    text = str(value).strip()
    return text or None


def basis_value(value: Any) -> list[str] | None:
    parts = value if isinstance(value, list) else str(value or "").split("\n")
    out = [t for t in (text_value(p) for p in parts) if t]
    return out or None
