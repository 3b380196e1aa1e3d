"""compile: expansion, numbering, canonical order, determinism, the output directory."""

from __future__ import annotations

import hashlib
from pathlib import Path

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from dutylist.cli import app
from dutylist.compile import CompileOptions, compile_ref
from dutylist.compiled import ENTRY_FIELDS, load_compiled, read_manifest
from dutylist.model.listing import CompiledListFile
from dutylist.source.spec import resolve

from .builders import write_version

REPO = Path(__file__).resolve().parent.parent
runner = CliRunner()

TEMPLATE = """\
template: common
basic:
  - {id: T-B-1, name: 抓好党建工作, category: 党的建设}
  - {id: T-B-2, name: 做好安全生产工作, category: 平安法治}
cooperative:
  - {id: T-C-1, name: 征地拆迁群众工作, lead: zrzy, lead_duty: 负责报批, township_duty: 做群众工作}
"""
HSZ = """\
unit: hsz
include: [common]
exclude: [T-B-2]
basic:
  - {id: HS-B-1, name: 黄甫古镇保护, category: 城乡建设}
"""
ZRZY = """\
unit: zrzy
powers:
  - {id: ZR-P-1, name: 对违法占地的行政处罚, power_type: 行政处罚, basis: [《土地管理法》第七十七条]}
"""
FILES = {"templates/common.yaml": TEMPLATE, "units/hsz.yaml": HSZ, "units/zrzy.yaml": ZRZY}


def compiled(root: Path, label: str = "2025"):  # type: ignore[no-untyped-def]
    result = compile_ref(resolve(label, root), CompileOptions(root=root, use_cache=False))
    assert result.listing is not None, result.diagnostics
    return result.listing


def test_templates_are_expanded_exclusions_applied_and_entries_numbered(tmp_path: Path) -> None:
    write_version(tmp_path, files=FILES)
    listing = compiled(tmp_path)
    rows = [(e["unit"], e["list"], e["seq"], e["id"], e["template"]) for e in listing.entries()]
    hsz = [r for r in rows if r[0] == "hsz"]
    assert hsz == [
        ("hsz", "basic", 1, "T-B-1", "common"),
        ("hsz", "basic", 2, "HS-B-1", None),
        ("hsz", "cooperative", 1, "T-C-1", "common"),
    ]
    assert [r[0] for r in rows] == sorted(r[0] for r in rows)  # canonical: by unit id
    coop = next(e for e in listing.entries() if e["id"] == "T-C-1")
    assert coop["lead_name"] == "县自然资源局" and coop["unit_name"] == "黄甫镇" and coop["unit_kind"] == "town"
    assert list(coop) == list(ENTRY_FIELDS)
    assert listing.manifest["counts"]["hsz"] == {"basic": 2, "cooperative": 1}
    assert listing.manifest["counts"]["zrzy"] == {"powers": 1}
    assert listing.manifest["power_types"] == {"行政处罚": {"department": 1}}
    assert listing.manifest["entries"] == len(listing.entries()) == 7


def test_hash_is_the_sha256_of_the_entry_lines(tmp_path: Path) -> None:
    write_version(tmp_path, files=FILES)
    listing = compiled(tmp_path)
    assert listing.manifest["hash"] == "sha256:" + hashlib.sha256(b"\n".join(listing.lines)).hexdigest()


def test_sample_catalogue_compiles_to_the_counts_validate_reports() -> None:
    listing = compiled(REPO / "catalogues")
    assert listing.manifest["totals"] == {
        "basic": 1976,
        "cooperative": 1331,
        "recalled": 1130,
        "powers": 216,
        "autonomy": 36,
        "assist": 42,
        "negative": 42,
    }
    CompiledListFile.model_validate(orjson.loads(listing.to_bytes()))  # the shape schemas/list.schema.json states


def test_written_list_reads_back_identically(tmp_path: Path) -> None:
    write_version(tmp_path / "cat", files=FILES)
    listing = compiled(tmp_path / "cat")
    path = tmp_path / "list.json"
    path.write_bytes(listing.to_bytes())
    again = load_compiled(path)
    assert again.manifest == listing.manifest == read_manifest(path)
    assert again.entries() == listing.entries()
    # a list reformatted by another tool still reads
    path.write_bytes(orjson.dumps(orjson.loads(path.read_bytes()), option=orjson.OPT_INDENT_2))
    assert load_compiled(path).entries() == listing.entries()
    assert read_manifest(path) == listing.manifest


