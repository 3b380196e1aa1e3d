"""Small catalogue builders for tests: YAML in strings, written to a temporary root."""

from __future__ import annotations

import textwrap
from pathlib import Path

CATALOGUE = """\
schema: 1
title: 府谷县乡镇（街道）履行职责事项清单（{label}年版）
region: {{code: "610822", name: 府谷县}}
effective: {label}-03-01
categories: [党的建设, 经济发展, 民生服务, 平安法治, 生态环保, 城乡建设, 综合保障]
"""

UNITS = """\
departments:
  - {id: zrzy, name: 县自然资源局}
  - {id: yjj, name: 县应急管理局}
townships:
  - {id: fgz, name: 府谷镇, kind: town}
  - {id: hsz, name: 黄甫镇, kind: town}
villages:
  - {id: fgz-hc, name: 黄河村, township: fgz}
"""

FGZ = """\
unit: fgz
basic:
  - id: FG-B-101
    name: 发展村级集体经济
    category: 经济发展
    basis: [《中华人民共和国村民委员会组织法》第八条]
cooperative:
  - id: FG-C-012
    name: 重大项目征地中的群众工作
    lead: zrzy
    lead_duty: 负责征地报批
    township_duty: 做好群众工作
recalled:
  - id: FG-R-005
    name: 煤矿井田内违规建房执法
    receiver: zrzy
    method: 部门执法，乡镇提供线索
"""


def write_version(root: Path, label: str = "2025", files: dict[str, str] | None = None) -> Path:
    """A small valid version under ``root/label``; ``files`` add to or replace its files."""
    base = {
        "catalogue.yaml": CATALOGUE.format(label=label),
        "units.yaml": UNITS,
        "units/fgz.yaml": FGZ,
    }
    base.update(files or {})
    vdir = root / label
    for rel, text in base.items():
        path = vdir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return vdir
