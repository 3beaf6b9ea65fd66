"""Events the evaluation service publishes (what it consumes is declared at its handler,
`usecases.readmodel.on_metric_event`)."""

from __future__ import annotations

from collections.abc import Sequence

from services.chassis.events import (
    BOOLEAN,
    DATE,
    DATETIME,
    UUID,
    EventType,
    enum,
    integer,
    nullable,
    payload,
    string,
)

from .domain.model import CLOSED_VIA, GRADES, PARTIES

WEIGHT = {
    "type": "number",
    "minimum": 0.5,
    "maximum": 1,
    "description": "The residents' committee's weight (at least 0.5)",
}
SCORE = {"type": "number", "minimum": 0, "maximum": 100, "description": "0-100, two decimals"}

ROUND_OPENED = EventType(
    "evaluation.round.opened",
    "An evaluation round opened on a frozen version of a scheme; parties may score.",
    payload(
        {
            "round_id": UUID,
            "scheme_id": UUID,
            "scheme_version": integer(1),
            "contract_id": nullable(UUID),
            "year": integer(2000, 2100),
            "period_start": DATE,
            "period_end": DATE,
            "committee_weight": WEIGHT,
            "opened_at": DATETIME,
        }
    ),
)

SCORE_SUBMITTED = EventType(
    "evaluation.score.submitted",
    "A member of a party submitted or revised that party's score of one indicator "
    "(who and what score stay in the evaluation service).",
    payload(
        {
            "round_id": UUID,
            "party": enum(*PARTIES),
            "indicator": string(40),
            "revised": BOOLEAN,
            "submitted_at": DATETIME,
        }
    ),
)

ROUND_COMPLETED = EventType(
    "evaluation.round.completed",
    "A round closed: its weighted total score and grade are final and published. "
    "Contracts releases or withholds the contract's final milestone on it.",
    payload(
        {
            "round_id": UUID,
            "scheme_id": UUID,
            "contract_id": nullable(UUID),
            "year": integer(2000, 2100),
            "score": SCORE,
            "grade": enum(*GRADES),
            "committee_weight": WEIGHT,
            "completed_at": DATETIME,
        },
        optional={  # what contracts checks before it moves money (absent: it moves none)
            "party_weights": {
                "type": "object",
                "propertyNames": {"enum": list(PARTIES)},
                "additionalProperties": {"type": "number", "minimum": 0, "maximum": 1},
            },
            "period_start": DATE,
            "period_end": DATE,
            "opened_at": DATETIME,
            "closed_via": enum(*CLOSED_VIA),
            "closers": {**integer(1, 2), "description": "Different managers who proposed and closed"},
        },
    ),
)

PUBLISHES: Sequence[EventType] = (ROUND_OPENED, SCORE_SUBMITTED, ROUND_COMPLETED)
