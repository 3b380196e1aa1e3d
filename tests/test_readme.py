"""The README stays true: every command it shows runs, and its example output is real."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dutylist.cli import app
from dutylist.diagnostics import MESSAGES

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")
MAKEFILE = (REPO / "Makefile").read_text(encoding="utf-8")
runner = CliRunner()


def blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", README, flags=re.S)


def dutylist_commands() -> list[str]:
    out = []
    for block in blocks("console"):
        for line in block.splitlines():
            if line.startswith("$ dutylist "):
                out.append(line[2:].split("  #")[0].strip())
    return out


def test_first_screen_gives_exactly_make_demo_and_make_test() -> None:
    first = blocks("console")[0]
    commands = [line.split("#")[0].strip() for line in first.splitlines() if line.strip()]
    assert commands == ["make demo", "make test"]
    assert README.index("make demo") < 1200
    for target in ("demo", "test"):
        assert re.search(rf"^{target}:", MAKEFILE, flags=re.M), target


def test_make_targets_named_in_the_readme_exist() -> None:
    for target in set(re.findall(r"^make (\w+)", README, flags=re.M)):
        assert re.search(rf"^{target}:", MAKEFILE, flags=re.M), target


def test_make_demo_runs_validate_on_the_samples() -> None:
    recipe = MAKEFILE.split("\ndemo:", 1)[1].split("\n\n", 1)[0]
    assert "dutylist validate --root catalogues" in recipe


@pytest.mark.parametrize("command", dutylist_commands())
def test_readme_command_runs(command: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    args = shlex.split(command)[1:]
    if "dist/2025/list.json" in args and not (REPO / "dist" / "2025" / "list.json").exists():
        assert runner.invoke(app, ["compile", "2025"]).exit_code == 0
    result = runner.invoke(app, args, env={"GITHUB_ACTIONS": ""})
    assert result.exit_code == 0, f"{command}\n{result.stdout}\n{result.stderr}"


def test_demo_output_in_readme_is_real(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    result = runner.invoke(app, ["validate", "--root", "catalogues"], env={"GITHUB_ACTIONS": ""})
    shown = blocks("text")[0]
    assert result.stdout.strip() == shown.strip()


def test_error_example_in_readme_is_real(tmp_path: Path) -> None:
    shutil.copytree(REPO / "catalogues", tmp_path, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".dutylist"))
    fixed = tmp_path / "2025" / "units" / "taoyuan.yaml"
    text = fixed.read_text(encoding="utf-8")
    text = text.replace("    lead: wlj\n", "    lead: wlju\n", 1).replace(
        "    name: 做好桃源古村落保护利用", "    nmae: 做好桃源古村落保护利用", 1
    )
    fixed.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["validate", "--root", str(tmp_path), "2025"], env={"GITHUB_ACTIONS": ""})
    assert result.exit_code == 1
    example = blocks("text")[1]
    problem_lines = [ln for ln in example.splitlines() if ln.startswith(("2025/", "    提示"))]
    actual = [ln for ln in result.stdout.splitlines() if ln.startswith(("2025/", "    提示"))]
    assert actual == problem_lines
    assert example.strip().splitlines()[-1] in result.stdout


def test_every_code_is_documented() -> None:
    table = set(re.findall(r"^\| (DL1\d\d) \|", README, flags=re.M))
    assert table == set(MESSAGES)
    for code, spec in MESSAGES.items():
        row = re.search(rf"^\| {code} \| (\w+) \|", README, flags=re.M)
        assert row and row.group(1) == spec.severity.value, code


def test_compile_example_in_readme_is_real(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    example = next(b for b in blocks("text") if b.startswith("$ dutylist compile"))
    lines = example.strip().splitlines()
    out = tmp_path / "dist"
    result = runner.invoke(app, ["compile", "2025", "--out", str(out / "2025")], env={"GITHUB_ACTIONS": ""})
    assert result.exit_code == 0
    shown = [ln.replace("dist/2025/", f"{out}/2025/") for ln in lines[1:]]
    assert result.stdout.strip().splitlines() == shown


def test_stats_example_in_readme_is_real(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    example = next(b for b in blocks("text") if b.startswith("共 "))
    result = runner.invoke(app, ["stats", "2025"], env={"GITHUB_ACTIONS": ""})
    assert result.exit_code == 0
    assert result.stdout.startswith(example)


def test_diff_example_in_readme_is_real(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    example = next(b for b in blocks("text") if b.startswith("2024 → 2025"))
    result = runner.invoke(app, ["diff", "2024", "2025"], env={"GITHUB_ACTIONS": ""})
    assert result.exit_code == 0
    assert result.stdout.startswith(example.strip())


def test_check_example_in_readme_is_real(tmp_path: Path) -> None:
    shutil.copytree(REPO / "catalogues", tmp_path, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".dutylist"))
    unit = tmp_path / "2025" / "units" / "taoyuan.yaml"
    text = unit.read_text(encoding="utf-8")
    added = "  - id: TAOYUAN-B-103\n    name: 配合开展农村人居环境整治考核\n    category: 生态环保\n"
    unit.write_text(
        text.replace("    approval: 安政办函〔2025〕8号\n", "    approval: 安政办函〔2025〕8号\n" + added, 1), "utf-8"
    )
    result = runner.invoke(app, ["check", "2025", "--root", str(tmp_path)], env={"GITHUB_ACTIONS": ""})
    assert result.exit_code == 1
    example = next(b for b in blocks("text") if "DL201" in b)
    assert result.stdout.strip() == example.strip()


def test_every_rule_is_documented() -> None:
    from dutylist.checks.registry import rules

    table = dict(re.findall(r"^\| (DL2\d\d) \| (\w+) \|", README, flags=re.M))
    assert table == {code: rule.severity.value for code, rule in rules().items()}


def test_check_annotations_in_readme_are_real(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "catalogues"
    shutil.copytree(REPO / "catalogues", root, ignore=shutil.ignore_patterns(".dutylist"))
    unit = root / "2025" / "units" / "taoyuan.yaml"
    text = unit.read_text(encoding="utf-8")
    added = "  - id: TAOYUAN-B-103\n    name: 配合开展农村人居环境整治考核\n    category: 生态环保\n"
    unit.write_text(
        text.replace("    approval: 安政办函〔2025〕8号\n", "    approval: 安政办函〔2025〕8号\n" + added, 1), "utf-8"
    )
    monkeypatch.chdir(tmp_path)
    env = {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": ""}
    result = runner.invoke(app, ["check", "2025"], env=env)
    assert result.exit_code == 1
    example = next(b for b in blocks("text") if b.startswith("::error"))
    assert result.stdout.strip() == example.strip()


def test_new_example_in_readme_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(REPO / "catalogues", tmp_path / "catalogues", ignore=shutil.ignore_patterns(".dutylist"))
    monkeypatch.chdir(tmp_path)
    section = README.split("### Start the next version", 1)[1].split("\n### ", 1)[0]
    (command,) = [ln[2:] for b in re.findall(r"```shell\n(.*?)```", section, flags=re.S) for ln in b.splitlines()]
    assert runner.invoke(app, shlex.split(command)[1:]).exit_code == 0
    assert runner.invoke(app, ["diff", "2025", "2026", "--exit-code"], env={"GITHUB_ACTIONS": ""}).exit_code == 0


def test_import_example_in_readme_is_real(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from openpyxl import load_workbook

    root = tmp_path / "catalogues"
    shutil.copytree(REPO / "catalogues", root, ignore=shutil.ignore_patterns(".dutylist"))
    dist = tmp_path / "dist"
    assert (
        runner.invoke(app, ["compile", "2025", "--root", str(root), "--format", "xlsx", "--out", str(dist)]).exit_code
        == 0
    )
    wb = load_workbook(dist / "xlsx" / "桃源镇（taoyuan）.xlsx")
    row = [
        134,
        "组织开展秸秆禁烧巡查",
        "生态环保",
        "夏秋两季组织村组巡查，发现火点及时处置",
        "《中华人民共和国大气污染防治法》",
    ]
    wb["基本履职事项"].append(row)
    wb.save(tmp_path / "桃源镇2025.xlsx")
    monkeypatch.chdir(tmp_path)
    section = README.split("### Import spreadsheets", 1)[1].split("\n### ", 1)[0]
    commands = [ln[2:] for b in re.findall(r"```shell\n(.*?)```", section, flags=re.S) for ln in b.splitlines()]
    dry = runner.invoke(app, shlex.split(commands[0])[1:], env={"GITHUB_ACTIONS": ""})
    assert dry.exit_code == 0
    assert dry.stdout.strip() == re.findall(r"```text\n(.*?)```", section, flags=re.S)[0].strip()
    assert runner.invoke(app, shlex.split(commands[1])[1:], env={"GITHUB_ACTIONS": ""}).exit_code == 0
    assert "TAOYUAN-B-103" in (root / "2025/units/taoyuan.yaml").read_text(encoding="utf-8")
