"""Reading a file's bytes safely, and decoding them as UTF-8 or saying what they are."""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from .limits import Limits


@dataclass(frozen=True, slots=True)
class ReadProblem:
    """Why a file could not be read; ``line`` is 1-based, 0 when it is about the whole file."""

    code: str
    params: dict[str, str]
    line: int = 0
    column: int = 0


def read_bytes(path: Path, limits: Limits) -> bytes | ReadProblem:
    """The bytes of a regular file, or why not (directory, FIFO, symlink loop, too big...)."""
    try:
        st = os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return ReadProblem("DL100", {"reason": "symbolic link loop"})
        return ReadProblem("DL100", {"reason": exc.strerror or str(exc)})
    if stat.S_ISDIR(st.st_mode):
        return ReadProblem("DL100", {"reason": "is a directory"})
    if not stat.S_ISREG(st.st_mode):
        return ReadProblem("DL100", {"reason": "not a regular file (FIFO, socket or device)"})
    if st.st_size > limits.max_file_bytes:
        return _too_big(st.st_size, limits)
    try:
        with open(path, "rb") as fh:
            data = fh.read(limits.max_file_bytes + 1)
    except OSError as exc:
        return ReadProblem("DL100", {"reason": exc.strerror or str(exc)})
    if len(data) > limits.max_file_bytes:
        return _too_big(len(data), limits)
    return data


def _too_big(size: int, limits: Limits) -> ReadProblem:
    mib = limits.max_file_bytes / (1024 * 1024)
    return ReadProblem(
        "DL107",
        {"what": f"文件大小 {size} 字节，超过 {mib:g} MiB", "what_en": f"{size} bytes, over {mib:g} MiB"},
    )


_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32 (little-endian)"),
    (b"\x00\x00\xfe\xff", "UTF-32 (big-endian)"),
    (b"\xff\xfe", "UTF-16 (little-endian)"),
    (b"\xfe\xff", "UTF-16 (big-endian)"),
)


def decode_text(data: bytes) -> str | ReadProblem:
    """Decode UTF-8 (with or without BOM). Anything else is refused, naming the likely encoding."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for bom, name in _BOMS:
        if data.startswith(bom):
            return _not_utf8(name)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = exc.start
    if b"\x00" in data[:4096]:
        even = data[0:4096:2].count(0)
        odd = data[1:4096:2].count(0)
        return _not_utf8("UTF-16 (big-endian)" if even > odd else "UTF-16 (little-endian)")
    line = data.count(b"\n", 0, bad) + 1
    line_start = data.rfind(b"\n", 0, bad) + 1
    column = len(data[line_start:bad].decode("utf-8", "replace")) + 1  # characters, as everywhere
    return _not_utf8(_guess_legacy(data), line, column)


def _guess_legacy(data: bytes) -> str:
    for codec, name in (("gb18030", "GBK/GB18030"), ("big5", "Big5")):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if any("\u4e00" <= ch <= "\u9fff" for ch in text):
            return name
    return ""


def _not_utf8(guess: str, line: int = 0, column: int = 0) -> ReadProblem:
    params = {
        "guess_zh": f"（看起来是 {guess}）" if guess else "",
        "guess_en": f" (it looks like {guess})" if guess else "",
    }
    return ReadProblem("DL101", params, line, column)
