"""``dutylist find`` and ``dutylist show``: who does it (谁来干).

The unit of search is the *item* (one id), not the entry: a template item held by 3,000
townships is one hit that lists them. :class:`FindIndex` is built once per load. It groups
the entry lines by their list and item fields (the unit, its name and its number cut out,
in bytes, without parsing), parses one line per group, and normalises the searchable text
of each distinct item once — NFKC, traditional → simplified, punctuation, spaces and case
folded, exactly as :func:`dutylist.diff.names.normalise` — into one string per field that
a query scans in C. A query costs a scan of the distinct items' text, never a pass over
the entries: milliseconds for a province of a million entries (~11,000 distinct items).

Ranking, best first. The query is normalised the same way; words separated by spaces must
each be found (in any field):

1. ``exact``: the item's name equals the query;
2. ``name``: the name contains the query (or every word of it);
3. ``field``: the words are found in the item's other fields, not all in its name: ranked
   by the first field that holds one — tasks, then lead_duty, township_duty, basis;
4. ``fuzzy``: only when the tiers above give fewer than ``--limit`` items, and for
   queries of two characters or more, over the DISTINCT normalised names: a name that
   holds at least :data:`FUZZY_SHARE` of the query's characters in order (rapidfuzz's
   ``LCSseq``: a typo, a word left out, an abbreviation such as 瓶装液化气 for
   瓶装液化石油气); more of the query first, then the closer whole name
   (``fuzz.ratio``, reported as ``score``).

Within a tier, shorter names come first, then ids in order. ``--unit`` and ``--list``
keep only the units (lists) given: an item is a hit when one of them holds it, and only
those holders are shown. ``total`` counts the items the searched tiers matched (before
``--limit``).
"""

from __future__ import annotations

import gc
import itertools
import math
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from .compiled import CompiledListError
from .diagnostics import Diagnostic
from .diff.index import Side, side_of
from .diff.names import _t2s, normalise
from .errors import UserError
from .model.vocab import ALL_LISTS
from .source.limits import Limits
from .source.spec import SpecError, VersionRef, list_versions, resolve

if TYPE_CHECKING:
    from .diff.log import LogResult

#: The fields a query is matched against, in ranking order; ``name`` first.
SEARCH_FIELDS = ("name", "tasks", "lead_duty", "township_duty", "basis")
#: The fields of an entry that say how one unit holds the item.
HOLDER_FIELDS = (
    "list", "lead", "lead_name", "lead_duty", "township_duty", "receiver", "receiver_name", "method", "power_type",
)  # fmt: skip
#: The fields of the item itself (the same in every unit, as a rule).
ITEM_FIELDS = ("name", "category", "tasks", "basis", "approval", "replaces", "template")
#: A fuzzy hit's name holds at least this share of the query's characters, in order.
FUZZY_SHARE = 0.8
#: How many "did you mean" suggestions ``show`` gives for an unknown id.
SUGGESTIONS = 5

_LIST_ORDER = {key: i for i, key in enumerate(ALL_LISTS)}
_FOLD = re.compile(r"[^\w\n]+|_+")  # normalise's punctuation folding, sparing the separator
_CHUNK = 20_000  # texts normalised per OpenCC call
_FREEZE = 100_000  # distinct items from which the index is set aside from garbage collection
#: Full-width punctuation that fails NFKC's quick check in nearly every Chinese text. Each
#: becomes its NFKC form (one ASCII character, which composes with nothing) beforehand, so
#: most text passes the quick check and is not normalised character by character.
_WIDE = tuple((c, unicodedata.normalize("NFKC", c)) for c in "，（）：；！？　％＋－／［］")


def _nfkc(text: str) -> str:
    for wide, narrow in _WIDE:
        if wide in text:
            text = text.replace(wide, narrow)
    return text if unicodedata.is_normalized("NFKC", text) else unicodedata.normalize("NFKC", text)


