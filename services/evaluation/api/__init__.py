"""HTTP API of the evaluation service: schemes and AHP, rounds, measurements, open data,
monthly reports."""

from __future__ import annotations

from services.chassis.blueprint import Blueprint

from . import measurements, open_data, reports, rounds, schemes


def blueprints() -> list[Blueprint]:
    return [schemes.blp, rounds.blp, measurements.blp, open_data.blp, reports.blp]
