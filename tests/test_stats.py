"""``dutylist stats``: the core on the manifest alone, the §7 JSON shape, every renderer."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from dutylist.compile import CompileOptions, compile_ref
from dutylist.compiled import CompiledList, CompiledListError, read_manifest
from dutylist.model.vocab import ALL_LISTS, POWER_TYPES
from dutylist.render.stats_out import STATS_RENDERERS, bar_chart, lead_sentence, nice_step
from dutylist.render.svg_chart import svg_bytes, write_svg
from dutylist.source.spec import resolve
from dutylist.stats import STATS_BY, StatsResult, compute_stats, round_half_up

from .builders import write_version

REPO = Path(__file__).resolve().parent.parent
SVG = "{http://www.w3.org/2000/svg}"

# Four townships (one street without a unit file, one of kind township), two departments,
# a village. Sums over townships: basic 5, cooperative 6, recalled 2, total 13 -> averages
# 1.25, 1.5, 0.5, 3.25: every one a half, so rounding half up is what is being checked.
UNITS = """\
departments:
  - {id: zrzy, name: 县自然资源局}
  - {id: yjj, name: 县应急管理局}
townships:
  - {id: fgz, name: 府谷镇, kind: town}
  - {id: hsz, name: 黄甫镇, kind: town}
  - {id: xj, name: 新街街道, kind: street}
  - {id: ld, name: 老高川乡, kind: township}
villages:
  - {id: fgz-hc, name: 黄河村, township: fgz}
"""
HSZ = """\
unit: hsz
basic:
  - {id: HS-B-1, name: 安全生产巡查, category: 平安法治}
  - {id: HS-B-2, name: 森林防火, category: 生态环保}
  - {id: HS-B-3, name: 村务公开}
cooperative:
  - {id: HS-C-1, name: 征地群众工作, lead: zrzy, lead_duty: 报批, township_duty: 群众工作, category: 城乡建设}
  - {id: HS-C-2, name: 地灾巡查, lead: zrzy, lead_duty: 监测, township_duty: 巡查}
powers:
  - {id: HS-P-1, name: 对违法建设的行政处罚, power_type: 行政处罚}
"""
LD = """\
unit: ld
basic:
  - {id: LD-B-1, name: 基层党建, category: 党的建设}
cooperative:
  - {id: LD-C-1, name: 征地群众工作, lead: zrzy, lead_duty: 报批, township_duty: 群众工作}
  - {id: LD-C-2, name: 防汛, lead: yjj, lead_duty: 指挥, township_duty: 转移群众}
  - {id: LD-C-3, name: 应急演练, lead: yjj, lead_duty: 组织, township_duty: 参加}
recalled:
  - {id: LD-R-1, name: 采砂执法, receiver: zrzy, method: 部门执法}
"""
ZRZY = """\
unit: zrzy
powers:
  - {id: ZR-P-1, name: 建设用地审批, power_type: 行政许可}
  - {id: ZR-P-2, name: 土地违法处罚, power_type: 行政处罚}
"""
VILLAGE = """\
unit: fgz-hc
autonomy:
  - {id: HC-A-1, name: 村规民约}
negative:
  - {id: HC-N-1, name: 亲属关系证明}
