"""Human-readable numbers, unique under concurrency (one counter row per scope)."""

from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite

from services.chassis.db import UnitOfWork

from .models import Counter


def next_value(uow: UnitOfWork, scope: str) -> int:
    """Increase the scope's counter and return it; the row lock serializes concurrent takers."""
    dialect = postgresql if uow.database.is_postgres else sqlite
    table = Counter.__table__
    statement = (
        dialect.insert(table)
        .values(scope=scope, last=1)
        .on_conflict_do_update(index_elements=[table.c.scope], set_={"last": table.c.last + 1})
        .returning(table.c.last)
    )
    return int(uow.session.execute(statement).scalar_one())
