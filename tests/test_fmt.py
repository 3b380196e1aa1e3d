"""``dutylist fmt``: canonical layout with comments kept, idempotent, data unchanged."""

from __future__ import annotations

import io
import json
import os
import stat
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from dutylist.cli import app
from dutylist.fmt import FmtOptions, format_text, key_order, run_fmt, shape_of
from dutylist.model.catalogue import FILE_MODELS, CooperativeItem, Item, PowerItem, RecalledItem, Township, Village
from dutylist.render.fmt_out import render_fmt
from dutylist.source.limits import Limits
from dutylist.source.yamlfmt import YamlFormatError, iter_comments
from dutylist.source.yamlload import load_yaml

from .builders import CATALOGUE, UNITS

REPO = Path(__file__).resolve().parent.parent
runner = CliRunner()
ENV = {"GITHUB_ACTIONS": "", "DUTYLIST_LANG": "", "NO_COLOR": "1"}
MODELINE = "# yaml-language-server: $schema=../../../schemas/unit.schema.json"


def data(text: str) -> Any:
    loaded = load_yaml(text, Limits())
    assert loaded.ok, loaded.problems
    return loaded.data


# --- key order and comments ----------------------------------------------------------------


def test_keys_reordered_with_their_comments() -> None:
    text = f"""\
{MODELINE}
# 桃源镇

basic:  # 基本履职事项
  # 经济发展（1项）
  - tasks: 制定活动保障方案  # 具体工作
    name: 组织桃花节文旅活动服务保障
    # 2025年新增
    approval: 安政办函〔2025〕8号
    id: TAOYUAN-B-102
    category: 经济发展

  # 城乡建设（1项）
  - basis: [《历史文化名城名镇名村保护条例》]
    id: TAOYUAN-B-101
    name: 做好桃源古村落保护利用
include: [township-common]
unit: taoyuan  # 桃源镇
"""
    assert (
        format_text(text, "unit")
        == f"""\
{MODELINE}
# 桃源镇

unit: taoyuan  # 桃源镇
include: [township-common]
basic:  # 基本履职事项
  # 经济发展（1项）
  - id: TAOYUAN-B-102
    name: 组织桃花节文旅活动服务保障
    category: 经济发展
    tasks: 制定活动保障方案  # 具体工作
    # 2025年新增
    approval: 安政办函〔2025〕8号

  # 城乡建设（1项）
  - id: TAOYUAN-B-101
    name: 做好桃源古村落保护利用
    basis: [《历史文化名城名镇名村保护条例》]
"""
    )


def test_item_key_order_per_list() -> None:
    text = """\
unit: t
cooperative:
  - {township_duty: 乙, lead_duty: 甲, lead: zrzy, name: 名, id: C-1, basis: [法]}
recalled:
  - method: 部门执法
    receiver: yjj
    name: 名
    id: R-1
powers:
  - power_type: 行政处罚
    replaces: [P-0]
    id: P-1
    name: 名
"""
    assert (
        format_text(text, "unit")
        == """\
unit: t
cooperative:
  - {id: C-1, name: 名, lead: zrzy, lead_duty: 甲, township_duty: 乙, basis: [法]}
recalled:
  - id: R-1
    name: 名
    receiver: yjj
    method: 部门执法
powers:
  - id: P-1
    name: 名
    replaces: [P-0]
    power_type: 行政处罚
"""
    )


def test_comments_closing_a_block_stay_with_it() -> None:
    """A comment indented like the items of a list, after its last item, ends that list:
    it moves with the list, not with the key that follows it."""
    text = """\
basic:
  - id: B-1
    name: 甲
  # - id: B-2
  #   name: 乙（暂缓）

include: [t]
unit: u
"""
    assert (
        format_text(text, "unit")
        == """\
unit: u

include: [t]
basic:
  - id: B-1
    name: 甲
  # - id: B-2
  #   name: 乙（暂缓）
"""
    )


def test_unknown_keys_kept_after_the_known_ones() -> None:
    text = "name: 名\nzeta: 1\nid: X\nalpha: [a]\n"
    wrapped = "unit: u\nbasic:\n" + "".join(
        f"  {'- ' if i == 0 else '  '}{line}\n" for i, line in enumerate(text.splitlines())
    )
    out = format_text(wrapped, "unit")
    assert out == "unit: u\nbasic:\n  - id: X\n    name: 名\n    zeta: 1\n    alpha: [a]\n"


