"""Pydantic models of catalogue format schema 1 (DESIGN §2).

These models are the single source of the JSON Schemas in ``schemas/``: change a model,
run ``dutylist schema --out schemas/``, and commit both.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    RootModel,
    StrictInt,
    StrictStr,
    StringConstraints,
    model_validator,
)

from .rules import check_date, check_record
from .vocab import CHANGE_KINDS, ID_PATTERN

Id = Annotated[
    StrictStr,
    StringConstraints(pattern=ID_PATTERN, max_length=128),
    Field(description="Stable identifier: letters, digits, '.', '_' or '-', not starting with a sign."),
]
Text = Annotated[StrictStr, StringConstraints(min_length=1)]


IsoDate = Annotated[
    StrictStr,
    StringConstraints(pattern=r"^\d{4}-\d{2}-\d{2}$"),
    AfterValidator(check_date),
    Field(json_schema_extra={"format": "date"}),
]

ChangeKind = Literal[
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
]
assert set(ChangeKind.__args__) == set(CHANGE_KINDS)  # type: ignore[attr-defined]


class StrictModel(BaseModel):
    """Base of every schema-1 model: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


# --- items -----------------------------------------------------------------------------


class Item(StrictModel):
    """One item of a list (事项)."""

    id: Id
    name: Annotated[Text, Field(description="事项名称, as published.")]
    category: Annotated[StrictStr | None, Field(description="类别, from catalogue.yaml `categories`.")] = None
    tasks: Annotated[StrictStr | None, Field(description="具体工作内容.")] = None
    basis: Annotated[list[Text], Field(description="依据: laws, regulations, documents.")] = []
    approval: Annotated[
        StrictStr | None, Field(description="文号 of the document that admitted this item (职责准入).")
    ] = None
    replaces: Annotated[
        list[Id], Field(description="Ids of items of the previous version that this item continues.")
    ] = []


class CooperativeItem(Item):
    """配合履职事项: a county department leads, the township assists."""

    lead: Annotated[Id | None, Field(description="牵头部门: a department id.")] = None
    lead_duty: Annotated[StrictStr | None, Field(description="上级部门职责.")] = None
    township_duty: Annotated[StrictStr | None, Field(description="乡镇配合职责.")] = None


class RecalledItem(Item):
    """上级部门收回事项: taken back by a county department."""

    receiver: Annotated[Id | None, Field(description="承接部门: a department id.")] = None
    method: Annotated[StrictStr | None, Field(description="工作方式.")] = None


class PowerItem(Item):
    """权责清单 item: an administrative power."""

    power_type: Annotated[Text, Field(description="权力类型, e.g. 行政许可, 行政处罚.")]


class Lists(StrictModel):
    """The list keys a unit file or a template may hold."""

    basic: Annotated[list[Item], Field(description="基本履职事项 (townships).")] = []
    cooperative: Annotated[list[CooperativeItem], Field(description="配合履职事项 (townships).")] = []
    recalled: Annotated[list[RecalledItem], Field(description="上级部门收回事项 (townships).")] = []
    powers: Annotated[list[PowerItem], Field(description="权责清单 (departments, townships).")] = []
    autonomy: Annotated[list[Item], Field(description="依法自治事项 (villages).")] = []
    assist: Annotated[list[Item], Field(description="依法协助事项 (villages).")] = []
    negative: Annotated[list[Item], Field(description="负面清单 (villages).")] = []


class UnitFile(Lists):
    """``units/<unit-id>.yaml``: the items one unit holds."""

    model_config = ConfigDict(title="dutylist unit file (schema 1)")

    unit: Annotated[Id, Field(description="The unit id; must equal the file name.")]
    include: Annotated[list[Id], Field(description="Templates whose lists apply to this unit.")] = []
    exclude: Annotated[list[Id], Field(description="Template item ids that do not apply here.")] = []


class TemplateFile(Lists):
    """``templates/<name>.yaml``: a shared item set."""

    model_config = ConfigDict(title="dutylist template (schema 1)")

    template: Annotated[Id, Field(description="The template name; must equal the file name.")]
    title: StrictStr | None = None


