"""Responses of the evaluation API made from its rows (beyond what a schema dumps)."""

from __future__ import annotations

from typing import Any

from ..models import Round


def result(evaluation: Round) -> dict[str, Any]:
    """The published result of a closed round, with the round's identity."""
    return {
        **(evaluation.result or {}),
        "round_id": evaluation.id,
        "scheme_id": evaluation.scheme_id,
        "scheme_version": evaluation.snapshot["version"],
        "community": evaluation.community,
        "year": evaluation.year,
        "contract_id": evaluation.contract_id,
        "period_start": evaluation.period_start,
        "period_end": evaluation.period_end,
        "closed_at": evaluation.closed_at,
    }
