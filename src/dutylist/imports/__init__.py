"""Spreadsheets into unit files (``dutylist import``).

Reading (``imports/table.py``: .xlsx/.xls/.csv → :class:`SheetTable` of :class:`SourceRow`)
is separate from writing (``imports/write.py``: rows → the unit's YAML, ids kept, comments
naming the source cell). :func:`run_import` ties them: it finds the version and the unit
(``resolve.py``), matches rows to items (``ids.py``), edits the unit file in memory, and
only when everything succeeded writes it — or, with ``--dry-run``, diffs the version with
the version as it would be.
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..diagnostics import Diagnostic, has_errors
from ..errors import UserError
from ..source.limits import Limits

if TYPE_CHECKING:
    from ..diff.engine import DiffResult
    from .resolve import VersionContext


class ImportFailed(UserError):
    """A spreadsheet that cannot be imported: names the file, sheet and cell; exit 2, nothing written."""


@dataclass(frozen=True)
class ImportOptions:
    file: Path
    unit: str
    list: str | None = None  # None: from the sheet name, else basic for townships / powers for departments
    version: str | None = None  # the version directory to write into; None: the newest under the root
    root: Path = Path("catalogues")
    sheet: str | None = None
    all_sheets: bool = False
    dry_run: bool = False
    force: bool = False
    limits: Limits = field(default_factory=Limits)


@dataclass(frozen=True)
class ImportNote:
    """Something about the spreadsheet a user should check: a cell Excel made a date, a column
    no field takes, a 编号 not used. ``cell`` is ``C7``; ``row`` when only the row is known."""

    sheet: str
    cell: str
    zh: str
    en: str
    row: int = 0


@dataclass(frozen=True)
class Unresolved:
    """A department name (牵头部门 / 承接部门) that names no department, or several."""

    sheet: str
    row: int
    field: str  # lead | receiver
    text: str
    item: str  # the item id
    candidates: tuple[str, ...] = ()  # the departments it could mean, when ambiguous
    kept: str | None = None  # the id the file already had, left as it was


@dataclass(frozen=True)
class ItemRef:
    id: str
    name: str
    sheet: str = ""
    row: int = 0


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: Any
    new: Any


@dataclass
class ItemChange:
    item: ItemRef
    fields: list[FieldChange]


@dataclass
class ListReport:
    """What an import does to one list of the unit file."""

    list: str
    sheets: builtins.list[str]
    rows: int = 0
    new: builtins.list[ItemRef] = field(default_factory=builtins.list)
    kept: int = 0  # rows matched to items the file had: their ids kept
    changed: builtins.list[ItemChange] = field(default_factory=builtins.list)
    removed: builtins.list[ItemRef] = field(default_factory=builtins.list)  # items the sheet no longer has
    template: int = 0  # rows the unit already has from the templates it includes
    template_missing: builtins.list[str] = field(default_factory=builtins.list)  # template items no row names


@dataclass
class ImportResult:
    target: Path  # the unit file written, or that would be
    written: bool = False
    exit_code: int = 0
    details: dict[str, Any] = field(default_factory=dict)
    source: Path = Path()
    version: str = ""
    unit: str = ""
    unit_name: str = ""
    created: bool = False  # the unit file did not exist
    dry_run: bool = False
    forced: bool = False
    needs_force: bool = False  # existing items would change or go: refused without --force
    unchanged: bool = False  # the file would stay byte for byte as it is
    lists: list[ListReport] = field(default_factory=list)
    notes: list[ImportNote] = field(default_factory=list)
    unresolved: list[Unresolved] = field(default_factory=list)
    diff: DiffResult | None = None  # --dry-run: the version before → as it would be
    diagnostics: list[Diagnostic] = field(default_factory=list)  # of the unit file, after the import

    @property
    def refused(self) -> bool:
        return self.needs_force and not self.forced

    def compute_exit_code(self) -> int:
        return 1 if self.refused or self.unresolved or has_errors(self.diagnostics) else 0


def run_import(options: ImportOptions) -> ImportResult:
    """Read the spreadsheet, merge its rows into the unit's file, and write it (atomically, and
    only when nothing failed and nothing existing changes without ``force``); or, with
    ``dry_run``, write nothing and diff the version as it would be."""
    from .ids import merge_lists
    from .resolve import choose_list, load_context, prepare_rows, unit_templates
    from .table import read_tables
    from .write import load_document, write_atomic

    context = load_context(options.unit, options.version, options.root, options.limits)
    if not options.file.is_file():
        raise ImportFailed(f"找不到文件 {options.file}", f"no such file: {options.file}")
    tables = read_tables(options.file, options.sheet, options.all_sheets)
    unit = context.unit
    result = ImportResult(
        context.unit_file,
        source=options.file,
        version=context.label,
        unit=unit.id,
        unit_name=unit.name,
        created=not context.unit_file.exists(),
        dry_run=options.dry_run,
        forced=options.force,
    )
    by_list: dict[str, list[Any]] = {}
    for table in tables:
        result.notes.extend(ImportNote(n.sheet, n.cell, n.zh, n.en) for n in table.notes)
        if options.all_sheets and options.list is None and table.list is None and len(tables) > 1:
            result.notes.append(
                ImportNote(
                    table.sheet,
                    "",
                    "看不出这个工作表是哪个清单，未导入（可用 --sheet 和 --list 单独导入）",
                    "which list this sheet is cannot be told from its name: not imported "
                    "(import it alone with --sheet and --list)",
                )
            )
            continue
        by_list.setdefault(choose_list(unit, options.list, table.list, table.sheet), []).append(table)
    header = f"{unit.name}事项清单，由 dutylist import 从 {options.file.name} 导入。"
    doc = load_document(context.unit_file, unit.id, header)
    resolver = context.resolver()
    prepared = {key: prepare_rows(tables_, key, resolver) for key, tables_ in by_list.items()}
    for _rows, notes in prepared.values():
        result.notes.extend(notes)
    templates = unit_templates(doc.data, context, options.limits)
    rows = {key: rows for key, (rows, _notes) in prepared.items()}
    reports, unresolved = merge_lists(doc, rows, templates, unit.id, options.file.name, result.notes)
    result.lists, result.unresolved = reports, unresolved
    result.needs_force = any(r.changed or r.removed for r in reports)
    text = doc.dump()
    result.unchanged = text == doc.original
    if options.dry_run:
        _preview(result, context, text, options)
    elif not result.refused and not result.unchanged:
        try:
            write_atomic(context.unit_file, text)
        except OSError as exc:
            raise ImportFailed(
                f"无法写入 {context.unit_file}：{exc.strerror or exc}", f"cannot write {context.unit_file}: {exc}"
            ) from None
        result.written = True
        result.diagnostics = _check(context, context.spec, options)
    result.exit_code = result.compute_exit_code()
    return result


def _check(context: VersionContext, spec: str, options: ImportOptions, *, use_cache: bool = True) -> list[Diagnostic]:
    """The diagnostics of the unit file when the version ``spec`` is validated."""
    from ..validate import ValidateOptions, validate

    checked = validate(ValidateOptions((spec,), options.root, options.limits, use_cache=use_cache))
    suffix = f"/units/{context.unit.id}.yaml"
    return [d for d in checked.diagnostics if d.file.endswith(suffix)]


def _preview(result: ImportResult, context: VersionContext, text: str, options: ImportOptions) -> None:
    """``--dry-run``: validate and diff a copy of the version holding the new unit file (beside
    a link to the version it names as ``previous``, which some checks compare with)."""
    import contextlib
    import shutil
    import tempfile

    from ..diff.run import DiffOptions, run_diff

    with tempfile.TemporaryDirectory(prefix="dutylist-import-") as tmp:
        copy = Path(tmp) / context.dir.name
        shutil.copytree(context.dir, copy, ignore=shutil.ignore_patterns(".*"))
        (copy / "units" / f"{context.unit.id}.yaml").write_text(text, encoding="utf-8")
        previous = context.previous
        if previous and (context.dir.parent / previous).is_dir():
            with contextlib.suppress(OSError):  # no symbolic links here: checked without it
                (Path(tmp) / previous).symlink_to((context.dir.parent / previous).absolute(), True)
        display = f"{context.spec}/units/{context.unit.id}.yaml"
        result.diagnostics = [d.at(file=display) for d in _check(context, str(copy), options, use_cache=False)]
        if has_errors(result.diagnostics):
            return
        diff_options = DiffOptions(
            str(context.dir.absolute()),
            str(copy),
            options.root,
            options.limits,
            use_cache=False,
            units=(context.unit.id,),
        )
        outcome = run_diff(diff_options)
        result.diff = outcome.result
        if outcome.result is None:
            result.notes.append(
                ImportNote(
                    "",
                    "",
                    f"版本 {context.label} 本身有错误，无法显示差异；请先运行 dutylist validate {context.spec}",
                    f"version {context.label} has errors of its own, so no diff can be shown: "
                    f"run dutylist validate {context.spec}",
                )
            )


__all__ = [
    "FieldChange",
    "ImportFailed",
    "ImportNote",
    "ImportOptions",
    "ImportResult",
    "ItemChange",
    "ItemRef",
    "ListReport",
    "Unresolved",
    "run_import",
]
