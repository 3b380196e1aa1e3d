"""The content-keyed cache and the parallel path give the same answers as a cold serial run."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from dutylist.source import version as version_mod
from dutylist.source.cache import Cache
from dutylist.validate import ValidateOptions, validate

from .builders import write_version

BAD = "unit: hsz\nbasic:\n  - {id: HS-B-1, name: 安全, category: 安全生产}\n"


def codes(result: object) -> list[tuple[str, str, int]]:
    return [(d.code, d.file, d.line) for d in result.diagnostics]  # type: ignore[attr-defined]


def test_second_run_reads_the_cache_and_a_changed_file_is_parsed_again(tmp_path: Path) -> None:
    write_version(tmp_path, files={"units/hsz.yaml": BAD})
    first = validate(ValidateOptions(root=tmp_path))
    assert first.versions[0].cached == 0
    second = validate(ValidateOptions(root=tmp_path))
    assert second.versions[0].cached == second.versions[0].files == 4
    assert codes(first) == codes(second) == [("DL128", "2025/units/hsz.yaml", 3)]
    (tmp_path / "2025" / "units" / "hsz.yaml").write_text(BAD.replace("安全生产", "平安法治"), encoding="utf-8")
    third = validate(ValidateOptions(root=tmp_path))
    assert third.versions[0].cached == 3
    assert third.ok and not third.diagnostics
    assert (tmp_path / ".dutylist" / ".gitignore").read_text(encoding="utf-8").strip().endswith("*")


def test_corrupt_cache_entries_are_ignored(tmp_path: Path) -> None:
    write_version(tmp_path, files={"units/hsz.yaml": BAD})
    validate(ValidateOptions(root=tmp_path))
    for entry in (tmp_path / ".dutylist" / "cache").rglob("*"):
        if entry.is_file():
            entry.write_bytes(b"\x00not json")
    again = validate(ValidateOptions(root=tmp_path))
    assert codes(again) == [("DL128", "2025/units/hsz.yaml", 3)]


def test_no_cache_writes_nothing(tmp_path: Path) -> None:
    write_version(tmp_path)
    validate(ValidateOptions(root=tmp_path, use_cache=False))
    assert not (tmp_path / ".dutylist").exists()


def test_parallel_and_serial_agree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = {f"units/t{i}.yaml": BAD.replace("hsz", f"t{i}") for i in range(6)}
    units = "departments: []\ntownships:\n" + "".join(f"  - {{id: t{i}, name: 镇{i}, kind: town}}\n" for i in range(6))
    write_version(tmp_path, files={**files, "units.yaml": units, "units/fgz.yaml": "unit: t0\n"})
    serial = validate(ValidateOptions(root=tmp_path, use_cache=False, jobs=1))
    monkeypatch.setattr(version_mod, "PARALLEL_MIN_BYTES", 0)
    parallel = validate(ValidateOptions(root=tmp_path, use_cache=False, jobs=2))
    assert codes(serial) == codes(parallel)
    assert len(codes(serial)) == 7  # six bad categories, and fgz.yaml names t0


def test_cache_files_from_elsewhere_are_never_trusted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Entries are keyed with a secret in the user's cache directory: cache files committed to
    a repository (a pull request could forge one saying a broken file is valid) never match."""
    root = tmp_path / "repo"
    write_version(root, files={"units/hsz.yaml": BAD})
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "author-home"))
    validate(ValidateOptions(root=root))
    # forge: every cache entry now says "valid, no diagnostics"
    for entry in (root / ".dutylist" / "cache").rglob("*"):
        if entry.is_file() and entry.name.endswith(".index"):
            index = orjson.loads(entry.read_bytes())
            for key in index["results"]:
                index["results"][key] = {"diagnostics": [], "facts": None, "valid": True}
            entry.write_bytes(orjson.dumps(index))
        elif entry.is_file() and not entry.name.endswith(".items"):
            entry.write_bytes(b'{"diagnostics": [], "facts": null, "valid": true}')
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "ci-home"))
    result = validate(ValidateOptions(root=root))
    assert result.versions[0].cached == 0
    assert codes(result) == [("DL128", "2025/units/hsz.yaml", 3)]


def test_without_a_user_cache_directory_nothing_is_cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    write_version(tmp_path / "cat", files={"units/hsz.yaml": BAD})
    result = validate(ValidateOptions(root=tmp_path / "cat"))
    assert codes(result) == [("DL128", "2025/units/hsz.yaml", 3)]
    assert not (tmp_path / "cat" / ".dutylist").exists()


def test_an_unchanged_version_is_read_from_its_index_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The version index holds every file's result: a second run opens one cache file, not one
    per source file, and a changed file is then the only one looked up and parsed."""
    good = BAD.replace("安全生产", "平安法治")
    write_version(tmp_path, files={"units/hsz.yaml": good})
    first = validate(ValidateOptions(root=tmp_path))
    reads: list[str] = []
    real_get = Cache.get

    def get(self: Cache, key: str, part: str = "") -> object:
        reads.append(part or "result")
        return real_get(self, key, part)

    monkeypatch.setattr(Cache, "get", get)
    second = validate(ValidateOptions(root=tmp_path))
    assert reads == [".index"]
    assert first.ok and second.ok and second.versions[0].cached == 4
    reads.clear()
    (tmp_path / "2025" / "units" / "hsz.yaml").write_text(BAD, encoding="utf-8")
    third = validate(ValidateOptions(root=tmp_path))
    # the new content, looked up and then parsed; the old one, for the ids it had
    assert reads == [".index", "result", "result"]
    assert third.versions[0].cached == 3
    assert codes(third) == [("DL128", "2025/units/hsz.yaml", 3)]


def test_workers_write_the_cache_a_second_run_reads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Worker processes store what they parse; the next run finds every file in the cache."""
    files = {f"units/t{i}.yaml": BAD.replace("hsz", f"t{i}") for i in range(6)}
    units = "departments: []\ntownships:\n" + "".join(f"  - {{id: t{i}, name: 镇{i}, kind: town}}\n" for i in range(6))
    write_version(tmp_path, files={**files, "units.yaml": units, "units/fgz.yaml": "unit: t0\n"})
    monkeypatch.setattr(version_mod, "PARALLEL_MIN_BYTES", 0)
    first = validate(ValidateOptions(root=tmp_path, jobs=2))
    entries = [p for p in (tmp_path / ".dutylist" / "cache").rglob("*") if p.is_file() and "." not in p.name]
    assert len(entries) == first.versions[0].files == 9
    second = validate(ValidateOptions(root=tmp_path, jobs=2))
    assert second.versions[0].cached == 9
    assert codes(second) == codes(first) and len(codes(first)) == 7
