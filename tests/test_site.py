"""``dutylist site`` and ``compile --format html``: the static site of the lists.

The sample site (2024 and 2025) is built once per module; pages are read back with the
standard library's HTML parser: every relative link and anchor resolves, nothing refers to
a network, catalogue text never becomes markup, and building twice gives the same bytes.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import orjson
import pytest
from typer.testing import CliRunner, Result

from dutylist.cli import app
from dutylist.compiled import CompiledList, load_compiled
from dutylist.model.vocab import CHANGE_KINDS, CHANGE_LABELS_ZH, TOWNSHIP_KINDS
from dutylist.render.list_tables import LIST_COLUMNS, VIEW_COLUMNS
from dutylist.site import SiteOptions, build_site
from dutylist.site.assets import SEARCH_JS
from dutylist.site.markup import safe_name, unique_names

from .builders import CATALOGUE, UNITS, write_version

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "catalogues"
runner = CliRunner()

EVIL = "<script>alert(1)</script>"


class Page(HTMLParser):
    """One page: its tags with attributes, ids, links, scripts, tables and text."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.tables: list[list[list[str]]] = []
        self.text: list[str] = []
        self._script: dict[str, str | None] | None = None
        self._cell: list[str] | None = None
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append((tag, a))
        if a.get("id"):
            self.ids.add(str(a["id"]))
        for key in ("href", "src"):
            if a.get(key) is not None:
                self.links.append(str(a[key]))
        if tag == "script":
            self._script = a
            self.scripts.append((a, ""))
        elif tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None
        elif tag in ("td", "th") and self._cell is not None and self.tables and self.tables[-1]:
            self.tables[-1][-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)
            return
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)

    @property
    def plain(self) -> str:
        return "".join(self.text)


def read(path: Path) -> Page:
    return Page(path.read_text(encoding="utf-8"))


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def search_index(page: Page) -> dict[str, Any]:
    (raw,) = [text for attrs, text in page.scripts if attrs.get("type") == "application/json"]
    assert "<" not in raw  # </script> in catalogue text cannot end the element
    data: dict[str, Any] = json.loads(raw)
    return data


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    result = build_site(SiteOptions(("2024", "2025"), out, SAMPLES, use_cache=False))
    assert result.index == out / "index.html"
    assert result.pages == len(list(out.rglob("*.html")))
    return out


def sample_units(label: str) -> list[dict[str, str]]:
    listing = load_compiled_version(label)
    return listing.units


def load_compiled_version(label: str) -> CompiledList:
    from dutylist.compile import CompileOptions, compile_ref
    from dutylist.source.spec import resolve

    listing = compile_ref(resolve(label, SAMPLES), CompileOptions(SAMPLES, use_cache=False)).listing
    assert listing is not None
    return listing


# --- the page set -------------------------------------------------------------------------


def test_the_site_has_an_index_a_page_per_unit_a_change_page_and_a_marker(site: Path) -> None:
    assert (site / "index.html").is_file()
    assert (site / "style.css").is_file()
    assert json.loads((site / "dutylist-site.json").read_text())["format"] == "dutylist-site"
    assert (site / "changes" / "2024--2025.html").is_file()
    for label in ("2024", "2025"):
        assert (site / label / "index.html").is_file()
        units = sample_units(label)
        kinds = {u["kind"] for u in units}
        assert {"department", "village"} <= kinds and kinds & set(TOWNSHIP_KINDS)
        for unit in units:
            assert (site / label / "units" / f"{unit['id']}.html").is_file(), unit["id"]
        on_disk = {p.stem for p in (site / label / "units").iterdir()}
        assert on_disk == {u["id"] for u in units}
    top = read(site / "index.html")
    assert {"2024/index.html", "2025/index.html", "changes/2024--2025.html"} <= set(top.links)


