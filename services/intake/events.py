"""Events the intake service publishes and the ones it consumes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from services.chassis.events import EventType

PUBLISHES: Sequence[EventType] = ()

CONSUMES: Mapping[str, str] = {}
