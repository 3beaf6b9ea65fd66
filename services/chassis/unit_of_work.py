"""The unit of work: one database transaction, its state changes and the events they cause."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from . import outbox
from .db import Database, OutboxSignal, lost_connection

T = TypeVar("T")


class UnitOfWork:
    """One database transaction: state changes and the events they cause, atomically."""

    def __init__(
        self,
        database: Database,
        *,
        source: str,
        signal: OutboxSignal | None = None,
        correlation_id: str | None = None,
        notify_channel: str | None = None,
    ) -> None:
        self.database = database
        self.source = source
        self.signal = signal
        self.correlation_id = correlation_id
        self.notify_channel = notify_channel
        self.emitted: list[dict[str, Any]] = []
        self._after_commit: list[Callable[[], None]] = []
        self.session: Session = database.sessionmaker()
        self._done = False

    def __enter__(self) -> UnitOfWork:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        try:
            if not self._done:
                self.rollback()
            self.session.close()
        except DBAPIError as exc:
            if not lost_connection(exc):
                raise
            # The connection was lost (a database restart) after the work was done: the
            # server ended the transaction with it, so nothing is left to undo, and a read
            # already answered stands. The pool replaces the connection.
            self.session.invalidate()

    def emit(
        self,
        event_type: Any,
        *,
        subject: Any,
        community: str | None,
        data: dict[str, Any],
        time: datetime | None = None,
    ) -> dict[str, Any]:
        """Record an event in the outbox of this transaction; it is published after commit."""
        event = outbox.record(
            self, event_type, subject=str(subject), community=community, data=data, time=time
        )
        self.emitted.append(event)
        return event

    def after_commit(self, callback: Callable[[], None]) -> None:
        self._after_commit.append(callback)

    def find(self, model: type[T], ident: Any, *, lock: bool = False) -> T | None:
        """The row of `model` with primary key `ident`, or None; `lock` takes it FOR UPDATE.

        The locked read refreshes a copy the session already holds (else its values could
        predate the lock, and a version check or a balance would run on stale data)."""
        statement = select(model).where(model.id == str(ident))  # type: ignore[attr-defined]
        if lock:
            statement = statement.with_for_update().execution_options(populate_existing=True)
        return self.session.scalars(statement).first()

    def flush(self) -> None:
        self.session.flush()

    def commit(self) -> None:
        self.session.commit()
        self._done = True
        if self.emitted and self.signal is not None:
            self.signal.wake()
        for callback in self._after_commit:
            callback()

    def rollback(self) -> None:
        self.session.rollback()
        self.emitted.clear()
        self._done = True
