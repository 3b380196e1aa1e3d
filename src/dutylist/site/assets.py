"""The site's stylesheet and search script, as text: nothing is fetched, nothing is bundled.

The stylesheet is written once, as ``style.css`` at the top of the site; the search script
is inlined in each version's index page, and the pages' Content-Security-Policy allows
exactly that script (by its SHA-256) and nothing from any network. Fonts are the
viewer's own (a CJK-first list ending in ``sans-serif``): county intranets are offline.
"""

from __future__ import annotations

import base64
import hashlib

STYLE_CSS = """\
:root {
  --ink: #1f2933; --muted: #52606d; --line: #d9e2ec; --soft: #f5f7fa; --accent: #1d5fa8;
  --basic: #4e79a7; --cooperative: #f28e2b; --recalled: #59a14f;
  --up: #b42318; --down: #027a48;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; color: var(--ink); background: #fff; line-height: 1.6;
  font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif;
}
a { color: var(--accent); text-decoration: none; }
a:hover, a:focus { text-decoration: underline; }
header.top { background: #12355b; color: #fff; padding: .5rem 1.25rem; }
header.top a { color: #fff; }
header.top nav { font-size: .95rem; }
header.top nav span.sep { opacity: .6; margin: 0 .4rem; }
main { max-width: 1280px; margin: 0 auto; padding: 1rem 1.25rem 3rem; }
footer { max-width: 1280px; margin: 0 auto; padding: 1rem 1.25rem 2rem; color: var(--muted);
  font-size: .85rem; border-top: 1px solid var(--line); }
h1 { font-size: 1.6rem; margin: .6rem 0 .4rem; }
h2 { font-size: 1.25rem; margin: 2rem 0 .6rem; padding-bottom: .25rem; border-bottom: 2px solid var(--line); }
h3 { font-size: 1.05rem; margin: 1.4rem 0 .4rem; }
p.meta, .muted { color: var(--muted); }
code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .88em;
  background: var(--soft); padding: 0 .25em; border-radius: 3px; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: .8rem 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
ul.toc { display: flex; flex-wrap: wrap; gap: .4rem 1.2rem; padding: 0; list-style: none; }
.table-wrap { overflow-x: auto; margin: .5rem 0 1rem; }
table { border-collapse: collapse; width: 100%; font-size: .92rem; }
table.narrow { width: auto; min-width: 24rem; }
caption { text-align: left; font-weight: bold; padding: .3rem 0; }
th, td { border: 1px solid var(--line); padding: .35rem .5rem; vertical-align: top; text-align: left; }
thead th { background: #e8eef5; position: sticky; top: 0; white-space: nowrap; }
tbody tr:nth-child(even) { background: var(--soft); }
tbody tr:target { background: #fff4c2; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.seq { text-align: center; white-space: nowrap; }
td.up { color: var(--up); } td.down { color: var(--down); }
figure.chart { margin: 1rem 0; overflow-x: auto; }
figure.chart svg { max-width: 100%; height: auto; }
section.search { background: var(--soft); border: 1px solid var(--line); border-radius: 6px;
  padding: .8rem 1rem; margin: 1rem 0; }
section.search label { font-weight: bold; margin-right: .6rem; }
#q { font-size: 1rem; padding: .4rem .6rem; width: min(36rem, 100%); border: 1px solid #9fb3c8;
  border-radius: 4px; }
#search-status { margin: .4rem 0; color: var(--muted); }
#results { margin: 0; padding-left: 1.4rem; }
#results li { margin: .35rem 0; }
#results .where { display: block; font-size: .9rem; }
#results .where a { margin-right: .5rem; }
.tag { display: inline-block; font-size: .78rem; padding: 0 .4rem; border-radius: 3px; margin-right: .35rem;
  background: #e4e7eb; color: var(--ink); white-space: nowrap; }
.tag.basic { background: #dbe7f3; } .tag.cooperative { background: #fde6cf; } .tag.recalled { background: #dcefd8; }
.kind { display: inline-block; min-width: 4.5em; font-weight: bold; margin-right: .3rem; }
.kind.added, .kind.delegated, .kind.extended { color: var(--up); }
.kind.revoked, .kind.withdrawn, .kind.narrowed { color: var(--down); }
ul.changes { padding-left: 1.2rem; }
ul.changes > li { margin: .45rem 0; }
ul.changes ul { margin: .15rem 0; padding-left: 1.2rem; color: var(--muted); font-size: .92rem; }
.side { display: block; font-size: .92rem; }
.side .label { color: var(--muted); margin-right: .3rem; }
p.empty { color: var(--muted); font-style: italic; }
@media print {
  header.top, section.search, footer { display: none; }
  thead th { position: static; }
  a { color: inherit; }
}
"""

