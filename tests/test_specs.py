"""Version specs (DESIGN §3): a label under the root, a path, and REV:LABEL read from git."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dutylist.cli import app
from dutylist.source.limits import Limits
from dutylist.source.spec import SpecError, resolve

from .builders import write_version

runner = CliRunner()


def git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
        env={
            "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@example.invalid",
            "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@example.invalid",
            "HOME": str(cwd),
            "PATH": "/usr/bin:/bin",
        },
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository whose catalogue root is the subdirectory catalogues/, version 2025 committed on main."""
    write_version(tmp_path / "catalogues")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "2025")
    return tmp_path


def test_label_and_path_resolve_to_the_same_directory(tmp_path: Path) -> None:
    vdir = write_version(tmp_path)
    by_label = resolve("2025", tmp_path)
    by_path = resolve(str(vdir), Path("elsewhere"))
    assert by_label.kind == by_path.kind == "dir"
    assert by_label.label == by_path.label == "2025"
    assert by_label.files() == by_path.files() == ["catalogue.yaml", "units.yaml", "units/fgz.yaml"]


def test_git_version_is_read_from_objects_not_the_work_tree(repo: Path) -> None:
    fgz = repo / "catalogues" / "2025" / "units" / "fgz.yaml"
    fgz.write_text("unit: fgz\nbasic:\n  - {id: FG-B-1, nmae: 改坏了}\n", encoding="utf-8")
    (repo / "catalogues" / "2025" / "units" / "new.yaml").write_text("unit: new\n", encoding="utf-8")
    ref = resolve("main:2025", repo / "catalogues")
    assert ref.kind == "git" and ref.display == "main:2025"
    assert ref.files() == ["catalogue.yaml", "units.yaml", "units/fgz.yaml"]
    raw = ref.read("units/fgz.yaml", Limits())
    assert isinstance(raw, bytes) and b"FG-B-101" in raw
    # committed version valid, work tree broken
    res = runner.invoke(app, ["validate", "main:2025", "--root", str(repo / "catalogues")], env={"GITHUB_ACTIONS": ""})
    assert res.exit_code == 0, res.stdout + res.stderr
    res = runner.invoke(app, ["validate", "2025", "--root", str(repo / "catalogues")], env={"GITHUB_ACTIONS": ""})
    assert res.exit_code == 1
    assert "2025/units/fgz.yaml:3" in res.stdout


def test_git_diagnostics_name_the_revision(repo: Path) -> None:
    (repo / "catalogues" / "2025" / "units" / "hsz.yaml").write_text("unit: hsz\nbasic: 1\n", encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "bad")
    res = runner.invoke(
        app,
        ["validate", "HEAD:2025", "--root", str(repo / "catalogues"), "--format", "json"],
        env={"GITHUB_ACTIONS": ""},
    )
    assert res.exit_code == 1
    assert '"file": "HEAD:2025/units/hsz.yaml"' in res.stdout
    assert '"line": 2' in res.stdout


@pytest.mark.parametrize("spec", ["-x:2025", "--upload-pack=evil:2025"])
def test_revision_starting_with_dash_is_refused(repo: Path, spec: str) -> None:
    with pytest.raises(SpecError):
        resolve(spec, repo / "catalogues")


def test_unknown_revision_and_label(repo: Path) -> None:
    with pytest.raises(SpecError, match="unknown git revision"):
        resolve("nosuchbranch:2025", repo / "catalogues")
    with pytest.raises(SpecError, match="no version '2019'"):
        resolve("main:2019", repo / "catalogues")


def test_compiled_list_is_a_spec_and_validate_skips_it(tmp_path: Path) -> None:
    from dutylist.compile import CompileOptions, compile_ref

    write_version(tmp_path / "cat")
    listing = compile_ref(resolve("2025", tmp_path / "cat"), CompileOptions(root=tmp_path / "cat")).listing
    assert listing is not None
    path = tmp_path / "list.json"
    path.write_bytes(listing.to_bytes())
    ref = resolve(str(path), tmp_path)
    assert ref.kind == "compiled" and ref.label == "2025"
    res = runner.invoke(app, ["validate", str(path), "--root", str(tmp_path)], env={"GITHUB_ACTIONS": ""})
    assert res.exit_code == 0
    assert "已编译" in res.stdout


def test_a_json_file_that_is_no_compiled_list_is_a_usage_error(tmp_path: Path) -> None:
    fake = tmp_path / "list.json"
    fake.write_text('{"manifest": {"version": "2025"}, "entries": []}', encoding="utf-8")
    with pytest.raises(SpecError, match="neither a version directory nor a compiled list"):
        resolve(str(fake), tmp_path)


def test_a_file_that_is_no_version_is_a_usage_error(tmp_path: Path) -> None:
    other = tmp_path / "notes.txt"
    other.write_text("hello", encoding="utf-8")
    with pytest.raises(SpecError):
        resolve(str(other), tmp_path)


def test_a_root_given_as_a_version_is_explained(tmp_path: Path) -> None:
    write_version(tmp_path / "cat")
    with pytest.raises(SpecError, match="catalogue root"):
        resolve(str(tmp_path / "cat"), tmp_path)
