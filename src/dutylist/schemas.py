"""JSON Schemas generated from the models, for editors (yaml-language-server) and tools."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from .model.catalogue import FILE_MODELS as MODELS

SCHEMA_FILES = {
    "catalogue": "catalogue.schema.json",
    "units": "units.schema.json",
    "unit": "unit.schema.json",
    "template": "template.schema.json",
    "adjustments": "adjustments.schema.json",
    "negative": "negative.schema.json",
    "list": "list.schema.json",
    "diff": "diff.schema.json",
}


def generate_schemas() -> dict[str, str]:
    """File name -> JSON text, deterministic."""
    from .model.diffing import DiffReport
    from .model.listing import CompiledListFile

    models: dict[str, Any] = {**MODELS, "list": CompiledListFile, "diff": DiffReport}
    out: dict[str, str] = {}
    for kind, filename in SCHEMA_FILES.items():
        schema: dict[str, Any] = TypeAdapter(models[kind]).json_schema(by_alias=True)
        doc = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": filename, **schema}
        out[filename] = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    return out


def write_schemas(out_dir: Path) -> list[Path]:
    """Write the schemas atomically; returns the files that changed."""
    import os
    import tempfile

    out_dir.mkdir(parents=True, exist_ok=True)
    changed = []
    for name, text in generate_schemas().items():
        target = out_dir / name
        if target.exists() and target.read_text(encoding="utf-8") == text:
            continue
        fd, tmp = tempfile.mkstemp(dir=out_dir, prefix=".tmp-")
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.replace(tmp, target)
        changed.append(target)
    return changed


def schema_drift(out_dir: Path) -> list[str]:
    """Names of schema files that are missing or differ from the models."""
    drift = []
    for name, text in generate_schemas().items():
        target = out_dir / name
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            drift.append(name)
    return drift
