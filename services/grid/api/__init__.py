"""HTTP API of the grid service: translate, call a use case, respond."""

from __future__ import annotations

from services.chassis.blueprint import Blueprint

from . import cases, cells, collection, inspections, open311, open_data, photos


def blueprints() -> list[Blueprint]:
    return [
        cells.blp,
        cases.blp,
        inspections.blp,
        collection.blp,
        open311.keys,
        open311.blp,
        photos.blp,
        open_data.blp,
    ]
