"""``dutylist check`` and ``dutylist rules`` through the command line: exit codes, formats,
the GitHub step summary, reports written to files, configuration errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dutylist.cli import app

REPO = Path(__file__).resolve().parent.parent
runner = CliRunner()
ENV = {"GITHUB_ACTIONS": "", "GITHUB_STEP_SUMMARY": "", "DUTYLIST_LANG": ""}


@pytest.fixture
def failing(tmp_path: Path) -> Path:
    """The sample catalogues with one township duty added without approval or record."""
    root = tmp_path / "catalogues"
    shutil.copytree(REPO / "catalogues", root, ignore=shutil.ignore_patterns(".dutylist"))
    unit = root / "2025" / "units" / "taoyuan.yaml"
    text = unit.read_text(encoding="utf-8")
    added = "  - id: TAOYUAN-B-103\n    name: 配合开展农村人居环境整治考核\n"
    unit.write_text(
        text.replace("    approval: 安政办函〔2025〕8号\n", "    approval: 安政办函〔2025〕8号\n" + added, 1), "utf-8"
    )
    return root


def test_samples_pass_and_a_new_duty_fails(failing: Path) -> None:
    ok = runner.invoke(app, ["check", "--root", str(REPO / "catalogues")], env=ENV)
    assert ok.exit_code == 0 and "检查通过" in ok.stdout
    bad = runner.invoke(app, ["check", "--root", str(failing), "--lang", "en"], env=ENV)
    assert bad.exit_code == 1 and "Check failed: 2025 against 2024, 2 errors" in bad.stdout
    never = runner.invoke(app, ["check", "--root", str(failing), "--fail-on", "never"], env=ENV)
    assert never.exit_code == 0 and "DL201" in never.stdout


def test_json_report(failing: Path) -> None:
    result = runner.invoke(app, ["check", "--root", str(failing), "--format", "json"], env=ENV)
    report = json.loads(result.stdout)
    assert result.exit_code == 1 and report["ok"] is False and report["failed"] is True
    assert [(d["code"], d["file"], d["line"], d["column"]) for d in report["diagnostics"]] == [
        ("DL201", "2025/units/taoyuan.yaml", 18, 5),
        ("DL202", "2025/units/taoyuan.yaml", 18, 5),
    ]
    assert report["counts"] == {"error": 2, "warning": 0, "info": 0}
    assert report["diff"]["summary"]["added"] == 8 and len(report["rules"]) == 9


def test_github_actions_annotations_and_step_summary(failing: Path, tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("# earlier step\n", encoding="utf-8")
    env = {**ENV, "GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)}
    result = runner.invoke(app, ["check", "--root", str(failing)], env=env)
    assert result.exit_code == 1
    assert result.stdout.startswith("::error file=")
    assert "units/taoyuan.yaml,line=18,col=5,title=DL201::" in result.stdout
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("# earlier step\n") and "DL201" in text  # appended, never replaced


def test_output_file_is_written_whole(failing: Path, tmp_path: Path) -> None:
    out = tmp_path / "reports" / "check.json"
    result = runner.invoke(app, ["check", "--root", str(failing), "--format", "json", "--output", str(out)], env=ENV)
    assert result.exit_code == 1 and result.stdout.startswith("检查未通过") and str(out) in result.stdout
    assert json.loads(out.read_text(encoding="utf-8"))["failed"] is True
    assert [p.name for p in out.parent.iterdir()] == ["check.json"]  # no temporary file left


@pytest.mark.parametrize(
    ("args", "config", "message"),
    [
        (["--format", "yaml"], None, "unknown format 'yaml'"),
        (["--base", "1999"], None, "1999"),
        (["dist/none/list.json"], None, "none"),
        ([], "[check]\nfail_on = 1\n", "dutylist.toml:2: fail_on"),
        (
            [],
            '[check.rules.DL204]\nmax_burden_growth = "many"\n',
            "dutylist.toml:2: [check.rules.DL204] max_burden_growth",
        ),
    ],
)
def test_usage_errors_exit_2_without_traceback(
    failing: Path, args: list[str], config: str | None, message: str
) -> None:
    if config is not None:
        (failing / "dutylist.toml").write_text(config, encoding="utf-8")
    result = runner.invoke(app, ["check", "--root", str(failing), "--lang", "en", *args], env=ENV)
    assert result.exit_code == 2, result.stdout
    assert message in result.stderr and "Traceback" not in result.stderr


def test_a_compiled_head_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    assert runner.invoke(app, ["compile", "2025", "--root", str(REPO / "catalogues"), "--out", str(out)]).exit_code == 0
    result = runner.invoke(app, ["check", str(out / "list.json"), "--lang", "en"], env=ENV)
    assert result.exit_code == 2 and "compiled list" in result.stderr


def test_rules_lists_and_explains() -> None:
    listing = runner.invoke(app, ["rules", "--lang", "en"], env=ENV)
    assert listing.exit_code == 0
    assert [line.split()[0] for line in listing.stdout.splitlines()[1:10]] == [f"DL20{i}" for i in range(1, 10)]
    one = runner.invoke(app, ["rules", "dl204"], env=ENV)
    assert one.exit_code == 0 and "max_burden_growth = 0" in one.stdout and "[check.rules.DL204]" in one.stdout
    as_json = json.loads(runner.invoke(app, ["rules", "--format", "json"], env=ENV).stdout)
    assert as_json[3]["options"][0]["name"] == "max_burden_growth" and as_json[0]["needs_base"] is True
    missing = runner.invoke(app, ["rules", "DL299", "--lang", "en"], env=ENV)
    assert missing.exit_code == 2 and "no rule DL299" in missing.stderr
