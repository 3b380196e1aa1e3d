"""A content-keyed cache of per-file results under ``<root>/.dutylist/cache/``.

Keys are the SHA-256 of the file's kind, the loader limits, the dutylist version and the
file's bytes, so an entry can never be stale: delete the directory at any time. The
directory holds its own ``.gitignore`` so it never shows up in ``git status``.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Any

import orjson

from .. import __version__
from .limits import Limits

CACHE_FORMAT = "1"


class Cache:
    def __init__(self, root: Path | None, limits: Limits) -> None:
        self.dir = root / ".dutylist" / "cache" / f"{__version__}-{CACHE_FORMAT}" if root else None
        self._salt = f"{__version__}\0{CACHE_FORMAT}\0{limits.cache_token()}\0".encode()
        self._ready = False

    def key(self, kind: str, raw: bytes) -> str:
        h = hashlib.sha256(self._salt)
        h.update(kind.encode())
        h.update(b"\0")
        h.update(raw)
        return h.hexdigest()

    def get(self, key: str) -> dict[str, Any] | None:
        if self.dir is None:
            return None
        try:
            data: dict[str, Any] = orjson.loads((self.dir / key[:2] / key).read_bytes())
            return data
        except (OSError, orjson.JSONDecodeError):
            return None

    def put(self, key: str, value: dict[str, Any]) -> None:
        if self.dir is None:
            return
        try:
            target = self.dir / key[:2]
            if not self._ready:
                self._prepare()
            target.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target, prefix=".tmp-")
            with os.fdopen(fd, "wb") as fh:
                fh.write(orjson.dumps(value))
            os.replace(tmp, target / key)
        except OSError:
            self.dir = None  # read-only checkout: run without a cache

    def _prepare(self) -> None:
        assert self.dir is not None
        base = self.dir.parent.parent
        base.mkdir(parents=True, exist_ok=True)
        ignore = base / ".gitignore"
        if not ignore.exists():
            ignore.write_text("# created by dutylist: the cache is safe to delete\n*\n", encoding="utf-8")
        self._ready = True
