"""HTTP API of the intake service: translate, call a use case, respond."""

from __future__ import annotations

from services.chassis.blueprint import Blueprint


def blueprints() -> list[Blueprint]:
    """Every blueprint of the service (imported here: nothing is built at import time)."""
    from . import analytics, cases, catalogue, tickets

    return [catalogue.blp, tickets.blp, cases.blp, analytics.blp]