def normalise_many(texts: Sequence[str]) -> list[str]:
    """``[normalise(t) for t in texts]``, in a few C calls instead of one per text: the
    texts are joined by newlines (no step of the normalisation makes or removes one)."""
    out: list[str] = []
    t2s = _t2s()
    for start in range(0, len(texts), _CHUNK):
        chunk = texts[start : start + _CHUNK]
        joined = "\n".join(t.replace("\n", " ").replace("\r", " ") for t in chunk)
        joined = _FOLD.sub("", t2s.convert(_nfkc(joined))).lower()
        parts = joined.split("\n")
        if len(parts) != len(chunk):  # cannot happen; stay exact if it ever does
            parts = [normalise(t) for t in chunk]
        out.extend(parts)
    return out


# --- the index ------------------------------------------------------------------------


@dataclass(slots=True)
class Variant:
    """Entries of one item that share their list and every item field: one line's worth."""

    list_key: str
    raw: bytes  # ``{"list":…,"id":…,…}`` as JSON, parsed when shown
    units: list[str]

    def data(self) -> dict[str, Any]:
        parsed: dict[str, Any] = orjson.loads(self.raw)
        return parsed


@dataclass(slots=True)
class Item:
    id: str
    variants: list[Variant]


@dataclass
class Match:
    item: Item
    tier: int  # 0 exact, 1 name, 2 field, 3 fuzzy
    fields: list[str]  # every search field that holds a word of the query
    score: float | None = None  # exact: 1.0; fuzzy: fuzz.ratio of the names, 0-1


TIERS = ("exact", "name", "field", "fuzzy")


def _group_lines(blocks: Iterable[Sequence[bytes]]) -> dict[bytes, list[bytes]]:
    """Entry lines grouped by list + item fields: ``{"list":…,"id":…}`` bytes -> unit ids.

    compile writes ``{"unit":…,"unit_name":…,"unit_kind":…,"list":…,"seq":N,"id":…}``
    compactly; slicing out the unit and the number is exact there (a quote inside a JSON
    string is escaped, so ``"list":"`` and ``,"seq":`` cannot occur inside one). A line in
    another layout is parsed instead."""
    groups: dict[bytes, list[bytes]] = {}
    for line in itertools.chain.from_iterable(blocks):
        try:
            if not line.startswith(b'{"unit":"'):
                raise ValueError
            unit_end = line.index(b'"', 9)
            seq = line.index(b',"seq":', unit_end)
            lpos = line.rindex(b'"list":"', unit_end, seq)
            after = line.index(b',"id":"', seq)
        except ValueError:
            key, unit = _parsed_key(line)
        else:
            key, unit = b"{" + line[lpos:seq] + line[after:], line[9:unit_end]
        units = groups.get(key)
        if units is None:
            groups[key] = [unit]
        else:
            units.append(unit)
    return groups


def _parsed_key(line: bytes) -> tuple[bytes, bytes]:
    """The group key and unit of an entry line in a layout other than compile's."""
    try:
        entry = orjson.loads(line)
        item = {"list": entry["list"], "id": entry["id"], **{k: entry.get(k) for k in (*ITEM_FIELDS, *HOLDER_FIELDS)}}
        return orjson.dumps(item), str(entry["unit"]).encode()
    except (orjson.JSONDecodeError, KeyError, TypeError):
        raise CompiledListError(f"not an entry of a compiled list: {line[:80]!r}") from None


def _joined(texts: list[str], norm: dict[str, str]) -> str:
    if len(texts) == 1:
        return norm[texts[0]]
    return " ".join(norm[t] for t in texts)


