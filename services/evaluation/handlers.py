"""Consumed events of the evaluation service; command use cases live in `schemes` and `rounds`."""

from __future__ import annotations

from typing import Any

from services.chassis.consumer import HandlerTable
from services.chassis.unit_of_work import UnitOfWork

from . import readmodel
from .events import CONSUMES


def on_metric_event(uow: UnitOfWork, event: dict[str, Any]) -> None:
    """Log the event in the raw log and fold it into the metrics read model."""
    readmodel.record(uow, event)


on_metric_event.inbox_name = "evaluation.metrics"  # type: ignore[attr-defined]

EVENT_HANDLERS: HandlerTable = {pattern: [on_metric_event] for pattern in CONSUMES}
