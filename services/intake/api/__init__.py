"""HTTP API of the intake service: translate, call a handler, respond."""

from __future__ import annotations

from services.chassis.blueprint import Blueprint


def blueprints() -> list[Blueprint]:
    """Every blueprint of the service (imported here: nothing is built at import time)."""
    from . import views_analytics, views_cases, views_catalogue, views_tickets

    return [views_catalogue.blp, views_tickets.blp, views_cases.blp, views_analytics.blp]
