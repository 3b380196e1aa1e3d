"""``dutylist diff`` through the command line, on the sample catalogues (2024 → 2025).

Every output format, the filters (--unit, --kind), --exit-code, --lang en, the other kinds
of version spec (compiled list.json, REV:LABEL from git) and the failures (an invalid
version, an unknown one). Markdown and CSV are also compared with golden files under
tests/golden/diff/ (refresh them with ``pytest --update-golden`` and review the diff).
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dutylist.cli import app
from dutylist.model.vocab import CHANGE_KINDS

from .test_specs import git

REPO = Path(__file__).resolve().parent.parent
ROOT = REPO / "catalogues"
GOLDEN = Path(__file__).parent / "golden" / "diff"
BOM = b"\xef\xbb\xbf"
CSV_HEADERS_ZH = [
    "序号",
    "事项编码",
    "事项名称",
    "调整类型",
    "调整前单位",
    "调整前清单",
    "调整后单位",
    "调整后清单",
    "说明",
]
runner = CliRunner()


def diff(*args: str, root: Path = ROOT) -> tuple[int, bytes, str]:
    """Exit code, stdout as bytes (the BOM is part of the contract) and stderr."""
    res = runner.invoke(app, ["diff", *args, "--root", str(root)], env={"GITHUB_ACTIONS": "", "DUTYLIST_LANG": ""})
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    return res.exit_code, res.stdout_bytes, res.stderr


def diff_json(*args: str, root: Path = ROOT) -> dict[str, object]:
    code, out, err = diff(*args, "--format", "json", root=root)
    assert code == 0, err
    data: dict[str, object] = json.loads(out)
    return data


def csv_rows(out: bytes) -> list[dict[str, str]]:
    assert out.startswith(BOM)
    return list(csv.DictReader(io.StringIO(out.decode("utf-8-sig"), newline="")))


def check_golden(name: str, data: bytes, update: bool) -> None:
    path = GOLDEN / name
    if update:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return
    assert path.exists(), f"{path} is missing (pytest --update-golden to create it)"
    want = path.read_bytes()
    if data != want:
        assert data.decode("utf-8-sig") == want.decode("utf-8-sig"), name  # a readable diff
        assert data == want, f"{name}: same text, different bytes (BOM or line ends)"


@pytest.fixture
def root_copy(tmp_path: Path) -> Path:
    """A writable copy of the sample catalogue root, without its cache."""
    root = tmp_path / "catalogues"
    shutil.copytree(ROOT, root, ignore=shutil.ignore_patterns(".dutylist"))
    return root


# --- every format ------------------------------------------------------------------------------


def test_text_lists_the_reform_by_kind_with_the_burden_table() -> None:
    code, out, _ = diff("2024", "2025")
    text = out.decode()
    assert code == 0
    assert text.startswith("2024 → 2025：新增 7 项，取消 2 项，上收 6 项")
    assert "上收（6 项）" in text and "AL-C-011  校外培训机构监管执法" in text
    assert "乡镇（街道）负担变化" in text


def test_markdown_is_a_pull_request_comment() -> None:
    code, out, _ = diff("2024", "2025", "--format", "markdown")
    text = out.decode()
    assert code == 0
    assert text.startswith("## 清单变化：2024 → 2025\n")
    assert "上收 6 项" in text.splitlines()[2]  # the summary sentence under the title
    assert "| 上收 | 6 |" in text and "| 扩大适用 |" not in text  # only kinds that occur
    # burden: every township, the one losing most first
    rows = re.findall(r"^\| (\S+) \| (\d+) \| (\d+) \| ([+-]?\d+) \|$", text, flags=re.M)
    assert len(rows) == 15
    nets = [int(r[3]) for r in rows]
    assert nets == sorted(nets) and rows[0][3] == "-4" and ("桃源镇", "5", "7", "-2") in rows
    # one collapsed section per unit, each change from that unit's side
    assert "<details><summary>桃源镇（23 项变化）</summary>" in text
    assert text.count("<details>") == text.count("</details>")
    assert (
        "- **上收** `AL-C-011` 校外培训机构监管执法：配合履职事项（牵头部门：县教育和体育局）"
        " → 上级部门收回事项（接收部门：县教育和体育局）"
    ) in text
    assert "- **下放** `MZJ-P-006` 老年人优待证办理：县民政局 权责清单 → 权责清单" in text
    assert "  - `basis[0]`：《中华人民共和国文物保护法》 → 《中华人民共和国文物保护法》（2024年修订）" in text
    assert "  - 承继：`AL-B-044`" in text


def test_json_has_the_keys_of_design_7() -> None:
    data = diff_json("2024", "2025")
    assert set(data) >= {"schema", "base", "head", "summary", "units", "changes"}
    assert data["schema"] == 1
    for side, version in (("base", "2024"), ("head", "2025")):
        info = data[side]
        assert isinstance(info, dict) and set(info) >= {"spec", "version", "hash"}
        assert info["spec"] == info["version"] == version and info["hash"].startswith("sha256:")
    summary = data["summary"]
    assert isinstance(summary, dict) and list(summary) == list(CHANGE_KINDS)  # every kind, zero or not
    assert summary["withdrawn"] == 6 and summary["extended"] == 0
    units = data["units"]
    assert isinstance(units, list) and len(units) == 15
    assert all(set(u) >= {"unit", "gained", "lost", "net"} and u["net"] == u["gained"] - u["lost"] for u in units)
    changes = data["changes"]
    assert isinstance(changes, list) and len(changes) == sum(summary.values())
    for change in changes:
        assert set(change) >= {"kind", "id", "name", "before", "after", "fields"}
        assert all(set(h) >= {"unit", "list"} for h in change["before"] + change["after"])
        assert all(set(f) >= {"path", "old", "new"} for f in change["fields"])
    c011 = next(c for c in changes if c["id"] == "AL-C-011")
    assert c011["kind"] == "withdrawn"
    assert {"unit": "taoyuan", "list": "recalled", "receiver": "jtj"} in c011["after"]


def test_csv_is_an_adjustment_table_that_excel_opens_as_utf8() -> None:
    code, out, _ = diff("2024", "2025", "--format", "csv")
    assert code == 0
    assert out.startswith(BOM + "序号,事项编码,事项名称,调整类型".encode())  # without the BOM Excel shows mojibake
    assert out.split(b"\n", 1)[0].endswith(b"\r")
    rows = csv_rows(out)
    assert list(rows[0]) == CSV_HEADERS_ZH
    assert len(rows) == 31 and [r["序号"] for r in rows] == [str(i) for i in range(1, 32)]
    by_id = {(r["事项编码"], r["调整类型"]): r for r in rows}
    row = by_id[("AL-C-011", "上收")]
    assert row["调整前清单"] == "配合履职事项" and row["调整后清单"] == "上级部门收回事项"
    assert row["调整前单位"].startswith("白沙镇、城关街道、") and len(row["调整前单位"].split("、")) == 15
    assert row["说明"] == "原牵头部门：县教育和体育局；接收部门：县教育和体育局"
    assert by_id[("AL-C-064", "划转")]["说明"] == "牵头部门：县农业农村局 → 市生态环境局安澜分局"
    assert by_id[("AL-B-135", "更名")]["说明"].startswith("承继：AL-B-044；事项名称：受理审核高龄津贴申请 → ")
    assert by_id[("AL-B-022", "调整")]["说明"] == "依据第2项：（无） → 《中华人民共和国农村集体经济组织法》"
    assert by_id[("MZJ-P-006", "下放")]["调整前单位"] == "县民政局"


def test_markdown_matches_golden(update_golden: bool) -> None:
    code, out, _ = diff("2024", "2025", "--format", "markdown")
    assert code == 0
    check_golden("2024-2025.md", out, update_golden)


def test_csv_matches_golden(update_golden: bool) -> None:
    code, out, _ = diff("2024", "2025", "--format", "csv")
    assert code == 0
    check_golden("2024-2025.csv", out, update_golden)


# --- filters, exit code, language --------------------------------------------------------------


def test_unit_narrows_changes_summary_and_burden_rows() -> None:
    data = diff_json("2024", "2025", "--unit", "taoyuan")
    changes = data["changes"]
    assert isinstance(changes, list)
    ids = {c["id"] for c in changes}
    assert "TAOYUAN-B-102" in ids and "AL-C-011" in ids
    assert "ZHZF-P-009" not in ids  # delegated to the four streets only
    assert "TAOYUAN-HX-N-014" not in ids  # a village of taoyuan is another unit
    assert all(any(h["unit"] == "taoyuan" for h in c["before"] + c["after"]) for c in changes)
    summary = data["summary"]
    assert isinstance(summary, dict) and sum(summary.values()) == len(changes)
    assert summary["added"] == 4  # AL-B-134, AL-C-089, AL-C-090, TAOYUAN-B-102
    assert data["units"] == [{"unit": "taoyuan", "name": "桃源镇", "gained": 5, "lost": 7, "net": -2}]
    # the other formats follow
    _, md, _ = diff("2024", "2025", "--unit", "taoyuan", "--format", "markdown")
    assert "| 桃源镇 | 5 | 7 | -2 |" in md.decode() and "| 城关街道 |" not in md.decode()
    _, out, _ = diff("2024", "2025", "--unit", "taoyuan", "--format", "csv")
    assert len(csv_rows(out)) == len(changes)


def test_kind_keeps_only_that_kind_and_the_summary_counts_only_those() -> None:
    data = diff_json("2024", "2025", "--kind", "withdrawn")
    changes = data["changes"]
    assert isinstance(changes, list) and {c["kind"] for c in changes} == {"withdrawn"}
    assert data["summary"] == {k: 6 if k == "withdrawn" else 0 for k in CHANGE_KINDS}
    _, out, _ = diff("2024", "2025", "--kind", "withdrawn")
    assert out.decode().startswith("2024 → 2025：上收 6 项\n")
    _, out, _ = diff("2024", "2025", "--kind", "withdrawn", "--kind", "delegated", "--format", "markdown")
    assert "上收 6 项，下放 3 项\n" in out.decode() and "新增" not in out.decode()


def test_unknown_kind_is_a_usage_error() -> None:
    code, _, err = diff("2024", "2025", "--kind", "moved")
    assert code == 2 and "moved" in err


def test_exit_code_is_1_with_changes_and_0_without() -> None:
    assert diff("2024", "2025", "--exit-code")[0] == 1
    assert diff("2024", "2025")[0] == 0  # without the option, changes are no failure
    code, out, _ = diff("2025", "2025", "--exit-code")
    assert code == 0 and "无变化" in out.decode()
    code, out, _ = diff("2025", "2025", "--exit-code", "--format", "markdown")
    assert code == 0 and "<details>" not in out.decode()
    code, out, _ = diff("2025", "2025", "--format", "csv")
    assert code == 0 and csv_rows(out) == []
    # a filter that leaves nothing counts as no change
    assert diff("2024", "2025", "--exit-code", "--unit", "taoyuan", "--kind", "extended")[0] == 0


def test_english() -> None:
    _, out, _ = diff("2024", "2025", "--lang", "en")
    assert out.decode().startswith("2024 -> 2025: added 7, revoked 2, withdrawn 6")
    _, out, _ = diff("2024", "2025", "--lang", "en", "--format", "markdown")
    text = out.decode()
    assert text.startswith("## Catalogue changes: 2024 → 2025\n")
    assert "| township | gained | lost | net |" in text and "<details><summary>桃源镇 (23 changes)</summary>" in text
    assert "- **withdrawn** `AL-C-011` 校外培训机构监管执法: cooperative (lead: 县教育和体育局)" in text
    _, out, _ = diff("2024", "2025", "--lang", "en", "--format", "csv")
    rows = csv_rows(out)
    assert list(rows[0])[:4] == ["No.", "Item", "Name", "Change"]
    row = next(r for r in rows if r["Item"] == "AL-B-022")
    assert (row["Change"], row["Lists before"]) == ("modified", "basic")
    assert row["Notes"] == "basis[1]: (none) → 《中华人民共和国农村集体经济组织法》"


# --- other version specs -----------------------------------------------------------------------


def test_compiled_lists_diff_like_their_sources(tmp_path: Path) -> None:
    for version in ("2024", "2025"):
        res = runner.invoke(app, ["compile", version, "--out", str(tmp_path / version), "--root", str(ROOT)])
        assert res.exit_code == 0, res.stdout + res.stderr
    compiled = diff_json(str(tmp_path / "2024" / "list.json"), str(tmp_path / "2025" / "list.json"))
    source = diff_json("2024", "2025")
    assert compiled["summary"] == source["summary"]
    assert compiled["changes"] == source["changes"]
    assert compiled["units"] == source["units"]
    assert isinstance(compiled["head"], dict) and isinstance(source["head"], dict)
    assert compiled["head"]["hash"] == source["head"]["hash"]


def test_work_tree_against_a_git_revision(root_copy: Path) -> None:
    repo = root_copy.parent
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "2025")
    taoyuan = root_copy / "2025" / "units" / "taoyuan.yaml"
    text = taoyuan.read_text(encoding="utf-8")
    cooperative = text[text.index("cooperative:") :]
    assert "id: TAOYUAN-C-101" in cooperative and cooperative.count("- id:") == 1
    # withdrawn: the township's one cooperative item goes to its recalled list, received by 文旅局
    taoyuan.write_text(
        text.replace(
            cooperative,
            "recalled:\n"
            "  - id: TAOYUAN-C-101\n"
            "    name: 桃源景区旅游安全隐患排查\n"
            "    category: 平安法治\n"
            "    receiver: wlj\n"
            "    method: 县文化和旅游局实施，镇政府报告线索\n"
            "    basis: [《中华人民共和国旅游法》]\n",
        ),
        encoding="utf-8",
    )
    data = diff_json("HEAD:2025", "2025", root=root_copy)
    assert isinstance(data["base"], dict) and data["base"]["spec"] == "HEAD:2025"
    assert data["changes"] == [
        {
            "kind": "withdrawn",
            "id": "TAOYUAN-C-101",
            "name": "桃源景区旅游安全隐患排查",
            "before": [{"unit": "taoyuan", "list": "cooperative", "lead": "wlj"}],
            "after": [{"unit": "taoyuan", "list": "recalled", "receiver": "wlj"}],
            "fields": [],
        }
    ]
    units = data["units"]
    assert isinstance(units, list)
    assert {"unit": "taoyuan", "name": "桃源镇", "gained": 0, "lost": 1, "net": -1} in units
    assert all(u["net"] == 0 for u in units if u["unit"] != "taoyuan")
    code, out, _ = diff("HEAD:2025", "2025", "--format", "markdown", "--exit-code", root=root_copy)
    assert code == 1
    assert out.decode().startswith("## 清单变化：2025（HEAD:2025） → 2025\n\n上收 1 项\n")


# --- what a catalogue says stays text ----------------------------------------------------------


def test_catalogue_text_cannot_inject_formulas_or_markup(root_copy: Path) -> None:
    taoyuan = root_copy / "2025" / "units" / "taoyuan.yaml"
    text = taoyuan.read_text(encoding="utf-8")
    evil = '"=HYPERLINK(\\"http://x\\")|<b>*桃花节*</b>"'
    taoyuan.write_text(text.replace("name: 组织桃花节文旅活动服务保障", f"name: {evil}"), encoding="utf-8")
    _, out, _ = diff("2024", "2025", "--unit", "taoyuan", "--kind", "added", "--format", "csv", root=root_copy)
    row = next(r for r in csv_rows(out) if r["事项编码"] == "TAOYUAN-B-102")
    assert row["事项名称"] == '\'=HYPERLINK("http://x")|<b>*桃花节*</b>'
    _, out, _ = diff("2024", "2025", "--unit", "taoyuan", "--kind", "added", "--format", "markdown", root=root_copy)
    line = next(x for x in out.decode().splitlines() if "TAOYUAN-B-102" in x)
    assert '=HYPERLINK("http://x")\\|\\<b\\>\\*桃花节\\*\\</b\\>' in line


# --- failures ----------------------------------------------------------------------------------


def test_invalid_version_exits_1_with_located_diagnostics(root_copy: Path) -> None:
    taoyuan = root_copy / "2025" / "units" / "taoyuan.yaml"
    text = taoyuan.read_text(encoding="utf-8")
    taoyuan.write_text(text.replace("    category: 经济发展\n", "    categroy: 经济发展\n", 1), encoding="utf-8")
    code, out, _ = diff("2024", "2025", root=root_copy)
    assert code == 1
    assert re.search(r"2025/units/taoyuan\.yaml:\d+:\d+", out.decode())
    assert "categroy" in out.decode() and "上收" not in out.decode()  # no diff of a broken version
    code, out, _ = diff("2024", "2025", "--format", "json", root=root_copy)
    assert code == 1


def test_unknown_version_is_a_usage_error() -> None:
    code, out, err = diff("2019", "2025")
    assert code == 2 and out == b""
    assert "2019" in err and "2024" in err  # names the versions there are
