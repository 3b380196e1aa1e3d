"""The reports of ``dutylist check`` that a reviewer or a CI server reads: markdown (the
pull-request comment), junit (GitLab, Jenkins) and sarif (GitHub code scanning).

The results are real: a base (2024) and a head (2025) written under a root whose name has a
space and Chinese characters (SARIF must percent-encode them), checked from the directory
above it as CI would. Head adds a township duty named ``<script>…`` without approval or
record (DL201, DL202 errors), a cooperative item without a lead (DL205 error), grows 府谷镇's
burden (DL204 warning) and declares a record whose 文号 is not canonical (DL209 warning).
"""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from typer.testing import CliRunner

from dutylist.check import CheckOptions, CheckResult, run_check
from dutylist.checks.registry import rules
from dutylist.cli import app
from dutylist.config import load_config
from dutylist.render.check_out import CHECK_RENDERERS
from dutylist.render.check_sarif import artifact_uri

from .builders import CATALOGUE, write_version

ROOT = "目录 catalogues"
ROOT_URI = "%E7%9B%AE%E5%BD%95%20catalogues"
SARIF_SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"
ENV = {"GITHUB_ACTIONS": "", "GITHUB_STEP_SUMMARY": "", "DUTYLIST_LANG": ""}
HEAD_FGZ = """\
unit: fgz
basic:
  - id: FG-B-101
    name: 发展村级集体经济
    category: 经济发展
    basis: [《中华人民共和国村民委员会组织法》第八条]
  - id: FG-B-102
    name: "<script>alert(1)</script> | 宅基地"
cooperative:
  - id: FG-C-012
    name: 重大项目征地中的群众工作
    lead: zrzy
    lead_duty: 负责征地报批
    township_duty: 做好群众工作
  - id: FG-C-013
    name: 配合开展秸秆禁烧巡查
recalled:
  - id: FG-R-005
    name: 煤矿井田内违规建房执法
    receiver: zrzy
    method: 部门执法，乡镇提供线索
"""
RECORDS = """\
- id: TZ-2025-001
  kind: added
  items: [FG-C-013]
  units: [fgz]
  basis: 府办发[2025]3号
"""
FAILING = {("DL201", "fgz 府谷镇"), ("DL202", "fgz 府谷镇"), ("DL205", "fgz 府谷镇")}
runner = CliRunner()


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    root = Path(ROOT)
    write_version(root, "2024")
    catalogue = CATALOGUE.format(label="2025") + 'previous: "2024"\n'
    write_version(root, "2025", {"catalogue.yaml": catalogue, "units/fgz.yaml": HEAD_FGZ, "adjustments.yaml": RECORDS})
    return root


def check(root: Path, config: str = "", **options: Any) -> CheckResult:
    (root / "dutylist.toml").write_text(config, encoding="utf-8")
    return run_check(CheckOptions(head="2025", root=root, config=load_config(root), use_cache=False, **options))


def render(result: CheckResult, fmt: str, lang: str = "zh") -> str:
    buf = io.StringIO()
    CHECK_RENDERERS[fmt](result, lang, buf)
    return buf.getvalue()


def line_of(root: Path, rel: str, needle: str) -> int:
    text = (root / rel).read_text(encoding="utf-8")
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


# --- markdown ---------------------------------------------------------------------------


def cells(row: str) -> list[str]:
    """A table row's cells, split at the pipes that are not escaped."""
    return [c.strip() for c in re.split(r"(?<!\\)\|", row)[1:-1]]


def test_markdown_comment(root: Path) -> None:
    text = render(check(root), "markdown")
    assert text.startswith("<!-- dutylist-check -->\n## ❌ 检查未通过：2025（对比 2024），3 个错误，2 个警告\n")
    assert "<script>" not in text and "\\<script\\>alert(1)\\</script\\> \\| 宅基地" in text
    rows = [cells(line) for line in text.splitlines() if line.startswith("| ")]
    assert rows[0] == ["严重程度", "代码", "位置", "说明"]
    findings = [r for r in rows if len(r) == 4 and r[1].startswith("`DL")]
    assert [(r[0], r[1]) for r in findings] == [  # errors first, then by location
        ("错误", "`DL201`"),
        ("错误", "`DL202`"),
        ("错误", "`DL205`"),
        ("警告", "`DL209`"),
        ("警告", "`DL204`"),
    ]
    item_line = line_of(root, "2025/units/fgz.yaml", "FG-B-102")
    assert findings[0][2] == f"2025/units/fgz.yaml:{item_line}:5<br>basic\\[id=FG-B-102\\]"
    assert "<br>提示：应写作 府办发〔2025〕3号" in findings[3][3]
    assert "**变化**：新增 2 项\n" in text
    assert "| 府谷镇 | 2 | 0 | +2 |" in text and "黄甫镇" not in text  # only townships whose burden moved
    assert "<details>" not in text and "未运行" not in text


