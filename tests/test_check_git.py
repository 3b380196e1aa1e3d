"""End to end with real git: a catalogue repository, a pull-request branch, ``dutylist check``
against the base branch, as CI runs it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .builders import UNITS, write_version

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

DUTYLIST = str(Path(sys.executable).with_name("dutylist"))
ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.org",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.org",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_SYSTEM": os.devnull,
    "DUTYLIST_LANG": "en",
}
ENV.pop("GITHUB_ACTIONS", None)
ENV.pop("GITHUB_STEP_SUMMARY", None)

FGZ = """\
unit: fgz
basic:
  - id: FG-B-101
    name: 发展村级集体经济
  - id: FG-B-102
    name: 农村宅基地巡查
"""


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, env=ENV, check=True, capture_output=True, text=True).stdout


def dutylist(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([DUTYLIST, *args], cwd=repo, env=ENV, capture_output=True, text=True, timeout=120)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    write_version(repo / "catalogues", "2025", {"units.yaml": UNITS, "units/fgz.yaml": FGZ})
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "2025")
    git(repo, "checkout", "-q", "-b", "pr")
    return repo


def test_a_new_duty_without_approval_fails_until_declared(repo: Path) -> None:
    (repo / "catalogues/2025/units/fgz.yaml").write_text(
        FGZ + "  - id: FG-B-103\n    name: 秸秆禁烧巡查\n", encoding="utf-8"
    )
    git(repo, "commit", "-q", "-am", "add a duty to 府谷镇")

    run = dutylist(repo, "check", "2025", "--base", "main:2025")
    assert run.returncode == 1, run.stdout + run.stderr
    assert "2025/units/fgz.yaml:7:5  error DL201" in run.stdout
    assert "DL202" in run.stdout and "FG-B-103" in run.stdout

    annotations = dutylist(repo, "check", "2025", "--base", "main:2025", "--format", "github")
    assert "::error file=catalogues/2025/units/fgz.yaml,line=7,col=5,title=DL201::" in annotations.stdout

    (repo / "catalogues/2025/units/fgz.yaml").write_text(
        FGZ + "  - id: FG-B-103\n    name: 秸秆禁烧巡查\n    approval: 府办发〔2025〕12号\n", encoding="utf-8"
    )
    (repo / "catalogues/2025/adjustments.yaml").write_text(
        "- id: TZ-2025-001\n  kind: added\n  items: [FG-B-103]\n  basis: 府办发〔2025〕12号\n"
        "  reason: 秸秆禁烧列入乡镇职责\n  date: 2025-03-01\n",
        encoding="utf-8",
    )
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "approval and record")
    run = dutylist(repo, "check", "2025", "--base", "main:2025", "--fail-on", "error")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 warnings" in run.stdout and "DL204" in run.stdout  # 府谷镇's burden grows by one: a warning

    bare = dutylist(repo, "check", "--base", "main")  # a bare revision: the same version there
    assert bare.returncode == 0 and "against main:2025" in bare.stdout


def test_a_withdrawal_recorded_without_basis_is_dl208(repo: Path) -> None:
    (repo / "catalogues/2025/units/fgz.yaml").write_text(
        "unit: fgz\nbasic:\n  - id: FG-B-101\n    name: 发展村级集体经济\nrecalled:\n"
        "  - id: FG-B-102\n    name: 农村宅基地巡查\n    receiver: zrzy\n    method: 部门执法，乡镇提供线索\n",
        encoding="utf-8",
    )
    (repo / "catalogues/2025/adjustments.yaml").write_text(
        "- id: TZ-2025-001\n  kind: withdrawn\n  items: [FG-B-102]\n  to: zrzy\n  reason: 专业性强\n", encoding="utf-8"
    )
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "withdraw FG-B-102")
    run = dutylist(repo, "check", "2025", "--base", "main:2025", "--format", "json")
    assert run.returncode == 1
    import json

    report = json.loads(run.stdout)
    assert [(d["code"], d["file"], d["line"]) for d in report["diagnostics"]] == [("DL208", "2025/adjustments.yaml", 1)]
    assert report["base"] == {"spec": "main:2025", "version": "2025"}
    assert report["diff"]["summary"]["withdrawn"] == 1


def test_a_new_version_checked_against_a_branch_that_lacks_it(repo: Path) -> None:
    """`--base main` for a pull request that adds 2026: main has no 2026, so its 2025 is the base."""
    write_version(
        repo / "catalogues",
        "2026",
        {
            "catalogue.yaml": 'schema: 1\ntitle: t\nregion: {code: "610822", name: 府谷县}\neffective: 2026-03-01\n'
            'previous: "2025"\n',
            "units.yaml": UNITS,
            "units/fgz.yaml": FGZ,
        },
    )
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "2026")
    run = dutylist(repo, "check", "--base", "main", "--format", "json")
    import json

    report = json.loads(run.stdout)
    assert run.returncode == 0, run.stdout + run.stderr
    assert report["head"]["version"] == "2026" and report["base"] == {"spec": "main:2025", "version": "2025"}


def test_an_unknown_base_is_a_usage_error(repo: Path) -> None:
    run = dutylist(repo, "check", "--base", "no-such-branch")
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert "no-such-branch" in run.stderr
