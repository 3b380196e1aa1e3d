"""Precompiled validators: the models' pydantic-core schemas, stored as JSON in the package.

Importing pydantic and building the models costs ~0.15 s, more than validating a
changed file takes; pydantic-core alone costs ~0.04 s. So the core schemas of the models
are generated once (``python -m dutylist.model.coreschema --write``, part of ``make
schemas``), with every model turned into the equivalent typed dict, and stored in
``core_schema.json`` beside this module. Validation then runs on pydantic-core alone,
with the same rules, the same error types and the same locations as the models; a test
fails when the stored schemas drift from the models.

Functions in the schemas (the rules of :mod:`.rules`) are stored by name and resolved
from a fixed table: nothing in the file can name code to run.
"""

from __future__ import annotations

import re
import sys
from functools import cache
from pathlib import Path
from typing import Any

import orjson

from . import rules

CORE_SCHEMA_FILE = Path(__file__).with_name("core_schema.json")

#: The only functions a stored schema may name, by the name the models' schemas give them.
FUNCTIONS = {
    "check_date": rules.check_date,
    "check_record": rules.check_record,
    "Adjustment._names_something": rules.check_record,
    "list": list,
}
_DROP = {"metadata", "cls", "custom_init", "root_model", "post_init", "serialization", "model_name", "computed_fields"}
_REF_ID = re.compile(r":\d+$")


# --- generation (imports pydantic and the models) ---------------------------------------


def build_core_schemas() -> dict[str, Any]:
    from .catalogue import FILE_MODELS as MODELS

    return {kind: _convert(model.__pydantic_core_schema__) for kind, model in MODELS.items()}


def render_core_schemas() -> bytes:
    return orjson.dumps(build_core_schemas(), option=orjson.OPT_INDENT_2) + b"\n"


def _convert(node: Any) -> Any:
    if isinstance(node, list):
        return [_convert(v) for v in node]
    if not isinstance(node, dict):
        if callable(node):
            name = node.__qualname__
            if FUNCTIONS.get(name) is None:
                raise ValueError(f"function {name} is not in coreschema.FUNCTIONS")
            return {"$fn": name}
        return node
    kind = node.get("type")
    if kind == "default" and node.get("default") == []:
        # pydantic-core deep-copies a mutable default for every value that omits the key
        # (one copy.deepcopy per item without `replaces`); a factory gives the same fresh list
        out = {k: _convert(v) for k, v in node.items() if k != "default" and k not in _DROP}
        return {**out, "default_factory": {"$fn": "list"}}
    if kind == "model":
        inner = _convert(node["schema"])
        if not node.get("root_model"):
            config = node.get("config", {})
            inner["extra_behavior"] = config.get("extra_fields_behavior", "ignore")
        if "ref" in node:
            inner["ref"] = _REF_ID.sub("", node["ref"])
        return inner
    if kind == "model-fields":
        fields = {}
        for name, field in node["fields"].items():
            out = {
                "type": "typed-dict-field",
                "schema": _convert(field["schema"]),
                "required": field["schema"].get("type") != "default",
            }
            if "validation_alias" in field:
                out["validation_alias"] = field["validation_alias"]
            fields[name] = out
        return {"type": "typed-dict", "fields": fields}
    out = {}
    for key, value in node.items():
        if key in _DROP:
            continue
        if key in ("ref", "schema_ref") and isinstance(value, str):
            out[key] = _REF_ID.sub("", value)
        else:
            out[key] = _convert(value)
    return out


# --- use (pydantic-core only) ----------------------------------------------------------


@cache
def _stored() -> dict[str, Any]:
    data: dict[str, Any] = orjson.loads(CORE_SCHEMA_FILE.read_bytes())
    return data


def _resolve(node: Any) -> Any:
    if isinstance(node, list):
        return [_resolve(v) for v in node]
    if isinstance(node, dict):
        if set(node) == {"$fn"}:
            return FUNCTIONS[node["$fn"]]
        return {k: _resolve(v) for k, v in node.items()}
    return node


@cache
def validator(kind: str) -> Any:
    """A pydantic-core ``SchemaValidator`` for one file kind."""
    from pydantic_core import SchemaValidator

    return SchemaValidator(_resolve(_stored()[kind]))


def allowed_keys(kind: str, loc: tuple[Any, ...]) -> list[str]:
    """The keys accepted at ``loc`` in a file of this kind (for "did you mean" hints)."""
    schema = _stored()[kind]
    defs = {d["ref"]: d for d in schema.get("definitions", [])} if schema.get("type") == "definitions" else {}
    node = _unwrap(schema, defs)
    for seg in loc:
        if isinstance(seg, int) and node.get("type") == "list":
            node = _unwrap(node["items_schema"], defs)
        elif isinstance(seg, str) and node.get("type") == "typed-dict":
            field = next((f for name, f in node["fields"].items() if seg in (name, f.get("validation_alias"))), None)
            if field is None:
                return []
            node = _unwrap(field["schema"], defs)
        else:
            return []
    if node.get("type") != "typed-dict":
        return []
    return [f.get("validation_alias") or name for name, f in node["fields"].items()]


def _unwrap(node: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    while True:
        kind = node.get("type")
        if kind == "definitions":
            node = node["schema"]
        elif kind == "definition-ref":
            node = defs[node["schema_ref"]]
        elif kind in ("default", "nullable", "function-after", "function-before"):
            node = node["schema"]
        else:
            return node


def main(argv: list[str]) -> int:
    text = render_core_schemas()
    if argv[1:] == ["--write"]:
        if not CORE_SCHEMA_FILE.exists() or CORE_SCHEMA_FILE.read_bytes() != text:
            CORE_SCHEMA_FILE.write_bytes(text)
            print(f"wrote {CORE_SCHEMA_FILE}")
        return 0
    if argv[1:] == ["--check"]:
        same = CORE_SCHEMA_FILE.exists() and CORE_SCHEMA_FILE.read_bytes() == text
        print("up to date" if same else f"{CORE_SCHEMA_FILE} differs from the models")
        return 0 if same else 1
    print("usage: python -m dutylist.model.coreschema --write | --check")
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
