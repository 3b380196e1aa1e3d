"""Version specs (DESIGN §3): ``2025`` under the root, a path, or ``REV:2025`` from git.

Git versions are read straight from the object database with ``git ls-tree`` and
``git cat-file --batch`` (an argument list, never a shell, never a checkout).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .limits import Limits
from .read import ReadProblem, read_bytes


class SpecError(Exception):
    """A version spec that names nothing readable: a usage error (exit 2)."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(en)
        self.zh = zh
        self.en = en

    def message(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


@dataclass
class VersionRef:
    """A resolved version: where its files are and how to name them in messages."""

    spec: str
    label: str
    kind: str  # "dir" | "git" | "compiled"
    display: str  # prefix of file paths in diagnostics: "2025", "main:2025", "path/to/2025"
    path: Path | None = None  # the version directory, or the compiled list.json
    root: Path | None = None  # the catalogue root (cache, previous version)
    git: GitTree | None = None

    def files(self) -> list[str]:
        """Every file of the version, relative to its directory, '/'-separated, sorted."""
        if self.git is not None:
            return self.git.files()
        assert self.path is not None
        out = []
        for dirpath, dirnames, filenames in os.walk(self.path, followlinks=False):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            rel_dir = os.path.relpath(dirpath, self.path)
            for name in filenames:
                rel = name if rel_dir == "." else f"{rel_dir}/{name}".replace(os.sep, "/")
                out.append(rel)
            # symlinked or special directories named like YAML files are reported as files
            for d in list(dirnames):
                if d.endswith(".yaml") and rel_dir in ("units", "templates"):
                    out.append(f"{rel_dir}/{d}")
                    dirnames.remove(d)
        return sorted(out)

    def read(self, rel: str, limits: Limits) -> bytes | ReadProblem:
        if self.git is not None:
            return self.git.read(rel, limits)
        assert self.path is not None
        return read_bytes(self.path / rel, limits)

    def fs_path(self, rel: str) -> str:
        """The file in the working tree, relative to the working directory ('' for compiled
        lists). For a git version it is where the file lives in a checkout of that
        revision: what annotations and SARIF name, run from the repository."""
        if self.git is not None:
            target = (self.git.repo_root / f"{self.git.root_prefix}{self.label}" / rel).absolute()
        elif self.path is None or self.kind != "dir":
            return ""
        else:
            target = (self.path / rel).absolute()
        try:
            return target.relative_to(Path.cwd()).as_posix()
        except ValueError:
            return str(target)

    def sibling(self, label: str) -> VersionRef | None:
        """Version ``label`` beside this one (same root, same git revision)."""
        if self.git is not None:
            try:
                return resolve_git(self.git.repo_root, self.git.rev, label, self.git.root_prefix, self.root)
            except SpecError:
                return None
        if self.root is None:
            return None
        target = self.root / label
        if target.is_dir():
            return _dir_ref(label, target, self.root)
        return None


def list_versions(root: Path) -> list[str]:
    if not root.is_dir():
        return []
    return sorted(
        p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith(".") and (p / "catalogue.yaml").exists()
    )


def resolve(spec: str, root: Path) -> VersionRef:
    if not spec or spec.startswith("-"):
        raise SpecError(f"无效的版本 {spec!r}", f"invalid version spec {spec!r}")
    as_path = Path(spec)
    under_root = root / spec
    if "/" not in spec and os.sep not in spec and under_root.is_dir():
        return _dir_ref(spec, under_root, root)
    if as_path.exists():
        if as_path.is_dir():
            if not (as_path / "catalogue.yaml").exists() and list_versions(as_path):
                raise SpecError(
                    f"{spec} 是目录根而不是版本；请用 --root {spec} 或指定其中的版本",
                    f"{spec} is a catalogue root, not a version: use --root {spec}, or name a version in it",
                )
            return _dir_ref(as_path.resolve().name, as_path, as_path.resolve().parent, display=spec.rstrip("/"))
        return _compiled_ref(spec, as_path)
    if ":" in spec:
        rev, _, label = spec.rpartition(":")
        if not rev or rev.startswith("-"):
            raise SpecError(f"无效的 git 版本 {rev!r}", f"invalid git revision {rev!r}")
        if not label or "/" in label or label.startswith("."):
            raise SpecError(f"无效的版本名 {label!r}", f"invalid version label {label!r}")
        return resolve_git(None, rev, label, None, root)
    have = list_versions(root)
    listed = "、".join(have) if have else "无"
    raise SpecError(
        f"找不到版本 {spec!r}（{root} 下的版本：{listed}）",
        f"no version {spec!r} (versions under {root}: {', '.join(have) or 'none'})",
    )


def _dir_ref(label: str, path: Path, root: Path, display: str | None = None) -> VersionRef:
    if display is None:
        display = label
    return VersionRef(spec=display, label=label, kind="dir", display=display, path=path, root=root)


def _compiled_ref(spec: str, path: Path) -> VersionRef:
    from ..compiled import CompiledListError, read_manifest

    try:
        label = read_manifest(path)["version"]
    except (OSError, CompiledListError) as exc:
        raise SpecError(
            f"{spec} 不是版本目录，也不是编译后的 list.json",
            f"{spec} is neither a version directory nor a compiled list.json ({exc})",
        ) from None
    return VersionRef(spec=spec, label=str(label), kind="compiled", display=spec, path=path)


# --- git ------------------------------------------------------------------------------


def _git(args: list[str], cwd: Path, stdin: bytes | None = None) -> bytes:
    import shutil
    import subprocess

    exe = shutil.which("git")
    if exe is None:
        raise SpecError("找不到 git 命令", "git is not installed")
    proc = subprocess.run([exe, *args], cwd=cwd, input=stdin, capture_output=True, check=False)
    if proc.returncode != 0:
        msg = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise SpecError(f"git 出错：{msg[-1] if msg else ''}", f"git failed: {msg[-1] if msg else ''}")
    return proc.stdout


@dataclass
class GitTree:
    repo_root: Path
    rev: str
    commit: str
    root_prefix: str  # the catalogue root relative to the repository top, '' or 'catalogues/'
    label: str
    _entries: dict[str, tuple[str, str]] = field(default_factory=dict)  # rel -> (mode, sha)
    _blobs: dict[str, bytes] | None = None

    def files(self) -> list[str]:
        return sorted(self._entries)

    def read(self, rel: str, limits: Limits) -> bytes | ReadProblem:
        mode, sha = self._entries[rel]
        if mode == "120000":
            return ReadProblem("DL100", {"reason": "symbolic link (not followed in git versions)"})
        if self._blobs is None:
            self._load_blobs()
        assert self._blobs is not None
        data = self._blobs.get(sha, b"")
        if len(data) > limits.max_file_bytes:
            mib = limits.max_file_bytes / (1024 * 1024)
            return ReadProblem("DL107", {"what": f"超过 {mib:g} MiB", "what_en": f"over {mib:g} MiB"})
        return data

    def _load_blobs(self) -> None:
        shas = sorted({sha for mode, sha in self._entries.values() if mode != "120000"})
        out = _git(["cat-file", "--batch"], self.repo_root, "\n".join(shas).encode() + b"\n")
        blobs: dict[str, bytes] = {}
        pos = 0
        while pos < len(out):
            nl = out.index(b"\n", pos)
            header = out[pos:nl].split()
            sha, size = header[0].decode(), int(header[2])
            blobs[sha] = out[nl + 1 : nl + 1 + size]
            pos = nl + 1 + size + 1
        self._blobs = blobs


def resolve_git(repo_root: Path | None, rev: str, label: str, root_prefix: str | None, root: Path | None) -> VersionRef:
    if rev.startswith("-"):
        raise SpecError(f"无效的 git 版本 {rev!r}", f"invalid git revision {rev!r}")
    base = root if root is not None and root.is_dir() else Path.cwd()
    if repo_root is None:
        repo_root = Path(_git(["rev-parse", "--show-toplevel"], base).decode().strip())
    if root_prefix is None:
        rel = os.path.relpath(base.resolve(), repo_root.resolve())
        root_prefix = "" if rel == "." else rel.replace(os.sep, "/") + "/"
    try:
        commit = _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"], repo_root)
    except SpecError:
        raise SpecError(f"git 中没有版本 {rev!r}", f"unknown git revision {rev!r}") from None
    sha = commit.decode().strip()
    prefix = f"{root_prefix}{label}/"
    listing = _git(["ls-tree", "-r", "-z", "--full-tree", sha, "--", prefix], repo_root)
    entries: dict[str, tuple[str, str]] = {}
    for rec in listing.split(b"\0"):
        if not rec:
            continue
        meta, _, path = rec.partition(b"\t")
        mode, otype, osha = meta.decode().split()
        if otype != "blob":
            continue
        rel = path.decode("utf-8", "surrogateescape")[len(prefix) :]
        if any(part.startswith(".") for part in rel.split("/")):
            continue
        entries[rel] = (mode, osha)
    if not entries:
        raise SpecError(f"{rev} 中没有版本 {label!r}（{prefix}）", f"no version {label!r} at {rev} ({prefix})")
    tree = GitTree(repo_root, rev, sha, root_prefix, label, entries)
    return VersionRef(spec=f"{rev}:{label}", label=label, kind="git", display=f"{rev}:{label}", root=root, git=tree)
