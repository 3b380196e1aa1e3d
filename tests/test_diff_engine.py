"""The diff engine against the change vocabulary of DESIGN §5, one kind at a time.

Each test writes a minimal base (2024) and head (2025, ``previous: "2024"``) from YAML
strings and diffs them with ``run_diff``; the comment above a test names the §5 rule it
holds the engine to.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dutylist.diff.engine import Change, DiffResult, Holding
from dutylist.diff.run import DiffOptions, run_diff
from dutylist.model.vocab import CHANGE_KINDS

from .builders import CATALOGUE, write_version

# Three departments, three townships (two kinds of township), a village that holds nothing.
UNITS = """\
departments:
  - {id: zrzy, name: 县自然资源局}
  - {id: yjj, name: 县应急管理局}
  - {id: sfj, name: 县司法局}
townships:
  - {id: fgz, name: 府谷镇, kind: town}
  - {id: hsz, name: 黄甫镇, kind: town}
  - {id: mjz, name: 麻镇乡, kind: township}
villages:
  - {id: fgz-hc, name: 黄河村, township: fgz}
"""
TOWNSHIPS = ("fgz", "hsz", "mjz")

# Items, as flow mappings; the same id names the same item in every list it appears in.
ITEM = "id: X-050, name: 农村宅基地审批监管, category: 城乡建设"
DUTIES = "lead_duty: 负责审批, township_duty: 做好巡查"
METHOD = "method: 部门执法，乡镇提供线索"
BASIC = f"{{{ITEM}}}"
COOP_ZRZY = f"{{{ITEM}, lead: zrzy, {DUTIES}}}"
COOP_YJJ = f"{{{ITEM}, lead: yjj, {DUTIES}}}"
RECALLED_ZRZY = f"{{{ITEM}, receiver: zrzy, {METHOD}}}"
RECALLED_YJJ = f"{{{ITEM}, receiver: yjj, {METHOD}}}"
POWER = f"{{{ITEM}, power_type: 行政处罚}}"
OTHER = "{id: Y-101, name: 发展村级集体经济, category: 经济发展}"


def lists(**items: str | list[str]) -> str:
    """The list keys of a unit file: ``lists(basic=[BASIC, OTHER], powers=POWER)``."""
    out = []
    for key, value in items.items():
        out.append(f"{key}:\n" + "".join(f"  - {item}\n" for item in ([value] if isinstance(value, str) else value)))
    return "".join(out)


def diff(
    tmp_path: Path,
    base: dict[str, str],
    head: dict[str, str],
    base_units: str = UNITS,
    head_units: str = UNITS,
) -> DiffResult:
    """Diff 2024 (``base``: unit id -> its lists) against 2025 (``head``), both under tmp_path."""

    def files(units: str, holdings: dict[str, str]) -> dict[str, str]:
        out = {"units.yaml": units, "units/fgz.yaml": "unit: fgz\n"}  # builders' fgz would add items
        out.update({f"units/{unit}.yaml": f"unit: {unit}\n{body}" for unit, body in holdings.items()})
        return out

    write_version(tmp_path, "2024", files(base_units, base))
    head_files = files(head_units, head)
    head_files["catalogue.yaml"] = CATALOGUE.format(label="2025") + 'previous: "2024"\n'
    write_version(tmp_path, "2025", head_files)
    outcome = run_diff(DiffOptions("2024", "2025", root=tmp_path, use_cache=False))
    assert outcome.result is not None, [str(d) for d in outcome.diagnostics]
    result = outcome.result
    # Each item id yields at most one change per kind.
    assert len({(c.kind, c.id) for c in result.changes}) == len(result.changes)
    return result


def counts(result: DiffResult) -> dict[str, int]:
    """The summary without its zeros."""
    return {kind: n for kind, n in result.summary().items() if n}


def one(result: DiffResult, kind: str, ident: str = "X-050") -> Change:
    (change,) = [c for c in result.changes if c.kind == kind and c.id == ident]
    return change


def held(holdings: list[Holding]) -> list[tuple[str, ...]]:
    """(unit, list) and the department it names, if any, sorted: what a reader sees of a side."""
    return sorted(
        (h.unit, h.list, *([h.lead] if h.lead else []), *([h.receiver] if h.receiver else [])) for h in holdings
    )


def burden(result: DiffResult) -> dict[str, tuple[int, int, int]]:
    """Township -> (gained, lost, net), zero rows left out."""
    return {u.unit: (u.gained, u.lost, u.net) for u in result.units if u.gained or u.lost}


# --- added, revoked -----------------------------------------------------------------------


def test_added(tmp_path: Path) -> None:
    result = diff(tmp_path, {"fgz": lists(basic=OTHER)}, {"fgz": lists(basic=[OTHER, BASIC])})
    assert counts(result) == {"added": 1}
    c = one(result, "added")
    assert c.name == "农村宅基地审批监管" and c.before == [] and held(c.after) == [("fgz", "basic")]
    assert burden(result) == {"fgz": (1, 0, 1)}


def test_revoked(tmp_path: Path) -> None:
    result = diff(
        tmp_path, {"fgz": lists(basic=[OTHER, BASIC]), "hsz": lists(basic=BASIC)}, {"fgz": lists(basic=OTHER)}
    )
    assert counts(result) == {"revoked": 1}
    c = one(result, "revoked")
    assert held(c.before) == [("fgz", "basic"), ("hsz", "basic")] and c.after == []
    assert burden(result) == {"fgz": (0, 1, -1), "hsz": (0, 1, -1)}


# --- withdrawn, delegated -----------------------------------------------------------------


# withdrawn: some township's basic/cooperative entry becomes recalled
@pytest.mark.parametrize("before", [BASIC, COOP_ZRZY], ids=["basic", "cooperative"])
def test_withdrawn_to_recalled(tmp_path: Path, before: str) -> None:
    list_key = "basic" if before == BASIC else "cooperative"
    result = diff(
        tmp_path,
        {"fgz": lists(**{list_key: before}), "hsz": lists(basic=BASIC)},
        {"fgz": lists(recalled=RECALLED_ZRZY), "hsz": lists(basic=BASIC)},
    )
    assert counts(result) == {"withdrawn": 1}
    c = one(result, "withdrawn")
    assert [(h.unit, h.list) for h in c.before] == [("fgz", list_key)]
    assert held(c.after) == [("fgz", "recalled", "zrzy")]
    assert burden(result) == {"fgz": (0, 1, -1)}


# withdrawn: townships stop doing an item that a department newly holds (township powers → department powers)
def test_withdrawn_from_township_powers_to_a_department(tmp_path: Path) -> None:
    result = diff(
        tmp_path,
        {"fgz": lists(powers=POWER), "hsz": lists(powers=POWER), "mjz": lists(powers=POWER)},
        {"zrzy": lists(powers=POWER), "mjz": lists(powers=POWER)},
    )
    assert counts(result) == {"withdrawn": 1}  # neither narrowed nor revoked
    c = one(result, "withdrawn")
    assert held(c.before) == [("fgz", "powers"), ("hsz", "powers")]
    assert held(c.after) == [("zrzy", "powers")]
    assert burden(result) == {}  # powers are not burden


def test_withdrawn_from_township_basic_to_department_powers(tmp_path: Path) -> None:
    result = diff(tmp_path, {"fgz": lists(basic=BASIC)}, {"zrzy": lists(powers=POWER)})
    assert counts(result) == {"withdrawn": 1}  # power_type arriving with the move is not modified
    c = one(result, "withdrawn")
    assert held(c.before) == [("fgz", "basic")] and held(c.after) == [("zrzy", "powers")]
    assert burden(result) == {"fgz": (0, 1, -1)}


# delegated: recalled → basic/cooperative
@pytest.mark.parametrize("after", [BASIC, COOP_ZRZY], ids=["basic", "cooperative"])
def test_delegated_from_recalled(tmp_path: Path, after: str) -> None:
    list_key = "basic" if after == BASIC else "cooperative"
    result = diff(tmp_path, {"fgz": lists(recalled=RECALLED_ZRZY)}, {"fgz": lists(**{list_key: after})})
    assert counts(result) == {"delegated": 1}  # receiver and method leaving with the move are not modified
    c = one(result, "delegated")
    assert held(c.before) == [("fgz", "recalled", "zrzy")]
    assert [(h.unit, h.list) for h in c.after] == [("fgz", list_key)]
    assert burden(result) == {"fgz": (1, 0, 1)}


# delegated: a department's item is now done by townships (department powers → township powers)
def test_delegated_from_department_powers_to_township_powers(tmp_path: Path) -> None:
    result = diff(tmp_path, {"zrzy": lists(powers=POWER)}, {"fgz": lists(powers=POWER), "hsz": lists(powers=POWER)})
    assert counts(result) == {"delegated": 1}  # not extended: the townships are where it went
    c = one(result, "delegated")
    assert held(c.before) == [("zrzy", "powers")]
    assert held(c.after) == [("fgz", "powers"), ("hsz", "powers")]
    assert burden(result) == {}


# delegated: department powers → township basic
def test_delegated_from_department_powers_to_township_basic(tmp_path: Path) -> None:
    result = diff(tmp_path, {"zrzy": lists(powers=POWER)}, {"fgz": lists(basic=BASIC)})
    assert counts(result) == {"delegated": 1}  # power_type leaving with the move is not modified
    assert held(one(result, "delegated").after) == [("fgz", "basic")]
    assert burden(result) == {"fgz": (1, 0, 1)}


# "A unit *does* an item when it holds it in basic, cooperative or powers; recalled means it no
# longer does it": a township's powers entry becoming recalled is withdrawn (and the reverse
# delegated), never a role change, which is basic ↔ cooperative only.
def test_township_powers_to_recalled_is_withdrawn(tmp_path: Path) -> None:
    result = diff(tmp_path, {"fgz": lists(powers=POWER)}, {"fgz": lists(recalled=RECALLED_ZRZY)})
    assert counts(result) == {"withdrawn": 1}


def test_township_recalled_to_powers_is_delegated(tmp_path: Path) -> None:
    result = diff(tmp_path, {"fgz": lists(recalled=RECALLED_ZRZY)}, {"fgz": lists(powers=POWER)})
    assert counts(result) == {"delegated": 1}


# --- transferred --------------------------------------------------------------------------


# transferred: the lead of a cooperative entry against the old lead
def test_transferred_cooperative_lead(tmp_path: Path) -> None:
    result = diff(
        tmp_path,
        {"fgz": lists(cooperative=COOP_ZRZY), "hsz": lists(cooperative=COOP_ZRZY)},
        {"fgz": lists(cooperative=COOP_YJJ), "hsz": lists(cooperative=COOP_YJJ)},
    )
    assert counts(result) == {"transferred": 1}  # the lead is a move, not a modified field
    c = one(result, "transferred")
    assert held(c.before) == [("fgz", "cooperative", "zrzy"), ("hsz", "cooperative", "zrzy")]
    assert held(c.after) == [("fgz", "cooperative", "yjj"), ("hsz", "cooperative", "yjj")]
    assert burden(result) == {}


# transferred: the receiver of a recalled entry against the old receiver
def test_transferred_recalled_receiver(tmp_path: Path) -> None:
    result = diff(tmp_path, {"fgz": lists(recalled=RECALLED_ZRZY)}, {"fgz": lists(recalled=RECALLED_YJJ)})
    assert counts(result) == {"transferred": 1}
    c = one(result, "transferred")
    assert held(c.before) == [("fgz", "recalled", "zrzy")] and held(c.after) == [("fgz", "recalled", "yjj")]
    assert burden(result) == {}


# transferred: a department holder
def test_transferred_department_holder(tmp_path: Path) -> None:
    result = diff(tmp_path, {"zrzy": lists(powers=POWER)}, {"yjj": lists(powers=POWER)})
    assert counts(result) == {"transferred": 1}
    c = one(result, "transferred")
    assert held(c.before) == [("zrzy", "powers")] and held(c.after) == [("yjj", "powers")]


# cooperative(lead A) → recalled(receiver A) is withdrawn only, not transferred
def test_cooperative_lead_to_recalled_receiver_of_the_same_department_is_withdrawn_only(tmp_path: Path) -> None:
    result = diff(tmp_path, {"fgz": lists(cooperative=COOP_ZRZY)}, {"fgz": lists(recalled=RECALLED_ZRZY)})
    assert counts(result) == {"withdrawn": 1}
    c = one(result, "withdrawn")
    assert held(c.before) == [("fgz", "cooperative", "zrzy")] and held(c.after) == [("fgz", "recalled", "zrzy")]
    assert c.fields == []  # lead_duty/township_duty leaving and method arriving are the move


# Each id yields at most one change per kind, and kinds do not hide each other: the department
# that now holds the item in place of the old one is a transfer even while townships take it up.
def test_a_delegation_does_not_hide_a_transfer(tmp_path: Path) -> None:
    result = diff(tmp_path, {"zrzy": lists(powers=POWER)}, {"yjj": lists(powers=POWER), "fgz": lists(powers=POWER)})
    assert counts(result) == {"delegated": 1, "transferred": 1}
    c = one(result, "transferred")
    assert held(c.before) == [("zrzy", "powers")] and held(c.after) == [("yjj", "powers")]


# --- role_changed -------------------------------------------------------------------------


# role_changed: basic ↔ cooperative within the same township; no burden change
@pytest.mark.parametrize(
    ("before", "after"),
    [(lists(basic=BASIC), lists(cooperative=COOP_ZRZY)), (lists(cooperative=COOP_ZRZY), lists(basic=BASIC))],
    ids=["basic-to-cooperative", "cooperative-to-basic"],
)
def test_role_changed(tmp_path: Path, before: str, after: str) -> None:
    result = diff(tmp_path, {"fgz": before, "hsz": lists(basic=BASIC)}, {"fgz": after, "hsz": lists(basic=BASIC)})
    assert counts(result) == {"role_changed": 1}  # lead and duty texts coming or going are not modified
    c = one(result, "role_changed")
    assert {h.unit for h in c.before} == {h.unit for h in c.after} == {"fgz"}
    assert {h.list for h in c.before} | {h.list for h in c.after} == {"basic", "cooperative"}
    assert burden(result) == {}


# role_changed is basic ↔ cooperative, and "role changes ... change no burden": a township's
# basic duty becoming one of its powers leaves its burden (basic + cooperative), so whatever it
# is called, it is not a role change.
@pytest.mark.parametrize(
    ("before", "after"),
    [(lists(basic=BASIC), lists(powers=POWER)), (lists(powers=POWER), lists(cooperative=COOP_ZRZY))],
    ids=["basic-to-powers", "powers-to-cooperative"],
)
def test_a_change_of_list_that_moves_burden_is_not_a_role_change(tmp_path: Path, before: str, after: str) -> None:
    result = diff(tmp_path, {"fgz": before}, {"fgz": after})
    assert burden(result) == ({"fgz": (0, 1, -1)} if "basic" in before else {"fgz": (1, 0, 1)})
    assert "role_changed" not in counts(result), [c.to_json() for c in result.changes]


# --- extended, narrowed -------------------------------------------------------------------


# extended: townships that gain every entry of an id, in a list in which some township already held it
def test_extended(tmp_path: Path) -> None:
    result = diff(
        tmp_path,
        {"fgz": lists(basic=BASIC)},
        {"fgz": lists(basic=BASIC), "hsz": lists(basic=BASIC), "mjz": lists(basic=BASIC)},
    )
    assert counts(result) == {"extended": 1}
    c = one(result, "extended")
    assert c.before == [] and held(c.after) == [("hsz", "basic"), ("mjz", "basic")]
    assert burden(result) == {"hsz": (1, 0, 1), "mjz": (1, 0, 1)}


# narrowed: townships that lose every entry of an id, in a list in which some township still holds it
def test_narrowed(tmp_path: Path) -> None:
    result = diff(
        tmp_path,
        {"fgz": lists(cooperative=COOP_ZRZY), "hsz": lists(cooperative=COOP_ZRZY), "mjz": lists(cooperative=COOP_ZRZY)},
        {"fgz": lists(cooperative=COOP_ZRZY)},
    )
    assert counts(result) == {"narrowed": 1}
    c = one(result, "narrowed")
    assert held(c.before) == [("hsz", "cooperative", "zrzy"), ("mjz", "cooperative", "zrzy")] and c.after == []
    assert burden(result) == {"hsz": (0, 1, -1), "mjz": (0, 1, -1)}


# Moves and role changes are never also extended/narrowed.
@pytest.mark.parametrize(
    ("before", "after", "kind"),
    [
        (lists(basic=BASIC), lists(recalled=RECALLED_ZRZY), "withdrawn"),
        (lists(recalled=RECALLED_ZRZY), lists(cooperative=COOP_ZRZY), "delegated"),
        (lists(basic=BASIC), lists(cooperative=COOP_ZRZY), "role_changed"),
        (lists(cooperative=COOP_ZRZY), lists(cooperative=COOP_YJJ), "transferred"),
    ],
    ids=["withdrawn", "delegated", "role_changed", "transferred"],
)
def test_moves_are_never_also_extended_or_narrowed(tmp_path: Path, before: str, after: str, kind: str) -> None:
    # every township moves, so each list the item leaves (arrives in) is emptied (newly filled)
    base = dict.fromkeys(TOWNSHIPS, before)
    head = dict.fromkeys(TOWNSHIPS, after)
    result = diff(tmp_path, base, head)
    assert counts(result) == {kind: 1}
    c = one(result, kind)
    assert {h.unit for h in c.before} == {h.unit for h in c.after} == set(TOWNSHIPS)


# A township that gains the id in a list where no township held it (another list than the
# others') is not "the same role in more townships".
def test_extended_only_in_a_list_some_township_already_held(tmp_path: Path) -> None:
    result = diff(
        tmp_path,
        {"fgz": lists(basic=BASIC)},
        {"fgz": lists(basic=BASIC), "hsz": lists(recalled=RECALLED_ZRZY)},
    )
    assert "extended" not in counts(result), [c.to_json() for c in result.changes]


def test_narrowed_only_in_a_list_some_township_still_holds(tmp_path: Path) -> None:
    result = diff(
        tmp_path,
        {"fgz": lists(basic=BASIC), "hsz": lists(recalled=RECALLED_ZRZY)},
        {"fgz": lists(basic=BASIC)},
    )
    assert "narrowed" not in counts(result), [c.to_json() for c in result.changes]


# --- renamed, merged, split ---------------------------------------------------------------

RENAMED = BASIC.replace("农村宅基地审批监管", "农村宅基地审批和建房监管")


# renamed: same id, new name; the name is not also a modified field
def test_renamed_same_id(tmp_path: Path) -> None:
    result = diff(
        tmp_path,
        {"fgz": lists(basic=BASIC), "hsz": lists(basic=BASIC)},
        {"fgz": lists(basic=RENAMED), "hsz": lists(basic=RENAMED)},
    )
    assert counts(result) == {"renamed": 1}
    c = one(result, "renamed")
    assert c.fields == [{"path": "name", "old": "农村宅基地审批监管", "new": "农村宅基地审批和建房监管"}]
    assert c.name == "农村宅基地审批和建房监管"
    assert burden(result) == {}


# A 1→1 replaces is renamed, counted under the head id, and neither added nor revoked;
# renames change no burden.
@pytest.mark.parametrize("name", ["农村宅基地审批和建房监管", "农村宅基地审批监管"], ids=["new-name", "renumbered"])
def test_renamed_through_replaces(tmp_path: Path, name: str) -> None:
    new = f"{{id: X-150, name: {name}, category: 城乡建设, replaces: [X-050]"
    result = diff(
        tmp_path,
        {"fgz": lists(basic=[OTHER, BASIC]), "hsz": lists(cooperative=COOP_ZRZY)},
        {
            "fgz": lists(basic=[OTHER, new + "}"]),
            "hsz": lists(cooperative=new + ", lead: zrzy, lead_duty: 负责审批, township_duty: 做好巡查}"),
        },
    )
    assert counts(result) == {"renamed": 1}
    c = one(result, "renamed", "X-150")
    assert c.replaces == ["X-050"]
    assert held(c.before) == [("fgz", "basic"), ("hsz", "cooperative", "zrzy")]
    assert held(c.after) == [("fgz", "basic"), ("hsz", "cooperative", "zrzy")]
    if name != "农村宅基地审批监管":
        assert c.fields == [{"path": "name", "old": "农村宅基地审批监管", "new": name}]
    assert burden(result) == {}


# n→1 is merged (base ids mapped through replaces: no burden change)
def test_merged(tmp_path: Path) -> None:
    merged = "{id: X-300, name: 宅基地和集体经济, category: 城乡建设, replaces: [X-050, Y-101]}"
    result = diff(
        tmp_path,
        {"fgz": lists(basic=[BASIC, OTHER]), "hsz": lists(basic=[BASIC, OTHER])},
        {"fgz": lists(basic=merged), "hsz": lists(basic=merged)},
    )
    assert counts(result) == {"merged": 1}
    c = one(result, "merged", "X-300")
    assert sorted(c.replaces) == ["X-050", "Y-101"]
    assert burden(result) == {}


# 1→n is split: one change per head id, each naming the id it continues; nothing added or revoked
def test_split(tmp_path: Path) -> None:
    a = "{id: X-051, name: 农村宅基地审批, category: 城乡建设, replaces: [X-050]}"
    b = "{id: X-052, name: 农村建房监管, category: 城乡建设, replaces: [X-050]}"
    result = diff(tmp_path, {"fgz": lists(basic=BASIC)}, {"fgz": lists(basic=[a, b])})
    assert counts(result) == {"split": 2}
    assert {c.id: c.replaces for c in result.changes} == {"X-051": ["X-050"], "X-052": ["X-050"]}
    assert burden(result) == {}


# A split whose parts go to different townships: hsz holds X-052, never X-051, so nothing says
# X-051 was extended to hsz (extended needs the id itself in a list some township held).
def test_split_across_townships_is_not_reported_as_extended(tmp_path: Path) -> None:
    a = "{id: X-051, name: 农村宅基地审批, category: 城乡建设, replaces: [X-050]}"
    b = "{id: X-052, name: 农村建房监管, category: 城乡建设, replaces: [X-050]}"
    result = diff(tmp_path, {"fgz": lists(basic=BASIC)}, {"fgz": lists(basic=a), "hsz": lists(basic=b)})
    assert {c.id for c in result.changes if c.kind == "split"} == {"X-051", "X-052"}
    assert not [c for c in result.changes if c.kind == "extended"], [c.to_json() for c in result.changes]


# --- modified -----------------------------------------------------------------------------


# modified: other fields changed, reported field by field with paths
def test_modified_field_by_field(tmp_path: Path) -> None:
    old = f"{{{ITEM}, tasks: 审批宅基地, basis: [《土地管理法》第六十二条, 《村庄规划条例》第三条]}}"
    new = f"{{{ITEM}, tasks: 审批宅基地并巡查, basis: [《土地管理法》第六十二条, 《城乡规划法》第四十一条]}}"
    result = diff(
        tmp_path,
        {"fgz": lists(basic=old), "hsz": lists(basic=old)},
        {"fgz": lists(basic=new), "hsz": lists(basic=new)},
    )
    assert counts(result) == {"modified": 1}
    c = one(result, "modified")
    assert [(f["path"], f["old"], f["new"]) for f in c.fields] == [
        ("basis[1]", "《村庄规划条例》第三条", "《城乡规划法》第四十一条"),
        ("tasks", "审批宅基地", "审批宅基地并巡查"),
    ]
    assert burden(result) == {}


def test_modified_fields_that_appear(tmp_path: Path) -> None:
    old = f"{{{ITEM}, basis: [《土地管理法》第六十二条]}}"
    new = (
        "{id: X-050, name: 农村宅基地审批监管, category: 民生服务, approval: 府办发〔2025〕12号,"
        " basis: [《土地管理法》第六十二条, 《城乡规划法》第四十一条]}"
    )
    result = diff(tmp_path, {"fgz": lists(basic=old)}, {"fgz": lists(basic=new)})
    assert counts(result) == {"modified": 1}
    assert [(f["path"], f["old"], f["new"]) for f in one(result, "modified").fields] == [
        ("approval", None, "府办发〔2025〕12号"),
        ("basis[1]", None, "《城乡规划法》第四十一条"),
        ("category", "城乡建设", "民生服务"),
    ]


def test_modified_cooperative_duties(tmp_path: Path) -> None:
    new = COOP_ZRZY.replace("township_duty: 做好巡查", "township_duty: 做好巡查和上报")
    result = diff(tmp_path, {"fgz": lists(cooperative=COOP_ZRZY)}, {"fgz": lists(cooperative=new)})
    assert counts(result) == {"modified": 1}
    assert [(f["path"], f["old"], f["new"]) for f in one(result, "modified").fields] == [
        ("township_duty", "做好巡查", "做好巡查和上报")
    ]


# When an entry changes list, lead, lead_duty, township_duty, receiver, method and power_type
# appearing or disappearing are part of the move, not modified; other fields still are.
@pytest.mark.parametrize(
    ("base", "head", "kind"),
    [
        ({"fgz": lists(basic=BASIC)}, {"fgz": lists(cooperative=COOP_ZRZY)}, "role_changed"),
        ({"fgz": lists(cooperative=COOP_ZRZY)}, {"fgz": lists(basic=BASIC)}, "role_changed"),
        ({"fgz": lists(cooperative=COOP_ZRZY)}, {"fgz": lists(recalled=RECALLED_YJJ)}, "withdrawn"),
        ({"fgz": lists(recalled=RECALLED_ZRZY)}, {"fgz": lists(basic=BASIC)}, "delegated"),
        ({"zrzy": lists(powers=POWER)}, {"fgz": lists(cooperative=COOP_ZRZY)}, "delegated"),
        ({"fgz": lists(basic=BASIC)}, {"zrzy": lists(powers=POWER)}, "withdrawn"),
    ],
    ids=["basic-cooperative", "cooperative-basic", "cooperative-recalled", "recalled-basic", "powers-cooperative",
         "basic-dept-powers"],
)  # fmt: skip
def test_list_fields_moving_with_an_entry_are_not_modified(
    tmp_path: Path, base: dict[str, str], head: dict[str, str], kind: str
) -> None:
    plain = diff(tmp_path / "plain", base, head)
    assert counts(plain) == {kind: 1}
    # the same move with the tasks rewritten: modified, and only for tasks
    retask = {
        u: body.replace("category: 城乡建设", "category: 城乡建设, tasks: 新的工作内容") for u, body in head.items()
    }
    moved = diff(tmp_path / "retask", base, retask)
    assert counts(moved) == {kind: 1, "modified": 1}
    assert [(f["path"], f["old"], f["new"]) for f in one(moved, "modified").fields] == [("tasks", None, "新的工作内容")]


# --- unit_renamed -------------------------------------------------------------------------

ZRGH_UNITS = UNITS.replace(
    "  - {id: zrzy, name: 县自然资源局}", "  - {id: zrgh, name: 县自然资源和规划局, replaces: [zrzy]}"
)


# unit_renamed: counted once per head unit whose replaces names a base unit; its items, and
# every lead/receiver that named it, follow it without being transferred
def test_unit_renamed_carries_items_leads_and_receivers(tmp_path: Path) -> None:
    coop_zrgh = COOP_ZRZY.replace("lead: zrzy", "lead: zrgh")
    recalled_zrgh = RECALLED_ZRZY.replace("X-050", "Z-005").replace("receiver: zrzy", "receiver: zrgh")
    result = diff(
        tmp_path,
        {
            "zrzy": lists(powers=POWER.replace("X-050", "P-001")),
            "fgz": lists(cooperative=COOP_ZRZY, recalled=RECALLED_ZRZY.replace("X-050", "Z-005")),
            "hsz": lists(cooperative=COOP_ZRZY),
        },
        {
            "zrgh": lists(powers=POWER.replace("X-050", "P-001")),
            "fgz": lists(cooperative=coop_zrgh, recalled=recalled_zrgh),
            "hsz": lists(cooperative=coop_zrgh),
        },
        head_units=ZRGH_UNITS,
    )
    assert counts(result) == {"unit_renamed": 1}
    c = one(result, "unit_renamed", "zrgh")
    assert c.replaces == ["zrzy"] and c.name == "县自然资源和规划局"
    assert burden(result) == {}


def test_unit_renamed_counts_once_per_head_unit(tmp_path: Path) -> None:
    merged_units = UNITS.replace(
        "  - {id: zrzy, name: 县自然资源局}\n  - {id: yjj, name: 县应急管理局}\n",
        "  - {id: zrgh, name: 县自然资源和应急管理局, replaces: [zrzy, yjj]}\n",
    )
    p1, p2 = POWER.replace("X-050", "P-001"), POWER.replace("X-050", "P-002").replace("农村", "城镇")
    result = diff(
        tmp_path,
        {"zrzy": lists(powers=p1), "yjj": lists(powers=p2), "fgz": lists(cooperative=[COOP_ZRZY])},
        {"zrgh": lists(powers=[p1, p2]), "fgz": lists(cooperative=[COOP_ZRZY.replace("lead: zrzy", "lead: zrgh")])},
        head_units=merged_units,
    )
    assert counts(result) == {"unit_renamed": 1}  # one head unit, two base units: no transfer of P-002
    assert sorted(one(result, "unit_renamed", "zrgh").replaces) == ["yjj", "zrzy"]


def test_renamed_township_keeps_its_items_and_burden(tmp_path: Path) -> None:
    hsx_units = UNITS.replace(
        "  - {id: hsz, name: 黄甫镇, kind: town}", "  - {id: hsx, name: 黄甫新镇, kind: town, replaces: [hsz]}"
    )
    result = diff(
        tmp_path,
        {"hsz": lists(basic=[BASIC, OTHER])},
        {"hsx": lists(basic=[BASIC, OTHER])},
        head_units=hsx_units,
    )
    assert counts(result) == {"unit_renamed": 1}  # not narrowed from hsz, not extended to hsx
    assert [u.unit for u in result.units] == ["fgz", "hsx", "mjz"]
    assert burden(result) == {}


# --- burden and summary -------------------------------------------------------------------


def test_burden_ledger_per_township(tmp_path: Path) -> None:
    """Added, revoked, withdrawn and extended move burden; role changes, renames, transfers and
    modifications do not. One row per township of head, zeros included, no departments."""
    item = "{{id: {id}, name: {name}, category: 综合保障}}"
    a, b, c, d = (item.format(id=f"I-{n}", name=f"事项{n}") for n in "ABCD")
    coop = "{id: I-E, name: 事项E, lead: zrzy, lead_duty: 牵头, township_duty: 配合}"
    base = {
        "fgz": lists(basic=[a, b, c], cooperative=coop),
        "hsz": lists(basic=[a, d]),
        "mjz": lists(basic=a),
    }
    head = {
        # I-A stays, I-B revoked, I-C withdrawn, I-F added, I-E transferred
        "fgz": lists(
            basic=[a, "{id: I-F, name: 事项F, category: 综合保障}"],
            cooperative=coop.replace("lead: zrzy", "lead: yjj"),
            recalled="{id: I-C, name: 事项C, category: 综合保障, receiver: sfj}",
        ),
        # I-A role changed, I-D renamed and modified, I-E extended (cooperative, as in fgz)
        "hsz": lists(
            basic="{id: I-D, name: 事项D（新）, category: 综合保障, tasks: 新增工作内容}",
            cooperative=[
                "{id: I-A, name: 事项A, category: 综合保障, lead: sfj}",
                coop.replace("lead: zrzy", "lead: yjj"),
            ],
        ),
        "mjz": lists(basic=a),
    }
    result = diff(tmp_path, base, head)
    assert counts(result) == {
        "added": 1, "revoked": 1, "withdrawn": 1, "transferred": 1, "role_changed": 1, "extended": 1,
        "renamed": 1, "modified": 1,
    }  # fmt: skip
    rows = [(u.unit, u.gained, u.lost, u.net) for u in result.units]
    assert rows == [("fgz", 1, 2, -1), ("hsz", 1, 0, 1), ("mjz", 0, 0, 0)]
    data = result.to_json()["units"]
    assert [set(row) >= {"unit", "gained", "lost", "net"} for row in data] == [True, True, True]


def test_summary_has_every_kind_with_zeros(tmp_path: Path) -> None:
    result = diff(tmp_path, {"fgz": lists(basic=BASIC)}, {"fgz": lists(basic=BASIC)})
    assert result.changes == []
    assert result.summary() == dict.fromkeys(CHANGE_KINDS, 0)
    assert list(result.to_json()["summary"]) == list(CHANGE_KINDS)
    assert [(u.unit, u.gained, u.lost, u.net) for u in result.units] == [(t, 0, 0, 0) for t in TOWNSHIPS]


# --- every difference is reported ----------------------------------------------------------

# The burden delta summarises the changes (§5) and the duty-access check of §6 works on them:
# an item a township starts or stops holding must show up as a change naming that township,
# and two versions whose entries differ are never "no change" (diff --exit-code exits 0).
DEPT_POWER = lists(powers=POWER)


@pytest.mark.parametrize(
    ("base", "head"),
    [
        # a department keeps the power and a township takes it up as a basic duty: fgz +1
        ({"zrzy": DEPT_POWER}, {"zrzy": DEPT_POWER, "fgz": lists(basic=BASIC)}),
        # a township stops a basic duty that a department already held: fgz -1
        ({"zrzy": DEPT_POWER, "fgz": lists(basic=BASIC)}, {"zrzy": DEPT_POWER}),
        # a second department takes up a power the first keeps
        ({"zrzy": DEPT_POWER}, {"zrzy": DEPT_POWER, "yjj": DEPT_POWER}),
        # a township newly lists as recalled an item that another does as a basic duty
        ({"fgz": lists(basic=BASIC)}, {"fgz": lists(basic=BASIC), "hsz": lists(recalled=RECALLED_ZRZY)}),
    ],
    ids=["dept-keeps-township-starts", "dept-held-township-stops", "second-department", "newly-recalled"],
)
def test_every_difference_is_reported(tmp_path: Path, base: dict[str, str], head: dict[str, str]) -> None:
    result = diff(tmp_path, base, head)
    assert result.changes, f"no change reported; burden {burden(result)}"
    named = set().union(*(c.units() for c in result.changes))
    assert set(burden(result)) <= named, f"burden {burden(result)} but changes name only {sorted(named)}"
