"""HTTP API of the subscriptions service: grants, subscriptions, the delivery log."""

from __future__ import annotations

from services.chassis.blueprint import Blueprint

from . import grants, subscriptions


def blueprints() -> list[Blueprint]:
    return [grants.blp, subscriptions.blp]
