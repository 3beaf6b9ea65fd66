"""HTTP API of the contracts service: translate, call a use case, respond."""

from __future__ import annotations

from services.chassis.blueprint import Blueprint

from . import catalogue, contracts, money, ocds, open_data, procurement


def blueprints() -> list[Blueprint]:
    return [catalogue.blp, procurement.blp, contracts.blp, money.blp, ocds.blp, open_data.blp]
