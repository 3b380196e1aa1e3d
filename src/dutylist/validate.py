"""``dutylist validate``: schema and integrity of whole versions (DL1xx)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .checks.integrity import check_version
from .checks.locator import VersionLocator
from .diagnostics import Diagnostic, Severity, has_errors, sort_diagnostics
from .model.vocab import LIST_LABELS_ZH, TOWNSHIP_KINDS
from .source.limits import Limits
from .source.spec import SpecError, VersionRef, list_versions, resolve
from .source.version import LoadedVersion, load_version


@dataclass(frozen=True)
class ValidateOptions:
    specs: tuple[str, ...] = ()
    root: Path = Path("catalogues")
    limits: Limits = field(default_factory=Limits)
    use_cache: bool = True
    jobs: int | None = None


@dataclass
class VersionSummary:
    spec: str
    label: str
    kind: str
    files: int = 0
    cached: int = 0
    units: dict[str, int] = field(default_factory=dict)  # department / township / village counts
    entries: dict[str, int] = field(default_factory=dict)  # per list, templates expanded
    township_average: float = 0.0
    errors: int = 0
    warnings: int = 0
    skipped: str = ""


@dataclass
class ValidateResult:
    versions: list[VersionSummary]
    diagnostics: list[Diagnostic]

    @property
    def ok(self) -> bool:
        return not has_errors(self.diagnostics)


def validate(options: ValidateOptions) -> ValidateResult:
    refs = [resolve(s, options.root) for s in options.specs] if options.specs else _all_versions(options.root)
    summaries: list[VersionSummary] = []
    diagnostics: list[Diagnostic] = []
    for ref in refs:
        if ref.kind == "compiled":
            summaries.append(VersionSummary(ref.spec, ref.label, ref.kind, skipped="compiled"))
            continue
        diags, summary = validate_version(ref, options)
        diagnostics.extend(diags)
        summaries.append(summary)
    return ValidateResult(summaries, sort_diagnostics(diagnostics))


def _all_versions(root: Path) -> list[VersionRef]:
    labels = list_versions(root)
    if not labels:
        raise SpecError(
            f"{root} 下没有版本目录（含 catalogue.yaml 的子目录）",
            f"no versions under {root} (subdirectories holding catalogue.yaml)",
        )
    return [resolve(label, root) for label in labels]


def validate_version(ref: VersionRef, options: ValidateOptions) -> tuple[list[Diagnostic], VersionSummary]:
    diags, summary, _loaded = check_loaded(ref, options)
    return diags, summary


def check_loaded(
    ref: VersionRef, options: ValidateOptions, *, need_data: bool = False
) -> tuple[list[Diagnostic], VersionSummary, LoadedVersion]:
    """Validate a source version; the loaded version comes back too (with data if asked)."""
    loaded = load_version(ref, options.limits, use_cache=options.use_cache, jobs=options.jobs, need_data=need_data)
    previous = _previous(loaded, options)
    locator = VersionLocator(ref, options.limits)
    found: list[Diagnostic] = []
    for res in loaded.results.values():
        found.extend(res.diagnostics)
    found.extend(check_version(loaded, locator, previous))
    for rel in loaded.ignored:
        found.append(Diagnostic("DL138", rel, params={"name": rel}))
    diags = [d.at(file=f"{ref.display}/{d.file}") for d in found]
    diags = [_with_fs(d, ref, rel.file) for d, rel in zip(diags, found, strict=True)]
    summary = summarize(loaded)
    summary.errors = sum(d.level is Severity.ERROR for d in diags)
    summary.warnings = sum(d.level is Severity.WARNING for d in diags)
    return diags, summary, loaded


def _with_fs(d: Diagnostic, ref: VersionRef, rel: str) -> Diagnostic:
    fs = ref.fs_path(rel)
    return Diagnostic(d.code, d.file, d.line, d.column, d.path, d.params, d.severity, fs) if fs else d


def _previous(loaded: LoadedVersion, options: ValidateOptions) -> LoadedVersion | None:
    cat = loaded.results.get("catalogue.yaml")
    label = cat.facts.get("previous") if cat is not None and cat.facts else None
    if not label:
        return None
    ref = loaded.ref.sibling(label)
    if ref is None:
        return None
    return load_version(ref, options.limits, use_cache=options.use_cache, jobs=options.jobs)


def summarize(loaded: LoadedVersion) -> VersionSummary:
    ref = loaded.ref
    summary = VersionSummary(
        ref.spec, ref.label, ref.kind, files=loaded.stats.get("files", 0), cached=loaded.stats.get("cached", 0)
    )
    units = loaded.results.get("units.yaml")
    kinds: dict[str, str] = {}
    if units is not None and units.facts is not None:
        for row in units.facts["units"]:
            kinds.setdefault(row[2], row[4] or "")
    summary.units = {
        "department": sum(k == "department" for k in kinds.values()),
        "township": sum(k in TOWNSHIP_KINDS for k in kinds.values()),
        "village": sum(k == "village" for k in kinds.values()),
    }
    templates = {r.rel.rsplit("/", 1)[-1].removesuffix(".yaml"): r.facts for r in loaded.of_kind("template") if r.facts}
    entries: Counter[str] = Counter()
    township_total = 0
    for res in loaded.of_kind("unit"):
        if res.facts is None:
            continue
        counts: Counter[str] = Counter(res.facts["lists"])
        excluded = set(res.facts["exclude"])
        for name in res.facts["include"]:
            tpl = templates.get(name)
            if tpl is not None:
                counts.update(k for i, k in zip(tpl["ids"], tpl["id_lists"], strict=True) if i not in excluded)
        entries.update(counts)
        if kinds.get(res.facts["name"] or "") in TOWNSHIP_KINDS:
            township_total += counts["basic"] + counts["cooperative"] + counts["recalled"]
    summary.entries = {k: entries[k] for k in sorted(entries, key=list(LIST_LABELS_ZH).index) if entries[k]}
    n = summary.units.get("township", 0)
    summary.township_average = township_total / n if n else 0.0
    return summary
