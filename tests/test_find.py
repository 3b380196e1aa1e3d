"""dutylist find and show: who does it (谁来干), and one item in full with its history."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from dutylist.cli import app
from dutylist.diff.names import normalise
from dutylist.find import normalise_many

from .builders import write_version

REPO = Path(__file__).resolve().parent.parent
ROOT = str(REPO / "catalogues")
runner = CliRunner()

COMMON = """\
template: common
basic:
  - {id: T-B-001, name: 宅基地审批, category: 城乡建设}
  - {id: T-B-002, name: 农村宅基地审批服务, category: 城乡建设}
  - id: T-B-003
    name: 村庄规划管理
    category: 城乡建设
    tasks: 协助做好宅基地审批工作
  - {id: T-B-004, name: 宅基地的审批, category: 城乡建设}
  - {id: T-B-005, name: 开展“12345”热线工单办理, category: 民生服务}
cooperative:
  - id: T-C-001
    name: 重大项目征地中的群众工作
    category: 城乡建设
    lead: zrzy
    lead_duty: 负责征地报批
    township_duty: 做好群众工作
"""
FGZ = """\
unit: fgz
include: [common]
basic:
  - {id: FG-B-101, name: 发展村级集体经济, category: 经济发展, basis: [《中华人民共和国村民委员会组织法》第八条]}
recalled:
  - {id: FG-R-005, name: 煤矿井田内违规建房执法, receiver: zrzy, method: 部门执法，乡镇提供线索}
