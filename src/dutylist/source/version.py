"""Loading every file of a version: cached per file by content, in parallel when large."""

from __future__ import annotations

import gc
import os
from dataclasses import dataclass, field
from typing import Any

from ..diagnostics import Diagnostic
from .cache import Cache
from .files import I_ID, I_NAME, FileResult, process_bytes
from .idhash import REBASE_FILES, digest_set, repeats_in, repeats_since
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
class _Index:
    """What a version's index holds (see :mod:`.cache`): each file's stamp and key, each
    key's result, and the digest base of :func:`.idhash.repeats_since`."""

    name: str
    files: dict[str, list[int | str]]
    results: dict[str, Any]
    digests: dict[str, Any] | None

    def save(self, cache: Cache) -> None:
        cache.write_index(self.name, {"files": self.files, "results": self.results, "digests": self.digests})


@dataclass
class LoadedVersion:
    ref: VersionRef
    limits: Limits
    cache: Cache
    results: dict[str, FileResult] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)
    stats: dict[str, int] = field(default_factory=dict)
    _digests: dict[str, set[int]] = field(default_factory=dict, repr=False)
    _index: _Index | None = field(default=None, repr=False)
    _repeats: bool | None = field(default=None, repr=False)

    def of_kind(self, kind: str) -> list[FileResult]:
        return [r for r in self.results.values() if r.kind == kind]

    def ids_names(self, rel: str) -> tuple[list[str], list[str | None]]:
        """The item ids of a unit or template file, and their names, in file order."""
        res = self.results[rel]
        if res.facts is not None and "ids" in res.facts:
            return res.facts["ids"], res.facts["names"]
        rows = self.items(rel)
        return [it[I_ID] for it in rows], [it[I_NAME] for it in rows]

    def digests(self, rel: str) -> set[int]:
        """The digests of a unit or template file's distinct item ids (see :mod:`.idhash`)."""
        found = self._digests.get(rel)
        if found is None:
            facts = self.results[rel].facts
            found = self._digests[rel] = digest_set(facts["idh"]) if facts else set()
        return found

    def ids_may_repeat(self) -> bool:
        """Whether an item id may be in two files of the version. False is certain; True
        (an id in two files, or two digests that collide) calls for comparing real ids."""
        if self._repeats is None:
            self._repeats = self._find_repeats()
        return self._repeats

    def _find_repeats(self) -> bool:
        rels = [r for r, res in self.results.items() if res.kind in ("unit", "template") and res.facts is not None]
        index = self._index
        base = index.digests if index is not None else None
        if base is not None:
            then: dict[str, str] = base["keys"]
            changed = [r for r in rels if self.keys.get(r) != then.get(r)]
            gone = then.keys() - set(rels)
            if len(changed) + len(gone) <= REBASE_FILES:
                before: set[int] = set()
                for rel in [*changed, *gone]:
                    if rel not in then:
                        continue
                    old = self.cache.get(then[rel])
                    if not _usable(old) or not isinstance(old["facts"], dict) or "idh" not in old["facts"]:
                        break  # its old content is no longer in the cache: check in full
                    before |= digest_set(old["facts"]["idh"])
                else:
                    return repeats_since(base["sorted"], before, [self.digests(r) for r in changed])
        repeats, ordered = repeats_in([self.results[r].facts["idh"] for r in rels])  # type: ignore[index]
        if index is not None:
            index.digests = None if ordered is None else {"keys": {r: self.keys[r] for r in rels}, "sorted": ordered}
            index.save(self.cache)
        return repeats

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
    stored = cache.read_index(index_name) if use_index else {}
    index: dict[str, list[int | str]] = stored.get("files", {})
    known: dict[str, Any] = stored.get("results", {})
    new_index: dict[str, list[int | str]] = {}
    kept: dict[str, Any] = {}  # key -> cached result, for the next run's index
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
        cached = known.get(key)
        if not _usable(cached):
            cached = cache.get(key)
        data = cache.get(key, ".data") if need_data and cached is not None and cached.get("valid") else None
        if cached is not None and (data is not None or not need_data or not cached.get("valid")):
            loaded.results[rel] = _from_cache(rel, kind, cached)
            loaded.results[rel].data = data
            loaded.keys[rel] = key
            kept[key] = cached
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
    for result, key in _process_all(pending, limits, jobs, need_data, cache):
        loaded.results[result.rel] = result
        loaded.keys[result.rel] = key
        kept[key] = _to_cache(result)
    if use_index:
        digests = stored.get("digests")
        loaded._index = _Index(index_name, new_index, kept, digests if _is_base(digests) else None)
        if new_index != index or kept.keys() != known.keys():
            loaded._index.save(cache)
    loaded.results = dict(sorted(loaded.results.items()))
    loaded.stats = {"files": len(loaded.results), "cached": hits, "parsed": len(pending)}
    return loaded


def _is_base(digests: Any) -> bool:
    return (
        isinstance(digests, dict) and isinstance(digests.get("keys"), dict) and isinstance(digests.get("sorted"), str)
    )


def _usable(cached: Any) -> bool:
    return isinstance(cached, dict) and isinstance(cached.get("diagnostics"), list) and "facts" in cached


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
_CACHE: Cache | None = None


def _store(cache: Cache, key: str, result: FileResult) -> None:
    """A processed file into the cache: written where it was processed, so the workers of
    a large version share the writing (creating files is slow on some disks)."""
    cache.put(key, _to_cache(result))
    if result.items is not None:
        cache.put(key, result.items, ".items")
    if result.data is not None:
        cache.put(key, result.data, ".data")


def _run_chunk(indexes: list[int]) -> list[tuple[FileResult, str]]:
    gc.disable()  # building large object graphs: the collector only slows it down
    try:
        out = []
        for i in indexes:
            rel, kind, raw, key = _WORK[i]
            result = process_bytes(rel, kind, raw, _LIMITS, keep_data=_KEEP_DATA)
            if _CACHE is not None:
                _store(_CACHE, key, result)
            out.append((result, key))
        return out
    finally:
        gc.enable()


def _process_all(
    pending: list[tuple[str, str, bytes, str]],
    limits: Limits,
    jobs: int | None,
    keep_data: bool = False,
    cache: Cache | None = None,
) -> list[tuple[FileResult, str]]:
    """Process the files (in worker processes when large), each stored in ``cache``."""
    global _WORK, _LIMITS, _KEEP_DATA, _CACHE
    if not pending:
        return []
    if cache is not None:
        cache.prepare()  # once, here, not in every worker
    _WORK, _LIMITS, _KEEP_DATA, _CACHE = pending, limits, keep_data, cache
    try:
        total = sum(len(p[2]) for p in pending)
        workers = jobs if jobs is not None else min(os.cpu_count() or 1, 8)
        if workers <= 1 or total < PARALLEL_MIN_BYTES or len(pending) < 2 or not _can_fork():
            return _run_chunk(list(range(len(pending))))
        return _parallel(pending, workers)
    finally:
        _WORK, _CACHE = [], None


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