def test_the_version_index_counts_every_unit_and_draws_the_chart(site: Path) -> None:
    page = read(site / "2025" / "index.html")
    stats = json.loads(runner.invoke(app, ["stats", "2025", "--root", str(SAMPLES), "--format", "json"]).stdout)
    township_table = page.tables[0]
    assert township_table[0][:2] == ["单位", "类型"]
    rows = {r[0]: r for r in township_table[1:]}
    for unit in stats["units"]:
        if unit["kind"] in TOWNSHIP_KINDS:
            c = unit["counts"]
            row = rows[unit["name"]]
            assert row[2:] == [str(c[k]) for k in ("basic", "cooperative", "recalled", "powers")] + [
                str(sum(c[k] for k in ("basic", "cooperative", "recalled", "powers")))
            ]
    assert any(tag == "svg" for tag, _ in page.tags)
    assert "共 15 个乡镇（街道），平均每个 296 项" in page.plain
    assert any(link == "../changes/2024--2025.html" for link in page.links)


def test_a_township_page_has_its_lists_in_the_published_columns(site: Path) -> None:
    page = read(site / "2025" / "units" / "taoyuan.html")
    headers = [table[0] for table in page.tables]
    assert headers == [[c.header for c in LIST_COLUMNS[k]] for k in ("basic", "cooperative", "recalled", "powers")]
    assert "桃源镇基本履职事项清单（2025年版）" in page.plain
    assert "桃源镇上级部门收回事项清单（2025年版）" in page.plain
    basic = page.tables[0]
    assert any(row[1] == "组织桃花节文旅活动服务保障" for row in basic[1:])
    assert "basic-TAOYUAN-B-102" in page.ids  # the search results' anchor
    assert "红星村" in page.plain  # its villages, linked
    # the lead department of a cooperative item links to the department's page
    assert any(link.startswith("../units/") and link.endswith(".html") for link in page.links)


def test_a_department_page_has_its_powers_and_what_it_leads_and_receives(site: Path) -> None:
    page = read(site / "2025" / "units" / "zrghj.html")
    headers = [table[0] for table in page.tables]
    assert headers == [
        [c.header for c in LIST_COLUMNS["powers"]],
        [c.header for c in VIEW_COLUMNS["leads"]],
        [c.header for c in VIEW_COLUMNS["receives"]],
    ]
    assert "县自然资源和规划局牵头配合事项清单（2025年版）" in page.plain
    leads = page.tables[1][1:]
    assert {row[1] for row in leads} >= {"桃源镇", "城关街道"}


def test_a_village_page_has_its_three_lists_and_its_township(site: Path) -> None:
    village = next(u for u in sample_units("2025") if u["kind"] == "village")
    page = read(site / "2025" / "units" / f"{village['id']}.html")
    assert [t[0] for t in page.tables] == [
        [c.header for c in LIST_COLUMNS[k]] for k in ("autonomy", "assist", "negative")
    ]
    assert f"../units/{village['township']}.html" in page.links


def test_the_change_page_tells_the_diff_in_people_s_words(site: Path) -> None:
    page = read(site / "changes" / "2024--2025.html")
    result = runner.invoke(app, ["diff", "2024", "2025", "--root", str(SAMPLES), "--format", "json"])
    diff = json.loads(result.stdout)
    text = page.plain
    assert "新增 7 项，取消 2 项，上收 6 项，下放 3 项，划转 3 项" in text
    for kind in CHANGE_KINDS:
        n = diff["summary"][kind]
        if n:
            assert f"{CHANGE_LABELS_ZH[kind]}（{n} {'个单位' if kind == 'unit_renamed' else '项'}）" in text
    burden = next(t for t in page.tables if t[0] == ["乡镇（街道）", "增加", "减少", "净变化"])
    rows = {r[0]: r[1:] for r in burden[1:]}
    assert len(rows) == len(diff["units"]) == 15
    for u in diff["units"]:
        assert rows[u["name"]] == [str(u["gained"]), str(u["lost"]), f"{u['net']:+d}" if u["net"] else "0"]
    # per township, each change from its point of view
    assert "u-taoyuan" in page.ids
    assert "瓶装液化石油气经营场所安全检查" in text and "基本履职事项 → 上级部门收回事项" in text


