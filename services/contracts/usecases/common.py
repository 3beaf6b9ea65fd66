"""What every use case shares: numbers of a series per local year, loading rows."""

from __future__ import annotations

from typing import Any, TypeVar

from services.chassis import clock, numbering
from services.chassis.errors import NotFound
from services.chassis.unit_of_work import UnitOfWork

T = TypeVar("T")


def next_number(uow: UnitOfWork, prefix: str, width: int = 4) -> str:
    """`HT-2026-0001`: the next number of a series per local year, without gaps."""
    series = f"{prefix}-{clock.local_today().year}"
    return f"{series}-{numbering.next_value(uow, series):0{width}d}"


def get(uow: UnitOfWork, model: type[T], ident: Any, *, lock: bool = False, what: str | None = None) -> T:
    """The row with primary key `ident` (row-locked for update if asked), or 404."""
    found = uow.find(model, ident, lock=lock)
    if found is None:
        raise NotFound(f"No {what or model.__name__.lower()} {ident}.")
    return found
