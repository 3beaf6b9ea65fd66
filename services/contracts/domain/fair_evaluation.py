"""Money only by a fair evaluation: which `evaluation.round.completed` may move a contract's money.

Contracts releases, pro-rates or withholds an evaluation-linked milestone only on a round
whose scheme has the subdistrict and the committee (at least half) and a third party or
the resident survey, opened for a period that had begun, closed after that period ended,
and closed by a committee resolution or by two different managers. The evaluation service
enforces the same when its rounds open and close; contracts checks the event's own facts
so that no one path (a bug, an old event, a compromised sender) moves money alone.
Standard library only.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, tzinfo
from typing import Any

COMMITTEE_MINIMUM = 0.5
OTHER_VOICES = ("third_party", "resident_survey")


def refusal(data: Mapping[str, Any], zone: tzinfo) -> str | None:
    """Why the completed round may not move money (None when it may)."""
    weights = data.get("party_weights")
    needed = ("party_weights", "period_start", "period_end", "opened_at", "closed_via", "closers")
    missing = [name for name in needed if data.get(name) is None]
    if missing or not isinstance(weights, Mapping):
        return f"the event does not state {', '.join(missing) or 'party_weights'}"
    if "subdistrict" not in weights:
        return "the subdistrict is not among its parties"
    if float(weights.get("committee", 0)) < COMMITTEE_MINIMUM:
        return "the committee weighs less than half"
    if not any(party in weights for party in OTHER_VOICES):
        return "neither a third party nor the resident survey took part"
    start, end = date.fromisoformat(data["period_start"]), date.fromisoformat(data["period_end"])
    opened_on = datetime.fromisoformat(data["opened_at"]).astimezone(zone).date()
    closed_on = datetime.fromisoformat(data["completed_at"]).astimezone(zone).date()
    if start > opened_on:
        return "it was opened before its period began"
    if closed_on <= end:
        return "it was closed before its period ended"
    if data["closed_via"] == "committee_resolution":
        return None
    if data["closed_via"] == "four_eyes" and int(data["closers"]) >= 2:
        return None
    return "it was not closed by a committee resolution or by two different managers"
