"""The precompiled validators agree with the pydantic models they are generated from."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml_rs
from pydantic import TypeAdapter, ValidationError

from dutylist.model.catalogue import FILE_MODELS
from dutylist.model.coreschema import CORE_SCHEMA_FILE, allowed_keys, render_core_schemas, validator
from dutylist.source.version import file_kind

REPO = Path(__file__).resolve().parent.parent


def test_stored_core_schemas_do_not_drift_from_the_models() -> None:
    assert CORE_SCHEMA_FILE.read_bytes() == render_core_schemas(), (
        "src/dutylist/model/core_schema.json differs from the models: run `make schemas`"
    )


def errors_of(fn: Any, data: Any) -> list[tuple[str, tuple[Any, ...]]] | None:
    try:
        fn(data)
    except ValidationError as exc:
        # a typed dict says dict_type where a model says model_type: the same problem
        return sorted((e["type"].replace("model_type", "dict_type"), tuple(e["loc"])) for e in exc.errors())
    return None


def both(kind: str, data: Any) -> tuple[Any, Any]:
    model = errors_of(TypeAdapter(FILE_MODELS[kind]).validate_python, data)
    core = errors_of(validator(kind).validate_python, data)
    return model, core


def sample_documents() -> list[tuple[str, Any]]:
    out = []
    for path in sorted((REPO / "catalogues").rglob("*.yaml")):
        rel = path.relative_to(path.parents[0] if path.parent.name in ("units", "templates") else path.parent)
        kind = file_kind(
            ("units/" if path.parent.name == "units" else "templates/" if path.parent.name == "templates" else "")
            + rel.name
        )
        if kind:
            out.append((kind, yaml_rs.loads(path.read_text(encoding="utf-8"), parse_datetime=False)))
    return out


@pytest.mark.parametrize(("kind", "data"), sample_documents()[:20])
def test_valid_samples_are_valid_for_both(kind: str, data: Any) -> None:
    assert both(kind, data) == (None, None)


BROKEN = [
    ("unit", {"unit": 1, "basic": [{"id": "a b", "nmae": "x"}, "text", {"id": "A", "name": "n", "basis": "b"}]}),
    ("unit", {"unit": "x", "cooperative": [{"id": "C", "name": True, "lead": 3, "extra": 1}], "powers": [{"id": "P"}]}),
    ("unit", ["not", "a", "mapping"]),
    ("unit", None),
    ("template", {"template": "t", "recalled": {"id": "R"}}),
    ("catalogue", {"schema": 2, "title": "", "region": {"code": 610822}, "effective": "2025-02-30", "x": 1}),
    ("catalogue", {"schema": "1", "title": "t", "region": "府谷县", "effective": 20250301}),
    ("units", {"departments": [{"id": "d"}], "townships": [{"id": "t", "name": "镇", "kind": "镇"}], "villages": "x"}),
    ("adjustments", [{"id": "T", "kind": "withdrew", "items": []}, {"id": "U", "kind": "unit_renamed"}, 5]),
    ("adjustments", {"id": "T"}),
]


@pytest.mark.parametrize(("kind", "data"), BROKEN)
def test_broken_documents_give_the_same_errors(kind: str, data: Any) -> None:
    model, core = both(kind, data)
    assert model is not None
    assert core == model


def test_allowed_keys_follow_the_models() -> None:
    assert allowed_keys("unit", ("cooperative", 0)) == [
        "id",
        "name",
        "category",
        "tasks",
        "basis",
        "approval",
        "replaces",
        "lead",
        "lead_duty",
        "township_duty",
    ]
    assert allowed_keys("catalogue", ())[0] == "schema"
    assert allowed_keys("adjustments", (3,))[:3] == ["id", "kind", "items"]
    assert allowed_keys("unit", ("basic", 0, "name")) == []


def test_empty_list_defaults_are_fresh_lists() -> None:
    """Defaults of `[]` are stored as a factory (no deep copy per item), each value its own list."""
    out = validator("unit").validate_python(
        {"unit": "fgz", "basic": [{"id": "FG-B-1", "name": "甲"}, {"id": "FG-B-2", "name": "乙"}]}
    )
    first, second = out["basic"]
    assert first["basis"] == second["basis"] == [] and first["replaces"] == []
    assert first["basis"] is not second["basis"]
    assert out["include"] == [] and out["include"] is not out["exclude"]
