"""The text of the files ``dutylist init`` writes (besides dutylist.toml and the schemas).

Placeholders are ``<<name>>`` (YAML and workflow files are full of ``{`` and ``$``).
The example units (县民政局 ``mzj``, 示例镇 ``shili``, 示例村 ``shili-cun``) are meant to be
replaced; the scaffold validates and checks clean as written.
"""

from __future__ import annotations

CATALOGUE = """\
# yaml-language-server: $schema=../../schemas/catalogue.schema.json
#
# XX县乡镇（街道）履行职责事项清单（<<edition>>）：版本信息。
# 请把“XX县”换成本县名称，region 的 code 换成本县的六位行政区划代码（GB/T 2260，加引号）。
# 单位登记在 units.yaml，各单位的事项写在 units/<单位编码>.yaml，各乡镇共用的事项可放在
# templates/<名称>.yaml。改好后运行 dutylist validate 校验。

schema: 1
version: "<<label>>"                  # 版本标签，须与目录名一致
title: XX县乡镇（街道）履行职责事项清单（<<edition>>）
region: {code: "000000", name: XX县}  # 六位行政区划代码和县名
effective: <<effective>>              # 施行日期，YYYY-MM-DD
# approval: XX政办发〔<<year>>〕1号     # 印发本版清单的文件文号（可选）
# previous: "<<previous>>"              # 上一版本的目录名：check 默认与它比较，adjustments.yaml 登记相对它的动态调整

# 事项类别：各事项的 category 须取自这里；删去这一行则不限制类别。
categories: [党的建设, 经济发展, 民生服务, 平安法治, 生态环保, 城乡建设, 综合保障]
# 在十一类标准权力类型（行政许可、行政处罚……公共服务）之外，本县另用的权力类型（可选）：
# power_types: [其他类型]
"""

UNITS = """\
# yaml-language-server: $schema=../../schemas/units.schema.json
#
# 单位名录（<<edition>>）：县直部门、乡镇（街道）、村（社区），每类一个示例，请换成本县的单位。
# id 是单位编码（字母、数字、.、_、-），一经使用不要更改：units/<id>.yaml 以它命名，
# 配合履职事项的 lead、收回事项的 receiver 都引用它。机构改革中更名、合并的单位写
# replaces: [原单位编码]，原单位的事项随之接续。

departments:  # 县直部门
  - {id: mzj, name: 县民政局}

townships:  # 乡镇（街道）。kind：town 镇、township 乡、street 街道；code：12 位统计用区划代码（可选，加引号）
  - {id: shili, name: 示例镇, kind: town, code: "000000100000"}

villages:  # 村（社区）。township：所属乡镇（街道）的 id
  - {id: shili-cun, name: 示例村, township: shili}
"""

UNIT = """\
# yaml-language-server: $schema=../../../schemas/unit.schema.json
#
# 示例镇履行职责事项清单（<<edition>>）。一个单位一个文件，文件名就是单位编码（unit）。
# 乡镇（街道）写 basic、cooperative、recalled、powers；县直部门只写 powers（权责清单）；
# 村（社区）写 autonomy（依法自治）、assist（依法协助）、negative（负面清单）。
# 各乡镇共用的事项可写在 templates/<名称>.yaml，这里用 include: [<名称>] 引入、exclude 排除个别事项。
# 事项 id 一经公布不要更改；更名、合并、拆分时，在新事项上写 replaces: [原事项 id]。

unit: shili

basic:  # 基本履职事项：乡镇（街道）必须承担、负主体责任
  - id: SL-B-001
    name: 指导、支持和帮助村民委员会开展工作
    category: 综合保障
    tasks: 指导村民委员会依法开展自治活动，支持和帮助其解决工作中的困难  # 具体工作内容（可选）
    basis: [《中华人民共和国村民委员会组织法》第五条]                     # 依据（可选）
    # approval: XX政办发〔<<year>>〕1号  # 准入文件的文号：新列入乡镇的职责须写明（DL201 职责准入）

cooperative:  # 配合履职事项：县直部门牵头，乡镇（街道）配合
  - id: SL-C-001
    name: 最低生活保障申请受理和家庭经济状况调查
    category: 民生服务
    lead: mzj                                               # 牵头部门：units.yaml 中的部门 id
    lead_duty: 负责政策制定、资金保障和监督检查               # 上级部门职责
    township_duty: 负责受理申请、入户调查、民主评议和公示      # 乡镇配合职责

recalled:  # 上级部门收回事项：乡镇（街道）不再承担，由县直部门承接
  - id: SL-R-001
    name: 养老机构日常监督检查
    category: 民生服务
    receiver: mzj                                           # 承接部门：部门 id
    method: 县民政局组织实施，乡镇（街道）发现问题及时报告      # 工作方式
"""

GITIGNORE_LINES = (".dutylist/", "dist/")
GITIGNORE = "# dutylist: the validation cache and compiled lists\n" + "\n".join(GITIGNORE_LINES) + "\n"

PRE_COMMIT = """\
# pre-commit (https://pre-commit.com): `pre-commit install` once, then every commit that
# touches the catalogues is validated first.
repos:
  - repo: https://github.com/dutylist/dutylist
    rev: v<<dutylist>>
    hooks:
      - id: dutylist-validate
"""

GITHUB = """\
# dutylist: validate the catalogues on every push to the default branch, and check every
# pull request against its base branch (职责准入、动态调整记录): findings are annotations
# on the changed lines, and a report is added to the run's summary.
name: dutylist

on:
  pull_request:
  push:
    branches: [main]  # the default branch

permissions:
  contents: read

jobs:
  dutylist:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0  # check reads the base branch's catalogues from git
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - run: pip install dutylist==<<dutylist>>
      - name: dutylist validate
        run: dutylist validate
      - name: dutylist check
        if: github.event_name == 'pull_request'
        env:
          BASE_REF: ${{ github.base_ref }}  # through the environment, never pasted into the script
        run: dutylist check --base "origin/$BASE_REF"
"""

GITLAB = """\
# dutylist: validate the catalogues on the default branch, and check every merge request
# against its target branch (职责准入、动态调整记录); the findings show in the merge
# request's test report.
default:
  image: python:3.12  # has git, which check needs to read the target branch
  before_script:
    - pip install dutylist==<<dutylist>>

dutylist-validate:
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
  script:
    - dutylist validate

dutylist-check:
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
  script:
    - git fetch origin "+$CI_MERGE_REQUEST_TARGET_BRANCH_NAME:refs/remotes/origin/$CI_MERGE_REQUEST_TARGET_BRANCH_NAME"
    - dutylist validate
    - dutylist check --base "origin/$CI_MERGE_REQUEST_TARGET_BRANCH_NAME" --format junit --output dutylist-junit.xml
  artifacts:
    when: always
    reports:
      junit: dutylist-junit.xml
"""


def fill(text: str, **values: str) -> str:
    for key, value in values.items():
        text = text.replace(f"<<{key}>>", value)
    assert "<<" not in text, text  # every placeholder filled
    return text
