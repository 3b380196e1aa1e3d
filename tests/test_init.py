"""``dutylist init`` scaffolds a catalogue repository that validates and checks clean, and
the pre-commit hooks dutylist ships run on the sample catalogues."""

from __future__ import annotations

import datetime as dt
import json
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from ruamel.yaml import YAML
from typer.testing import CliRunner

from dutylist import __version__
from dutylist.checks.registry import rules
from dutylist.cli import app
from dutylist.schemas import SCHEMA_FILES

REPO = Path(__file__).resolve().parent.parent
DUTYLIST = str(Path(sys.executable).with_name("dutylist"))
ENV = {"GITHUB_ACTIONS": "", "DUTYLIST_LANG": ""}
runner = CliRunner()

COMMON = {
    "catalogues/dutylist.toml",
    "catalogues/2025/catalogue.yaml",
    "catalogues/2025/units.yaml",
    "catalogues/2025/units/shili.yaml",
    ".gitignore",
    ".pre-commit-config.yaml",
    *(f"schemas/{name}" for name in SCHEMA_FILES.values()),
}
CI_FILES = {"github": {".github/workflows/dutylist.yml"}, "gitlab": {".gitlab-ci.yml"}, "none": set()}


def init(target: Path, *args: str) -> Any:
    return runner.invoke(app, ["init", str(target), "--version-label", "2025", *args, "--lang", "en"], env=ENV)


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def load_yaml(path: Path) -> Any:
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))  # YAML 1.2: `on:` stays a string


@pytest.mark.parametrize("ci", ["github", "gitlab", "none"])
def test_each_ci_variant_writes_exactly_its_files(tmp_path: Path, ci: str) -> None:
    result = init(tmp_path, "--ci", ci)
    assert result.exit_code == 0, result.stderr
    expected = COMMON | CI_FILES[ci]
    assert set(files_of(tmp_path)) == expected  # and no temporary file left behind
    printed = {
        Path(line.removeprefix("created ")).relative_to(tmp_path).as_posix() for line in result.stdout.splitlines()
    }
    assert printed == expected


def test_fresh_scaffold_validates_and_checks_clean(tmp_path: Path) -> None:
    assert init(tmp_path, "--ci", "none").exit_code == 0
    root = str(tmp_path / "catalogues")
    validate = runner.invoke(app, ["validate", "--root", root], env=ENV)
    assert validate.exit_code == 0, validate.stdout
    assert "校验通过，未发现问题" in validate.stdout  # no warnings either
    check = runner.invoke(app, ["check", "--root", root], env=ENV)
    assert check.exit_code == 0, check.stdout
    assert "✓ 检查通过" in check.stdout and "未发现问题" in check.stdout


def test_scaffolded_files_say_what_to_replace(tmp_path: Path) -> None:
    assert init(tmp_path).exit_code == 0
    version = tmp_path / "catalogues" / "2025"
    catalogue = load_yaml(version / "catalogue.yaml")
    assert catalogue["title"] == "XX县乡镇（街道）履行职责事项清单（2025年版）"
    assert catalogue["region"] == {"code": "000000", "name": "XX县"}
    assert catalogue["effective"] == "2025-01-01" or str(catalogue["effective"]) == "2025-01-01"
    assert catalogue["version"] == "2025" and catalogue["schema"] == 1
    units = load_yaml(version / "units.yaml")
    assert [len(units[key]) for key in ("departments", "townships", "villages")] == [1, 1, 1]
    for name in ("catalogue.yaml", "units.yaml", "units/shili.yaml"):
        assert "# " in (version / name).read_text(encoding="utf-8").split("\n", 3)[2]  # explained in comments