def test_blank_lines_between_items_kept_and_runs_collapsed() -> None:
    records = ["- id: A\n  kind: added\n  items: [X1]\n", "- id: B\n  kind: added\n  items: [X2]\n"]
    last = "- id: C\n  kind: added\n  items: [X3]\n"
    text = records[0] + "\n\n\n" + records[1] + last
    assert format_text(text, "adjustments") == records[0] + "\n" + records[1] + last


def test_layout_of_a_file_indented_otherwise() -> None:
    text = "unit: u\nbasic:\n- id: A\n  name: 甲\n  # 依据\n  basis:\n  - 法一\n  - 法二\n"
    assert format_text(text, "unit") == (
        "unit: u\nbasic:\n  - id: A\n    name: 甲\n    # 依据\n    basis:\n      - 法一\n      - 法二\n"
    )


# --- quotes --------------------------------------------------------------------------------

# (written, canonical): quotes where a plain scalar would read as something else, or where
# YAML syntax needs them, and then always double; none anywhere else.
QUOTES = [
    ('"610822"', '"610822"'),
    ("'610822'", '"610822"'),
    ('"2024"', '"2024"'),
    ("'yes'", '"yes"'),
    ("yes", '"yes"'),  # a bare yes is DL104: quoting it keeps the text it is in YAML 1.2
    ('"on"', '"on"'),
    ('"N"', '"N"'),
    ('"null"', '"null"'),
    ('"~"', '"~"'),
    ('"1.0"', '"1.0"'),
    ('"0o17"', '"0o17"'),
    ('"1_000"', '"1_000"'),
    ('"true"', '"true"'),
    ("''", '""'),
    ("'a: b'", '"a: b"'),
    ("'*注意'", '"*注意"'),
    ("' 前导空格'", '" 前导空格"'),
    ("'it''s'", "it's"),
    ('"2025-03-01"', "2025-03-01"),  # a date is text in YAML 1.2, as dutylist reads it
    ("'府谷镇'", "府谷镇"),
    ('"府办发〔2025〕12号"', "府办发〔2025〕12号"),
    ("《中华人民共和国村民委员会组织法》第八条", "《中华人民共和国村民委员会组织法》第八条"),
    ("'a #b'", '"a #b"'),
    ("a#b", "a#b"),
    ('"第一行\\n第二行"', '"第一行\\n第二行"'),
]


@pytest.mark.parametrize(("written", "canonical"), QUOTES)
def test_quotes_only_where_needed(written: str, canonical: str) -> None:
    text = f"unit: u\nbasic:\n  - id: A\n    name: {written}\n"
    out = format_text(text, "unit")
    assert out == f"unit: u\nbasic:\n  - id: A\n    name: {canonical}\n"
    assert data(out) == data(text)


def test_numbers_and_dates_written_plain_stay_plain() -> None:
    text = 'schema: 1\ntitle: 标题\nregion: {code: "341122", name: 安澜县}\neffective: 2025-03-01\nprevious: "2024"\n'
    assert format_text(text, "catalogue") == text


def test_null_items_of_a_list() -> None:
    text = "title: t\nnegative:\n  - id: A\n    name: 甲\n    basis:\n      - ~\n      - 法\n    tasks:\n"
    out = format_text(text, "negative")
    assert out.endswith("    tasks:\n    basis:\n      - null\n      - 法\n") and " \n" not in out


# --- flow style for id lists -------------------------------------------------------------------


def test_short_id_lists_flow_long_ones_block() -> None:
    nine = [f"AL-B-{n:03d}" for n in range(1, 10)]
    text = "- id: TZ-1\n  kind: added\n  items:\n    - A\n    - B\n  units: [" + ", ".join(nine) + "]\n  reason: 说明\n"
    assert format_text(text, "adjustments") == (
        "- id: TZ-1\n  kind: added\n  items: [A, B]\n  units:\n"
        + "".join(f"    - {x}\n" for x in nine)
        + "  reason: 说明\n"
    )


def test_id_list_with_comments_stays_block() -> None:
    text = "unit: u\ninclude:\n  - t\nexclude:  # 不适用的共性事项\n  - AL-C-062  # 河道非法采砂巡查\n"
    assert format_text(text, "unit") == (
        "unit: u\ninclude: [t]\nexclude:  # 不适用的共性事项\n  - AL-C-062  # 河道非法采砂巡查\n"
    )