class Column:
    """One search field of every item, normalised, as one string: items in rank order,
    separated by newlines (never in normalised text). A rare word is found by ``str.find``
    over the whole string; a common one by an ``in`` test per item of its split."""

    #: Above this many occurrences, testing every item beats jumping between them.
    DENSE = 20_000

    def __init__(self, texts: list[str]) -> None:
        self.text = "\n".join(texts)
        self.starts: list[int] = []
        pos = 0
        for t in texts:
            self.starts.append(pos)
            pos += len(t) + 1
        self.starts.append(pos)  # one past the end

    def __getitem__(self, n: int) -> str:
        return self.text[self.starts[n] : self.starts[n + 1] - 1]

    def having(self, word: str) -> list[int]:
        """The items whose text contains ``word``, in rank order."""
        size = len(self.text)
        # how common is it? a long text is judged by its first sixteenth
        found = self.text.count(word, 0, size >> 4) << 4 if size > 1 << 22 else self.text.count(word)
        if found > self.DENSE:
            return [n for n, text in enumerate(self.text.split("\n")) if word in text]
        out: list[int] = []
        text, starts, last = self.text, self.starts, len(self.starts) - 2
        pos = text.find(word)
        while pos >= 0:
            n = bisect_right(starts, pos) - 1
            out.append(n)
            if n >= last:
                break
            pos = text.find(word, starts[n + 1])
        return out