def test_markdown_in_english_with_waived_findings(root: Path) -> None:
    config = '[[check.exceptions]]\nrule = "DL205"\nitem = "FG-C-013"\nreason = "牵头部门待定 <b>|</b>"\n'
    text = render(check(root, config), "markdown", "en")
    assert "## ❌ Check failed: 2025 against 2024, 2 errors, 2 warnings, 1 waived\n" in text
    assert "| severity | code | location | message |" in text and "| error | `DL201` |" in text
    assert "**Changes**: added 2\n" in text and "| township | gained | lost | net |" in text
    waived = text[text.index("<details><summary>1 waived</summary>") : text.index("</details>")]
    assert "| `DL205` | 2025/units/fgz.yaml:" in waived and "| FG-C-013 | 牵头部门待定 \\<b\\>\\|\\</b\\> |" in waived


def test_markdown_passing_without_a_base(tmp_path: Path) -> None:
    write_version(tmp_path, "2025")
    text = render(run_check(CheckOptions(head="2025", root=tmp_path, use_cache=False)), "markdown")
    assert "## ✅ 检查通过：2025（无比较基准），未发现问题\n" in text
    assert "| 严重程度 |" not in text and "变化" not in text
    assert "> 未运行的规则：DL201、DL202、DL203、DL204（无比较基准）\n" in text


# --- junit ------------------------------------------------------------------------------


def junit(result: CheckResult) -> ET.Element:
    text = render(result, "junit")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')
    return ET.fromstring(text)


def failing(tree: ET.Element) -> set[tuple[str, str]]:
    return {(c.get("classname", ""), c.get("name", "")) for c in tree.iter("testcase") if c.find("failure") is not None}


def test_junit_one_testcase_per_rule_and_unit(root: Path) -> None:
    tree = junit(check(root))
    suites = tree.findall("testsuite")
    assert [s.get("name") for s in suites] == ["DL1xx validation"] + [f"{r.code} {r.name}" for r in rules().values()]
    for suite in suites:
        cases = suite.findall("testcase")
        assert suite.get("tests") == str(len(cases))
        assert suite.get("failures") == str(sum(c.find("failure") is not None for c in cases))
        assert suite.get("errors") == "0"
    assert tree.get("tests") == str(1 + 9 * 5)  # validation; 9 rules × 5 units (the record names fgz)
    assert tree.get("failures") == "3" and failing(tree) == FAILING
    dl201 = tree.find("testsuite[@name='DL201 duty-without-approval']")
    assert dl201 is not None
    assert [c.get("name") for c in dl201.iter("testcase")] == [
        "fgz 府谷镇",
        "fgz-hc 黄河村",
        "hsz 黄甫镇",
        "yjj 县应急管理局",
        "zrzy 县自然资源局",
    ]
    failure = dl201.find("testcase[@name='fgz 府谷镇']/failure")
    assert failure is not None and failure.get("type") == "DL201"
    assert "“<script>alert(1)</script> | 宅基地”新列入府谷镇" in failure.get("message", "")
    line = line_of(root, "2025/units/fgz.yaml", "FG-B-102")
    assert (failure.text or "").startswith(f"2025/units/fgz.yaml:{line}:5: error DL201 “<script>")


def test_junit_warnings_are_output_unless_they_fail_the_check(root: Path) -> None:
    tree = junit(check(root))
    record = tree.find("testsuite[@name='DL209 document-number']/testcase[@name='fgz 府谷镇']")  # the record's unit
    assert record is not None and record.find("failure") is None
    assert "DL209" in (record.findtext("system-out") or "")
    strict = junit(check(root, fail_on="warning"))
    assert failing(strict) == FAILING | {("DL204", "fgz 府谷镇"), ("DL209", "fgz 府谷镇")}
    assert strict.get("failures") == "5"


def test_junit_invalid_head_has_validation_only(root: Path) -> None:
    (root / "2025" / "units.yaml").unlink()
    tree = junit(check(root))
    assert [s.get("name") for s in tree.findall("testsuite")] == ["DL1xx validation"]
    assert failing(tree) == {("DL134", "2025/units.yaml")} and tree.get("tests") == "1"


# --- sarif ------------------------------------------------------------------------------


def sarif(result: CheckResult) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(render(result, "sarif"))
    jsonschema.validate(data, json.loads(SARIF_SCHEMA.read_text(encoding="utf-8")))
    return data