item_names = st.text(alphabet="乡镇村组织安全生产环境卫生党建服务管理", min_size=1, max_size=12)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.lists(item_names, min_size=1, max_size=12, unique=True), excluded=st.integers(0, 3))
def test_compile_twice_gives_the_same_bytes(
    tmp_path_factory: pytest.TempPathFactory, names: list[str], excluded: int
) -> None:
    root = tmp_path_factory.mktemp("cat")
    template = "template: common\nbasic:\n" + "".join(f"  - {{id: T-{i}, name: {n}}}\n" for i, n in enumerate(names))
    unit = f"unit: hsz\ninclude: [common]\nexclude: [{', '.join(f'T-{i}' for i in range(min(excluded, len(names))))}]\n"
    write_version(root, files={"templates/common.yaml": template, "units/hsz.yaml": unit})
    first = compiled(root).to_bytes()
    second = compiled(root).to_bytes()
    assert first == second
    assert orjson.loads(first)["manifest"]["counts"]["hsz"].get("basic", 0) == len(names) - min(excluded, len(names))


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env={"GITHUB_ACTIONS": ""})
    return result.exit_code, result.stdout, result.stderr


def test_cli_compile_writes_list_json_and_compiles_again_in_place(tmp_path: Path) -> None:
    write_version(tmp_path / "cat", files=FILES)
    out = tmp_path / "dist" / "2025"
    code, stdout, _ = invoke("compile", "2025", "--root", str(tmp_path / "cat"), "--out", str(out))
    assert code == 0, stdout
    assert "已编译 2025：7 条事项" in stdout
    first = (out / "list.json").read_bytes()
    code, _, _ = invoke("compile", "2025", "--root", str(tmp_path / "cat"), "--out", str(out))
    assert code == 0
    assert (out / "list.json").read_bytes() == first
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".")]  # no temporary directories left


def test_cli_compile_never_replaces_other_files_unasked(tmp_path: Path) -> None:
    write_version(tmp_path / "cat", files=FILES)
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("我的笔记", encoding="utf-8")
    code, _, err = invoke("compile", "2025", "--root", str(tmp_path / "cat"), "--out", str(out))
    assert code == 2
    assert "不是 dutylist 的编译结果" in err and "--force" in err
    assert (out / "notes.txt").read_text(encoding="utf-8") == "我的笔记"
    code, _, _ = invoke("compile", "2025", "--root", str(tmp_path / "cat"), "--out", str(out), "--force")
    assert code == 0 and (out / "list.json").exists() and not (out / "notes.txt").exists()


def test_cli_compile_refuses_to_replace_another_version(tmp_path: Path) -> None:
    write_version(tmp_path / "cat", files=FILES)
    write_version(tmp_path / "cat", "2024", files=FILES)
    out = tmp_path / "out"
    assert invoke("compile", "2024", "--root", str(tmp_path / "cat"), "--out", str(out))[0] == 0
    code, _, err = invoke("compile", "2025", "--root", str(tmp_path / "cat"), "--out", str(out), "--lang", "en")
    assert code == 2 and "holds a compile of version 2024" in err


def test_cli_compile_of_an_invalid_version_writes_nothing(tmp_path: Path) -> None:
    write_version(tmp_path / "cat", files={**FILES, "units/hsz.yaml": HSZ.replace("common]", "commn]")})
    out = tmp_path / "out"
    code, stdout, _ = invoke("compile", "2025", "--root", str(tmp_path / "cat"), "--out", str(out))
    assert code == 1
    assert "DL124" in stdout and "未编译" in stdout
    assert not out.exists()


def test_compiled_list_is_a_version_spec(tmp_path: Path) -> None:
    write_version(tmp_path / "cat", files=FILES)
    out = tmp_path / "out"
    invoke("compile", "2025", "--root", str(tmp_path / "cat"), "--out", str(out))
    code, stdout, _ = invoke("validate", str(out / "list.json"))
    assert code == 0 and "已编译的清单" in stdout
    code, stdout, _ = invoke("compile", str(out / "list.json"), "--out", str(tmp_path / "again"))
    assert code == 0
    assert (tmp_path / "again" / "list.json").read_bytes() == (out / "list.json").read_bytes()


def test_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = invoke("compile", "2025", "--format", "json,pdf", "--lang", "en")
    assert code == 2 and "unknown format pdf" in err


def test_force_never_replaces_the_working_directory_or_a_repository(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from dutylist.cli import app

    root = Path(__file__).resolve().parents[1] / "catalogues"
    work = tmp_path / "work"
    (work / "sub").mkdir(parents=True)
    (work / "notes.txt").write_text("mine", encoding="utf-8")
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    monkeypatch.chdir(work / "sub")
    runner = CliRunner()
    for out in (".", str(work), str(repo)):
        result = runner.invoke(app, ["compile", "2025", "--root", str(root), "--out", out, "--force", "--lang", "en"])
        assert result.exit_code == 2 and "never replaced" in result.stderr, out
    assert (work / "notes.txt").read_text(encoding="utf-8") == "mine" and (repo / ".git").is_dir()