def test_modelines_point_at_the_written_schemas(tmp_path: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    assert init(tmp_path).exit_code == 0
    for path in (tmp_path / "catalogues" / "2025").rglob("*.yaml"):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        m = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
        assert m, path
        schema_file = (path.parent / m.group(1)).resolve()
        assert schema_file.parent == (tmp_path / "schemas").resolve()
        schema = json.loads(schema_file.read_text(encoding="utf-8"))
        data = load_yaml(path)
        if "effective" in data:
            data["effective"] = str(data["effective"])
        jsonschema.validate(data, schema)


def test_default_label_is_this_year(tmp_path: Path) -> None:
    result = runner.invoke(app, ["init", str(tmp_path), "--ci", "none"], env=ENV)
    assert result.exit_code == 0, result.stderr
    year = str(dt.date.today().year)
    assert (tmp_path / "catalogues" / year / "catalogue.yaml").is_file()
    assert runner.invoke(app, ["validate", "--root", str(tmp_path / "catalogues")], env=ENV).exit_code == 0


def test_a_label_that_is_not_a_year_still_validates(tmp_path: Path) -> None:
    result = runner.invoke(app, ["init", str(tmp_path), "--version-label", "v1", "--ci", "none"], env=ENV)
    assert result.exit_code == 0, result.stderr
    assert "（v1版）" in (tmp_path / "catalogues/v1/catalogue.yaml").read_text(encoding="utf-8")
    assert runner.invoke(app, ["validate", "--root", str(tmp_path / "catalogues")], env=ENV).exit_code == 0


def test_github_workflow(tmp_path: Path) -> None:
    assert init(tmp_path, "--ci", "github").exit_code == 0
    flow = load_yaml(tmp_path / ".github/workflows/dutylist.yml")
    assert "pull_request" in flow["on"] and "push" in flow["on"]
    steps = flow["jobs"]["dutylist"]["steps"]
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0
    python = next(s for s in steps if s.get("uses", "").startswith("actions/setup-python@"))
    assert python["with"]["python-version"] == "3.12"
    runs = [s.get("run", "") for s in steps]
    assert f"pip install dutylist=={__version__}" in runs
    assert "dutylist validate" in runs
    check = next(s for s in steps if s.get("run", "").startswith("dutylist check"))
    assert check["run"] == 'dutylist check --base "origin/$BASE_REF"'
    assert check["env"]["BASE_REF"] == "${{ github.base_ref }}"
    assert check["if"] == "github.event_name == 'pull_request'"


def test_gitlab_ci(tmp_path: Path) -> None:
    assert init(tmp_path, "--ci", "gitlab").exit_code == 0
    ci = load_yaml(tmp_path / ".gitlab-ci.yml")
    assert f"pip install dutylist=={__version__}" in ci["default"]["before_script"]
    job = ci["dutylist-check"]
    assert job["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}]
    script = job["script"]
    target = "$CI_MERGE_REQUEST_TARGET_BRANCH_NAME"
    fetch = next(i for i, line in enumerate(script) if line.startswith("git fetch origin"))
    assert f"refs/remotes/origin/{target}" in script[fetch]
    check = script.index(f'dutylist check --base "origin/{target}" --format junit --output dutylist-junit.xml')
    assert fetch < check
    assert job["artifacts"] == {"when": "always", "reports": {"junit": "dutylist-junit.xml"}}
    assert ci["dutylist-validate"]["script"] == ["dutylist validate"]


def test_second_run_refuses_and_changes_nothing_then_force_rewrites(tmp_path: Path) -> None:
    assert init(tmp_path).exit_code == 0
    edited = tmp_path / "catalogues/2025/units.yaml"
    edited.write_text("departments: []\n", encoding="utf-8")
    before = files_of(tmp_path)
    again = init(tmp_path)
    assert again.exit_code == 2
    assert "--force" in again.stderr and "exists" in again.stderr
    assert files_of(tmp_path) == before  # byte for byte, nothing added
    forced = init(tmp_path, "--force")
    assert forced.exit_code == 0, forced.stderr
    assert "departments: []" not in edited.read_text(encoding="utf-8")
    assert set(files_of(tmp_path)) == set(before)


def test_one_existing_file_is_enough_to_refuse(tmp_path: Path) -> None:
    (tmp_path / ".pre-commit-config.yaml").write_text("repos: []\n", encoding="utf-8")
    result = init(tmp_path)
    assert result.exit_code == 2 and ".pre-commit-config.yaml" in result.stderr
    assert set(files_of(tmp_path)) == {".pre-commit-config.yaml"}


def test_an_existing_gitignore_is_extended_not_replaced(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("*.pyc", encoding="utf-8")
    result = init(tmp_path, "--ci", "none")
    assert result.exit_code == 0, result.stderr
    text = (tmp_path / ".gitignore").read_text(encoding="utf-8")
    assert text.startswith("*.pyc\n") and ".dutylist/" in text.splitlines() and "dist/" in text.splitlines()
    again = init(tmp_path, "--ci", "none", "--force")
    assert ".gitignore" not in again.stdout  # already complete: left alone
    assert (tmp_path / ".gitignore").read_text(encoding="utf-8") == text


@pytest.mark.parametrize(
    ("setup", "args", "message"),
    [
        (None, ["--version-label", "../x"], "invalid version label"),
        (None, ["--version-label", "-x"], "invalid version label"),
        ("file", [], "is not a directory"),
        ("catalogues-file", [], "is not a directory"),
    ],
)
def test_usage_errors(tmp_path: Path, setup: str | None, args: list[str], message: str) -> None:
    target = tmp_path / "repo"
    if setup == "file":
        target.write_text("x", encoding="utf-8")
    elif setup == "catalogues-file":
        target.mkdir()
        (target / "catalogues").write_text("x", encoding="utf-8")
    result = runner.invoke(app, ["init", str(target), *args, "--force", "--lang", "en"], env=ENV)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert message in result.stderr and "internal error" not in result.stderr
    assert not (target / "schemas").exists()


# --- dutylist.toml ---------------------------------------------------------------------

SETTING = re.compile(r"^# (\[\[?[\w.]+\]\]?|[a-z_]+ = .+)$")


def uncommented(text: str) -> str:
    return "\n".join(m.group(1) if (m := SETTING.match(line)) else line for line in text.splitlines()) + "\n"


def test_settings_template_uncommented_is_accepted(tmp_path: Path) -> None:
    from dutylist.check import _selection
    from dutylist.config import load_config

    assert init(tmp_path, "--ci", "none").exit_code == 0
    root = tmp_path / "catalogues"
    settings = root / "dutylist.toml"
    text = settings.read_text(encoding="utf-8")
    assert not any(line and not line.startswith("#") for line in text.splitlines())  # all commented out
    settings.write_text(uncommented(text), encoding="utf-8")
    config = load_config(root)
    assert set(config.check.rules) == set(rules())
    assert _selection(config) == set(rules())
    for code, rule in rules().items():
        options = {k: v for k, v in config.check.rules[code].items() if k != "severity"}
        assert config.check.rules[code]["severity"] == rule.severity.value
        assert rule.options.model_validate(options) == rule.options()  # every option, at its default
    assert [(w.rule, w.unit) for w in config.check.exceptions] == [("DL201", "shili")]
    # the same settings through the command: defaults change nothing
    check = runner.invoke(app, ["check", "--root", str(root)], env=ENV)
    assert check.exit_code == 0, (check.stdout, check.stderr)


def test_settings_template_names_every_key_and_option(tmp_path: Path) -> None:
    from dutylist import config as cfg
    from dutylist.settings_template import settings_template

    text = uncommented(settings_template())
    keys = set(re.findall(r"^(\w+) = ", text, flags=re.M))
    assert set(cfg._LIMIT_KEYS) | {"fail_on", "select", "ignore"} | set(cfg._EXCEPTION_KEYS) <= keys
    for code, rule in rules().items():
        table = text.split(f"[check.rules.{code}]\n", 1)[1].split("\n[", 1)[0]
        assert set(re.findall(r"^(\w+) = ", table, flags=re.M)) == {"severity", *rule.options.model_fields}, code
    assert "[[check.exceptions]]" in text


# --- pre-commit ------------------------------------------------------------------------


def hooks() -> list[dict[str, Any]]:
    data = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, list)
    return data


def test_shipped_hooks_are_well_formed() -> None:
    by_id = {h["id"]: h for h in hooks()}
    hook = by_id["dutylist-validate"]
    assert hook["entry"] == "dutylist validate" and hook["language"] == "python"
    assert hook["pass_filenames"] is False
    pattern = re.compile(hook["files"])
    for path in ("catalogues/2025/units/taoyuan.yaml", "catalogues/2025/catalogue.yaml", "catalogues/dutylist.toml"):
        assert pattern.search(path), path
    for path in ("src/dutylist/cli.py", "README.md", ".github/workflows/ci.yml"):
        assert not pattern.search(path), path


@pytest.mark.parametrize("hook", hooks(), ids=lambda h: h["id"])
def test_shipped_hook_runs_on_the_sample_catalogues(hook: dict[str, Any]) -> None:
    command = shlex.split(hook["entry"]) + list(hook.get("args", []))
    assert command[0] == "dutylist"
    proc = subprocess.run([DUTYLIST, *command[1:]], cwd=REPO, capture_output=True, text=True, timeout=300, env=_env())
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_own_pre_commit_config_validates_the_samples_offline() -> None:
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    local = [h for repo in config["repos"] if repo["repo"] == "local" for h in repo["hooks"]]
    hook = next(h for h in local if h["id"] == "dutylist-validate")
    assert hook["language"] == "system" and hook["pass_filenames"] is False
    command = shlex.split(hook["entry"])
    assert command[0].endswith("dutylist")
    exe = str(REPO / command[0]) if (REPO / command[0]).exists() else DUTYLIST
    proc = subprocess.run([exe, *command[1:]], cwd=REPO, capture_output=True, text=True, timeout=300, env=_env())
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_scaffolded_pre_commit_config_uses_the_shipped_hook(tmp_path: Path) -> None:
    assert init(tmp_path, "--ci", "none").exit_code == 0
    config = load_yaml(tmp_path / ".pre-commit-config.yaml")
    [repo] = config["repos"]
    assert repo["rev"] == f"v{__version__}"
    assert {h["id"] for h in repo["hooks"]} <= {h["id"] for h in hooks()}


def _env() -> dict[str, str]:
    import os

    return {**os.environ, "GITHUB_ACTIONS": "", "DUTYLIST_LANG": ""}


# --- README ----------------------------------------------------------------------------

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_readme_init_commands_run_in_an_empty_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    section = README.split("### Start a catalogue repository: `dutylist init`", 1)[1].split("\n### ", 1)[0]
    commands = [
        line[2:].split("  #")[0].strip()
        for block in re.findall(r"```shell\n(.*?)```", section, flags=re.S)
        for line in block.splitlines()
        if line.startswith("$ dutylist ")
    ]
    assert commands and commands[0].startswith("dutylist init")
    monkeypatch.chdir(tmp_path)
    for command in commands:
        result = runner.invoke(app, shlex.split(command)[1:], env=ENV)
        assert result.exit_code == 0, (command, result.stdout, result.stderr)


def test_readme_pre_commit_snippet_is_what_init_writes(tmp_path: Path) -> None:
    section = README.split("### pre-commit", 1)[1]
    snippet = re.search(r"```yaml\n(.*?)```", section, flags=re.S)
    assert snippet
    assert init(tmp_path, "--ci", "none").exit_code == 0
    written = load_yaml(tmp_path / ".pre-commit-config.yaml")
    assert YAML(typ="safe").load(snippet.group(1)) == written


def test_readme_workflow_is_what_init_writes(tmp_path: Path) -> None:
    section = README.split("### Start a catalogue repository", 1)[1].split("\n### ", 1)[0]
    snippet = re.search(r"```yaml\n(.*?)```", section, flags=re.S)
    assert snippet
    assert init(tmp_path, "--ci", "github").exit_code == 0
    assert (tmp_path / ".github/workflows/dutylist.yml").read_text(encoding="utf-8") == snippet.group(1)
