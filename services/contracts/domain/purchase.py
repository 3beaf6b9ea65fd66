"""What a purchase of services is: codes, state machines, signatures and funding rules.

Standard library only (and the chassis' state machine). Every refused state change is
the machine's `IllegalTransition` (409 `illegal-transition`).
"""

from __future__ import annotations

from collections.abc import Iterable

from services.chassis.statemachine import StateMachine

from .errors import AlreadySigned, InvalidTerms, SeparationOfDuties

# -- unified social credit code (GB 32100-2015) -------------------------------------

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, S, V, Z
USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))  # 1, 3, 9, 27, 19, 26, ...


def uscc_check_character(first17: str) -> str:
    """The check character of the first 17 characters of a code."""
    total = sum(USCC_CHARSET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def uscc_problem(code: str) -> str | None:
    """Why `code` is not a valid unified social credit code, or None when it is."""
    if len(code) != 18:
        return f"must be 18 characters (got {len(code)})"
    bad = sorted({c for c in code if c not in USCC_CHARSET})
    if bad:
        return f"contains characters outside GB 32100's set: {''.join(bad)}"
    if not code[2:8].isdigit():
        return "characters 3-8 must be the administrative division code (digits)"
    expected = uscc_check_character(code[:17])
    if code[17] != expected:
        return f"check character is {code[17]!r}, the code's digits give {expected!r}"
    return None


def normalize_uscc(code: str) -> str:
    """Upper-case and strip a code as people type it."""
    return code.strip().upper()


# -- state machines -------------------------------------------------------------------


TENDER_OPEN = (
    "draft",
    "pending_approval",
    "approved",
    "published",
    "evaluating",
    "award_proposed",
    "awarded",
)
TENDER_STATUSES = (*TENDER_OPEN, "contracted", "cancelled")
TENDER = StateMachine(
    "tender",
    {
        "submit": (["draft"], "pending_approval"),
        "approve_tender": (["pending_approval"], "approved"),
        "return_tender": (["pending_approval"], "draft"),
        "publish": (["approved"], "published"),
        "bid": (["published"], "published"),
        "close_bidding": (["published"], "evaluating"),
        "propose_award": (["evaluating"], "award_proposed"),
        "approve_award": (["award_proposed"], "awarded"),
        "return_award": (["award_proposed"], "evaluating"),
        "contract": (["awarded"], "contracted"),
        "cancel": (TENDER_OPEN, "cancelled"),
    },
)

CONTRACT = StateMachine(
    "contract",
    {
        "edit": (["draft"], "draft"),
        "sign": (["draft", "signing"], "signing"),
        "activate": (["signing"], "active"),
        "propose_amendment": (["active"], "amending"),
        "sign_amendment": (["amending"], "amending"),
        "apply_amendment": (["amending"], "active"),
        "withdraw_amendment": (["amending"], "active"),
        "terminate": (["active", "amending"], "terminated"),
        "cancel": (["draft", "signing"], "cancelled"),
        "complete": (["active"], "completed"),
        "allocate": (["active", "amending"], "active"),
        "pay": (["active", "amending", "terminated", "completed"], "active"),
    },
)

PROVIDER_STATUS = StateMachine(
    "provider",
    {
        "activate": (["suspended"], "active"),
        "suspend": (["active"], "suspended"),
        "bar": (["active", "suspended"], "barred"),
    },
)
PROVIDER_ACTION_FOR_STATUS = {"active": "activate", "suspended": "suspend", "barred": "bar"}

# A milestone falls due (signing, scheduled) or waits for the evaluation, which releases
# or withholds it; only a payable milestone is paid; termination cancels the open ones.
MILESTONE = StateMachine(
    "milestone",
    {
        "fall_due": (["pending"], "payable"),
        "await_evaluation": (["pending"], "awaiting_evaluation"),
        "release": (["pending", "awaiting_evaluation"], "payable"),
        "withhold": (["pending", "awaiting_evaluation"], "withheld"),
        "pay": (["payable"], "paid"),
        "cancel": (["pending", "awaiting_evaluation"], "cancelled"),
    },
)

# -- parties and signatures ----------------------------------------------------------

PARTIES = ("subdistrict", "committee", "provider")


def add_signature(signed: Iterable[str], party: str) -> tuple[frozenset[str], bool]:
    """The parties that have signed after `party` signs, and whether all three have."""
    signed = frozenset(signed)
    if party not in PARTIES:
        raise InvalidTerms({"party": [f"must be one of: {', '.join(PARTIES)}"]})
    if party in signed:
        raise AlreadySigned(f"The {party} has already signed this revision.", party=party)
    after = signed | {party}
    return after, after == frozenset(PARTIES)


# -- funding -------------------------------------------------------------------------

FUNDING_MODES = ("pass_through", "committee_budget")
FUNDING_LINES = ("services", "autonomy_fund")


def buyer_of(mode: str, line: str) -> str:
    """Who buys: the subdistrict in pass-through; the committee with its quota or fund."""
    return "committee" if mode == "committee_budget" or line == "autonomy_fund" else "subdistrict"


def is_earmarked(mode: str, line: str) -> bool:
    """Pass-through money is allocated per contract and may pay only that contract."""
    return mode == "pass_through" and line == "services"


# How money reaches a budget line's account: an earmarked line contract by contract, a
# pooled one (the committee's quota, the autonomy fund) in tranches.
FUNDING = StateMachine(
    "budget line",
    {"allocate_tranche": (["pooled"], "pooled"), "allocate_to_contract": (["earmarked"], "earmarked")},
)


def funding_of(earmarked: bool) -> str:
    """The state of a line's (or a contract's) money in the FUNDING machine."""
    return "earmarked" if earmarked else "pooled"


def check_separate_person(proposer: str | None, approver: str, step: str) -> None:
    """Four eyes: whoever proposed a step may not approve it too."""
    if proposer is not None and proposer == approver:
        raise SeparationOfDuties(f"You proposed this {step}; another committee member must decide.")


# -- procurement methods -------------------------------------------------------------

METHODS = ("open", "competitive_negotiation", "single_source")
OCDS_METHOD = {"open": "open", "competitive_negotiation": "limited", "single_source": "direct"}


def check_tender_terms(method: str, reason: str | None, invited: list[str], has_deadline: bool) -> None:
    """Single source names one provider and says why; open tenders have a deadline."""
    errors: dict[str, list[str]] = {}
    if method == "single_source":
        if not reason:
            errors["single_source_reason"] = ["A single-source purchase must give its reason."]
        if len(invited) != 1:
            errors["invited_provider_ids"] = ["A single-source purchase names exactly one provider."]
    elif method == "competitive_negotiation" and len(invited) < 2:
        errors["invited_provider_ids"] = ["Competitive negotiation invites at least two providers."]
    elif method == "open" and invited:
        errors["invited_provider_ids"] = ["An open tender invites nobody in particular."]
    if method == "open" and not has_deadline:
        errors["bid_deadline"] = ["An open tender needs a bid deadline."]
    if errors:
        raise InvalidTerms(errors)


SUBDISTRICT_NAME = "招商街道办事处"


def committee_name(community_name: str) -> str:
    """The residents' committee of a community, by the community's display name."""
    return f"{community_name}社区居民委员会"
