"""Events the contracts service publishes (what it consumes is declared at its handlers).

No personal data and no bank details: ids, numbers, codes, amounts in fen, dates.
The payloads of `contract.activated`, `milestone.due` and `payment.*` are the
cross-service contracts of docs/events.md.
"""

from __future__ import annotations

from collections.abc import Sequence

from services.chassis.events import (
    DATE,
    DATETIME,
    FEN,
    UUID,
    EventType,
    array,
    enum,
    integer,
    nullable,
    payload,
    string,
)

CODE = string(40, r"^[a-z][a-z0-9_]*$")
NUMBER = string(30)
ROUND_ID = string(64)
GRADE = enum("excellent", "good", "pass", "fail")
PARTY = enum("subdistrict", "committee", "provider")
LINE = enum("services", "autonomy_fund")

TENDER_PUBLISHED = EventType(
    "contracts.tender.published",
    "A purchase approved by the residents' committee was published for bids.",
    payload(
        {
            "tender_id": UUID,
            "tender_number": NUMBER,
            "method": enum("open", "competitive_negotiation", "single_source"),
            "buyer": enum("subdistrict", "committee"),
            "funding_line": LINE,
            "package_codes": array(CODE, 50),
            "estimated_value_fen": FEN,
            "bid_deadline": nullable(DATETIME),
            "published_at": DATETIME,
        }
    ),
)
BID_SUBMITTED = EventType(
    "contracts.bid.submitted",
    "A provider submitted a bid (sealed: the amount is not published).",
    payload({"tender_id": UUID, "bid_id": UUID, "provider_id": UUID, "submitted_at": DATETIME}),
)
AWARD_MADE = EventType(
    "contracts.award.made",
    "The residents' committee approved the award of a purchase to a provider.",
    payload(
        {"tender_id": UUID, "bid_id": UUID, "provider_id": UUID, "value_fen": FEN, "awarded_at": DATETIME}
    ),
)
CONTRACT_SIGNED = EventType(
    "contracts.contract.signed",
    "One of the three parties signed a contract (revision 0) or an amendment (revision n).",
    payload(
        {
            "contract_id": UUID,
            "contract_number": NUMBER,
            "revision": integer(0),
            "party": PARTY,
            "parties_signed": integer(1, 3),
            "signed_at": DATETIME,
        }
    ),
)
CONTRACT_ACTIVATED = EventType(
    "contracts.contract.activated",
    "All three parties signed: the contract is in force.",
    payload(
        {
            "contract_id": UUID,
            "provider_id": UUID,
            "value_fen": FEN,
            "period_start": DATE,
            "period_end": DATE,
            "package_codes": array(CODE, 50),
            "activated_at": DATETIME,
        }
    ),
)
MILESTONE_DUE = EventType(
    "contracts.milestone.due",
    "A payment milestone of a contract fell due (published once per milestone).",
    payload({"contract_id": UUID, "milestone_id": UUID, "due_date": DATE, "amount_fen": FEN}),
)
FUNDS_ALLOCATED = EventType(
    "contracts.funds.allocated",
    "The subdistrict allocated money to a residents' committee account or autonomy fund.",
    payload(
        {
            "allocation_id": integer(1),
            "budget_id": UUID,
            "funding_line": LINE,
            "contract_id": nullable(UUID),
            "amount_fen": FEN,
            "allocated_at": DATETIME,
        }
    ),
)
PAYMENT_MADE = EventType(
    "contracts.payment.made",
    "The residents' committee paid a provider for a contract milestone.",
    payload(
        {
            "payment_id": UUID,
            "contract_id": UUID,
            "milestone_id": UUID,
            "amount_fen": FEN,
            "paid_at": DATETIME,
        }
    ),
)
PAYMENT_RELEASED = EventType(
    "contracts.payment.released",
    "An evaluation released (part of) an evaluation-linked milestone for payment.",
    payload(
        {"contract_id": UUID, "milestone_id": UUID, "round_id": ROUND_ID, "grade": GRADE, "amount_fen": FEN}
    ),
)
PAYMENT_WITHHELD = EventType(
    "contracts.payment.withheld",
    "An evaluation withheld (part of) an evaluation-linked milestone.",
    payload(
        {"contract_id": UUID, "milestone_id": UUID, "round_id": ROUND_ID, "grade": GRADE, "withheld_fen": FEN}
    ),
)
CONTRACT_TERMINATED = EventType(
    "contracts.contract.terminated",
    "A contract in force was terminated before its end.",
    payload(
        {
            "contract_id": UUID,
            "provider_id": UUID,
            "terminated_by": PARTY,
            "paid_fen": FEN,
            "terminated_at": DATETIME,
        }
    ),
)

PUBLISHES: Sequence[EventType] = (
    TENDER_PUBLISHED,
    BID_SUBMITTED,
    AWARD_MADE,
    CONTRACT_SIGNED,
    CONTRACT_ACTIVATED,
    MILESTONE_DUE,
    FUNDS_ALLOCATED,
    PAYMENT_MADE,
    PAYMENT_RELEASED,
    PAYMENT_WITHHELD,
    CONTRACT_TERMINATED,
)