#: Search over the version's embedded index (``<script type="application/json" id="search-index">``).
#: Text is matched after NFKC (full-width to half-width) and lower-casing; every word of the
#: query must occur. Results are built with DOM calls and textContent only, never innerHTML,
#: so no catalogue text is ever parsed as markup.
SEARCH_JS = """\
(function () {
  "use strict";
  var source = document.getElementById("search-index");
  var box = document.getElementById("q");
  var out = document.getElementById("results");
  var status = document.getElementById("search-status");
  if (!source || !box || !out || !status) { return; }
  var data = JSON.parse(source.textContent);
  var LIMIT = 100, SHOWN = 20;
  function norm(s) { return String(s).normalize("NFKC").toLowerCase().replace(/\\s+/g, " ").trim(); }
  var units = data.units.map(function (u, i) {
    return {index: i, name: u[1], href: u[2], key: norm(u[0] + " " + u[1])};
  });
  var items = data.items.map(function (it) {
    return {item: it, name: norm(it.name), key: norm(it.id + " " + it.name)};
  });
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }
  function unitLink(index, anchor) {
    var u = units[index], a = el("a", "", u.name);
    a.href = anchor ? u.href + "#" + anchor : u.href;
    return a;
  }
  function whereLine(label, indices, anchor) {
    var line = el("span", "where");
    line.appendChild(el("span", "muted", label + "："));
    indices.slice(0, SHOWN).forEach(function (i) { line.appendChild(unitLink(i, anchor)); });
    if (indices.length > SHOWN) { line.appendChild(el("span", "muted", "等 " + indices.length + " 个单位")); }
    return line;
  }
  function run() {
    var q = norm(box.value);
    out.textContent = "";
    if (!q) { status.textContent = ""; return; }
    var words = q.split(" ");
    var hit = function (key) { return words.every(function (w) { return key.indexOf(w) >= 0; }); };
    var foundUnits = units.filter(function (u) { return hit(u.key); });
    var found = items.filter(function (x) { return hit(x.key); });
    var rank = function (x) { return x.name === q ? 0 : (x.name.indexOf(q) === 0 ? 1 : 2); };
    found = found.map(function (x, i) { return [rank(x), i, x]; })
      .sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; })
      .map(function (r) { return r[2]; });
    foundUnits.slice(0, LIMIT).forEach(function (u) {
      var li = el("li", "unit");
      li.appendChild(el("span", "tag", "单位"));
      li.appendChild(unitLink(u.index));
      out.appendChild(li);
    });
    found.slice(0, LIMIT).forEach(function (x) {
      var it = x.item, li = el("li", "item");
      li.appendChild(el("span", "tag " + it.list, data.lists[it.list] || it.list));
      li.appendChild(el("strong", "", it.name));
      li.appendChild(document.createTextNode(" "));
      li.appendChild(el("code", "", it.id));
      li.appendChild(whereLine("所在单位", it.units, it.anchor));
      if (it.by && it.by.length) { li.appendChild(whereLine(data.by[it.list] || "部门", it.by)); }
      out.appendChild(li);
    });
    var n = found.length;
    status.textContent = (foundUnits.length ? "单位 " + foundUnits.length + " 个，" : "") + "事项 " + n + " 项" +
      (n > LIMIT ? "，显示前 " + LIMIT + " 项" : "") + (n || foundUnits.length ? "" : "：没有找到");
  }
  box.addEventListener("input", run);
  run();
})();
"""


def _csp_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


#: Nothing from anywhere but the site's own stylesheet and the one inline script above.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; "
    f"script-src {_csp_hash(SEARCH_JS)}; base-uri 'none'; form-action 'none'"
)