def test_the_search_index_holds_each_item_once_with_its_units(site: Path) -> None:
    page = read(site / "2025" / "index.html")
    data = search_index(page)
    units, items = data["units"], data["items"]
    keys = [(i["id"], i["list"]) for i in items]
    assert len(keys) == len(set(keys))
    festival = next(i for i in items if i["id"] == "TAOYUAN-B-102")
    assert [units[n][0] for n in festival["units"]] == ["taoyuan"]
    assert festival["anchor"] == "basic-TAOYUAN-B-102"
    coop = next(i for i in items if i["list"] == "cooperative" and i.get("by"))
    assert all(units[n][0] for n in coop["by"])
    for _uid, _name, href in units:
        assert (site / "2025" / href).is_file()
    scripts = [text for attrs, text in page.scripts if not attrs.get("type")]
    assert scripts == [SEARCH_JS]
    assert {"q", "results"} <= page.ids


# --- offline, links, determinism ----------------------------------------------------------


def test_nothing_refers_to_a_network(site: Path) -> None:
    for rel, data in files(site).items():
        text = data.decode("utf-8")
        assert "http://" not in text and "https://" not in text, rel
        links = re.findall(r"""(?:src|href)\s*=\s*["']?\s*([a-z][a-z0-9+.-]*:|//)""", text, re.I)
        assert set(links) <= {"data:"}, rel  # only the empty favicon, which spares a request
        assert "@import" not in text and "url(" not in text, rel


def test_every_relative_link_and_anchor_resolves(site: Path) -> None:
    pages = {p: read(p) for p in site.rglob("*.html")}
    checked = 0
    for path, page in pages.items():
        for link in page.links:
            if link == "data:,":  # the empty favicon
                continue
            target, _, fragment = link.partition("#")
            dest = (path.parent / target).resolve() if target else path
            assert dest.is_file(), f"{path.relative_to(site)}: {link}"
            assert site.resolve() in dest.parents or dest == site.resolve()
            if fragment and dest.suffix == ".html":
                assert fragment in pages[Path(dest)].ids if Path(dest) in pages else read(dest).ids, link
            checked += 1
    assert checked > 1000