# --- catalogue.yaml ---------------------------------------------------------------------


class Region(StrictModel):
    code: Annotated[
        StrictStr,
        StringConstraints(pattern=r"^\d{6}$"),
        Field(description="GB/T 2260 six-digit code, quoted."),
    ]
    name: Text


class Catalogue(StrictModel):
    """``catalogue.yaml``: version metadata."""

    model_config = ConfigDict(title="dutylist catalogue.yaml (schema 1)")

    schema_: Annotated[Literal[1], StrictInt, Field(alias="schema", description="Format version: 1.")]
    version: Annotated[
        StrictStr | None, Field(description="Version label; when given it must equal the directory name.")
    ] = None
    title: Text
    region: Region
    effective: Annotated[IsoDate, Field(description="Date the lists take effect.")]
    approval: Annotated[StrictStr | None, Field(description="文号 approving this version.")] = None
    previous: Annotated[StrictStr | None, Field(description="Label of the version adjustments.yaml is against.")] = None
    categories: Annotated[list[Text] | None, Field(description="Vocabulary of item categories; none means any.")] = None
    power_types: Annotated[list[Text], Field(description="Power types added to the eleven standard ones.")] = []


# --- units.yaml -------------------------------------------------------------------------


class UnitBase(StrictModel):
    id: Id
    name: Text
    code: Annotated[StrictStr | None, Field(description="Statistical or organisation code.")] = None
    replaces: Annotated[
        list[Id], Field(description="Ids of predecessor units in the previous version (机构改革).")
    ] = []


class Department(UnitBase):
    """A county department (县直部门)."""


class Township(UnitBase):
    """A town, township or street (乡镇/街道)."""

    kind: Literal["town", "township", "street"]


class Village(UnitBase):
    """A village or community (村/社区)."""

    township: Annotated[Id, Field(description="Id of the township the village belongs to.")]


class UnitsFile(StrictModel):
    """``units.yaml``: departments, townships, villages."""

    model_config = ConfigDict(title="dutylist units.yaml (schema 1)")

    departments: list[Department] = []
    townships: list[Township] = []
    villages: list[Village] = []


# --- adjustments.yaml -------------------------------------------------------------------


class Adjustment(StrictModel):
    """One approved dynamic adjustment (动态调整) against the previous version.

    A record names the items it covers; a ``unit_renamed`` record names units instead
    (the new unit ids, whose ``replaces`` in units.yaml say what they continue).
    """

    id: Id
    kind: ChangeKind
    items: Annotated[list[Id], Field(description="Item ids the adjustment covers (not for unit_renamed).")] = []
    units: Annotated[list[Id], Field(description="Only these units; for unit_renamed, the renamed units.")] = []
    to: Annotated[Id | None, Field(description="The department that receives or leads.")] = None
    basis: Annotated[StrictStr | None, Field(description="The approving document (文号).")] = None
    reason: StrictStr | None = None
    date: IsoDate | None = None

    @model_validator(mode="after")
    def _names_something(self) -> Adjustment:
        check_record(self)
        return self


class AdjustmentsFile(RootModel[list[Adjustment]]):
    """``adjustments.yaml``: a list of adjustment records."""

    model_config = ConfigDict(title="dutylist adjustments.yaml (schema 1)")


class NegativeFile(StrictModel):
    """``negative.yaml`` at the catalogue root: items no township or village duty list may
    hold (负面清单), whatever the version. ``dutylist check`` reports them (DL207)."""

    model_config = ConfigDict(title="dutylist negative.yaml (schema 1)")

    title: StrictStr | None = None
    negative: Annotated[list[Item], Field(description="The items, as in a unit's lists.")]


#: The model of each file kind of a version directory (and of the root's negative.yaml).
FILE_MODELS: dict[str, type[BaseModel]] = {
    "catalogue": Catalogue,
    "units": UnitsFile,
    "unit": UnitFile,
    "template": TemplateFile,
    "adjustments": AdjustmentsFile,
    "negative": NegativeFile,
}
