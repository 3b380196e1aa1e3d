"""The command line: exit codes, formats, languages, the error boundary."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dutylist.cli import app

from .builders import write_version

REPO = Path(__file__).resolve().parent.parent
runner = CliRunner()


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env=env or {"GITHUB_ACTIONS": ""})
    return result.exit_code, result.stdout, result.stderr


def test_valid_version_exits_0_with_chinese_summary(tmp_path: Path) -> None:
    write_version(tmp_path)
    code, out, _ = run("validate", "--root", str(tmp_path))
    assert code == 0
    assert "校验通过" in out
    assert "2 个部门、2 个乡镇（街道）、1 个村（社区）" in out


def test_english_output(tmp_path: Path) -> None:
    write_version(tmp_path)
    code, out, _ = run("validate", "--root", str(tmp_path), "--lang", "en")
    assert code == 0
    assert "All valid" in out
    assert "2 departments, 2 townships, 1 villages" in out


def test_error_is_located_and_exits_1(tmp_path: Path) -> None:
    write_version(tmp_path, files={"units/hsz.yaml": "unit: hsz\nbasic:\n  - id: HS-B-1\n    nmae: 安全生产\n"})
    code, out, _ = run("validate", "--root", str(tmp_path))
    assert code == 1
    assert "2025/units/hsz.yaml:4:5" in out
    assert "未知字段 'nmae'" in out
    assert "是否想写 'name'" in out
    assert "2025/units/hsz.yaml:3:5" in out  # missing name, at the item
    assert "DL110" in out


def test_json_format_matches_the_contract(tmp_path: Path) -> None:
    write_version(
        tmp_path, files={"units/hsz.yaml": "unit: hsz\ncooperative:\n  - {id: HS-C-1, name: 征地, lead: zrz}\n"}
    )
    code, out, _ = run("validate", "--root", str(tmp_path), "--format", "json", "--lang", "en")
    assert code == 1
    data = json.loads(out)
    assert data["ok"] is False
    (diag,) = data["diagnostics"]
    assert diag == {
        "code": "DL123",
        "severity": "error",
        "message": "lead 'zrz' is not a department of units.yaml",
        "hint": "did you mean 'zrzy'?",
        "file": "2025/units/hsz.yaml",
        "line": 3,
        "column": 34,  # characters, not bytes
        "path": "cooperative[id=HS-C-1].lead",
    }


def test_github_annotations_are_automatic_under_actions(tmp_path: Path) -> None:
    write_version(
        tmp_path, files={"units/hsz.yaml": "unit: hsz\nbasic:\n  - {id: HS-B-1, name: 安全, category: 安全}\n"}
    )
    code, out, _ = run("validate", "--root", str(tmp_path), env={"GITHUB_ACTIONS": "true"})
    assert code == 1
    line = out.splitlines()[0]
    assert line.startswith("::error file=")
    assert "hsz.yaml,line=3,col=" in line
    assert "title=DL128::" in line


def test_warnings_do_not_fail(tmp_path: Path) -> None:
    write_version(tmp_path, files={"units/hsz.yaml": "unit: hsz\nbasic:\n  - {id: HS-B-1, name: !local 安全}\n"})
    code, out, _ = run("validate", "--root", str(tmp_path))
    assert code == 0
    assert "DL108" in out and "警告" in out


def test_unknown_version_is_a_usage_error(tmp_path: Path) -> None:
    write_version(tmp_path)
    code, out, err = run("validate", "2031", "--root", str(tmp_path))
    assert code == 2
    assert "找不到版本 '2031'" in err and "2025" in err
    assert "Traceback" not in out + err


def test_empty_root_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = run("validate", "--root", str(tmp_path / "nowhere"), "--lang", "en")
    assert code == 2
    assert "no versions under" in err


def test_revision_starting_with_dash_is_refused(tmp_path: Path) -> None:
    write_version(tmp_path)
    code, _, err = run("validate", "--root", str(tmp_path), "--", "--output=x:2025")
    assert code == 2
    assert "invalid" in err or "无效" in err


def test_config_unknown_key_is_located(tmp_path: Path) -> None:
    write_version(tmp_path)
    (tmp_path / "dutylist.toml").write_text("[limits]\nmax_dept = 3\n", encoding="utf-8")
    code, _, err = run("validate", "--root", str(tmp_path))
    assert code == 2
    assert "dutylist.toml:2" in err and "max_dept" in err


def test_internal_error_exits_3_and_debug_shows_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_version(tmp_path)

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("dutylist.validate.validate", boom)
    code, _, err = run("validate", "--root", str(tmp_path))
    assert code == 3
    assert "内部错误" in err and "Traceback" not in err
    code, _, err = run("--debug", "validate", "--root", str(tmp_path))
    assert code == 3
    assert "Traceback" in err


def test_version_flag() -> None:
    code, out, _ = run("--version")
    assert code == 0 and out.startswith("dutylist ")


def test_sample_catalogues_are_valid() -> None:
    code, out, _ = run("validate", "--root", str(REPO / "catalogues"), "--no-cache")
    assert code == 0, out
    assert "2024：" in out and "2025：" in out


def test_installed_command_runs_in_a_subprocess(tmp_path: Path) -> None:
    exe = shutil.which("dutylist", path=os.path.dirname(sys.executable)) or shutil.which("dutylist")
    assert exe, "the dutylist command is installed with the package"
    write_version(tmp_path)
    proc = subprocess.run(
        [exe, "validate", "--lang", "en"],
        cwd=tmp_path.parent,
        capture_output=True,
        text=True,
        env={**os.environ, "GITHUB_ACTIONS": ""},
        check=False,
    )
    assert proc.returncode == 2  # no ./catalogues there
    proc = subprocess.run(
        [exe, "validate", "--root", str(tmp_path), "--lang", "en"],
        capture_output=True,
        text=True,
        env={**os.environ, "GITHUB_ACTIONS": ""},
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "All valid" in proc.stdout


def test_schemas_do_not_drift_from_the_models() -> None:
    code, out, _ = run("schema", "--check", "--out", str(REPO / "schemas"))
    assert code == 0, f"schemas/ differs from the models; run `make schemas`:\n{out}"


def test_schema_writes_and_reports_drift(tmp_path: Path) -> None:
    code, out, _ = run("schema", "--out", str(tmp_path), "--lang", "en")
    assert code == 0 and "wrote" in out
    assert {p.name for p in tmp_path.iterdir()} == {
        "catalogue.schema.json",
        "units.schema.json",
        "unit.schema.json",
        "template.schema.json",
        "adjustments.schema.json",
        "negative.schema.json",
        "list.schema.json",
        "diff.schema.json",
    }
    unit = json.loads((tmp_path / "unit.schema.json").read_text(encoding="utf-8"))
    assert unit["additionalProperties"] is False
    (tmp_path / "unit.schema.json").write_text("{}", encoding="utf-8")
    code, out, _ = run("schema", "--check", "--out", str(tmp_path), "--lang", "en")
    assert code == 1 and "unit.schema.json" in out


def test_jobs_option_gives_the_same_answer(tmp_path: Path) -> None:
    write_version(
        tmp_path, files={"units/hsz.yaml": "unit: hsz\nbasic:\n  - {id: HS-B-1, name: 安全, category: 安全}\n"}
    )
    one = run("validate", "--root", str(tmp_path), "--jobs", "1", "--no-cache", "--format", "json")
    two = run("validate", "--root", str(tmp_path), "--jobs", "2", "--no-cache", "--format", "json")
    assert one[0] == two[0] == 1
    assert json.loads(one[1])["diagnostics"] == json.loads(two[1])["diagnostics"]


def test_installed_command_builds_only_the_command_it_runs() -> None:
    """main() leaves out the commands a run does not name; --help still lists them all."""
    exe = str(Path(sys.executable).with_name("dutylist"))
    env = {**os.environ, "GITHUB_ACTIONS": ""}
    listing = subprocess.run([exe, "--help"], capture_output=True, text=True, env=env, check=False)
    assert listing.returncode == 0
    for name in ("validate", "compile", "diff", "check", "rules", "import", "new"):
        assert f" {name} " in listing.stdout, name
    one = subprocess.run(
        [exe, "--debug", "rules", "DL201", "--lang", "en"], capture_output=True, text=True, env=env, check=False
    )
    assert one.returncode == 0 and "duty-without-approval" in one.stdout
    unknown = subprocess.run([exe, "nosuch"], capture_output=True, text=True, env=env, check=False)
    assert unknown.returncode == 2 and "No such command" in unknown.stderr
