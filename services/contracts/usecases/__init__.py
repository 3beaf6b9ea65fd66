"""Use cases of the contracts service: one function per command, consumed event or query.

Who may do what is in `policy`; the consumed events are declared at their handlers
(`@consumes`) and collected in `CONSUMED`.
"""

from __future__ import annotations

from services.chassis.consumer import ConsumedEvents

from . import (
    amendments,
    budgets,
    catalogue,
    committee,
    contracts,
    payments,
    policy,
    procurement,
    queries,
    settlement,
)

CONSUMED = ConsumedEvents.of(settlement, committee)

__all__ = [
    "CONSUMED",
    "amendments",
    "budgets",
    "catalogue",
    "committee",
    "contracts",
    "payments",
    "policy",
    "procurement",
    "queries",
    "settlement",
]
