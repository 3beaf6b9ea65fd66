"""HTTP API of the governance service: roster, meetings, notices, the autonomy fund."""

from __future__ import annotations

from services.chassis.blueprint import Blueprint

from . import fund, meetings, notices, roster


def blueprints() -> list[Blueprint]:
    return [roster.blp, meetings.blp, notices.blp, fund.blp]
