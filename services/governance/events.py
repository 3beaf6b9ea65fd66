"""Events the governance service publishes (what it consumes is declared at its handlers).

Members appear by id only: no names, no residents' identities, no objection texts.
"""

from __future__ import annotations

from collections.abc import Sequence

from services.chassis.events import (
    BOOLEAN,
    DATETIME,
    FEN,
    UUID,
    EventType,
    array,
    enum,
    integer,
    nullable,
    payload,
)

from .domain import RULES, SUBJECT_KINDS

RESOLUTION_PASSED = EventType(
    "governance.resolution.passed",
    "The committee passed a resolution at a meeting with quorum (recused members excluded). "
    "`subject_kind`/`subject_id` name what it decides (a tender or award of contracts, a "
    "fund round); `takes_effect_after_notice` says whether a public notice must conclude first. "
    "Contracts records it: the committee approves a tender or award only on a passed resolution.",
    payload(
        {
            "resolution_id": UUID,
            "meeting_id": UUID,
            "subject_kind": enum(*SUBJECT_KINDS),
            "subject_id": nullable(UUID),
            "rule": enum(*RULES),
            "votes_for": integer(0),
            "votes_against": integer(0),
            "abstentions": integer(0),
            "eligible": integer(0),
            "eligible_present": integer(0),
            "recused_member_ids": array(UUID, 100),
            "takes_effect_after_notice": BOOLEAN,
            "passed_at": DATETIME,
        }
    ),
)

NOTICE_POSTED = EventType(
    "governance.notice.posted",
    "A passed resolution is posted publicly (公示) for its notice period; "
    "residents may object until `ends_at`.",
    payload(
        {
            "notice_id": UUID,
            "resolution_id": UUID,
            "subject_kind": enum(*SUBJECT_KINDS),
            "subject_id": nullable(UUID),
            "posted_at": DATETIME,
            "ends_at": DATETIME,
        }
    ),
)

NOTICE_CONCLUDED = EventType(
    "governance.notice.concluded",
    "A notice period ended with every objection answered: the resolution takes effect. "
    "Contracts records an award only after this.",
    payload(
        {
            "notice_id": UUID,
            "resolution_id": UUID,
            "subject_kind": enum(*SUBJECT_KINDS),
            "subject_id": nullable(UUID),
            "objections": integer(0),
            "concluded_at": DATETIME,
        }
    ),
)

FUND_GRANTED = EventType(
    "governance.fund.granted",
    "A resolution granted autonomy-fund projects of a round, in ranking order within the balance.",
    payload(
        {
            "round_id": UUID,
            "resolution_id": UUID,
            "grants": array(payload({"proposal_id": UUID, "amount_fen": FEN}), 100),
            "granted_at": DATETIME,
        }
    ),
)

PUBLISHES: Sequence[EventType] = (RESOLUTION_PASSED, NOTICE_POSTED, NOTICE_CONCLUDED, FUND_GRANTED)
