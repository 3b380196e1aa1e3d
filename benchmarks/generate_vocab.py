"""Text pools for generate.py: sentences, laws, unit names, and the item names of
/work/shared/data. Every pool string is checked at import to be safe as a plain YAML scalar,
which is what lets generate.py write YAML by string building."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from dutylist.model.vocab import POWER_TYPES

DATA_DIR = Path("/work/shared/data")
ITEM_NAMES_TSV = DATA_DIR / "item-names.tsv"
UNITS_TSV = DATA_DIR / "units.tsv"

CATEGORIES = ("党的建设", "经济发展", "民生服务", "平安法治", "生态环保", "城乡建设", "综合保障")

TASK_SENTENCES = (
    "建立健全工作台账，明确分管领导和具体责任人。",
    "每季度开展一次全面排查，对发现的问题建立清单、限期整改。",
    "做好政策宣传解读，引导群众知晓相关政策并依法办理。",
    "及时收集汇总辖区内相关信息，按要求报送县级主管部门。",
    "配合上级部门开展专项检查和督导，落实各项整改措施。",
    "对村（社区）开展业务指导和培训，提升基层工作人员业务能力。",
    "建立问题线索移交机制，对超出乡镇职权的事项及时移交有关部门。",
    "做好档案资料的收集、整理和归档，确保资料完整可查。",
    "落实信息公开要求，在便民服务中心公示办理流程和办理时限。",
    "对群众反映的问题及时受理、限时办结，并做好跟踪回访。",
    "组织村（社区）干部开展日常巡查，发现问题第一时间处置上报。",
    "按照县级部署制定年度工作计划，分解任务到村到人。",
    "统筹辖区内人员力量，落实网格化管理责任。",
    "加强与县直有关部门的沟通协作，形成工作合力。",
    "对重点对象实行动态管理，做到底数清、情况明。",
    "定期召开专题会议研究部署，及时解决工作中遇到的困难和问题。",
    "落实资金使用管理规定，确保专款专用、账目清楚。",
    "组织开展应急演练，提高基层应急处置能力。",
    "每年年底前对工作开展情况进行总结，并报县级主管部门备案。",
    "做好群众来信来访的接待和答复，引导群众依法表达诉求。",
    "对排查出的风险隐患建立台账，实行销号管理。",
    "推动相关服务事项进驻便民服务中心，实行一窗受理。",
    "运用信息化手段提高工作效率，减少群众跑腿次数。",
    "加强对村级组织落实情况的监督检查，纳入年度考核。",
)
LEAD_DUTIES = (
    "负责制定工作方案和技术标准，组织实施并开展业务指导和监督检查。",
    "负责审核审批和执法处置，统筹调配专业力量和所需经费。",
    "负责牵头组织实施，建立工作机制，定期通报工作进展情况。",
    "负责政策制定、资金保障和专业培训，对乡镇配合工作进行考核评价。",
    "负责依法作出处理决定，承担主体责任，及时反馈处理结果。",
    "负责统筹协调和督促落实，组织开展专项整治行动。",
)
TOWNSHIP_DUTIES = (
    "负责组织村（社区）开展摸底排查，及时报送相关信息。",
    "配合开展宣传动员和群众工作，协助做好现场秩序维护。",
    "协助收集问题线索，发现违法违规行为及时报告并移交。",
    "配合做好入户调查、信息核实和资料收集工作。",
    "协助落实整改措施，督促村（社区）做好日常管理。",
    "配合开展联合检查，提供辖区基础信息和工作便利。",
)
METHODS = (
    "部门执法，乡镇提供线索",
    "部门直接办理，乡镇协助告知",
    "部门统一受理，乡镇不再承担",
    "部门派驻人员常驻办理",
    "部门线上办理，乡镇引导群众申报",
    "部门实施，乡镇配合做好群众工作",
)
LAWS = (
    "中华人民共和国村民委员会组织法",
    "中华人民共和国土地管理法",
    "中华人民共和国城乡规划法",
    "中华人民共和国安全生产法",
    "中华人民共和国突发事件应对法",
    "中华人民共和国森林法",
    "中华人民共和国环境保护法",
    "中华人民共和国水法",
    "中华人民共和国防洪法",
    "中华人民共和国消防法",
    "中华人民共和国老年人权益保障法",
    "中华人民共和国残疾人保障法",
    "中华人民共和国兵役法",
    "中华人民共和国农村土地承包法",
    "中华人民共和国乡村振兴促进法",
    "中华人民共和国人口与计划生育法",
    "中华人民共和国食品安全法",
    "中华人民共和国道路交通安全法",
    "社会救助暂行办法",
    "中国共产党农村基层组织工作条例",
    "地质灾害防治条例",
    "信访工作条例",
    "村庄和集镇规划建设管理条例",
    "森林防火条例",
    "生产安全事故应急条例",
    "全国污染源普查条例",
)
APPROVAL_ORGS = ("安政发", "安政办发", "安办发", "安编办发", "安编发")
CN_DIGITS = "零一二三四五六七八九"

TOWN_FIRST = "东西南北中上下大小新老青白黄红金银石桃柳杨马龙凤云双三五高长平安永清"
TOWN_SECOND = "山河湖桥集庄坪岭溪塘店口坝营沟湾圩铺寨林台洲泉岗港"

EXTRA_DEPARTMENTS = (
    ("fgj", "县发展和改革局"),
    ("gxj", "县工业和信息化局"),
    ("kjj", "县科学技术局"),
    ("swj", "县商务局"),
    ("sjj", "县审计局"),
    ("xfj", "县信访局"),
    ("qxj", "县气象局"),
    ("swuj", "县税务局"),
    ("gxs", "县供销合作社"),
    ("fl", "县妇女联合会"),
    ("tw", "共青团县委"),
    ("daj", "县档案馆"),
)

_UNSAFE_PLAIN = re.compile(r"""^[-?:,\[\]{}#&*!|>'"%@`\s]|: | #|[\x00-\x1f]|[\s:]$""")


def _check_plain(values: Iterable[str]) -> None:
    """Pool strings are written as plain scalars: fail early if one would not be."""
    for value in values:
        if _UNSAFE_PLAIN.search(value) or " " in value:
            raise ValueError(f"not safe as a plain YAML scalar: {value!r}")


_check_plain([*TASK_SENTENCES, *LEAD_DUTIES, *TOWNSHIP_DUTIES, *METHODS, *LAWS, *CATEGORIES, *POWER_TYPES])


def cn_number(n: int) -> str:
    """1..999 in Chinese numerals, as article numbers are written (第十二条)."""
    if not 0 < n < 1000:
        raise ValueError(n)
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    out = ""
    if hundreds:
        out += CN_DIGITS[hundreds] + "百"
        if rest and tens == 0:
            out += "零"
    if tens:
        out += ("" if tens == 1 and not hundreds else CN_DIGITS[tens]) + "十"
    if ones:
        out += CN_DIGITS[ones]
    return out


@dataclass(frozen=True, slots=True)
class NameRow:
    name: str
    list_type: str
    category: str
    power_type: str
    lead: str  # department id, or ""


def load_names(path: Path = ITEM_NAMES_TSV, units_path: Path = UNITS_TSV) -> dict[str, list[NameRow]]:
    """Item names of item-names.tsv by list type (basic, cooperative, recalled, power)."""
    dept_ids = {r["name"]: r["id"] for r in read_tsv(units_path) if r["kind"] == "department"}
    out: dict[str, list[NameRow]] = {}
    for row in read_tsv(path):
        lead = dept_ids.get(row["lead_department"], "")
        out.setdefault(row["list_type"], []).append(
            NameRow(row["name"], row["list_type"], row["category"], row["power_type"], lead)
        )
    return out


def read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))