def test_building_twice_gives_the_same_bytes(site: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    build_site(SiteOptions(("2024", "2025"), again, SAMPLES, use_cache=False))
    assert files(again) == files(site)


# --- escaping -----------------------------------------------------------------------------

EVIL_UNITS = UNITS.replace("{id: fgz, name: 府谷镇, kind: town}", "{id: fgz, name: '府谷镇<b>\"x\"</b>', kind: town}")
EVIL_FGZ = f"""\
unit: fgz
basic:
  - id: FG-B-101
    name: "{EVIL}"
    category: "<i>类</i>"
    tasks: "</script><script>alert(2)</script>\\n第二行"
    basis: ["\\"><img src=x onerror=alert(3)>"]
cooperative:
  - id: FG-C-012
    name: 重大项目征地中的群众工作
    lead: zrzy
    lead_duty: "<svg onload=alert(4)>"
    township_duty: 做好群众工作
"""


def _evil_root(tmp_path: Path) -> Path:
    root = tmp_path / "catalogues"
    write_version(root, "2024")
    catalogue = CATALOGUE.format(label="2025").replace("categories: [", 'categories: ["<i>类</i>", ')
    catalogue = catalogue.replace("title: ", "title: <title>x</title>", 1)
    write_version(
        root,
        "2025",
        {
            "catalogue.yaml": catalogue + 'previous: "2024"\n',
            "units.yaml": EVIL_UNITS,
            "units/fgz.yaml": EVIL_FGZ,
        },
    )
    return root


def _assert_inert(site: Path) -> None:
    """No page holds an element, attribute or script that catalogue text could have made."""
    allowed_scripts = {SEARCH_JS}
    for path in site.rglob("*.html"):
        page = read(path)
        for tag, attrs in page.tags:
            assert tag not in ("img", "b", "i", "iframe", "object"), (path, tag)
            assert not any(name.startswith("on") for name in attrs), (path, tag, attrs)
            if tag == "svg":
                assert "onload" not in attrs
        for attrs, text in page.scripts:
            if attrs.get("type") == "application/json":
                assert "<" not in text
            else:
                assert text in allowed_scripts, path


def test_catalogue_text_is_shown_as_text_everywhere(tmp_path: Path) -> None:
    root = _evil_root(tmp_path)
    out = tmp_path / "site"
    result = runner.invoke(app, ["site", "2024", "2025", "--out", str(out), "--root", str(root)])
    assert result.exit_code == 0, result.output
    _assert_inert(out)
    unit = read(out / "2025" / "units" / "fgz.html")
    assert EVIL in unit.plain
    assert "</script><script>alert(2)</script>" in unit.plain
    assert '"><img src=x onerror=alert(3)>' in unit.plain
    assert "<svg onload=alert(4)>" in unit.plain
    assert '府谷镇<b>"x"</b>' in unit.plain
    raw = (out / "2025" / "units" / "fgz.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in raw
    assert "第二行" in raw and "<br>第二行" in raw
    index = read(out / "2025" / "index.html")
    assert '府谷镇<b>"x"</b>' in index.plain
    assert "<title>x</title>" in index.plain
    data = search_index(index)
    assert any(i["name"] == EVIL for i in data["items"])
    change = read(out / "changes" / "2024--2025.html")
    assert EVIL in change.plain  # added in 2025: named on the change page
    department = read(out / "2025" / "units" / "zrzy.html")
    assert "<svg onload=alert(4)>" in department.plain


def test_ids_from_a_hand_made_list_are_made_safe_in_file_names_and_attributes(tmp_path: Path) -> None:
    root = tmp_path / "catalogues"
    write_version(root, "2025")
    assert runner.invoke(app, ["compile", "2025", "--root", str(root), "--out", str(tmp_path / "c")]).exit_code == 0
    listing = load_compiled(tmp_path / "c" / "list.json")
    bad_unit, bad_item = '../"><svg onload=alert(5)>', '"x onmouseover=alert(6) y="'
    manifest = json.loads(json.dumps(listing.manifest).replace('"fgz"', json.dumps(bad_unit)))
    lines = [
        orjson.dumps(
            {
                **(e := orjson.loads(line)),
                "unit": bad_unit if e["unit"] == "fgz" else e["unit"],
                "id": bad_item if e["id"] == "FG-B-101" else e["id"],
            }
        )
        for line in listing.lines
    ]
    hand = tmp_path / "hand.json"
    CompiledList(manifest, lines).write(hand)
    out = tmp_path / "site"
    result = runner.invoke(app, ["site", str(hand), "--out", str(out), "--root", str(root)])
    assert result.exit_code == 0, result.output
    _assert_inert(out)
    names = sorted(p.name for p in (out / "2025" / "units").iterdir())
    assert all(re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*\.html", n) for n in names), names
    assert not (tmp_path / "site" / '"><svg onload=alert(5)>.html').exists()
    assert len(names) == len(manifest["units"])
    page = next(read(p) for p in (out / "2025" / "units").iterdir() if "府谷镇基本履职事项清单" in p.read_text())
    rows = [i for i in page.ids if i.startswith("basic-")]
    assert len(rows) == 1 and re.fullmatch(r"basic-[A-Za-z0-9._-]+", rows[0])
    index = read(out / "2025" / "index.html")
    assert any(i["id"] == bad_item and i["anchor"] == rows[0] for i in search_index(index)["items"])


def test_safe_names_keep_good_ids_and_never_collide() -> None:
    assert safe_name("fgz-hc.1") == "fgz-hc.1"
    assert re.fullmatch(r"[A-Za-z0-9._-]+", safe_name("../<x>"))
    assert not safe_name("../x").startswith(".")
    names = unique_names(["A", "a", "a b", "a_b"])
    assert len({n.casefold() for n in names.values()}) == 4


# --- output directory rules ---------------------------------------------------------------


def _site(out: Path, *extra: str) -> Result:
    return runner.invoke(app, ["site", "2025", "--root", str(SAMPLES), "--out", str(out), "--no-cache", *extra])


def test_an_earlier_site_is_replaced_anything_else_only_with_force(tmp_path: Path) -> None:
    out = tmp_path / "site"
    first = _site(out)
    assert first.exit_code == 0, first.output
    assert "已生成网站" in first.output
    (out / "stale.html").write_text("old")
    assert _site(out).exit_code == 0
    assert not (out / "stale.html").exists()

    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("mine")
    refused = _site(other)
    assert refused.exit_code == 2
    assert "不是 dutylist 生成的网站" in refused.output and "--force" in refused.output
    assert (other / "notes.txt").read_text() == "mine"
    assert _site(other, "--force").exit_code == 0
    assert not (other / "notes.txt").exists()

    empty = tmp_path / "empty"
    empty.mkdir()
    assert _site(empty).exit_code == 0

    a_file = tmp_path / "file"
    a_file.write_text("x")
    assert _site(a_file).exit_code == 2
    assert not list(tmp_path.glob(".*tmp-*"))  # nothing left behind


def test_the_current_directory_or_a_repository_is_never_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "keep.txt").write_text("x")
    result = _site(Path("."), "--force")
    assert result.exit_code == 2
    assert (tmp_path / "keep.txt").exists()
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    assert _site(repo, "--force").exit_code == 2
    assert (repo / ".git").is_dir()


def test_an_invalid_version_is_named_with_its_error_count(tmp_path: Path) -> None:
    root = tmp_path / "catalogues"
    write_version(root, "2025", {"units/fgz.yaml": "unit: fgz\nbasic:\n  - {id: X-1}\n"})
    result = runner.invoke(app, ["site", "2025", "--root", str(root), "--out", str(tmp_path / "s")])
    assert result.exit_code == 2
    assert "版本 2025 有 1 个错误" in result.output and "dutylist validate 2025" in result.output
    assert not (tmp_path / "s").exists()


def test_a_label_given_twice_gets_two_places(tmp_path: Path) -> None:
    assert runner.invoke(app, ["compile", "2025", "--root", str(SAMPLES), "--out", str(tmp_path / "c")]).exit_code == 0
    out = tmp_path / "site"
    result = runner.invoke(
        app, ["site", str(tmp_path / "c" / "list.json"), "2025", "--root", str(SAMPLES), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert (out / "2025" / "index.html").is_file() and (out / "2025-2" / "index.html").is_file()
    change = read(out / "changes" / "2025--2025-2.html")
    assert "无变化" in change.plain
    # a compiled list and its source give the same unit pages
    assert files(out / "2025" / "units") == files(out / "2025-2" / "units")


# --- compile --format html ----------------------------------------------------------------


def test_compile_writes_the_one_version_site(site: Path, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    result = runner.invoke(app, ["compile", "2025", "--root", str(SAMPLES), "--out", str(out), "--format", "html"])
    assert result.exit_code == 0, result.output
    html = out / "html"
    assert (out / "list.json").is_file()
    assert (html / "index.html").is_file() and (html / "2025" / "index.html").is_file()
    assert files(html / "2025" / "units") == files(site / "2025" / "units")
    assert not (html / "changes").exists()
    again = runner.invoke(app, ["compile", "2025", "--root", str(SAMPLES), "--out", str(out), "--format", "html"])
    assert again.exit_code == 0