def test_sarif_rules_results_and_locations(root: Path) -> None:
    run = sarif(check(root))["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "dutylist" and driver["version"]
    assert [r["id"] for r in driver["rules"]] == list(rules())
    assert driver["rules"][0]["defaultConfiguration"] == {"level": "error"}
    assert all(driver["rules"][r["ruleIndex"]]["id"] == r["ruleId"] for r in run["results"])
    by_code = {r["ruleId"]: r for r in run["results"]}
    assert sorted(by_code) == ["DL201", "DL202", "DL204", "DL205", "DL209"]
    dl201 = by_code["DL201"]
    location = dl201["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == f"{ROOT_URI}/2025/units/fgz.yaml"
    assert location["region"] == {"startLine": line_of(root, "2025/units/fgz.yaml", "FG-B-102"), "startColumn": 5}
    assert dl201["level"] == "error" and "<script>alert(1)</script>" in dl201["message"]["text"]
    dl209 = by_code["DL209"]
    assert dl209["level"] == "warning" and dl209["message"]["text"].endswith("\n应写作 府办发〔2025〕3号")
    basis = line_of(root, "2025/adjustments.yaml", "basis")
    assert dl209["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == f"{ROOT_URI}/2025/adjustments.yaml"
    assert dl209["locations"][0]["physicalLocation"]["region"] == {"startLine": basis, "startColumn": 10}


def test_sarif_fingerprints_survive_moved_lines(root: Path) -> None:
    def prints(result: CheckResult) -> dict[str, tuple[str, int]]:
        out = {}
        for r in sarif(result)["runs"][0]["results"]:
            out[r["ruleId"]] = (r["partialFingerprints"]["dutylistFinding/v1"], r["locations"][0]["physicalLocation"])
        return {code: (fp, loc["region"]["startLine"]) for code, (fp, loc) in out.items()}

    before = prints(check(root))
    unit = root / "2025" / "units" / "fgz.yaml"
    unit.write_text("# 府谷镇\n\n" + unit.read_text(encoding="utf-8"), encoding="utf-8")
    after = prints(check(root))
    assert {c: fp for c, (fp, _line) in before.items()} == {c: fp for c, (fp, _line) in after.items()}
    assert after["DL201"][1] == before["DL201"][1] + 2
    assert len({fp for fp, _line in before.values()}) == len(before)


def test_sarif_waived_findings_are_suppressed(root: Path) -> None:
    config = '[[check.exceptions]]\nrule = "DL205"\nitem = "FG-C-013"\nreason = "牵头部门待定"\n'
    results = sarif(check(root, config))["runs"][0]["results"]
    suppressed = [r for r in results if "suppressions" in r]
    assert [r["ruleId"] for r in suppressed] == ["DL205"]
    assert suppressed[0]["suppressions"] == [
        {"kind": "external", "status": "accepted", "justification": "牵头部门待定"}
    ]


def test_sarif_invalid_head(root: Path) -> None:
    (root / "2025" / "units.yaml").unlink()
    run = sarif(check(root))["runs"][0]
    rule = run["tool"]["driver"]["rules"][0]
    assert rule["id"] == "DL134" and rule["defaultConfiguration"] == {"level": "error"}
    [result] = run["results"]
    location = result["locations"][0]["physicalLocation"]
    assert location == {"artifactLocation": {"uri": f"{ROOT_URI}/2025/units.yaml"}}  # line unknown: no region
    notes = run["invocations"][0]["toolConfigurationNotifications"]
    assert [n["associatedRule"]["id"] for n in notes] == list(rules())


@pytest.mark.parametrize(
    ("path", "uri"),
    [
        ("catalogues/2025/units/fgz.yaml", "catalogues/2025/units/fgz.yaml"),
        ("catalogues\\2025\\units.yaml", "catalogues/2025/units.yaml"),
        ("清单/2025#1/a b.yaml", "%E6%B8%85%E5%8D%95/2025%231/a%20b.yaml"),
        ("main:2025/units.yaml", "main%3A2025/units.yaml"),  # never read as a URI scheme
        ("/srv/清单/2025/units.yaml", "file:///srv/%E6%B8%85%E5%8D%95/2025/units.yaml"),
        ("C:\\ci\\catalogues\\2025\\units.yaml", "file:///C:/ci/catalogues/2025/units.yaml"),
    ],
)
def test_sarif_artifact_uris(path: str, uri: str) -> None:
    assert artifact_uri(path) == uri


# --- through the command line -----------------------------------------------------------


@pytest.mark.parametrize("fmt", ["markdown", "junit", "sarif"])
def test_cli_formats(root: Path, fmt: str) -> None:
    result = runner.invoke(app, ["check", "2025", "--root", str(root), "--format", fmt], env=ENV)
    assert result.exit_code == 1, result.output
    if fmt == "markdown":
        assert result.stdout.startswith("<!-- dutylist-check -->\n## ❌ 检查未通过")
    elif fmt == "junit":
        assert failing(ET.fromstring(result.stdout)) == FAILING
    else:
        assert json.loads(result.stdout)["version"] == "2.1.0"
    passing = runner.invoke(app, ["check", "--root", str(root), "-f", fmt, "--fail-on", "never"], env=ENV)
    assert passing.exit_code == 0, passing.output
