"""Building the site: every page of every version, the change pages, written atomically.

Layout (all links relative, so it works from file:// and from any static server)::

    index.html                  the versions, and the change pages
    style.css                   the one stylesheet
    dutylist-site.json          the marker: this directory is a dutylist site
    2025/index.html             a version: facts, chart, units with counts, search
    2025/units/<unit-id>.html   a unit's lists (every unit, townships, departments, villages)
    changes/2024--2025.html     consecutive versions given: what changed

The output goes to a temporary directory beside the target, then is renamed into place.
An existing target is replaced only if it is an earlier dutylist site (it holds the
marker) or is empty, or with ``--force``; a directory that holds the current directory,
the catalogue root or a git repository is never replaced. Same input, same bytes.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__
from ..compiled import CompiledList
from ..diff.engine import diff_sides
from ..diff.index import Side
from ..output import OutputExistsError, never_replaced
from ..render.diff_out import summary_sentence
from ..render.list_tables import Table as ListTable
from ..render.list_tables import unit_tables
from ..source.limits import Limits
from ..stats import compute_stats
from .assets import STYLE_CSS
from .changes import change_page, pair_file
from .pages import ChangeLink, top_index, unit_page, version_index
from .search import search_data
from .versions import CHANGES_DIR, MARKER, STYLE, UNITS_DIR, SiteVersion, load_versions, place

SITE_FORMAT = "dutylist-site"
HTML_DIR = "html"


@dataclass(frozen=True)
class SiteOptions:
    specs: tuple[str, ...]
    out: Path
    root: Path = Path("catalogues")
    force: bool = False
    limits: Limits = field(default_factory=Limits)
    use_cache: bool = True


@dataclass
class SiteResult:
    out: Path
    index: Path
    pages: int = 0


class _Writer:
    """Files under one directory, written as UTF-8 with LF line ends; counts the pages."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.written: list[Path] = []
        self.pages = 0

    def text(self, rel: str, text: str) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
        self.written.append(path)
        self.pages += rel.endswith(".html")


def build_site(options: SiteOptions) -> SiteResult:
    out = options.out
    never_replaced(out, [options.root, *(Path(x) for x in options.specs if Path(x).exists())])
    if not options.force:
        check_site_target(out)
    versions = load_versions(options.specs, options.root, options.limits, options.use_cache)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.tmp-", dir=out.parent))
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o777 & ~umask)  # mkdtemp makes it private; a site is for publishing
    try:
        writer = _Writer(tmp)
        render_site(versions, writer)
        old = None
        if out.exists() or out.is_symlink():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
            os.replace(out, old / "previous")
        os.replace(tmp, out)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return SiteResult(out, out / "index.html", writer.pages)


def write_html(listing: CompiledList, out_dir: Path) -> list[Path]:
    """``dutylist compile --format html``: the one-version site in ``out_dir/html/``."""
    side = Side(listing.manifest, listing.label, None, listing)
    writer = _Writer(out_dir / HTML_DIR)
    render_site(place([listing.label], [listing], [side]), writer)
    return writer.written


def render_site(versions: Sequence[SiteVersion], writer: _Writer) -> None:
    changes: list[ChangeLink] = []
    for base, head in itertools.pairwise(versions):
        result = diff_sides(base.side, head.side)
        file = pair_file(base, head)
        writer.text(f"{CHANGES_DIR}/{file}", change_page(base, head, result))
        changes.append(ChangeLink(file, base, head, summary_sentence(result, "zh")))
    for v in versions:
        _render_version(v, changes, writer)
    writer.text("index.html", top_index(list(versions), changes))
    writer.text(STYLE, STYLE_CSS)
    marker = {"format": SITE_FORMAT, "schema": 1, "dutylist": __version__, "versions": [v.label for v in versions]}
    writer.text(MARKER, json.dumps(marker, ensure_ascii=False, indent=2) + "\n")


def _render_version(v: SiteVersion, changes: list[ChangeLink], writer: _Writer) -> None:
    views: dict[str, dict[str, int]] = {}  # department -> rows of its 牵头配合 / 收回承接 tables
    done: set[str] = set()
    for tables in unit_tables(v.listing):
        unit = tables.unit
        views[unit["id"]] = {t.key: len(t.entries) for t in tables.tables}
        _unit(v, unit, tables.tables, writer)
        done.add(unit["id"])
    for unit in v.listing.units:  # units without items still get a page: every link resolves
        if unit["id"] not in done:
            _unit(v, unit, [], writer)
    stats = compute_stats(v.manifest, "unit")
    page = version_index(v, stats, views, changes, search_data(v))
    writer.text(f"{v.slug}/index.html", page)


def _unit(v: SiteVersion, unit: dict[str, object], tables: list[ListTable], writer: _Writer) -> None:
    writer.text(f"{v.slug}/{UNITS_DIR}/{v.unit_files[str(unit['id'])]}", unit_page(v, unit, tables))


def check_site_target(out: Path) -> None:
    """Refuse an existing ``out`` unless it is empty or an earlier dutylist site."""
    if not out.exists() and not out.is_symlink():
        return
    if not out.is_dir():
        raise OutputExistsError(out, "已存在且不是目录", "exists and is not a directory")
    marker = out / MARKER
    if marker.is_file():
        try:
            fmt = json.loads(marker.read_text(encoding="utf-8")).get("format")
        except (OSError, ValueError, AttributeError):
            fmt = None
        if fmt == SITE_FORMAT:
            return
        raise OutputExistsError(out, f"已存在，其中的 {MARKER} 无法识别", f"exists and its {MARKER} is not ours")
    if any(out.iterdir()):
        raise OutputExistsError(out, "已存在且不是 dutylist 生成的网站", "exists and is not a dutylist site")