class FindIndex:
    """Distinct items of one version and their normalised text, for many queries.

    Items are numbered by rank: the shortest (normalised) name first, then by id, so hits
    come out of a scan in ranking order. ``columns[k]`` holds field ``SEARCH_FIELDS[k]``
    of every item, normalised (the texts of an item's variants joined by spaces)."""

    def __init__(self, manifest: dict[str, Any], blocks: Iterable[Sequence[bytes]]) -> None:
        # Building makes millions of small containers that live as long as the index: the
        # cyclic collector would walk them again and again for nothing.
        enabled = gc.isenabled()
        gc.disable()
        try:
            self._build(manifest, blocks)
            if len(self.items) >= _FREEZE:  # the collections after it would walk them all again
                gc.freeze()
        finally:
            if enabled:
                gc.enable()

    def _build(self, manifest: dict[str, Any], blocks: Iterable[Sequence[bytes]]) -> None:
        self.manifest = manifest
        self.units: dict[str, dict[str, Any]] = {u["id"]: u for u in manifest["units"]}
        self.unit_order = {uid: i for i, uid in enumerate(self.units)}
        items, raw = self._items(_group_lines(blocks))
        distinct = list({t: None for fields in raw for texts in fields for t in texts})
        norm = dict(zip(distinct, normalise_many(distinct), strict=True))
        del distinct
        shortest = [min((len(norm[t]) for t in fields[0]), default=0) for fields in raw]
        order = sorted(range(len(items)), key=lambda i: (shortest[i], items[i].id))
        self.items = [items[i] for i in order]
        self.by_id = {item.id: n for n, item in enumerate(self.items)}
        self.columns = [Column([_joined(raw[i][k], norm) for i in order]) for k in range(len(SEARCH_FIELDS))]
        self.exact: dict[str, list[int]] = {}  # normalised name -> items, in rank order
        for n, i in enumerate(order):
            for name in raw[i][0]:
                self.exact.setdefault(norm[name], []).append(n)
        self.fuzzy_names = list(self.exact)
        self._held: dict[tuple[str, str], list[int]] | None = None

    def _items(self, groups: dict[bytes, list[bytes]]) -> tuple[list[Item], list[list[list[str]]]]:
        """Items with their variants (holders sorted as units.yaml), and per item and search
        field its distinct raw texts."""
        unit_ids: dict[bytes, str] = {uid.encode(): uid for uid in self.units}
        rank = self.unit_order.get
        items: dict[str, Item] = {}
        raw: dict[str, list[list[str]]] = {}
        for key, unit_bytes in groups.items():
            data = orjson.loads(key)
            item = items.get(data["id"])
            if item is None:
                item = items[data["id"]] = Item(data["id"], [])
                raw[item.id] = [[] for _ in SEARCH_FIELDS]
            units = [unit_ids.get(u) or u.decode() for u in unit_bytes]
            if len(units) > 1:
                units.sort(key=lambda u: rank(u, len(unit_ids)))
            item.variants.append(Variant(data["list"], key, units))
            for seen, name in zip(raw[item.id], SEARCH_FIELDS, strict=True):
                value = data[name]
                for text in value if isinstance(value, list) else () if value is None else (value,):
                    if text not in seen:
                        seen.append(text)
        for item in items.values():
            if len(item.variants) > 1:
                item.variants.sort(key=lambda v: (_LIST_ORDER.get(v.list_key, len(_LIST_ORDER)), v.raw))
        return list(items.values()), list(raw.values())

    def allowed(self, units: Sequence[str] = (), lists: Sequence[str] = ()) -> set[int] | None:
        """The items held by one of ``units`` in one of ``lists`` (None: no filter)."""
        if not units and not lists:
            return None
        if self._held is None:  # built on the first narrowed query
            self._held = {}
            for n, item in enumerate(self.items):
                for v in item.variants:
                    for u in v.units:
                        self._held.setdefault((u, v.list_key), []).append(n)
        out: set[int] = set()
        for (unit, list_key), ns in self._held.items():
            if (not units or unit in units) and (not lists or list_key in lists):
                out.update(ns)
        return out

    def _first_fields(self, word: str, allowed: set[int] | None) -> dict[int, int]:
        """item -> the first search field holding ``word``, in ranking order (field, rank)."""
        first: dict[int, int] = {}
        for k, column in enumerate(self.columns):
            found = column.having(word)
            if allowed is not None:
                found = [n for n in found if n in allowed]
            for n in found:
                first.setdefault(n, k)
        return first

    def search(
        self, query: str, units: Sequence[str] = (), lists: Sequence[str] = (), limit: int = 20
    ) -> tuple[list[Match], int]:
        """The best ``limit`` matches of ``query`` (ranked as the module says) and the total."""
        terms = list(dict.fromkeys(t for t in (normalise(w) for w in query.split()) if t))
        q = "".join(terms)
        if not q:
            return [], 0
        allowed = self.allowed(units, lists)
        exact = [n for n in self.exact.get(q, ()) if allowed is None or n in allowed]
        if len(terms) == 1:
            first = self._first_fields(q, allowed)
            taken = set(exact)
            ranked = [(n, 0) for n in exact] + [(n, 1 if k == 0 else 2) for n, k in first.items() if n not in taken]
        else:
            ranked = self._rank_words(terms, exact, allowed)
        total = len(ranked)
        matches = [Match(self.items[n], tier, self.fields_of(n, terms)) for n, tier in ranked[:limit]]
        for m in matches:
            if m.tier == 0:
                m.score = 1.0
        if total < limit and len(q) >= 2:
            fuzzy = self._fuzzy(q, {n for n, _ in ranked}, allowed)
            total += len(fuzzy)
            matches += fuzzy[: limit - len(matches)]
        return matches, total

    def fields_of(self, n: int, terms: Sequence[str]) -> list[str]:
        """The search fields of item ``n`` that hold one of ``terms``."""
        return [name for name, col in zip(SEARCH_FIELDS, self.columns, strict=True) if any(t in col[n] for t in terms)]

    def _rank_words(self, terms: list[str], exact: list[int], allowed: set[int] | None) -> list[tuple[int, int]]:
        """Several words: each must be in some field; all of them in the name is tier 1, and
        tier 2 ranks by the first field (after the name) that holds one of them."""
        per_word = [self._first_fields(t, allowed) for t in terms]
        taken = set(exact)
        common = set(per_word[0]).intersection(*per_word[1:]) - taken
        named = set.intersection(*({n for n, k in first.items() if k == 0} for first in per_word)) & common
        buckets: list[list[int]] = [[] for _ in SEARCH_FIELDS]
        for n in common - named:
            buckets[min(first[n] or len(SEARCH_FIELDS) for first in per_word)].append(n)
        ranked = [(n, 0) for n in exact] + [(n, 1) for n in sorted(named)]
        for bucket in buckets[1:]:
            ranked += [(n, 2) for n in sorted(bucket)]
        return ranked

    def _fuzzy(self, q: str, taken: set[int], allowed: set[int] | None) -> list[Match]:
        """Names holding at least FUZZY_SHARE of the query's characters in order (a typo, a
        word left out or abbreviated), the closest whole names first."""
        from rapidfuzz import fuzz, process
        from rapidfuzz.distance import LCSseq

        need = math.ceil(FUZZY_SHARE * len(q))
        scored = process.extract(q, self.fuzzy_names, scorer=LCSseq.similarity, score_cutoff=need, limit=None)
        keyed = []
        for name, common, _ in scored:
            whole = fuzz.ratio(q, name)
            for n in self.exact[name]:
                if n not in taken and (allowed is None or n in allowed):
                    taken.add(n)
                    keyed.append((-common, -whole, n))
        keyed.sort()
        return [Match(self.items[n], 3, ["name"], round(-whole / 100, 3)) for _, whole, n in keyed]

    def suggest(self, wanted: str, limit: int = SUGGESTIONS) -> list[dict[str, Any]]:
        """Closest ids to ``wanted``, case aside: the id itself, ids it begins (or that begin
        it), then the most similar; for words that are not an id, what a search finds."""
        from rapidfuzz import fuzz, process

        folded = wanted.casefold()
        ids = [item.id.casefold() for item in self.items]
        near = [n for n, i in enumerate(ids) if i.startswith(folded) or folded.startswith(i)]
        near.sort(key=lambda n: (ids[n] != folded, len(ids[n]), ids[n]))
        picked = {n: round(fuzz.ratio(folded, ids[n]) / 100, 3) for n in near[:limit]}
        if not wanted.isascii():
            for m in self.search(wanted, limit=limit)[0]:
                picked.setdefault(self.by_id[m.item.id], m.score if m.score is not None else 1.0)
        for _, score, n in process.extract(folded, ids, scorer=fuzz.ratio, score_cutoff=60, limit=limit):
            picked.setdefault(n, round(score / 100, 3))
        best = list(picked.items())[:limit]
        return [{"id": self.items[n].id, "name": self.name_of(self.items[n].id), "score": s} for n, s in best]

    def name_of(self, item_id: str) -> str:
        n = self.by_id.get(item_id)
        return "" if n is None else str(self.items[n].variants[0].data()["name"])


