"""The versions a site publishes: loaded from their specs, each with its place in the site.

A source version is compiled in memory (as ``dutylist diff`` does), a ``list.json`` is
read as it is; an invalid version stops the build with a pointer to ``dutylist validate``.
Each version gets a directory named after its label (made safe, and unique when the same
label is given twice: ``2025`` and ``main:2025``), and each unit a page file named after
its id.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from ..compile import CompileOptions, compile_ref
from ..compiled import CompiledList
from ..diagnostics import Severity
from ..diff.index import Side, side_of
from ..errors import UserError
from ..source.limits import Limits
from ..source.spec import resolve
from .markup import unique_names

#: The marker that says a directory is a dutylist site (and may be replaced by a new build).
MARKER = "dutylist-site.json"
STYLE = "style.css"
CHANGES_DIR = "changes"
UNITS_DIR = "units"
#: Names at the top of the site that a version's directory may not take.
RESERVED = ("index.html", STYLE, CHANGES_DIR, MARKER)


@dataclass(eq=False)  # a version is itself: the same label may be given twice
class SiteVersion:
    """One published version: its list, the diff's view of it, and where its pages go."""

    spec: str
    listing: CompiledList
    side: Side
    slug: str  # the version's directory in the site
    unit_files: dict[str, str] = field(default_factory=dict)  # unit id -> file name in units/

    @property
    def label(self) -> str:
        return self.listing.label

    @property
    def manifest(self) -> dict[str, Any]:
        return self.listing.manifest

    @property
    def title(self) -> str:
        return str(self.manifest.get("title") or self.label)

    @cached_property
    def names(self) -> dict[str, str]:
        return {u["id"]: u["name"] for u in self.listing.units}

    def unit_href(self, unit_id: str, to_version: str = "") -> str | None:
        """The link to a unit's page; ``to_version`` is the relative path to the version's directory."""
        name = self.unit_files.get(unit_id)
        return f"{to_version}{UNITS_DIR}/{name}" if name else None

    def display_name(self, unit: dict[str, Any]) -> str:
        """A village is named with its township (桃源镇红星村), as the published lists do."""
        name = str(unit["name"])
        if unit.get("kind") == "village":
            township = self.names.get(str(unit.get("township") or ""))
            if township:
                return township + name
        return name


def place(specs: Sequence[str], listings: Sequence[CompiledList], sides: Sequence[Side]) -> list[SiteVersion]:
    """Give each version its directory and each unit its page file."""
    taken = list(RESERVED)
    versions = []
    for spec, listing, side in zip(specs, listings, sides, strict=True):
        slug = unique_names([listing.label], reserved=taken)[listing.label]  # a label given twice: 2025, 2025-2
        taken.append(slug)
        files = unique_names(u["id"] for u in listing.units)
        versions.append(SiteVersion(spec, listing, side, slug, {uid: f"{name}.html" for uid, name in files.items()}))
    return versions


def load_versions(specs: Sequence[str], root: Path, limits: Limits, use_cache: bool) -> list[SiteVersion]:
    if not specs:
        raise UserError("没有指定版本", "no version given")
    listings, sides = [], []
    options = CompileOptions(root, limits, use_cache)
    for spec in specs:
        ref = resolve(spec, root)
        result = compile_ref(ref, options)
        if result.listing is None:
            errors = sum(1 for d in result.diagnostics if d.level is Severity.ERROR)
            raise UserError(
                f"版本 {spec} 有 {errors} 个错误，未生成网站；请先运行 dutylist validate {spec} 查看并修正",
                f"version {spec} has {errors} error(s); no site written. Run dutylist validate {spec} to see them",
            )
        listings.append(result.listing)
        sides.append(side_of(ref, result.listing))
    return place(specs, listings, sides)
