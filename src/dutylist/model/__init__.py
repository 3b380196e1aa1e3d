"""Schema-1 models and vocabularies."""

from .catalogue import (
    Adjustment,
    AdjustmentsFile,
    Catalogue,
    CooperativeItem,
    Department,
    Item,
    Lists,
    PowerItem,
    RecalledItem,
    Region,
    TemplateFile,
    Township,
    UnitFile,
    UnitsFile,
    Village,
)

__all__ = [
    "Adjustment",
    "AdjustmentsFile",
    "Catalogue",
    "CooperativeItem",
    "Department",
    "Item",
    "Lists",
    "PowerItem",
    "RecalledItem",
    "Region",
    "TemplateFile",
    "Township",
    "UnitFile",
    "UnitsFile",
    "Village",
]