# --- loading ---------------------------------------------------------------------------


@dataclass
class Loaded:
    ref: VersionRef
    side: Side | None  # None: an invalid source version
    diagnostics: list[Diagnostic]


def load_version(spec: str | None, root: Path, limits: Limits, use_cache: bool) -> Loaded:
    """A version as diff reads it: a list.json is streamed, a source version compiled in memory."""
    from .compile import CompileOptions, compile_ref

    if spec is None:
        labels = list_versions(root)
        if not labels:
            raise SpecError(f"{root} 下没有版本目录", f"no versions under {root}")
        spec = labels[-1]
    ref = resolve(spec, root)
    if ref.kind == "compiled":
        return Loaded(ref, side_of(ref, None), [])
    compiled = compile_ref(ref, CompileOptions(root, limits, use_cache))
    if compiled.listing is None:
        return Loaded(ref, None, compiled.diagnostics)
    return Loaded(ref, side_of(ref, compiled.listing), [])


def _check_filters(manifest: dict[str, Any], units: Sequence[str], lists: Sequence[str]) -> None:
    known = {u["id"] for u in manifest["units"]}
    bad = [u for u in units if u not in known]
    if bad:
        raise UserError(
            f"版本 {manifest['version']} 中没有单位 {'、'.join(bad)}",
            f"no unit {', '.join(bad)} in version {manifest['version']}",
        )
    bad = [x for x in lists if x not in ALL_LISTS]
    if bad:
        raise UserError(
            f"没有清单 {'、'.join(bad)}（可选：{'、'.join(ALL_LISTS)}）",
            f"no list {', '.join(bad)} (choose from {', '.join(ALL_LISTS)})",
        )


# --- find ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FindOptions:
    query: str
    spec: str | None = None  # None: the newest version under the root
    root: Path = Path("catalogues")
    units: tuple[str, ...] = ()
    lists: tuple[str, ...] = ()
    limit: int = 20
    limits: Limits = field(default_factory=Limits)
    use_cache: bool = True


