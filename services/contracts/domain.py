"""What a purchase of services is: codes, state machines, signatures and funding rules.

Standard library only. Errors carry `problem_status` so the chassis answers them as
problem+json without this module knowing about the web.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from services.chassis.config import COMMUNITY_NAMES

# -- errors ---------------------------------------------------------------------------


class ContractsError(Exception):
    """Base of the domain's refusals."""

    problem_status = 409
    problem_type = "conflict"

    def __init__(self, detail: str, **extra: object) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra


class IllegalTransition(ContractsError):
    """An action the aggregate's current state does not allow."""

    problem_type = "illegal-transition"


class AlreadySigned(ContractsError):
    problem_type = "already-signed"


class InsufficientFunds(ContractsError):
    problem_type = "insufficient-funds"


class OverPayment(ContractsError):
    problem_type = "over-payment"


class BudgetExceeded(ContractsError):
    problem_type = "budget-exceeded"


class NotEligible(ContractsError):
    problem_type = "not-eligible"


class SeparationOfDuties(ContractsError):
    """The same person may not both propose and approve a step."""

    problem_status = 403
    problem_type = "separation-of-duties"


class InvalidTerms(ContractsError):
    """Terms that do not add up; answered as 422 with messages by field."""

    problem_status = 422
    problem_type = "validation-failed"

    def __init__(self, errors: Mapping[str, list[str]]) -> None:
        first = next(iter(errors.values()))[0]
        super().__init__(first)
        self.errors = dict(errors)


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


@dataclass(frozen=True)
class StateMachine:
    """Named actions, each allowed from some states and leading to one state."""

    aggregate: str
    transitions: Mapping[str, tuple[frozenset[str], str]]

    def next(self, state: str, action: str) -> str:
        """The state after `action`, or IllegalTransition naming the transition."""
        sources, target = self.transitions[action]
        if state not in sources:
            allowed = ", ".join(sorted(sources))
            raise IllegalTransition(
                f"Cannot {action.replace('_', ' ')} a {self.aggregate} in state {state!r} "
                f"(allowed from: {allowed}).",
                transition=f"{state} -> {target}",
                action=action,
            )
        return target

    def check(self, state: str, action: str) -> None:
        """Raise IllegalTransition unless `action` is allowed in `state` (a guard)."""
        self.next(state, action)

    def allowed(self, state: str) -> list[str]:
        return sorted(a for a, (sources, _) in self.transitions.items() if state in sources)


def _t(sources: Iterable[str], target: str) -> tuple[frozenset[str], str]:
    return frozenset(sources), target


TENDER_OPEN = (
    "draft",
    "pending_approval",
    "approved",
    "published",
    "evaluating",
    "award_proposed",
    "awarded",
)
TENDER = StateMachine(
    "tender",
    {
        "submit": _t(["draft"], "pending_approval"),
        "approve_tender": _t(["pending_approval"], "approved"),
        "return_tender": _t(["pending_approval"], "draft"),
        "publish": _t(["approved"], "published"),
        "bid": _t(["published"], "published"),
        "close_bidding": _t(["published"], "evaluating"),
        "propose_award": _t(["evaluating"], "award_proposed"),
        "approve_award": _t(["award_proposed"], "awarded"),
        "return_award": _t(["award_proposed"], "evaluating"),
        "contract": _t(["awarded"], "contracted"),
        "cancel": _t(TENDER_OPEN, "cancelled"),
    },
)

CONTRACT = StateMachine(
    "contract",
    {
        "edit": _t(["draft"], "draft"),
        "sign": _t(["draft", "signing"], "signing"),
        "activate": _t(["signing"], "active"),
        "propose_amendment": _t(["active"], "amending"),
        "sign_amendment": _t(["amending"], "amending"),
        "apply_amendment": _t(["amending"], "active"),
        "withdraw_amendment": _t(["amending"], "active"),
        "terminate": _t(["active", "amending"], "terminated"),
        "cancel": _t(["draft", "signing"], "cancelled"),
        "complete": _t(["active"], "completed"),
        "allocate": _t(["active", "amending"], "active"),
        "pay": _t(["active", "amending", "terminated", "completed"], "active"),
    },
)

PROVIDER_STATUS = StateMachine(
    "provider",
    {
        "activate": _t(["suspended"], "active"),
        "suspend": _t(["active"], "suspended"),
        "bar": _t(["active", "suspended"], "barred"),
    },
)
PROVIDER_ACTION_FOR_STATUS = {"active": "activate", "suspended": "suspend", "barred": "bar"}

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


SUBDISTRICT_NAME = "招商街道辦事處"


def committee_name(community: str) -> str:
    return f"{COMMUNITY_NAMES.get(community, community)}社區居民委員會"
