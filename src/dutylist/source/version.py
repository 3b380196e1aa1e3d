"""Loading every file of a version: cached per file by content, in parallel when large."""

from __future__ import annotations

import gc
import os
from dataclasses import dataclass, field
from typing import Any

from ..diagnostics import Diagnostic
from .cache import Cache
from .files import FileResult, process_bytes
from .limits import Limits
from .read import ReadProblem
from .spec import VersionRef

#: Below this many bytes to parse, a process pool costs more than it saves.
PARALLEL_MIN_BYTES = 4 * 1024 * 1024


def file_kind(rel: str) -> str | None:
    """What a file of a version directory is, from its place (DESIGN §2); None: not ours."""
    if rel == "catalogue.yaml":
        return "catalogue"
    if rel == "units.yaml":
        return "units"
    if rel == "adjustments.yaml":
        return "adjustments"
    head, _, name = rel.partition("/")
    if head == "units" and "/" not in name and name.endswith(".yaml"):
        return "unit"
    if head == "templates" and "/" not in name and name.endswith(".yaml"):
        return "template"
    return None


@dataclass
class LoadedVersion:
    ref: VersionRef
    limits: Limits
    cache: Cache
    results: dict[str, FileResult] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)
    stats: dict[str, int] = field(default_factory=dict)

    def of_kind(self, kind: str) -> list[FileResult]:
        return [r for r in self.results.values() if r.kind == kind]

    def items(self, rel: str) -> list[list[Any]]:
        """The item rows of a file: from memory, the cache, or by processing it again."""
        res = self.results[rel]
        if res.items is None:
            key = self.keys.get(rel)
            cached = self.cache.get(key, ".items") if key else None
            if cached is None:
                cached = process_bytes(rel, res.kind, self.ref.read(rel, self.limits), self.limits).items
            res.items = cached or []
        return res.items


def load_version(
    ref: VersionRef, limits: Limits, *, use_cache: bool = True, jobs: int | None = None, need_data: bool = False
) -> LoadedVersion:
    """Every file's result; with ``need_data``, also the validated data of every valid file."""
    cache = Cache(ref.root if use_cache else None, limits)
    loaded = LoadedVersion(ref, limits, cache)
    index_name = f"{ref.kind}:{ref.path.resolve() if ref.path else ref.spec}"
    use_index = ref.kind == "dir" and ref.path is not None and cache.dir is not None
    index = cache.read_index(index_name) if use_index else {}
    new_index: dict[str, list[int | str]] = {}
    pending: list[tuple[str, str, bytes, str]] = []
    hits = 0
    for rel in ref.files():
        kind = file_kind(rel)
        if kind is None:
            if rel.endswith((".yaml", ".yml")):
                loaded.ignored.append(rel)
            continue
        stamp = _stamp(ref, rel) if use_index else None
        key = None
        if stamp is not None:
            entry = index.get(rel)
            if entry is not None and entry[:3] == stamp:
                key = str(entry[3])
        if key is None:
            raw = ref.read(rel, limits)
            if isinstance(raw, ReadProblem):
                loaded.results[rel] = process_bytes(rel, kind, raw, limits)
                continue
            key = cache.key(kind, raw)
        cached = cache.get(key)
        data = cache.get(key, ".data") if need_data and cached is not None and cached.get("valid") else None
        if cached is not None and (data is not None or not need_data or not cached.get("valid")):
            loaded.results[rel] = _from_cache(rel, kind, cached)
            loaded.results[rel].data = data
            loaded.keys[rel] = key
            hits += 1
            if stamp is not None:
                new_index[rel] = [*stamp, key]
            continue
        raw = ref.read(rel, limits)
        if isinstance(raw, ReadProblem):
            loaded.results[rel] = process_bytes(rel, kind, raw, limits)
            continue
        pending.append((rel, kind, raw, key))
        if stamp is not None:
            new_index[rel] = [*stamp, key]
    for result, key in _process_all(pending, limits, jobs, need_data):
        loaded.results[result.rel] = result
        loaded.keys[result.rel] = key
        cache.put(key, _to_cache(result))
        if result.items is not None:
            cache.put(key, result.items, ".items")
        if result.data is not None:
            cache.put(key, result.data, ".data")
    if use_index and new_index != index:
        cache.write_index(index_name, new_index)
    loaded.results = dict(sorted(loaded.results.items()))
    loaded.stats = {"files": len(loaded.results), "cached": hits, "parsed": len(pending)}
    return loaded


def _stamp(ref: VersionRef, rel: str) -> list[int] | None:
    assert ref.path is not None
    try:
        st = os.stat(ref.path / rel)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns, st.st_ino]


def _to_cache(result: FileResult) -> dict[str, Any]:
    return {"diagnostics": [d.to_cache() for d in result.diagnostics], "facts": result.facts, "valid": result.valid}


def _from_cache(rel: str, kind: str, data: dict[str, Any]) -> FileResult:
    diags = [Diagnostic.from_json(d, rel) for d in data["diagnostics"]]
    return FileResult(rel, kind, diags, data["facts"], data["valid"])


# --- parallel parsing -----------------------------------------------------------------

_WORK: list[tuple[str, str, bytes, str]] = []
_LIMITS = Limits()
_KEEP_DATA = False


def _run_chunk(indexes: list[int]) -> list[tuple[FileResult, str]]:
    gc.disable()  # building large object graphs: the collector only slows it down
    try:
        out = []
        for i in indexes:
            rel, kind, raw, key = _WORK[i]
            out.append((process_bytes(rel, kind, raw, _LIMITS, keep_data=_KEEP_DATA), key))
        return out
    finally:
        gc.enable()


def _process_all(
    pending: list[tuple[str, str, bytes, str]], limits: Limits, jobs: int | None, keep_data: bool = False
) -> list[tuple[FileResult, str]]:
    global _WORK, _LIMITS, _KEEP_DATA
    _WORK, _LIMITS, _KEEP_DATA = pending, limits, keep_data
    try:
        total = sum(len(p[2]) for p in pending)
        workers = jobs if jobs is not None else min(os.cpu_count() or 1, 8)
        if workers <= 1 or total < PARALLEL_MIN_BYTES or len(pending) < 2 or not _can_fork():
            return _run_chunk(list(range(len(pending))))
        return _parallel(pending, workers)
    finally:
        _WORK = []


def _can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def _parallel(pending: list[tuple[str, str, bytes, str]], workers: int) -> list[tuple[FileResult, str]]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # Parse-heavy modules are imported before forking, so workers start ready.
    from . import locate, schema_check  # noqa: F401

    # Balance by bytes: largest files first, each to the lightest chunk.
    chunks: list[list[int]] = [[] for _ in range(workers * 2)]
    weights = [0] * len(chunks)
    for i in sorted(range(len(pending)), key=lambda i: -len(pending[i][2])):
        j = weights.index(min(weights))
        chunks[j].append(i)
        weights[j] += len(pending[i][2])
    ctx = multiprocessing.get_context("fork")
    out: list[tuple[FileResult, str]] = []
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        for part in pool.map(_run_chunk, [c for c in chunks if c]):
            out.extend(part)
    return out