@dataclass
class Group:
    """Units that hold an item in the same way: the same list, lead or receiver, duties."""

    list_key: str
    holder: dict[str, Any]  # HOLDER_FIELDS but ``list``
    units: list[dict[str, Any]]  # {"id", "name", "kind"}, in the order of units.yaml

    def to_json(self) -> dict[str, Any]:
        return {"list": self.list_key, **self.holder, "units": self.units}


@dataclass
class Hit:
    id: str
    name: str
    category: str | None
    tasks: str | None
    basis: list[str]
    match: str
    fields: list[str]
    score: float | None
    groups: list[Group]

    @property
    def unit_count(self) -> int:
        return len({u["id"] for g in self.groups for u in g.units})

    def to_json(self, rank: int) -> dict[str, Any]:
        return {
            "rank": rank,
            "id": self.id,
            "name": self.name,
            "category": self.category,
            "tasks": self.tasks,
            "basis": self.basis,
            "match": self.match,
            "fields": self.fields,
            "score": self.score,
            "units": self.unit_count,
            "groups": [g.to_json() for g in self.groups],
        }


@dataclass
class FindResult:
    query: str
    hits: list[Hit] = field(default_factory=list)
    normalised: str = ""
    spec: str = ""
    version: str = ""
    total: int = 0
    units: tuple[str, ...] = ()
    lists: tuple[str, ...] = ()
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def to_json(self, lang: str = "zh") -> dict[str, Any]:
        return {
            "query": self.query,
            "normalised": self.normalised,
            "spec": self.spec,
            "version": self.version,
            "filters": {"units": list(self.units), "lists": list(self.lists)},
            "total": self.total,
            "shown": len(self.hits),
            "hits": [h.to_json(i) for i, h in enumerate(self.hits, 1)],
            "diagnostics": [d.to_json(lang) for d in self.diagnostics],
        }


def groups_of(index: FindIndex, item: Item, units: Sequence[str] = (), lists: Sequence[str] = ()) -> list[Group]:
    """The item's holders, grouped by how they hold it, narrowed to some units and lists."""
    groups: dict[bytes, Group] = {}
    for v in item.variants:
        if lists and v.list_key not in lists:
            continue
        held = [u for u in v.units if not units or u in units]
        if not held:
            continue
        data = v.data()
        holder = {k: data.get(k) for k in HOLDER_FIELDS if k != "list"}
        key = orjson.dumps([v.list_key, holder])
        group = groups.get(key)
        if group is None:
            group = groups[key] = Group(v.list_key, holder, [])
        for uid in held:
            unit = index.units.get(uid, {})
            group.units.append({"id": uid, "name": unit.get("name", uid), "kind": unit.get("kind")})
    for group in groups.values():
        group.units.sort(key=lambda u: index.unit_order.get(u["id"], len(index.unit_order)))
    return list(groups.values())


def hit_of(index: FindIndex, m: Match, units: Sequence[str], lists: Sequence[str]) -> Hit:
    data = m.item.variants[0].data()
    return Hit(
        m.item.id,
        data["name"],
        data.get("category"),
        data.get("tasks"),
        list(data.get("basis") or []),
        TIERS[m.tier],
        m.fields,
        m.score,
        groups_of(index, m.item, units, lists),
    )


def run_find(options: FindOptions) -> FindResult:
    normalised = "".join(normalise(w) for w in options.query.split())
    if not normalised:
        raise UserError("查询词为空（标点和空格不计）", "the query is empty (punctuation and spaces do not count)")
    loaded = load_version(options.spec, options.root, options.limits, options.use_cache)
    result = FindResult(
        options.query, normalised=normalised, spec=loaded.ref.spec, version=loaded.ref.label,
        units=options.units, lists=options.lists,
    )  # fmt: skip
    if loaded.side is None:
        result.diagnostics = loaded.diagnostics
        return result
    manifest = loaded.side.manifest
    _check_filters(manifest, options.units, options.lists)
    index = FindIndex(manifest, loaded.side.blocks())
    result.version = str(manifest["version"])
    matches, result.total = index.search(options.query, options.units, options.lists, options.limit)
    result.hits = [hit_of(index, m, options.units, options.lists) for m in matches]
    return result


