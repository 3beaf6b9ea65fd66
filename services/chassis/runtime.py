"""What one service holds at run time: settings, database, bus, token verifier."""

from __future__ import annotations

from typing import Any

from sqlalchemy import MetaData

from . import auth
from .bus import Bus
from .config import K, Settings, read_settings
from .db import Database, OutboxSignal
from .outbox import notify_channel
from .unit_of_work import UnitOfWork


class Runtime:
    """What one service holds at run time: settings, database, bus, token verifier."""

    def __init__(self, settings: Settings, metadata: MetaData) -> None:
        self.settings = settings
        self.metadata = metadata
        self.database = Database(
            settings.database_url, metadata, reference_cache_seconds=settings.reference_cache_seconds
        )
        self.signal = OutboxSignal()
        self.verifier = auth.TokenVerifier(settings)
        self.bus = Bus(settings) if settings.amqp_url else None
        self._own_settings: dict[type, Any] = {}

    def service_settings(self, kind: type[K]) -> K:
        """This service's own settings of type `kind` (`config.read_settings`), read once."""
        if kind not in self._own_settings:
            self._own_settings[kind] = read_settings(kind, self.settings)
        return self._own_settings[kind]  # type: ignore[no-any-return]

    def unit_of_work(self, correlation_id: str | None = None) -> UnitOfWork:
        return UnitOfWork(
            self.database,
            source=self.settings.source,
            signal=self.signal,
            correlation_id=correlation_id,
            notify_channel=notify_channel(self.settings.service),
        )

    def readiness(self) -> dict[str, str]:
        """This web process's own hard dependency, its database: 'ok' or the error.

        The broker is not checked: a web process only writes to its outbox, and the
        relay publishes once the broker is back.
        """
        try:
            self.database.ping()
        except Exception as exc:
            return {"database": type(exc).__name__}
        return {"database": "ok"}
