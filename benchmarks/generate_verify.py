"""Check a generated catalogue version: models, integrity rules, exact content.

    python benchmarks/generate_verify.py VERSION_DIR

Independent of dutylist's own validator on purpose: it is what says the generator's output
is a valid catalogue, so a benchmark that finds `dutylist validate` failing on it points at
the validator. Slow (PyYAML, ~15 s per 100k items): for tests of the generator, not for
benchmark runs.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from dutylist.model.catalogue import Catalogue, TemplateFile, UnitFile, UnitsFile
from dutylist.model.vocab import ALL_LISTS, DEPARTMENT_LISTS, POWER_TYPES, TOWNSHIP_LISTS


def verify_version(vdir: Path, expected: dict[str, Any] | None = None) -> list[str]:
    """Problems found in a written version directory: the pydantic models, the DESIGN §2
    integrity rules and, given ``expected`` (``generate.version_data``: relative path ->
    data), that every file loads to exactly that data."""
    problems: list[str] = []
    loaded: dict[str, Any] = {}
    for path in sorted(vdir.rglob("*.yaml")):
        with path.open(encoding="utf-8") as f:
            loaded[path.relative_to(vdir).as_posix()] = yaml.load(f, Loader=yaml.CSafeLoader)
    if expected is not None:
        if sorted(expected) != sorted(loaded):
            problems.append(f"file set differs: {sorted(set(expected) ^ set(loaded))[:5]}")
        problems += [f"{rel}: loads to other data" for rel, data in expected.items() if loaded.get(rel) != data]

    try:
        cat = Catalogue.model_validate(loaded["catalogue.yaml"])
        units = UnitsFile.model_validate(loaded["units.yaml"])
    except (KeyError, ValidationError) as exc:
        return [*problems, f"catalogue.yaml or units.yaml: {exc}"]
    categories = set(cat.categories or [])
    power_types = set(POWER_TYPES) | set(cat.power_types)
    dept_ids = {d.id for d in units.departments}
    township_ids = {t.id for t in units.townships}
    names: dict[str, str] = {}
    templates: dict[str, list[str]] = {}

    def check_lists(where: str, model: Any, allowed: tuple[str, ...]) -> list[str]:
        ids: list[str] = []
        for key in ALL_LISTS:
            items = getattr(model, key)
            if items and key not in allowed:
                problems.append(f"{where}: list {key} not allowed here")
            for item in items:
                ids.append(item.id)
                if names.setdefault(item.id, item.name) != item.name:
                    problems.append(f"{where}: id {item.id} names two items")
                if categories and item.category is not None and item.category not in categories:
                    problems.append(f"{where}: {item.id} category {item.category}")
                if key == "cooperative" and item.lead not in dept_ids:
                    problems.append(f"{where}: {item.id} lead {item.lead}")
                if key == "recalled" and item.receiver not in dept_ids:
                    problems.append(f"{where}: {item.id} receiver {item.receiver}")
                if key == "powers" and item.power_type not in power_types:
                    problems.append(f"{where}: {item.id} power_type {item.power_type}")
        return ids

    for rel, doc in loaded.items():
        if rel.startswith("templates/"):
            try:
                tmpl = TemplateFile.model_validate(doc)
            except ValidationError as exc:
                problems.append(f"{rel}: {exc}")
                continue
            if tmpl.template != Path(rel).stem:
                problems.append(f"{rel}: template name differs from file name")
            templates[tmpl.template] = check_lists(rel, tmpl, TOWNSHIP_LISTS)
    for rel, doc in loaded.items():
        if not rel.startswith("units/"):
            continue
        try:
            uf = UnitFile.model_validate(doc)
        except ValidationError as exc:
            problems.append(f"{rel}: {exc}")
            continue
        if uf.unit != Path(rel).stem:
            problems.append(f"{rel}: unit {uf.unit} differs from file name")
        if uf.unit in township_ids:
            allowed: tuple[str, ...] = TOWNSHIP_LISTS
        elif uf.unit in dept_ids:
            allowed = DEPARTMENT_LISTS
        else:
            problems.append(f"{rel}: unit {uf.unit} not in units.yaml")
            allowed = ()
        ids = check_lists(rel, uf, allowed)
        template_ids: list[str] = []
        for name in uf.include:
            if name not in templates:
                problems.append(f"{rel}: unknown template {name}")
            else:
                template_ids += templates[name]
        problems += [f"{rel}: exclude {x} not in its templates" for x in uf.exclude if x not in template_ids]
        excluded = set(uf.exclude)
        expanded = ids + [i for i in template_ids if i not in excluded]
        if len(set(expanded)) != len(expanded):
            problems.append(f"{rel}: duplicate ids in the unit")
    return problems


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        raise SystemExit(__doc__)
    problems = verify_version(Path(argv[0]))
    for problem in problems:
        print(problem)
    print("ok" if not problems else f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
