"""Id digests: whether an item id is in two files, answered in full and after small changes."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dutylist.source import idhash
from dutylist.source.idhash import digest_ids, digests_of, repeats_in, repeats_since
from dutylist.validate import ValidateOptions, validate

from .builders import write_version


def base_of(*files: list[str]) -> str:
    repeats, ordered = repeats_in([digest_ids(ids) for ids in files])
    assert not repeats and ordered is not None
    return ordered


def test_digests_are_of_distinct_ids_in_order() -> None:
    assert digest_ids(["A-1", "A-2", "A-1"]) == digest_ids(["A-1", "A-2"])
    assert len(bytes.fromhex(digest_ids(["A-1", "A-2"]))) == 2 * idhash.WIDTH
    assert digests_of(["A-1"]) != digests_of(["A-2"])


def test_repeats_in_full() -> None:
    assert repeats_in([digest_ids(["A-1", "A-2"]), digest_ids(["B-1"])])[0] is False
    assert repeats_in([digest_ids(["A-1", "A-2"]), digest_ids(["B-1", "A-2"])]) == (True, None)
    assert repeats_in([]) == (False, "")


@pytest.mark.parametrize(
    ("before", "now", "repeats"),
    [
        # fgz changed and now has an id that the unchanged hsz has
        ({"fgz": ["F-1"]}, {"fgz": ["F-1", "H-1"]}, True),
        # fgz changed, keeping its own ids
        ({"fgz": ["F-1"]}, {"fgz": ["F-1", "F-2"]}, False),
        # an id moved from fgz to the (new) unit xyz: both changed, no repeat
        ({"fgz": ["F-1", "F-2"]}, {"fgz": ["F-1"], "xyz": ["F-2"]}, False),
        # both changed files now have it
        ({"fgz": ["F-1", "F-2"]}, {"fgz": ["F-1", "F-2"], "xyz": ["F-2"]}, True),
        # fgz deleted (no digests now) and xyz takes its ids
        ({"fgz": ["F-1", "F-2"]}, {"xyz": ["F-1", "F-2"]}, False),
    ],
)
def test_repeats_since_a_base(before: dict[str, list[str]], now: dict[str, list[str]], repeats: bool) -> None:
    unchanged = {"hsz": ["H-1", "H-2"]}
    base = base_of(*unchanged.values(), *before.values())
    old = set().union(*(digests_of(ids) for ids in before.values()))
    assert repeats_since(base, old, [digests_of(ids) for ids in now.values()]) is repeats
    # the full answer agrees
    assert repeats_in([digest_ids(ids) for ids in [*unchanged.values(), *now.values()]])[0] is repeats


UNITS = """\
departments: [{id: zrzy, name: 县自然资源局}]
townships:
  - {id: fgz, name: 府谷镇, kind: town}
  - {id: hsz, name: 黄甫镇, kind: town}
  - {id: gcz, name: 孤山镇, kind: town}
"""

POOL = ["GS-B-1", "GS-B-2", "GS-B-3", "GS-B-4"]
NAMES = ["发展村级集体经济", "做好征兵工作"]


def unit_file(unit: str, items: list[tuple[str, str]]) -> str:
    lines = [f"unit: {unit}", "basic:" if items else "basic: []"]
    lines += [f"  - {{id: {i}, name: {n}, category: 经济发展}}" for i, n in items]
    return "\n".join(lines) + "\n"


def view(root: Path, *, use_cache: bool) -> list[tuple[str, str, int, str]]:
    result = validate(ValidateOptions(root=root, use_cache=use_cache))
    return [(d.code, d.file, d.line, d.path) for d in result.diagnostics]


unit_items = st.lists(st.tuples(st.sampled_from(POOL), st.sampled_from(NAMES)), max_size=3, unique_by=lambda t: t[0])
edits = st.lists(st.tuples(st.sampled_from(["fgz", "hsz", "gcz"]), unit_items), min_size=1, max_size=5)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=edits, rebase=st.sampled_from([0, 1, idhash.REBASE_FILES]))
def test_runs_after_changes_report_what_a_fresh_run_does(
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
    edits: list[tuple[str, list[tuple[str, str]]]],
    rebase: int,
) -> None:
    """One file edited at a time, putting ids in two files, taking them out, moving them:
    each cached run (working from the digest base of an earlier run) reports exactly what
    an uncached run does."""
    monkeypatch.setattr(idhash, "REBASE_FILES", rebase)
    monkeypatch.setattr("dutylist.source.version.REBASE_FILES", rebase)
    root = tmp_path_factory.mktemp("v")
    units = {"fgz": [("GS-B-1", NAMES[0])], "hsz": [], "gcz": [("GS-B-2", NAMES[0])]}
    for unit, items in [(None, []), *edits]:
        if unit is not None:
            units[unit] = items
        files = {"units.yaml": UNITS, **{f"units/{u}.yaml": unit_file(u, its) for u, its in units.items()}}
        write_version(root, files=files)
        assert view(root, use_cache=True) == view(root, use_cache=False)


def test_an_id_put_in_a_second_file_is_found_after_a_cached_run(tmp_path: Path) -> None:
    write_version(
        tmp_path, files={"units.yaml": UNITS, "units/hsz.yaml": unit_file("hsz", [("HS-B-1", "做好征兵工作")])}
    )
    assert view(tmp_path, use_cache=True) == []
    write_version(
        tmp_path,
        files={"units.yaml": UNITS, "units/hsz.yaml": unit_file("hsz", [("FG-B-101", "做好征兵工作")])},
    )
    assert [(c, f) for c, f, _line, _path in view(tmp_path, use_cache=True)] == [("DL127", "2025/units/hsz.yaml")]
