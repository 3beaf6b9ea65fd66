"""Human-readable numbers (`A023`, `GC-2026-000123`, `HT-2026-0001`): one series per scope."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import Table, bindparam
from sqlalchemy.dialects import postgresql, sqlite

from .unit_of_work import UnitOfWork


def next_value(uow: UnitOfWork, scope: str, *, own_transaction: bool = False) -> int:
    """Increase the series `scope` and return its new value (1 for a new series).

    By default the series moves inside the caller's transaction: numbers have no gaps,
    and concurrent takers of one series wait on its row until the holder commits. With
    `own_transaction` (PostgreSQL) the series moves in a short transaction of its own,
    like a database sequence: takers no longer queue for the whole request, and a
    request that fails afterwards leaves a gap (a ticket machine's numbers). SQLite
    serializes writers anyway, so there the series always moves in the caller's
    transaction.
    """
    statement = _upsert(uow.database.table("number_series"), uow.database.is_postgres)
    if not (own_transaction and uow.database.is_postgres):
        return int(uow.session.execute(statement, {"scope": scope}).scalar_one())
    return int(uow.database.autocommit_scalar(statement, {"scope": scope}))


@lru_cache(maxsize=16)
def _upsert(table: Table, postgres: bool) -> Any:
    """The counter's upsert, built once per table (its compiled form is then cached too)."""
    dialect = postgresql if postgres else sqlite
    return (
        dialect.insert(table)
        .values(scope=bindparam("scope"), last=1)
        .on_conflict_do_update(index_elements=[table.c.scope], set_={"last": table.c.last + 1})
        .returning(table.c.last)
    )
