"""``dutylist init``: scaffold a catalogue repository.

Writes a first version (``catalogues/<label>/``: catalogue.yaml, units.yaml and one example
unit file, all valid as written), a fully commented ``catalogues/dutylist.toml``, the JSON
Schemas the files' modelines point at (``schemas/``, so editors work offline and the
schemas match the dutylist version that wrote them), ``.gitignore``, a pre-commit
configuration and, as asked, a GitHub Actions workflow or a GitLab CI file.

Nothing is overwritten unless ``force``; nothing is ever deleted. The one file merged
rather than replaced is ``.gitignore``: the lines dutylist needs are appended to an
existing one (as ``cargo init`` does), so a repository's own ignores survive.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from . import scaffold_text as text
from .errors import UserError
from .output import OutputExistsError

CI_KINDS = ("github", "gitlab", "none")
_LABEL = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_YEAR = re.compile(r"\d{4}")


class ScaffoldError(UserError):
    """A repository that cannot be set up as asked: a usage error (exit 2)."""


@dataclass(frozen=True)
class ScaffoldOptions:
    target: Path
    ci: str = "github"  # github | gitlab | none
    version: str | None = None  # first version label; default: the current year
    force: bool = False


def plan(options: ScaffoldOptions) -> dict[str, str]:
    """Relative path (POSIX) -> text of every file ``scaffold`` writes, ``.gitignore`` aside."""
    from .schemas import generate_schemas
    from .settings_template import settings_template

    if options.ci not in CI_KINDS:
        raise ScaffoldError(
            f"--ci 应为 {'、'.join(CI_KINDS)} 之一，而不是 {options.ci!r}",
            f"--ci must be one of {', '.join(CI_KINDS)}, not {options.ci!r}",
        )
    this_year = _dt.date.today().year
    label = options.version if options.version is not None else str(this_year)
    if not _LABEL.fullmatch(label):
        raise ScaffoldError(
            f"版本标签 {label!r} 无效：只能用字母、数字、.、_、-，并以字母或数字开头（如 2025）",
            f"invalid version label {label!r}: use letters, digits, '.', '_', '-', "
            "starting with a letter or digit (e.g. 2025)",
        )
    year = int(label) if _YEAR.fullmatch(label) and int(label) > 0 else this_year
    values = {
        "label": label,
        "edition": f"{label}年版" if _YEAR.fullmatch(label) else f"{label}版",
        "effective": f"{year:04d}-01-01",
        "year": str(year),
        "previous": str(year - 1),
        "dutylist": __version__,
    }
    version_dir = f"catalogues/{label}"
    files = {
        "catalogues/dutylist.toml": settings_template(),
        f"{version_dir}/catalogue.yaml": text.fill(text.CATALOGUE, **values),
        f"{version_dir}/units.yaml": text.fill(text.UNITS, **values),
        f"{version_dir}/units/shili.yaml": text.fill(text.UNIT, **values),
    }
    files.update({f"schemas/{name}": body for name, body in generate_schemas().items()})
    files[".pre-commit-config.yaml"] = text.fill(text.PRE_COMMIT, **values)
    if options.ci == "github":
        files[".github/workflows/dutylist.yml"] = text.fill(text.GITHUB, **values)
    elif options.ci == "gitlab":
        files[".gitlab-ci.yml"] = text.fill(text.GITLAB, **values)
    return files


def scaffold(options: ScaffoldOptions) -> list[Path]:
    """Write the files; returns the paths written. Existing files are never overwritten
    without ``force`` (OutputExistsError)."""
    target = options.target
    if target.exists() and not target.is_dir():
        raise ScaffoldError(f"{target} 已存在且不是目录", f"{target} exists and is not a directory")
    files = plan(options)
    existing = [rel for rel in [*files, ".gitignore"] if _check_path(target, rel)]
    clashes = [rel for rel in existing if rel != ".gitignore"]
    if clashes and not options.force:
        more_zh = f"（另有 {len(clashes) - 1} 个文件也已存在）" if len(clashes) > 1 else ""
        more_en = f" (and {len(clashes) - 1} more of the files to write)" if len(clashes) > 1 else ""
        raise OutputExistsError(target / clashes[0], "已存在" + more_zh, "exists" + more_en)
    ignore = _gitignore(target / ".gitignore" if ".gitignore" in existing else None)
    written = []
    for rel, body in [*files.items(), *([(".gitignore", ignore)] if ignore is not None else [])]:
        path = target / rel
        _write(path, body)
        written.append(path)
    return written


def _check_path(target: Path, rel: str) -> bool:
    """Whether the file exists; a folder in its way (a file, or the path being a folder) is an error."""
    path = target / rel
    for parent in reversed(path.relative_to(target).parents[:-1]):
        folder = target / parent
        if folder.exists() and not folder.is_dir():
            raise ScaffoldError(f"{folder} 已存在且不是目录", f"{folder} exists and is not a directory")
    if path.is_dir():
        raise ScaffoldError(f"{path} 已存在且是目录", f"{path} exists and is a directory")
    return path.exists() or path.is_symlink()


def _gitignore(existing: Path | None) -> str | None:
    """The new text of .gitignore, or None when it already ignores what dutylist writes."""
    if existing is None:
        return text.GITIGNORE
    try:
        old = existing.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScaffoldError(f"无法读取 {existing}：{exc}", f"cannot read {existing}: {exc}") from None
    have = {line.strip() for line in old.splitlines()}
    missing = [line for line in text.GITIGNORE_LINES if line not in have and "/" + line not in have]
    if not missing:
        return None
    sep = "" if not old or old.endswith("\n") else "\n"
    return old + sep + "\n# dutylist\n" + "\n".join(missing) + "\n"


def _write(path: Path, body: str) -> None:
    """Atomically: a temporary file beside the target, then renamed over it."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.tmp-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(body.encode("utf-8"))
            os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes it private; these files are not
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise ScaffoldError(f"无法写入 {path}：{reason}", f"cannot write {path}: {reason}") from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