# --- show ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShowOptions:
    item: str
    spec: str | None = None
    root: Path = Path("catalogues")
    limits: Limits = field(default_factory=Limits)
    use_cache: bool = True


@dataclass
class ShowResult:
    item: str
    found: bool = False
    spec: str = ""
    version: str = ""
    title: str = ""
    fields: dict[str, Any] = field(default_factory=dict)  # ITEM_FIELDS of the item (first unit's)
    varies: list[str] = field(default_factory=list)  # ITEM_FIELDS that differ between units
    holders: list[dict[str, Any]] = field(default_factory=list)  # one per unit: unit, list, HOLDER_FIELDS…
    history: LogResult | None = None
    history_note: str | None = None  # "compiled" | "no_versions": why there is no history
    suggestions: list[dict[str, Any]] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def to_json(self, lang: str = "zh") -> dict[str, Any]:
        return {
            "id": self.item,
            "found": self.found,
            "spec": self.spec,
            "version": self.version,
            "item": {"id": self.item, **self.fields} if self.found else None,
            "varies": self.varies,
            "holders": self.holders,
            "history": self.history.to_json() if self.history is not None else None,
            "history_note": self.history_note,
            "suggestions": self.suggestions,
            "diagnostics": [d.to_json(lang) for d in self.diagnostics],
        }


def entries_with_id(blocks: Iterable[Sequence[bytes]], item_id: str) -> list[dict[str, Any]]:
    """Every entry of the item: a byte test per line, then the few matching lines parsed."""
    needle = b'"id":' + orjson.dumps(item_id) + b","
    picked = [line for lines in blocks for line in lines if needle in line]
    entries: list[dict[str, Any]] = orjson.loads(b"[" + b",".join(picked) + b"]") if picked else []
    return [e for e in entries if e.get("id") == item_id]


def run_show(options: ShowOptions) -> ShowResult:
    loaded = load_version(options.spec, options.root, options.limits, options.use_cache)
    result = ShowResult(options.item, spec=loaded.ref.spec, version=loaded.ref.label)
    if loaded.side is None:
        result.diagnostics = loaded.diagnostics
        return result
    manifest = loaded.side.manifest
    result.version, result.title = str(manifest["version"]), str(manifest.get("title", ""))
    entries = entries_with_id(loaded.side.blocks(), options.item)
    if entries:
        result.found = True
        order = {u["id"]: i for i, u in enumerate(manifest["units"])}
        entries.sort(key=lambda e: (order.get(e["unit"], len(order)), ALL_LISTS.index(e["list"]), e["seq"]))
        result.fields = {k: entries[0].get(k) for k in ITEM_FIELDS}
        result.varies = [k for k in ITEM_FIELDS if any(e.get(k) != result.fields[k] for e in entries)]
        keep = ("unit", "unit_name", "unit_kind", "list", "seq", *HOLDER_FIELDS[1:], *result.varies)
        result.holders = [{k: e.get(k) for k in keep} for e in entries]
    else:
        index = FindIndex(manifest, loaded.side.blocks())
        result.suggestions = index.suggest(options.item)
    if loaded.ref.kind == "compiled":
        result.history_note = "compiled"
    elif not list_versions(options.root):
        result.history_note = "no_versions"
    else:
        from .diff.log import item_log
        from .diff.run import DiffOptions

        result.history = item_log(options.item, DiffOptions("", "", options.root, options.limits, options.use_cache))
        if not result.found:
            _suggest_successors(result)
    return result


def _suggest_successors(result: ShowResult) -> None:
    """An id that is gone may live on under another id (renamed, merged, split): say so first."""
    assert result.history is not None
    later = [
        {"id": e.change.id, "name": e.change.name, "score": 1.0, "kind": e.change.kind, "version": e.version}
        for e in result.history.history
        if e.change.id != result.item
    ]
    seen = {s["id"] for s in later}
    result.suggestions = (later + [s for s in result.suggestions if s["id"] not in seen])[:SUGGESTIONS]
