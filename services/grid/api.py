"""HTTP API of the grid service: translate, call a handler, respond."""

from __future__ import annotations

from services.chassis.blueprint import Blueprint

from . import api_cases, api_cells, api_collection, api_inspections, open311_api


def blueprints() -> list[Blueprint]:
    return [
        api_cells.blp,
        api_cases.blp,
        api_inspections.blp,
        api_collection.blp,
        open311_api.keys,
        open311_api.blp,
    ]
