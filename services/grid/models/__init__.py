"""Tables of the grid service (its own database): cells, cases, inspections, collection."""

from __future__ import annotations

from .base import Base
from .cases import Case, CaseHistory, Open311Client
from .cells import Cell, CellsVersion, CellWorker
from .collection import Building, Household, Person, PersonalDataAccess, Place
from .inspections import ChecklistItem, Inspection, InspectionItem, InspectionPlan
from .photos import Photo

__all__ = [
    "Base",
    "Building",
    "Case",
    "CaseHistory",
    "Cell",
    "CellWorker",
    "CellsVersion",
    "ChecklistItem",
    "Household",
    "Inspection",
    "InspectionItem",
    "InspectionPlan",
    "Open311Client",
    "Person",
    "PersonalDataAccess",
    "Photo",
    "Place",
]