"""
HSZ = """\
unit: hsz
include: [common]
exclude: [T-B-004]
"""


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env={"GITHUB_ACTIONS": "", "NO_COLOR": "1"})
    return result.exit_code, result.stdout, result.stderr


def run_json(*args: str) -> tuple[int, dict[str, Any]]:
    code, out, err = run(*args, "--format", "json")
    assert out, err
    data: dict[str, Any] = json.loads(out)
    return code, data


@pytest.fixture
def small(tmp_path: Path) -> str:
    """A version whose template ``common`` holds names that rank every way against 宅基地审批."""
    write_version(tmp_path, "2025", {"templates/common.yaml": COMMON, "units/fgz.yaml": FGZ, "units/hsz.yaml": HSZ})
    return str(tmp_path)


def ids_and_matches(data: dict[str, Any]) -> list[tuple[str, str]]:
    return [(h["id"], h["match"]) for h in data["hits"]]


# --- find: ranking and normalisation -------------------------------------------------


def test_exact_then_name_then_other_fields_then_fuzzy(small: str) -> None:
    code, data = run_json("find", "宅基地审批", "--root", small)
    assert code == 0
    assert ids_and_matches(data) == [
        ("T-B-001", "exact"),
        ("T-B-002", "name"),
        ("T-B-003", "field"),
        ("T-B-004", "fuzzy"),
    ]
    assert data["hits"][2]["fields"] == ["tasks"]
    assert data["hits"][0]["score"] == 1.0
    assert 0 < data["hits"][3]["score"] < 1
    assert data["total"] == data["shown"] == 4


def test_traditional_chinese_query_finds_simplified_names(small: str) -> None:
    _, simplified = run_json("find", "宅基地审批", "--root", small)
    code, traditional = run_json("find", "宅基地審批", "--root", small)
    assert code == 0
    assert traditional["normalised"] == "宅基地审批"
    assert ids_and_matches(traditional) == ids_and_matches(simplified)


@pytest.mark.parametrize("query", ["「宅基地·审批」！", "宅基地．审批", "宅基地_审批"])
def test_punctuation_and_full_width_are_folded(small: str, query: str) -> None:
    code, data = run_json("find", query, "--root", small)
    assert code == 0
    assert data["hits"][0]["id"] == "T-B-001"
    assert data["hits"][0]["match"] == "exact"


def test_full_width_digits_find_half_width(small: str) -> None:
    code, data = run_json("find", "１２３４５", "--root", small)
    assert code == 0
    assert ids_and_matches(data) == [("T-B-005", "name")]


def test_words_separated_by_spaces_must_all_match(small: str) -> None:
    code, data = run_json("find", "群众 报批", "--root", small)
    assert code == 0
    assert ids_and_matches(data) == [("T-C-001", "field")]
    assert data["hits"][0]["fields"] == ["name", "lead_duty", "township_duty"]


def test_limit_caps_items_and_total_counts_them_all(small: str) -> None:
    code, data = run_json("find", "宅基地审批", "--root", small, "--limit", "2")
    assert code == 0
    assert [h["id"] for h in data["hits"]] == ["T-B-001", "T-B-002"]
    assert data["total"] == 3  # exact, name and field matches: fuzzy is not needed to fill 2
    code, out, _ = run("find", "宅基地审批", "--root", small, "--limit", "2")
    assert "找到 3 项，显示前 2 项" in out


def test_normalise_many_is_normalise(small: str) -> None:
    texts = [
        "宅基地審批",
        "（宅基地）审批！",
        "ＡＢＣ１２３ｘ",
        "面积50㎡以下",
        "① 乾隆 ㈠",
        "a\u0301 e\u0301",
        "line\nbreak\r\n",
        "",
        "   ",
        "乾隆年间的乾坤",
    ]
    catalogue = REPO / "catalogues" / "2025" / "templates" / "township-common.yaml"
    texts += catalogue.read_text(encoding="utf-8").splitlines()
    assert normalise_many(texts) == [normalise(t) for t in texts]


_CHARS = "乾隆年間的乾坤審批宅基地，。（）：；！？　％＋－／“”ＡＢ１a\u0301\r\n㎡①㈠_"
_TRICKY = st.text(alphabet=st.sampled_from(list(_CHARS)))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_TRICKY, st.text(max_size=8)), max_size=6))
def test_normalise_many_is_normalise_on_any_text(texts: list[str]) -> None:
    assert normalise_many(texts) == [normalise(t) for t in texts]


# --- find: grouping, narrowing, exits --------------------------------------------------


def test_a_template_item_is_one_hit_listing_every_township() -> None:
    code, data = run_json("find", "瓶装液化石油气经营场所安全检查", "--root", ROOT)
    assert code == 0
    hit = data["hits"][0]
    assert (hit["id"], hit["match"]) == ("AL-B-090", "exact")
    assert [h["id"] for h in data["hits"]].count("AL-B-090") == 1
    assert hit["units"] == 15
    (group,) = hit["groups"]
    assert group["list"] == "recalled"
    assert group["receiver_name"] == "县住房和城乡建设局"
    assert len(group["units"]) == 15
    assert group["units"][:2] == [
        {"id": "chengguan", "name": "城关街道", "kind": "street"},
        {"id": "dongcheng", "name": "东城街道", "kind": "street"},
    ]
    code, out, _ = run("find", "瓶装液化石油气经营场所安全检查", "--root", ROOT)
    assert "AL-B-090  瓶装液化石油气经营场所安全检查  [名称相同]" in out
    assert "上级部门收回事项 · 承接部门：县住房和城乡建设局 · 15 个乡镇（街道）：城关街道、东城街道、" in out
    assert out.count("AL-B-090") == 1


def test_cooperative_hit_shows_lead_and_both_duty_texts(small: str) -> None:
    code, out, _ = run("find", "征地", "--root", small)
    assert code == 0
    assert "配合履职事项 · 牵头部门：县自然资源局 · 2 个乡镇（街道）：府谷镇、黄甫镇" in out
    assert "上级部门职责：负责征地报批" in out
    assert "乡镇配合职责：做好群众工作" in out


def test_unit_and_list_narrow_the_hits_and_their_holders() -> None:
    code, data = run_json("find", "群众工作", "--root", ROOT, "--unit", "chengguan", "--list", "cooperative")
    assert code == 0
    ids = [h["id"] for h in data["hits"]]
    assert "CHENGGUAN-C-101" in ids
    assert "DONGCHENG-C-101" not in ids
    for hit in data["hits"]:
        assert [(g["list"], [u["id"] for u in g["units"]]) for g in hit["groups"]] == [("cooperative", ["chengguan"])]
    _, wide = run_json("find", "群众工作", "--root", ROOT)
    assert "DONGCHENG-C-101" in [h["id"] for h in wide["hits"]]
    code, data = run_json("find", "宅基地", "--root", ROOT, "--list", "powers")
    assert code == 0
    assert {g["list"] for h in data["hits"] for g in h["groups"]} == {"powers"}


def test_a_unit_that_does_not_hold_it_gives_no_hit(small: str) -> None:
    code, out, _ = run("find", "宅基地的审批", "--root", small, "--unit", "hsz", "--limit", "1")
    assert code == 0
    assert "T-B-004" not in out  # excluded in hsz
    code, out, _ = run("find", "煤矿", "--root", small, "--unit", "hsz")
    assert code == 1
    assert "没有找到" in out and "--unit" in out


def test_no_hit_exits_1() -> None:
    code, out, _ = run("find", "xyzzy火星移民", "--root", ROOT)
    assert code == 1
    assert "没有找到" in out
    code, data = run_json("find", "xyzzy火星移民", "--root", ROOT)
    assert code == 1
    assert data["hits"] == [] and data["total"] == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--unit", "nowhere"], "没有单位 nowhere"),
        (["--list", "duties"], "没有清单 duties"),
        (["2019"], "找不到版本 '2019'"),
    ],
)
def test_unknown_unit_list_or_version_is_a_usage_error(args: list[str], message: str) -> None:
    code, out, err = run("find", "宅基地", *args, "--root", ROOT)
    assert code == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err and not out


def test_a_query_of_punctuation_only_is_a_usage_error() -> None:
    code, _, err = run("find", "，。！", "--root", ROOT, "--lang", "en")
    assert code == 2
    assert "query is empty" in err


def test_english_output(small: str) -> None:
    code, out, _ = run("find", "征地", "--root", small, "--lang", "en")
    assert code == 0
    assert '"征地": 1 item in 2025' in out
    assert "cooperative · lead: 县自然资源局 · 2 townships: 府谷镇, 黄甫镇" in out
    assert "lead duty: 负责征地报批" in out


def test_an_invalid_version_prints_its_diagnostics_and_exits_1(small: str) -> None:
    bad = Path(small) / "2025" / "units" / "hsz.yaml"
    bad.write_text("unit: hsz\ninclude: [nosuch]\n", encoding="utf-8")
    code, out, _ = run("find", "宅基地", "--root", small, "--no-cache")
    assert code == 1
    assert "units/hsz.yaml" in out
    code, data = run_json("find", "宅基地", "--root", small, "--no-cache")
    assert code == 1
    assert data["hits"] == [] and data["diagnostics"]
    code, out, _ = run("show", "T-B-001", "--root", small, "--no-cache")
    assert code == 1
    assert "units/hsz.yaml" in out


def test_a_compiled_list_and_a_reformatted_one_give_the_same_hits(tmp_path: Path) -> None:
    out_dir = tmp_path / "dist"
    assert run("compile", "2025", "--root", ROOT, "--out", str(out_dir))[0] == 0
    listing = out_dir / "list.json"
    reformatted = tmp_path / "pretty.json"
    reformatted.write_text(json.dumps(json.loads(listing.read_text("utf-8")), ensure_ascii=False, indent=1), "utf-8")
    _, source = run_json("find", "群众工作", "2025", "--root", ROOT)
    for path in (listing, reformatted):
        code, data = run_json("find", "群众工作", str(path))
        assert code == 0
        assert data["hits"] == source["hits"]


def test_find_json_shape(small: str) -> None:
    _, data = run_json("find", "征地", "--root", small)
    assert list(data) == [
        "query", "normalised", "spec", "version", "filters", "total", "shown", "hits", "diagnostics",
    ]  # fmt: skip
    (hit,) = data["hits"]
    assert list(hit) == [
        "rank", "id", "name", "category", "tasks", "basis", "match", "fields", "score", "units", "groups",
    ]  # fmt: skip
    assert hit["groups"] == [
        {
            "list": "cooperative",
            "lead": "zrzy",
            "lead_name": "县自然资源局",
            "lead_duty": "负责征地报批",
            "township_duty": "做好群众工作",
            "receiver": None,
            "receiver_name": None,
            "method": None,
            "power_type": None,
            "units": [
                {"id": "fgz", "name": "府谷镇", "kind": "town"},
                {"id": "hsz", "name": "黄甫镇", "kind": "town"},
            ],
        }
    ]
    assert data["spec"] == data["version"] == "2025"


# --- show --------------------------------------------------------------------------------


def sample_changes(kind: str) -> list[dict[str, Any]]:
    code, data = run_json("diff", "2024", "2025", "--root", ROOT)
    assert code == 0
    changes = [c for c in data["changes"] if c["kind"] == kind]
    assert changes, kind
    return changes


@pytest.mark.parametrize("kind", ["withdrawn", "renamed"])
def test_show_an_item_with_its_history(kind: str) -> None:
    change = sample_changes(kind)[0]
    code, data = run_json("show", change["id"], "--root", ROOT)
    assert code == 0
    assert data["found"] and data["item"]["name"] == change["name"]
    assert {h["list"] for h in data["holders"]} == {a["list"] for a in change["after"]}
    assert {h["unit"] for h in data["holders"]} == {a["unit"] for a in change["after"]}
    history = data["history"]["history"]
    assert ("2025", kind) in [(h["version"], h["kind"]) for h in history]
    code, out, _ = run("show", change["id"], "--root", ROOT)
    assert code == 0
    assert out.startswith(f"{change['id']}  {change['name']}\n")
    assert f"{change['id']} 的沿革" in out
    label = {"withdrawn": "上收", "renamed": "更名"}[kind]
    assert f"2025  {label}" in out


def test_show_lists_every_unit_with_its_kind_and_duties() -> None:
    code, out, _ = run("show", "AL-C-080", "--root", ROOT)
    assert code == 0
    assert "配合履职事项 · 牵头部门：县自然资源和规划局 · 15 个乡镇（街道）" in out
    assert "上级部门职责  负责征地报批和补偿安置方案制定" in out
    assert "城关街道（街道）、东城街道（街道）" in out and "云台乡（乡）" in out


def test_show_of_an_unknown_id_suggests_close_ids() -> None:
    code, out, _ = run("show", "AL-B-09", "--root", ROOT)
    assert code == 1
    assert "2025 中没有事项 AL-B-09" in out
    assert "是不是：" in out
    code, data = run_json("show", "AL-B-09", "--root", ROOT)
    assert code == 1
    assert not data["found"] and data["item"] is None and data["holders"] == []
    assert data["suggestions"] and all(s["id"].startswith("AL-B-09") for s in data["suggestions"])
    _, data = run_json("show", "al-b-090", "--root", ROOT)
    assert data["suggestions"][0]["id"] == "AL-B-090"


def test_show_of_a_renamed_away_id_points_to_its_successor() -> None:
    change = sample_changes("renamed")[0]
    (old,) = change["replaces"]
    code, data = run_json("show", old, "--root", ROOT)
    assert code == 1
    first = data["suggestions"][0]
    assert (first["id"], first["kind"], first["version"]) == (change["id"], "renamed", "2025")
    code, out, _ = run("show", old, "--root", ROOT)
    assert f"{change['id']}  {change['name']}（2025 更名）" in out


def test_show_a_name_instead_of_an_id_suggests_items() -> None:
    code, data = run_json("show", "宅基地审批", "--root", ROOT)
    assert code == 1
    assert "AL-P-001" in [s["id"] for s in data["suggestions"]]


def test_show_on_a_compiled_list_says_history_needs_the_versions(tmp_path: Path) -> None:
    out_dir = tmp_path / "dist"
    assert run("compile", "2025", "--root", ROOT, "--out", str(out_dir))[0] == 0
    code, data = run_json("show", "AL-B-090", str(out_dir / "list.json"), "--root", ROOT)
    assert code == 0
    assert data["found"] and data["history"] is None and data["history_note"] == "compiled"
    code, out, _ = run("show", "AL-B-090", str(out_dir / "list.json"), "--lang", "en")
    assert code == 0
    assert "recalled · receiver: 县住房和城乡建设局 · 15 townships" in out
    assert "history: a list.json holds one version" in out


def test_show_json_shape() -> None:
    _, data = run_json("show", "AL-B-090", "--root", ROOT)
    assert list(data) == [
        "id", "found", "spec", "version", "item", "varies", "holders", "history", "history_note", "suggestions",
        "diagnostics",
    ]  # fmt: skip
    assert list(data["item"]) == ["id", "name", "category", "tasks", "basis", "approval", "replaces", "template"]
    assert list(data["holders"][0]) == [
        "unit", "unit_name", "unit_kind", "list", "seq", "lead", "lead_name", "lead_duty", "township_duty",
        "receiver", "receiver_name", "method", "power_type",
    ]  # fmt: skip
    assert list(data["history"]) == ["id", "versions", "history", "invalid"]


def test_find_example_in_readme_is_real(monkeypatch: pytest.MonkeyPatch) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Find: who does it", 1)[1].split("\n### ", 1)[0]
    example = section.split("```text\n", 1)[1].split("```", 1)[0]
    query = example.split("“", 1)[1].split("”", 1)[0]
    monkeypatch.chdir(REPO)
    code, out, _ = run("find", query)
    assert code == 0
    assert out == example