"""


def compile_version(root: Path, label: str = "2025") -> CompiledList:
    result = compile_ref(resolve(label, root), CompileOptions(root, use_cache=False))
    assert result.listing is not None, [d.code for d in result.diagnostics]
    return result.listing


@pytest.fixture
def small(tmp_path: Path) -> CompiledList:
    files = {"units.yaml": UNITS, "units/hsz.yaml": HSZ, "units/ld.yaml": LD, "units/zrzy.yaml": ZRZY}
    files["units/fgz-hc.yaml"] = VILLAGE
    write_version(tmp_path, files=files)
    return compile_version(tmp_path)


@pytest.fixture(scope="module")
def sample() -> CompiledList:
    result = compile_ref(resolve("2025", REPO / "catalogues"), CompileOptions(REPO / "catalogues", use_cache=False))
    assert result.listing is not None
    return result.listing


def render(result: StatsResult, fmt: str, lang: str = "zh") -> str:
    out = io.StringIO()
    STATS_RENDERERS[fmt](result, lang, out)
    return out.getvalue()


def counts(**given: int) -> dict[str, int]:
    return {k: given.get(k, 0) for k in ALL_LISTS}


# -- the core ------------------------------------------------------------------------------


@pytest.mark.parametrize("by", STATS_BY)
def test_stats_from_the_written_list_equal_stats_in_memory(sample: CompiledList, tmp_path: Path, by: str) -> None:
    path = tmp_path / "list.json"
    path.write_bytes(sample.to_bytes())
    from_file = compute_stats(read_manifest(path), by)
    in_memory = compute_stats(sample.manifest, by)
    assert render(from_file, "json") == render(in_memory, "json")


def test_json_has_the_design_shape_and_values(small: CompiledList) -> None:
    data = json.loads(render(compute_stats(small.manifest), "json"))
    assert data["version"] == "2025"
    assert [u["id"] for u in data["units"]] == ["zrzy", "yjj", "fgz", "hsz", "xj", "ld", "fgz-hc"]
    by_id = {u["id"]: u for u in data["units"]}
    assert by_id["fgz"] == {
        "id": "fgz",
        "name": "府谷镇",
        "kind": "town",
        "counts": counts(basic=1, cooperative=1, recalled=1),
    }
    assert by_id["hsz"]["counts"] == counts(basic=3, cooperative=2, powers=1)
    assert by_id["xj"]["counts"] == counts()  # no unit file: zeros
    assert by_id["yjj"]["counts"] == counts()
    assert by_id["zrzy"]["counts"] == counts(powers=2)
    assert by_id["fgz-hc"]["counts"] == counts(autonomy=1, negative=1)
    assert data["averages"] == {"township": {"basic": 1.3, "cooperative": 1.5, "recalled": 0.5, "total": 3.3}}
    assert data["totals"] == counts(basic=5, cooperative=6, recalled=2, powers=3, autonomy=1, negative=1)
    assert data["unit_counts"] == {"department": 2, "township": 4, "village": 1}
    assert data["by"] == "unit"
    assert "rows" not in data


def test_stats_need_only_the_manifest(small: CompiledList) -> None:
    manifest = json.loads(json.dumps(small.manifest))
    manifest.pop("hash")
    manifest.pop("sources")
    assert compute_stats(manifest).totals == compute_stats(small.manifest).totals


def test_leading_sentence_rounds_half_up(small: CompiledList) -> None:
    result = compute_stats(small.manifest)
    zh = "共 4 个乡镇（街道），平均每个 3 项：基本履职事项 1 项、配合履职事项 2 项、上级部门收回事项 1 项"
    en = "4 townships, 3 items each on average: basic 1, cooperative 2, recalled 1"
    assert lead_sentence(result, "zh") == zh
    assert lead_sentence(result, "en") == en
    assert render(result, "text").splitlines()[0] == zh
    assert render(result, "text", "en").splitlines()[0] == en
    assert render(result, "markdown").splitlines()[0] == zh


def test_sample_sentence_is_what_a_county_publishes(sample: CompiledList) -> None:
    result = compute_stats(sample.manifest)
    assert lead_sentence(result, "zh") == (
        "共 15 个乡镇（街道），平均每个 296 项：基本履职事项 132 项、配合履职事项 89 项、上级部门收回事项 75 项"
    )


def test_a_list_without_townships_says_so(tmp_path: Path) -> None:
    units = "departments:\n  - {id: zrzy, name: 县自然资源局}\n"
    write_version(tmp_path, files={"units.yaml": units, "units/fgz.yaml": "", "units/zrzy.yaml": ZRZY})
    (tmp_path / "2025" / "units" / "fgz.yaml").unlink()
    result = compute_stats(compile_version(tmp_path).manifest)
    assert result.averages == {"township": {"basic": 0.0, "cooperative": 0.0, "recalled": 0.0, "total": 0.0}}
    assert lead_sentence(result, "zh") == "没有乡镇（街道）；共 1 个单位，2 项"
    for fmt in STATS_RENDERERS:
        assert render(result, fmt)
    ET.fromstring(svg_bytes(result, "zh"))


@pytest.mark.parametrize(("num", "den", "want"), [(5, 4, 1.3), (1, 2, 0.5), (2, 3, 0.7), (1, 3, 0.3), (7, 0, 0.0)])
def test_round_half_up(num: int, den: int, want: float) -> None:
    assert round_half_up(num, den) == want


def test_unknown_by_is_refused(small: CompiledList) -> None:
    with pytest.raises(ValueError, match="by must be one of"):
        compute_stats(small.manifest, "village")


@pytest.mark.parametrize(
    "broken",
    [
        {"counts": {"fgz": {"basic": "many"}}},
        {"counts": {"fgz": {"bogus": 1}}},
        {"counts": []},
        {"units": [{"id": "fgz"}]},
        {"categories": {"经济发展": 3}},
    ],
)
def test_a_hand_edited_manifest_is_a_user_error(small: CompiledList, broken: dict[str, Any]) -> None:
    with pytest.raises(CompiledListError):
        compute_stats({**small.manifest, **broken}, "category")


# -- every by ------------------------------------------------------------------------------


def test_by_list(small: CompiledList) -> None:
    data = json.loads(render(compute_stats(small.manifest, "list"), "json"))
    assert {"version", "units", "averages", "totals"} <= set(data)
    rows = {r["list"]: r for r in data["rows"]}
    assert list(rows) == list(ALL_LISTS)
    assert rows["basic"] == {
        "list": "basic",
        "entries": 5,
        "eligible": 4,
        "holders": 3,
        "average": 1.3,
        "min": 0,
        "max": 3,
    }
    assert rows["powers"] == {
        "list": "powers",
        "entries": 3,
        "eligible": 6,
        "holders": 2,
        "average": 0.5,
        "min": 0,
        "max": 2,
    }
    assert rows["autonomy"]["eligible"] == 1


def test_by_category(small: CompiledList) -> None:
    data = json.loads(render(compute_stats(small.manifest, "category"), "json"))
    rows = data["rows"]
    assert [r["category"] for r in rows] == ["党的建设", "城乡建设", "平安法治", "生态环保", "经济发展", None]
    assert rows[-1]["counts"] == counts(basic=1, cooperative=5, recalled=2, powers=3, autonomy=1, negative=1)
    assert sum(r["total"] for r in rows) == sum(data["totals"].values())
    assert {"version", "units", "averages", "totals"} <= set(data)


def test_by_power_type(small: CompiledList) -> None:
    data = json.loads(render(compute_stats(small.manifest, "power_type"), "json"))
    rows = {r["power_type"]: r for r in data["rows"]}
    assert list(rows) == list(POWER_TYPES)
    assert rows["行政处罚"] == {
        "power_type": "行政处罚",
        "counts": {"department": 1, "township": 1, "village": 0},
        "total": 2,
    }
    assert rows["行政许可"]["counts"] == {"department": 1, "township": 0, "village": 0}
    assert rows["行政裁决"]["total"] == 0
    assert {"version", "units", "averages", "totals"} <= set(data)


# -- every format --------------------------------------------------------------------------


@pytest.mark.parametrize("by", STATS_BY)
@pytest.mark.parametrize("fmt", ["text", "json", "csv", "markdown"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_by_in_every_format(sample: CompiledList, by: str, fmt: str, lang: str) -> None:
    text = render(compute_stats(sample.manifest, by), fmt, lang)
    assert text.endswith("\n")
    if fmt == "json":
        assert json.loads(text)["by"] == by
    elif fmt == "csv":
        rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
        assert len({len(r) for r in rows}) == 1
        assert len(rows) > 1
    else:
        assert text.splitlines()[0] == lead_sentence(compute_stats(sample.manifest, by), lang)


def test_csv_starts_with_a_bom_and_has_a_row_per_unit(small: CompiledList) -> None:
    text = render(compute_stats(small.manifest), "csv")
    assert text.startswith("\ufeff单位编码,单位名称,类型,基本履职事项")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert len(rows) == 1 + 7
    assert rows[4] == ["hsz", "黄甫镇", "镇", "3", "2", "0", "1", "0", "0", "0", "5"]
    assert render(compute_stats(small.manifest), "csv", "en").startswith("\ufeffid,name,kind,basic,")


def test_csv_and_markdown_show_names_as_written(tmp_path: Path) -> None:
    units = UNITS.replace("新街街道", '"=HYPERLINK(1)|*新街*"')
    write_version(tmp_path, files={"units.yaml": units})
    result = compute_stats(compile_version(tmp_path).manifest)
    rows = list(csv.reader(io.StringIO(render(result, "csv")[1:])))
    assert rows[5][1] == "'=HYPERLINK(1)|*新街*"  # not run as a formula by a spreadsheet
    assert "| =HYPERLINK(1)\\|\\*新街\\* | 街道 | 0 |" in render(result, "markdown")


def test_text_table_aligns_cjk_and_has_totals(small: CompiledList) -> None:
    lines = render(compute_stats(small.manifest), "text").splitlines()
    start = lines.index("乡镇（街道）")
    header, rule = lines[start + 1], lines[start + 2]
    assert header.startswith("单位      类型  基本履职事项")
    body = lines[start + 3 : start + 7]
    assert [line.split()[0] for line in body] == ["府谷镇", "黄甫镇", "新街街道", "老高川乡"]
    # numbers end in the same display column in every row (CJK characters are two cells wide)
    from dutylist.render.stats_out import cell_width

    assert {cell_width(line) for line in body} == {cell_width(rule)}
    footer = lines[start + 8 : start + 10]
    assert footer[0].split() == ["合计", "5", "6", "2", "13", "1"]
    assert footer[1].split() == ["平均", "1.3", "1.5", "0.5", "3.3", "0.3"]


def test_text_has_a_bar_per_township(small: CompiledList) -> None:
    text = render(compute_stats(small.manifest), "text")
    chart = text[text.index("各乡镇（街道）事项数") :].splitlines()
    assert "█ 基本履职事项" in chart[1]
    assert "（每格 1 项）" in chart[1]
    assert chart[2] == "府谷镇   █▓░ 3"
    assert chart[3] == "黄甫镇   ███▓▓ 5"
    assert chart[4] == "新街街道  0"


def test_bars_keep_their_length_when_scaled(sample: CompiledList) -> None:
    towns = compute_stats(sample.manifest).townships
    step = nice_step(max(u.duty_total for u in towns), 64)
    for u, line in zip(towns, bar_chart(towns, "zh")[2:], strict=True):
        blocks = sum(len(text) for text, style in line if style in ("blue", "dark_orange", "green"))
        assert blocks == (u.duty_total * 2 + step) // (2 * step)


def test_markdown_is_the_sentence_then_a_table(small: CompiledList) -> None:
    text = render(compute_stats(small.manifest), "markdown")
    assert "| 单位 | 类型 | 基本履职事项 | 配合履职事项 | 上级部门收回事项 | 合计 | 权责清单 |" in text
    assert "| 府谷镇 | 镇 | 1 | 1 | 1 | 3 | 0 |" in text
    assert "| **合计** |  | **5** | **6** | **2** | **13** | **1** |" in text


def test_terminal_output_uses_rich(small: CompiledList, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.delenv("NO_COLOR", raising=False)
    text = render(compute_stats(small.manifest), "text")
    assert "\x1b[" in text
    assert "共 4 个乡镇（街道）" in text
    assert "府谷镇" in text


def test_registry_names_the_formats() -> None:
    assert set(STATS_RENDERERS) == {"text", "json", "csv", "markdown"}


# -- the SVG chart -------------------------------------------------------------------------


def test_svg_is_well_formed_and_names_every_township(sample: CompiledList, tmp_path: Path) -> None:
    result = compute_stats(sample.manifest)
    path = write_svg(result, tmp_path / "out" / "chart.svg", "zh")
    root = ET.parse(path).getroot()
    assert root.tag == f"{SVG}svg"
    texts = {t.text for t in root.iter(f"{SVG}text")}
    for town in result.townships:
        assert town.name in texts
        assert str(town.duty_total) in texts
    assert lead_sentence(result, "zh") in texts
    assert {"基本履职事项", "配合履职事项", "上级部门收回事项"} <= texts
    assert "sans-serif" in root.attrib["font-family"]
    assert "http" not in path.read_text(encoding="utf-8").replace("http://www.w3.org/2000/svg", "")
    assert [p.name for p in path.parent.iterdir()] == ["chart.svg"]  # no temporary file left


def test_svg_bytes_are_deterministic(sample: CompiledList, tmp_path: Path) -> None:
    first = write_svg(compute_stats(sample.manifest), tmp_path / "a.svg", "en").read_bytes()
    second = write_svg(compute_stats(dict(sample.manifest)), tmp_path / "b.svg", "en").read_bytes()
    assert first == second
    assert svg_bytes(compute_stats(sample.manifest), "en") == first


def test_svg_escapes_names(tmp_path: Path) -> None:
    units = UNITS.replace("新街街道", '"A&B<新街>"')
    write_version(tmp_path, files={"units.yaml": units})
    result = compute_stats(compile_version(tmp_path).manifest)
    root = ET.fromstring(svg_bytes(result, "zh"))
    assert "A&B<新街>" in {t.text for t in root.iter(f"{SVG}text")}