def test_wide_id_list_is_block_and_other_lists_keep_their_style() -> None:
    long_ids = [f"A-VERY-LONG-ITEM-IDENTIFIER-{n}" for n in range(3)]
    text = (
        "unit: u\nbasic:\n  - id: A\n    name: 甲\n    replaces: [" + ", ".join(long_ids) + "]\n"
        "    basis:\n      - 法一\n  - id: B\n    name: 乙\n    basis: [法一, 法二]\n"
    )
    out = format_text(text, "unit")
    assert "    replaces:\n" + "".join(f"      - {x}\n" for x in long_ids) in out
    assert "    basis:\n      - 法一\n" in out and "    basis: [法一, 法二]\n" in out


def test_units_keep_flow_mappings() -> None:
    text = """\
departments:
  - {name: 县自然资源和规划局, id: zrghj, replaces: [zrzy]}
townships:
  - {code: '341122100000', kind: town, name: 桃源镇, id: taoyuan}
villages:
  - {township: taoyuan, name: 红星村, id: taoyuan-hx}
"""
    assert (
        format_text(text, "units")
        == """\
departments:
  - {id: zrghj, name: 县自然资源和规划局, replaces: [zrzy]}
townships:
  - {id: taoyuan, name: 桃源镇, kind: town, code: "341122100000"}
villages:
  - {id: taoyuan-hx, name: 红星村, township: taoyuan}
"""
    )


# --- the file as a whole ---------------------------------------------------------------------


def test_bom_crlf_and_final_newline() -> None:
    text = "\ufeff" + MODELINE + "\r\n\r\nunit: u\r\nbasic: []\r\n\r\n\r\n"
    assert format_text(text, "unit") == MODELINE + "\n\nunit: u\nbasic: []\n"


def test_modeline_stays_first_when_keys_move() -> None:
    text = MODELINE + "\ninclude: [t]\nunit: u\n"
    assert format_text(text, "unit").splitlines()[:2] == [MODELINE, "unit: u"]


def test_block_scalars_and_their_header_comments() -> None:
    text = "unit: u\nbasic:\n  - tasks: |  # 原文\n      第一行\n\n      第二行\n    name: 甲\n    id: A\n"
    assert format_text(text, "unit") == (
        "unit: u\nbasic:\n  - id: A\n    name: 甲\n    tasks: |  # 原文\n      第一行\n\n      第二行\n"
    )


def test_no_line_folding_and_no_escaping() -> None:
    name = "对" + "违反《中华人民共和国城乡规划法》规定未取得建设工程规划许可证进行建设的行政处罚" * 4
    text = f"unit: u\nbasic:\n  - id: A\n    name: {name}\n"
    assert format_text(text, "unit") == text


@pytest.mark.parametrize("kind", sorted(FILE_MODELS))
def test_every_model_field_has_its_place(kind: str) -> None:
    """The canonical order names every field of every model a file kind holds."""

    def visit(model: Any) -> None:
        fields = {info.alias or name for name, info in model.model_fields.items()}
        shape = shape_of(model)
        if "root" not in fields:
            assert set(shape.order) == fields
        for sub in shape.fields.values():
            assert sub.order

    visit(FILE_MODELS[kind])
    assert key_order(Item)[:4] == ("id", "name", "replaces", "category")
    assert key_order(CooperativeItem)[-3:] == ("tasks", "basis", "approval")
    assert "lead" in key_order(CooperativeItem) and "receiver" in key_order(RecalledItem)
    assert key_order(PowerItem).index("power_type") < key_order(PowerItem).index("tasks")
    assert key_order(Township)[:4] == ("id", "name", "kind", "code")
    assert key_order(Village)[:3] == ("id", "name", "township")


def test_id_lists_come_from_the_models() -> None:
    assert shape_of(FILE_MODELS["unit"]).id_lists == {"include", "exclude"}
    assert shape_of(FILE_MODELS["unit"]).fields["basic"].id_lists == {"replaces"}
    assert shape_of(FILE_MODELS["adjustments"]).id_lists == {"items", "units"}
    assert shape_of(FILE_MODELS["units"]).fields["departments"].id_lists == {"replaces"}
    assert shape_of(FILE_MODELS["catalogue"]).id_lists == frozenset()


# --- files, --check, diagnostics -------------------------------------------------------------


