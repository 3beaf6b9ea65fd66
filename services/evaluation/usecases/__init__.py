"""Use cases of the evaluation service: schemes, rounds, the metrics read model and its queries."""

from __future__ import annotations

from services.chassis.consumer import ConsumedEvents

from . import readmodel

CONSUMED = ConsumedEvents.of(readmodel)
