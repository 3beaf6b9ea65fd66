"""HTTP API of the evaluation service: schemes and AHP, rounds, measurements, monthly reports."""

from __future__ import annotations

from services.chassis.blueprint import Blueprint

from . import measurements, reports, rounds, schemes


def blueprints() -> list[Blueprint]:
    return [schemes.blp, rounds.blp, measurements.blp, reports.blp]
