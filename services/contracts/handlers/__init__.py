"""Use cases of the contracts service: one function per command or consumed event."""

from __future__ import annotations

from services.chassis.consumer import HandlerTable

from . import (
    amendments,
    budgets,
    catalogue,
    contracts,
    payments,
    procurement,
    queries,
    settlement,
)

EVENT_HANDLERS: HandlerTable = {
    "evaluation.round.completed": [settlement.on_round_completed],
}

__all__ = [
    "amendments",
    "payments",
    "EVENT_HANDLERS",
    "budgets",
    "catalogue",
    "contracts",
    "procurement",
    "queries",
    "settlement",
]
