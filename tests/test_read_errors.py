"""Files that cannot be committed sanely to the case corpus, made at run time:
legacy encodings, UTF-16/32, symbolic link loops, FIFOs, CRLF line ends, oversized files.

Each is dropped into an otherwise valid version (``builders.write_version``) and must give
exactly the diagnostics a user needs, at the right place, with no traceback.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dutylist.cli import app
from dutylist.config import load_config
from dutylist.diagnostics import Severity
from dutylist.validate import ValidateOptions, ValidateResult, validate

from .builders import write_version

HSZ = """\
unit: hsz
basic:
  - id: HS-B-001
    name: 黄河滩区综合治理
    category: 生态环保
    tasks: 组织开展河道巡查，发现问题及时上报
"""


def run(root: Path) -> ValidateResult:
    return validate(ValidateOptions(root=root, limits=load_config(root).limits, use_cache=False))


def found(result: ValidateResult) -> list[tuple[str, str, int, int]]:
    return [(d.code, d.file, d.line, d.column) for d in result.diagnostics]


def put(root: Path, rel: str, data: bytes) -> Path:
    path = root / "2025" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def cli(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["validate", "--root", str(root), "--no-cache", *args], env={"GITHUB_ACTIONS": ""})
    return result.exit_code, result.stdout + result.stderr


# --- encodings (DL101) ----------------------------------------------------------------


def test_gbk_file_is_named_and_located_at_the_first_bad_byte(tmp_path: Path) -> None:
    write_version(tmp_path)
    put(tmp_path, "units/hsz.yaml", HSZ.encode("gbk"))
    result = run(tmp_path)
    # line 4 is the first with Chinese text: "    name: 黄..." -> the first GBK byte is column 11
    assert found(result) == [("DL101", "2025/units/hsz.yaml", 4, 11)]
    (diag,) = result.diagnostics
    assert "GBK" in diag.message("zh") and "GBK" in diag.message("en")
    assert "UTF-8" in diag.hint("zh") and "UTF-8" in diag.hint("en")
    assert not result.ok


def test_gb18030_catalogue_yaml_is_refused_and_the_rest_still_checked(tmp_path: Path) -> None:
    write_version(tmp_path, files={"units/hsz.yaml": HSZ.replace("生态环保", "生态保护")})
    catalogue = (tmp_path / "2025" / "catalogue.yaml").read_text(encoding="utf-8")
    put(tmp_path, "catalogue.yaml", catalogue.encode("gb18030"))
    result = run(tmp_path)
    codes = [(code, file, line) for code, file, line, _ in found(result)]
    # title on line 2 is the first non-ASCII text; categories are unknown, so no DL128 for hsz
    assert codes == [("DL101", "2025/catalogue.yaml", 2)]


@pytest.mark.parametrize(
    ("codec", "bom", "name"),
    [
        ("utf-16-le", b"\xff\xfe", "UTF-16 (little-endian)"),
        ("utf-16-be", b"\xfe\xff", "UTF-16 (big-endian)"),
        ("utf-16-le", b"", "UTF-16 (little-endian)"),
        ("utf-16-be", b"", "UTF-16 (big-endian)"),
        ("utf-32-le", b"\xff\xfe\x00\x00", "UTF-32 (little-endian)"),
    ],
    ids=["utf16le-bom", "utf16be-bom", "utf16le-nobom", "utf16be-nobom", "utf32le-bom"],
)
def test_utf16_and_utf32_files_are_named(tmp_path: Path, codec: str, bom: bytes, name: str) -> None:
    write_version(tmp_path)
    put(tmp_path, "units/hsz.yaml", bom + HSZ.encode(codec))
    result = run(tmp_path)
    assert [(c, f) for c, f, _, _ in found(result)] == [("DL101", "2025/units/hsz.yaml")]
    (diag,) = result.diagnostics
    assert name in diag.message("en")


def test_utf8_bom_and_crlf_are_read_as_utf8(tmp_path: Path) -> None:
    write_version(tmp_path)
    put(tmp_path, "units/hsz.yaml", b"\xef\xbb\xbf" + HSZ.replace("\n", "\r\n").encode("utf-8"))
    result = run(tmp_path)
    assert found(result) == []


def test_crlf_file_diagnostics_keep_their_lines(tmp_path: Path) -> None:
    write_version(tmp_path)
    text = HSZ.replace("category:", "catagory:").replace("生态环保", "生态环保\n    lead: zrzy")
    put(tmp_path, "units/hsz.yaml", text.replace("\n", "\r\n").encode("utf-8"))
    result = run(tmp_path)
    assert found(result) == [
        ("DL111", "2025/units/hsz.yaml", 5, 5),  # catagory
        ("DL111", "2025/units/hsz.yaml", 6, 5),  # lead: not a key of a basic item
    ]


def test_stray_invalid_utf8_byte_is_located(tmp_path: Path) -> None:
    write_version(tmp_path)
    data = HSZ.encode("utf-8").replace("综合治理".encode(), b"\xff\xfe\xfd")
    put(tmp_path, "units/hsz.yaml", data)
    result = run(tmp_path)
    # "    name: 黄河滩区" is 14 characters (22 bytes): columns count characters, as everywhere else
    assert found(result) == [("DL101", "2025/units/hsz.yaml", 4, 15)]


# --- special files (DL100) ------------------------------------------------------------


def test_symlink_loop_is_reported_not_followed(tmp_path: Path) -> None:
    write_version(tmp_path)
    units = tmp_path / "2025" / "units"
    os.symlink("hsz-b.yaml", units / "hsz.yaml")
    os.symlink("hsz.yaml", units / "hsz-b.yaml")
    os.symlink("ring.yaml", units / "ring.yaml")
    result = run(tmp_path)
    assert found(result) == [
        ("DL100", "2025/units/hsz-b.yaml", 0, 0),
        ("DL100", "2025/units/hsz.yaml", 0, 0),
        ("DL100", "2025/units/ring.yaml", 0, 0),
    ]
    assert all("link" in d.message("en") for d in result.diagnostics)


def test_symlinked_directory_loop_named_yaml_does_not_hang(tmp_path: Path) -> None:
    write_version(tmp_path)
    units = tmp_path / "2025" / "units"
    os.symlink(".", units / "hsz.yaml")  # a directory link pointing at its own parent
    result = run(tmp_path)
    assert found(result) == [("DL100", "2025/units/hsz.yaml", 0, 0)]


def test_dangling_symlink_is_unreadable(tmp_path: Path) -> None:
    write_version(tmp_path)
    os.symlink("../../2024/units/hsz.yaml", tmp_path / "2025" / "units" / "hsz.yaml")
    result = run(tmp_path)
    assert found(result) == [("DL100", "2025/units/hsz.yaml", 0, 0)]


def test_symlink_to_a_regular_file_is_read(tmp_path: Path) -> None:
    write_version(tmp_path)
    shared = tmp_path / "shared-hsz.yaml"
    shared.write_text(HSZ, encoding="utf-8")
    os.symlink(shared, tmp_path / "2025" / "units" / "hsz.yaml")
    assert found(run(tmp_path)) == []


def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    write_version(tmp_path)
    os.mkfifo(tmp_path / "2025" / "units" / "hsz.yaml")
    os.mkfifo(tmp_path / "2025" / "adjustments.yaml")
    result = run(tmp_path)
    assert found(result) == [
        ("DL100", "2025/adjustments.yaml", 0, 0),
        ("DL100", "2025/units/hsz.yaml", 0, 0),
    ]
    assert all("FIFO" in d.message("en") for d in result.diagnostics)


# --- limits (DL107) -------------------------------------------------------------------


def test_file_over_the_size_limit_is_not_parsed(tmp_path: Path) -> None:
    write_version(tmp_path)
    (tmp_path / "dutylist.toml").write_text("[limits]\nmax_file_mb = 1\n", encoding="utf-8")
    items = "".join(f"  - {{id: HS-B-{i:05d}, name: 黄河滩区综合治理第{i}项}}\n" for i in range(30_000))
    put(tmp_path, "units/hsz.yaml", f"unit: hsz\nbasic:\n{items}".encode())
    assert (tmp_path / "2025" / "units" / "hsz.yaml").stat().st_size > 1024 * 1024
    result = run(tmp_path)
    assert found(result) == [("DL107", "2025/units/hsz.yaml", 0, 0)]
    assert "MiB" in result.diagnostics[0].message("en")


# --- through the command line ---------------------------------------------------------


def test_unreadable_files_through_the_cli(tmp_path: Path) -> None:
    write_version(tmp_path)
    put(tmp_path, "units/hsz.yaml", HSZ.encode("gbk"))
    os.symlink("loop.yaml", tmp_path / "2025" / "units" / "loop.yaml")
    code, out = cli(tmp_path, "--lang", "en")
    assert code == 1
    assert "Traceback" not in out
    assert "2025/units/hsz.yaml:4:11" in out and "GBK" in out
    assert "2025/units/loop.yaml" in out and "symbolic link loop" in out


def test_json_output_for_an_unreadable_file(tmp_path: Path) -> None:
    import json

    write_version(tmp_path)
    put(tmp_path, "units/hsz.yaml", b"\xff\xfe" + HSZ.encode("utf-16-le"))
    code, out = cli(tmp_path, "--format", "json", "--lang", "zh")
    assert code == 1
    data = json.loads(out)
    assert data["ok"] is False
    (diag,) = data["diagnostics"]
    assert diag["code"] == "DL101" and diag["severity"] == Severity.ERROR.value
    assert diag["file"] == "2025/units/hsz.yaml" and diag["line"] == 0
    assert "UTF-16" in diag["message"] and diag["hint"]
