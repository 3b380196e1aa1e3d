"""Writing a compile's output directory atomically, never over a user's files unasked.

Everything is written to a temporary directory beside the target, then renamed into
place. An existing target is replaced only with ``force``, or when its ``list.json``
manifest says it is an earlier compile of the same version (so ``dutylist compile 2025``
can be run again and again, but never replaces a directory of something else).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

from .compiled import CompiledList, CompiledListError, read_manifest
from .render.list_writers import writer


class OutputExistsError(Exception):
    """The output directory exists and is not an earlier compile of this version."""

    def __init__(self, path: Path, why_zh: str, why_en: str) -> None:
        super().__init__(why_en)
        self.path, self.zh, self.en = path, why_zh, why_en

    def message(self, lang: str) -> str:
        hint = "（加 --force 覆盖）" if lang == "zh" else " (use --force to replace it)"
        return f"{self.path}: " + (self.zh if lang == "zh" else self.en) + hint


def check_target(out_dir: Path, label: str) -> None:
    if not out_dir.exists() and not out_dir.is_symlink():
        return
    if not out_dir.is_dir():
        raise OutputExistsError(out_dir, "已存在且不是目录", "exists and is not a directory")
    listing = out_dir / "list.json"
    if not listing.is_file():
        if any(out_dir.iterdir()):
            raise OutputExistsError(out_dir, "已存在且不是 dutylist 的编译结果", "exists and is not a dutylist compile")
        return
    try:
        version = read_manifest(listing).get("version")
    except (CompiledListError, OSError):
        raise OutputExistsError(
            out_dir, "已存在，其中的 list.json 无法识别", "exists and its list.json is not ours"
        ) from None
    if version != label:
        raise OutputExistsError(
            out_dir, f"已存在，是版本 {version} 的编译结果", f"exists and holds a compile of version {version}"
        )


def never_replaced(out_dir: Path, keep: Iterable[Path] = ()) -> None:
    """Not even ``--force`` replaces the working directory, a directory above it or above
    any of ``keep`` (what the command reads), or a git repository: ``compile 2025 --out .
    --force`` must not move the user's work away."""
    if not out_dir.exists():
        return
    target = out_dir.resolve()
    held = [Path.cwd().resolve(), *(p.resolve() for p in keep)]
    if any(p == target or target in p.parents for p in held) or (target / ".git").exists():
        raise ProtectedOutputError(
            out_dir,
            "包含当前目录、所读取的清单或 git 仓库，不会被替换；请指定一个新的输出目录",
            "holds the working directory, what is read, or a git repository, and is never replaced; "
            "give a new output directory",
        )


class ProtectedOutputError(OutputExistsError):
    def message(self, lang: str) -> str:
        return f"{self.path}: " + (self.zh if lang == "zh" else self.en)


def write_outputs(listing: CompiledList, out_dir: Path, formats: list[str], *, force: bool = False) -> list[Path]:
    """Write the renderings; returns the files written (paths inside ``out_dir``)."""
    never_replaced(out_dir)
    if not force:
        check_target(out_dir, listing.label)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o777 & ~umask)  # mkdtemp makes it private; the output is not
    try:
        written: list[Path] = []
        for fmt in formats:
            written.extend(writer(fmt)(listing, tmp))
        old = None
        if out_dir.exists() or out_dir.is_symlink():
            old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
            os.replace(out_dir, old / "previous")
        os.replace(tmp, out_dir)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return [out_dir / p.relative_to(tmp) for p in written]
