"""Fixed vocabularies of schema 1: list keys, unit kinds, power types, change kinds."""

from __future__ import annotations

import re

SCHEMA_VERSION = 1

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
ID_RE = re.compile(ID_PATTERN)

TOWNSHIP_KINDS = ("town", "township", "street")
UNIT_KINDS = ("department", *TOWNSHIP_KINDS, "village")

TOWNSHIP_LISTS = ("basic", "cooperative", "recalled", "powers")
DEPARTMENT_LISTS = ("powers",)
VILLAGE_LISTS = ("autonomy", "assist", "negative")
ALL_LISTS = (*TOWNSHIP_LISTS, *VILLAGE_LISTS)

LISTS_BY_KIND: dict[str, tuple[str, ...]] = {
    "department": DEPARTMENT_LISTS,
    "town": TOWNSHIP_LISTS,
    "township": TOWNSHIP_LISTS,
    "street": TOWNSHIP_LISTS,
    "village": VILLAGE_LISTS,
}

#: The order of an item's keys as people write them (DESIGN §2): what it is, who leads or
#: receives it, then the texts. ``dutylist fmt`` and the sample generator follow it.
ITEM_KEY_ORDER = (
    "id",
    "name",
    "replaces",
    "category",
    "lead",
    "lead_duty",
    "township_duty",
    "receiver",
    "method",
    "power_type",
    "tasks",
    "basis",
    "approval",
)

LIST_LABELS_ZH = {
    "basic": "基本履职事项",
    "cooperative": "配合履职事项",
    "recalled": "上级部门收回事项",
    "powers": "权责清单",
    "autonomy": "依法自治事项",
    "assist": "依法协助事项",
    "negative": "负面清单",
}

KIND_LABELS_ZH = {
    "department": "县直部门",
    "town": "镇",
    "township": "乡",
    "street": "街道",
    "village": "村（社区）",
}

POWER_TYPES = (
    "行政许可",
    "行政处罚",
    "行政强制",
    "行政征收",
    "行政给付",
    "行政检查",
    "行政确认",
    "行政奖励",
    "行政裁决",
    "其他行政权力",
    "公共服务",
)

CHANGE_KINDS = (
    "added",
    "revoked",
    "withdrawn",
    "delegated",
    "transferred",
    "role_changed",
    "extended",
    "narrowed",
    "renamed",
    "merged",
    "split",
    "modified",
    "unit_renamed",
)

CHANGE_LABELS_ZH = {
    "added": "新增",
    "revoked": "取消",
    "withdrawn": "上收",
    "delegated": "下放",
    "transferred": "划转",
    "role_changed": "类型调整",
    "extended": "扩大适用",
    "narrowed": "缩小适用",
    "renamed": "更名",
    "merged": "合并",
    "split": "拆分",
    "modified": "调整",
    "unit_renamed": "机构调整",
}
