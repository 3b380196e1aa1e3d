"""``list.csv``: every entry of a compiled list, one row each, for spreadsheets and scripts.

The dialect is chosen for Excel on Chinese Windows, where most of these files are opened:
UTF-8 with a byte order mark (without it Excel reads the file as GBK and shows mojibake),
commas, fields quoted only when needed, CRLF line ends (RFC 4180 and the ``csv`` module's
default; line breaks inside a quoted field are kept as written). Headers are Chinese, one
column per key of ``ENTRY_FIELDS`` in the same order; the list and the unit kind are shown
by their Chinese labels; lists of texts (依据, 承继事项) are joined with "；". Every text
cell goes through ``safe_cell``, so nothing a catalogue says is run as a formula.

Excel still converts some cells as it opens a CSV (an id like ``001`` loses its zeros);
the XLSX rendering is the one to publish, this one is for data work.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from ..compiled import ENTRY_FIELDS, CompiledList
from ..model.vocab import KIND_LABELS_ZH, LIST_LABELS_ZH
from .cells import safe_cell
from .list_tables import iter_entries

HEADERS: dict[str, str] = {
    "unit": "单位编码",
    "unit_name": "单位名称",
    "unit_kind": "单位类型",
    "list": "清单",
    "seq": "序号",
    "id": "事项编码",
    "name": "事项名称",
    "category": "类别",
    "tasks": "具体工作",
    "basis": "依据",
    "approval": "文号",
    "replaces": "承继事项",
    "lead": "牵头部门",
    "lead_name": "牵头部门名称",
    "lead_duty": "上级部门职责",
    "township_duty": "乡镇配合职责",
    "receiver": "承接部门",
    "receiver_name": "承接部门名称",
    "method": "工作方式",
    "power_type": "权力类型",
    "template": "来源模板",
}
assert tuple(HEADERS) == ENTRY_FIELDS, "one CSV column per entry field, in the same order"

LIST_SEPARATOR = "；"
_LABELS = {"list": LIST_LABELS_ZH, "unit_kind": KIND_LABELS_ZH}


def csv_cell(key: str, value: Any) -> str | int:
    """One cell: labels in Chinese, lists joined, nothing as empty, text made safe."""
    if value is None:
        return ""
    if isinstance(value, int):
        return value
    if isinstance(value, list):
        value = LIST_SEPARATOR.join(value)
    elif key in _LABELS:
        value = _LABELS[key].get(value, value)
    return safe_cell(str(value))


def write_csv(listing: CompiledList, out_dir: Path) -> list[Path]:
    target = out_dir / "list.csv"
    with open(target, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)  # the excel dialect: comma, minimal quoting, CRLF
        writer.writerow(HEADERS.values())
        writerow = writer.writerow
        for entry in iter_entries(listing):
            writerow([csv_cell(key, entry.get(key)) for key in ENTRY_FIELDS])
    return [target]
