"""Human-readable numbers, unique under concurrency (one counter row per scope)."""

from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite

from services.chassis.db import UnitOfWork

from .models import Counter


def next_value(uow: UnitOfWork, scope: str) -> int:
    """Increase the scope's counter and return it.

    On PostgreSQL the counter moves in its own short transaction, like a sequence: the
    row lock is held for one statement instead of the whole request, so tickets of one
    letter are issued in parallel (a request that fails afterwards leaves a gap in the
    numbers, as a ticket machine would). SQLite serializes writers anyway, so there the
    counter moves inside the request's transaction.
    """
    dialect = postgresql if uow.database.is_postgres else sqlite
    table = Counter.__table__
    statement = (
        dialect.insert(table)
        .values(scope=scope, last=1)
        .on_conflict_do_update(index_elements=[table.c.scope], set_={"last": table.c.last + 1})
        .returning(table.c.last)
    )
    if not uow.database.is_postgres:
        return int(uow.session.execute(statement).scalar_one())
    with uow.database.engine.connect() as connection:
        value = int(connection.execute(statement).scalar_one())
        connection.commit()
    return value
