"""A content-keyed cache of per-file results under ``<root>/.dutylist/cache/``.

Keys are the SHA-256 of the dutylist version, the loader limits, the file's kind and its
bytes, so an entry is never stale: the directory is safe to delete at any time, and holds
its own ``.gitignore`` so it never shows in ``git status``.

Like git's index, a version index remembers each file's size, modification time and
inode with its content key, so an unchanged file is neither read nor hashed again, and
holds the cached result of every file of the version, so a run after a small change
reads one cache file instead of one per source file. An entry whose modification time is
too close to the moment the index was written could have changed unseen within the
clock's resolution, and is hashed again.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path
from typing import Any

import orjson

from .. import __version__
from .limits import Limits

CACHE_FORMAT = "3"
RACY_NS = 2_000_000_000  # modification times this close to the index's are not trusted


def user_secret() -> bytes | None:
    """A random key kept in the user's cache directory, outside every catalogue.

    Cache keys are made with it, so cache files that arrive with a checkout (say, committed
    by a pull request to make a broken file look valid) never match and are never used.
    None when there is no writable user cache directory: then nothing is cached.
    """
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = Path(base) / "dutylist" / "secret"
    try:
        if not path.is_file() or path.stat().st_size < 32:
            path.parent.mkdir(parents=True, exist_ok=True)
            _atomic_write(path, os.urandom(32))
        return path.read_bytes()
    except OSError:
        return None


class Cache:
    def __init__(self, root: Path | None, limits: Limits) -> None:
        secret = user_secret() if root else None
        self.dir = root / ".dutylist" / "cache" / f"{__version__}-{CACHE_FORMAT}" if root and secret else None
        self._salt = (secret or b"") + f"{__version__}\0{CACHE_FORMAT}\0{limits.cache_token()}\0".encode()
        self._ready = False
        self._made: set[str] = set()  # the key[:2] directories known to exist

    def key(self, kind: str, raw: bytes) -> str:
        import hashlib

        h = hashlib.sha256(self._salt)
        h.update(kind.encode())
        h.update(b"\0")
        h.update(raw)
        return h.hexdigest()

    def get(self, key: str, part: str = "") -> Any:
        if self.dir is None:
            return None
        try:
            return orjson.loads((self.dir / key[:2] / (key + part)).read_bytes())
        except (OSError, orjson.JSONDecodeError):
            return None

    def put(self, key: str, value: Any, part: str = "") -> None:
        if self.dir is None:
            return
        try:
            target = self.dir / key[:2]
            if not self._ready:
                self._prepare()
            if key[:2] not in self._made:
                target.mkdir(parents=True, exist_ok=True)
                self._made.add(key[:2])
            _atomic_write(target / (key + part), orjson.dumps(value))
        except OSError:
            self.dir = None  # a read-only checkout: run without a cache

    # --- the version index ------------------------------------------------------------

    def read_index(self, name: str) -> dict[str, Any]:
        """A version's index (see :class:`.version._Index`); empty when there is none.
        Stamps written too close to the index itself are left out (see RACY_NS)."""
        data = self.get(self._index_key(name), ".index")
        if not isinstance(data, dict) or not isinstance(data.get("files"), dict):
            return {}
        written = data.get("written", 0)
        data["files"] = {
            rel: entry
            for rel, entry in data["files"].items()
            if isinstance(entry, list)
            and len(entry) == 4
            and isinstance(entry[1], int)
            and entry[1] < written - RACY_NS
        }
        if not isinstance(data.get("results"), dict):
            data["results"] = {}
        return data

    def write_index(self, name: str, index: dict[str, Any]) -> None:
        self.put(self._index_key(name), {"written": time.time_ns(), **index}, ".index")

    def _index_key(self, name: str) -> str:
        """Salted like the content keys: an index that arrives with a checkout is never read."""
        import hashlib

        return hashlib.sha256(self._salt + name.encode()).hexdigest()

    def prepare(self) -> None:
        """Create the cache directory and its .gitignore now (put does it on first use)."""
        if self.dir is None or self._ready:
            return
        try:
            self._prepare()
        except OSError:
            self.dir = None

    def _prepare(self) -> None:
        assert self.dir is not None
        base = self.dir.parent.parent
        base.mkdir(parents=True, exist_ok=True)
        ignore = base / ".gitignore"
        if not ignore.exists():
            ignore.write_text("# created by dutylist: the cache is safe to delete\n*\n", encoding="utf-8")
        self._ready = True


def _atomic_write(target: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