def make_root(tmp_path: Path) -> Path:
    root = tmp_path / "catalogues"
    vdir = root / "2025"
    (vdir / "units").mkdir(parents=True)
    (vdir / "catalogue.yaml").write_text(CATALOGUE.format(label="2025"), encoding="utf-8")
    (vdir / "units.yaml").write_text(UNITS, encoding="utf-8")
    (vdir / "units" / "fgz.yaml").write_text("basic:\n- name: 甲\n  id: FG-B-1\nunit: fgz\n", encoding="utf-8")
    (vdir / "units" / "hsz.yaml").write_text("unit: hsz\nbasic: [\n", encoding="utf-8")
    (root / "negative.yaml").write_text("negative:\n  - {name: 出具无犯罪记录证明, id: N-1}\n", encoding="utf-8")
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*.yaml"))}


def test_broken_file_untouched_others_formatted(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    broken = root / "2025" / "units" / "hsz.yaml"
    before = broken.read_bytes()
    result = run_fmt(FmtOptions(root=root))
    assert broken.read_bytes() == before
    [diag] = result.diagnostics
    assert diag.code == "DL102" and diag.file.endswith("2025/units/hsz.yaml") and diag.line == 2
    assert (root / "2025" / "units" / "fgz.yaml").read_text(encoding="utf-8") == (
        "unit: fgz\nbasic:\n  - id: FG-B-1\n    name: 甲\n"
    )
    assert (root / "negative.yaml").read_text(encoding="utf-8") == (
        "negative:\n  - {id: N-1, name: 出具无犯罪记录证明}\n"
    )
    assert result.failed == 1 and result.exit_code == 1
    assert {p.name for p in result.changed} == {"fgz.yaml", "negative.yaml"}


def test_not_utf8_and_duplicate_keys_untouched(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    gbk = root / "2025" / "units" / "hsz.yaml"
    gbk.write_bytes("unit: hsz\nbasic:\n  - {id: A, name: 府谷镇}\n".encode("gbk"))
    dup = root / "2025" / "units" / "fgz.yaml"
    dup.write_bytes(b"unit: fgz\nunit: fgz\n")
    before = snapshot(root)
    result = run_fmt(FmtOptions(root=root))
    after = snapshot(root)
    assert after["2025/units/hsz.yaml"] == before["2025/units/hsz.yaml"]
    assert after["2025/units/fgz.yaml"] == before["2025/units/fgz.yaml"]
    assert sorted(d.code for d in result.diagnostics) == ["DL101", "DL103"]
    assert all(d.line for d in result.diagnostics)


def test_cli_check_lists_files_and_changes_nothing(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    before = snapshot(root)
    res = runner.invoke(app, ["fmt", "--check", "--root", str(root)], env=ENV)
    assert res.exit_code == 1, res.output
    assert snapshot(root) == before
    lines = res.output.splitlines()
    assert any(line.startswith("需要格式化：") and line.endswith("2025/units/fgz.yaml") for line in lines)
    assert any(line.endswith("negative.yaml") for line in lines if line.startswith("需要格式化："))
    assert "DL102" in res.output
    assert lines[-1] == "2 个文件需要格式化，2 个无需改动，1 个无法格式化"


def test_cli_fmt_then_check_passes(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    (root / "2025" / "units" / "hsz.yaml").write_text("unit: hsz\n", encoding="utf-8")
    res = runner.invoke(app, ["fmt", "--root", str(root), "--lang", "en"], env=ENV)
    assert res.exit_code == 0, res.output
    assert "reformatted " in res.output and res.output.splitlines()[-1] == "2 files reformatted, 3 unchanged"
    res = runner.invoke(app, ["fmt", "--check", "--root", str(root)], env=ENV)
    assert res.exit_code == 0, res.output
    assert res.output.splitlines()[-1] == "0 个文件需要格式化，5 个无需改动"


def test_cli_paths_files_and_directories(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    fgz = root / "2025" / "units" / "fgz.yaml"
    res = runner.invoke(app, ["fmt", "--check", str(fgz)], env=ENV)
    assert res.exit_code == 1 and res.output.splitlines()[-1] == "1 个文件需要格式化，0 个无需改动"
    res = runner.invoke(app, ["fmt", "--check", str(root / "2025" / "units")], env=ENV)
    assert "hsz.yaml" in res.output and "negative.yaml" not in res.output
    res = runner.invoke(app, ["fmt", "--check", str(tmp_path)], env=ENV)
    assert "negative.yaml" in res.output and "fgz.yaml" in res.output
    res = runner.invoke(app, ["fmt", str(tmp_path / "nothing.yaml")], env=ENV)
    assert res.exit_code == 2


def test_write_keeps_mode_and_skips_unchanged(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    (root / "2025" / "units" / "hsz.yaml").unlink()
    fgz = root / "2025" / "units" / "fgz.yaml"
    fgz.chmod(0o640)
    units = root / "2025" / "units.yaml"
    stamp = units.stat().st_mtime_ns, units.stat().st_ino
    run_fmt(FmtOptions(root=root))
    assert stat.S_IMODE(fgz.stat().st_mode) == 0o640
    assert (units.stat().st_mtime_ns, units.stat().st_ino) == stamp
    assert not [p for p in fgz.parent.iterdir() if p.name.startswith(".")]


def test_render_english_check() -> None:
    root = REPO / "catalogues"
    result = run_fmt(FmtOptions(paths=(root / "2025" / "catalogue.yaml",), check=True, root=root))
    result.changed.append(Path("catalogues/2025/units/x.yaml"))
    out = io.StringIO()
    render_fmt(result, "en", out)
    assert out.getvalue() == "would reformat catalogues/2025/units/x.yaml\n1 file would be reformatted, 1 unchanged\n"


def test_committed_samples_pass_check() -> None:
    before = snapshot(REPO / "catalogues")
    res = runner.invoke(app, ["fmt", "--check", "--root", str(REPO / "catalogues")], env=ENV)
    assert res.exit_code == 0, res.output
    assert "需要格式化：" not in res.output
    assert snapshot(REPO / "catalogues") == before


# --- properties ------------------------------------------------------------------------------

SETTINGS = settings(
    max_examples=int(os.environ.get("DUTYLIST_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
chinese = st.text(CJK, min_size=1, max_size=12)
ids = st.from_regex(r"[A-Z]{1,3}-[BCRP]-[0-9]{3}", fullmatch=True)
# text that must come back exactly: punctuation, look-alikes of other types, odd characters
tricky = st.one_of(
    chinese,
    st.sampled_from(["yes", "No", "on", "610822", "2024", "1.0", "null", "~", "2025-03-01", "a: b", "#号", "- 甲", ""]),
    st.text(
        st.sampled_from("甲乙丙：，、《》〔〕“”（）:#-'\"[]{} \t!&*?|>%@`\\0123456789yesno\u3000\xa0\x85\u2028"),
        max_size=10,
    ),
)


@st.composite
def scalar_text(draw: st.DrawFn) -> str:
    """A YAML scalar for a drawn string: plain when that is safe, else quoted some way."""
    value = draw(tricky)
    plain_ok = value and all("\u4e00" <= ch <= "\u9fa5" for ch in value)
    style = draw(st.sampled_from(["plain", "double", "single"] if plain_ok else ["double", "single"]))
    if style == "plain":
        return value
    if style == "single" and not any(ch in value for ch in "\n\t\x85\u2028\u2029"):
        return "'" + value.replace("'", "''") + "'"
    return json.dumps(value, ensure_ascii=False)


def id_list(draw: st.DrawFn, elements: st.SearchStrategy[str], indent: int) -> str:
    """A list in flow style, or in block style (one element a line, perhaps commented)."""
    values = draw(st.lists(elements, min_size=1, max_size=10))
    if draw(st.booleans()):
        return "[" + ", ".join(values) + "]"
    pad = " " * (indent + draw(st.sampled_from([2, 4])))
    return "".join(f"\n{pad}- {v}" + ("  # " + draw(chinese) if draw(st.integers(0, 5)) == 0 else "") for v in values)


@st.composite
def item_lines(draw: st.DrawFn, list_key: str, indent: int) -> list[str]:
    fields: list[tuple[str, str]] = [("id", draw(ids)), ("name", draw(scalar_text()))]
    optional = {
        "category": lambda: draw(chinese),
        "tasks": lambda: draw(scalar_text()),
        "approval": lambda: "府办发〔2025〕" + str(draw(st.integers(1, 99))) + "号",
        "basis": lambda: id_list(draw, chinese, indent),
        "replaces": lambda: id_list(draw, ids, indent),
        "note": lambda: draw(chinese),  # a key the schema does not know
    }
    if list_key == "cooperative":
        optional |= {"lead": lambda: "zrzy", "lead_duty": lambda: draw(chinese), "township_duty": lambda: draw(chinese)}
    for key in draw(st.lists(st.sampled_from(sorted(optional)), unique=True)):
        fields.append((key, optional[key]()))
    fields = draw(st.permutations(fields))
    pad = " " * indent
    out = []
    for n, (key, value) in enumerate(fields):
        line = f"{pad}{'- ' if n == 0 else '  '}{key}: {value}"
        if draw(st.integers(0, 4)) == 0:
            line += "  # " + draw(chinese)
        if n and draw(st.integers(0, 6)) == 0:
            out.append(f"{pad}  # " + draw(chinese))
        out.append(line)
    if draw(st.integers(0, 5)) == 0:  # a comment closing the item, or the list so far
        out.append(" " * (indent + draw(st.sampled_from([0, 2]))) + "# " + draw(chinese))
    return out


@st.composite
def unit_files(draw: st.DrawFn) -> str:
    indent = draw(st.sampled_from([0, 2]))  # sequences under their key, or level with it
    blocks: list[list[str]] = [["unit: fgz"]]
    if draw(st.booleans()):
        blocks.append(["include: [township-common]"])
    for list_key in draw(st.lists(st.sampled_from(["basic", "cooperative", "recalled"]), unique=True)):
        lines = [f"{list_key}:" + ("  # " + draw(chinese) if draw(st.booleans()) else "")]
        for _ in range(draw(st.integers(1, 4))):
            if draw(st.booleans()):
                lines.append("")
            if draw(st.booleans()):
                lines.append(" " * indent + "# " + draw(chinese))
            lines += draw(item_lines(list_key, indent))
        blocks.append(lines)
    blocks = draw(st.permutations(blocks))
    head = [MODELINE, "#", "# " + draw(chinese), ""]
    return "\n".join(head + [line for block in blocks for line in block]) + "\n"


@SETTINGS
@given(unit_files())
def test_fmt_is_idempotent_and_keeps_data_and_comments(text: str) -> None:
    try:
        once = format_text(text, "unit")
    except YamlFormatError as exc:
        # raw NEL/LS/PS are line breaks to ruamel.yaml (YAML 1.1), text to dutylist (1.2)
        assert any(ch in text for ch in "\x85\u2028\u2029") and exc.line
        return
    assert format_text(once, "unit") == once
    assert data(once) == data(text)
    assert Counter(iter_comments(once)) == Counter(iter_comments(text))
    assert once.splitlines()[0] == MODELINE and once.endswith("\n") and not once.endswith("\n\n")
    assert next(line for line in once.splitlines() if line and not line.startswith("#")).startswith("unit: ")


@st.composite
def adjustments_files(draw: st.DrawFn) -> str:
    indent = draw(st.sampled_from([0, 2]))  # the top-level list at column 0, or indented
    lines = ["# yaml-language-server: $schema=../../schemas/adjustments.schema.json", ""]
    for n in range(draw(st.integers(1, 4))):
        if draw(st.booleans()):
            lines.append("")
        if draw(st.booleans()):
            lines.append(" " * indent + "# " + draw(chinese))
        fields = [
            ("id", f"TZ-2025-{n:03d}"),
            ("kind", draw(st.sampled_from(["added", "revoked", "withdrawn"]))),
            ("items", id_list(draw, ids, indent + 2)),
        ]
        optional = {
            "units": lambda: id_list(draw, st.sampled_from(["fgz", "hsz", "y", "on"]), indent + 2),
            "to": lambda: "zrzy",
            "basis": lambda: draw(scalar_text()),
            "reason": lambda: draw(scalar_text()),
            "date": lambda: draw(st.sampled_from(["2025-02-20", '"2025-02-20"', "'2025-02-20'"])),
        }
        fields += [(k, optional[k]()) for k in draw(st.lists(st.sampled_from(sorted(optional)), unique=True))]
        for i, (key, value) in enumerate(draw(st.permutations(fields))):
            comment = "  # " + draw(chinese) if draw(st.integers(0, 4)) == 0 else ""
            lines.append(" " * indent + ("- " if i == 0 else "  ") + f"{key}: {value}{comment}")
    return "\n".join(lines) + "\n"


@SETTINGS
@given(adjustments_files())
def test_adjustments_fmt_is_idempotent_and_keeps_data(text: str) -> None:
    try:
        once = format_text(text, "adjustments")
    except YamlFormatError:
        assert any(ch in text for ch in "\x85\u2028\u2029")
        return
    assert format_text(once, "adjustments") == once
    assert data(once) == data(text)
    assert Counter(iter_comments(once)) == Counter(iter_comments(text))
    records = [line for line in once.splitlines() if line.startswith("- ")]
    assert records and all(line.startswith("- id: TZ-2025-") for line in records)
