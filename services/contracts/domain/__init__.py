"""What a purchase of services is: the rules, the state machines and the money arithmetic.

Standard library only (plus the chassis' state machine and clock). `errors` holds the
refusals, `purchase` the codes, lifecycles, signatures and funding rules, `money` the
integer-fen arithmetic. The names are re-exported here.
"""

from __future__ import annotations

from .errors import (
    AlreadySigned,
    BudgetExceeded,
    ContractsError,
    IllegalTransition,
    InsufficientFunds,
    InvalidTerms,
    NotEligible,
    OverPayment,
    SeparationOfDuties,
)
from .purchase import (
    CONTRACT,
    FUNDING,
    FUNDING_LINES,
    FUNDING_MODES,
    METHODS,
    MILESTONE,
    OCDS_METHOD,
    PARTIES,
    PROVIDER_ACTION_FOR_STATUS,
    PROVIDER_STATUS,
    SUBDISTRICT_NAME,
    TENDER,
    TENDER_OPEN,
    USCC_CHARSET,
    USCC_WEIGHTS,
    add_signature,
    buyer_of,
    check_separate_person,
    check_tender_terms,
    committee_name,
    funding_of,
    is_earmarked,
    normalize_uscc,
    uscc_check_character,
    uscc_problem,
)

__all__ = [
    "AlreadySigned",
    "BudgetExceeded",
    "CONTRACT",
    "ContractsError",
    "FUNDING",
    "FUNDING_LINES",
    "FUNDING_MODES",
    "IllegalTransition",
    "InsufficientFunds",
    "InvalidTerms",
    "METHODS",
    "MILESTONE",
    "NotEligible",
    "OCDS_METHOD",
    "OverPayment",
    "PARTIES",
    "PROVIDER_ACTION_FOR_STATUS",
    "PROVIDER_STATUS",
    "SUBDISTRICT_NAME",
    "SeparationOfDuties",
    "TENDER",
    "TENDER_OPEN",
    "USCC_CHARSET",
    "USCC_WEIGHTS",
    "add_signature",
    "buyer_of",
    "check_separate_person",
    "check_tender_terms",
    "committee_name",
    "funding_of",
    "is_earmarked",
    "normalize_uscc",
    "uscc_check_character",
    "uscc_problem",
]
