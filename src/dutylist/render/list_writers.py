"""Writers of a compiled list, one per ``--format`` of ``dutylist compile``.

The registry names modules, imported only when their format is asked for (xlsxwriter is
not loaded to write JSON).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path

from ..compiled import CompiledList

Writer = Callable[[CompiledList, Path], list[Path]]

LIST_WRITERS: dict[str, tuple[str, str]] = {
    "json": ("dutylist.render.list_writers", "write_json"),
    "csv": ("dutylist.render.list_csv", "write_csv"),
    "xlsx": ("dutylist.render.list_xlsx", "write_xlsx"),
    "md": ("dutylist.render.list_markdown", "write_markdown"),
    "html": ("dutylist.site.build", "write_html"),
}


def writer(fmt: str) -> Writer:
    module, name = LIST_WRITERS[fmt]
    fn: Writer = getattr(importlib.import_module(module), name)
    return fn


def write_json(listing: CompiledList, out_dir: Path) -> list[Path]:
    target = out_dir / "list.json"
    listing.write(target)
    return [target]
