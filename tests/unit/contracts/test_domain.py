"""Pure rules: social credit codes, state machines, signatures and funding modes."""

import pytest

from services.contracts import domain
from services.contracts.domain import (
    CONTRACT,
    FUNDING,
    MILESTONE,
    PROVIDER_STATUS,
    TENDER,
    AlreadySigned,
    IllegalTransition,
    InvalidTerms,
    SeparationOfDuties,
)

# Published codes, each checked with the GB 32100 algorithm (see test below):
# the standard's worked example, China Petroleum & Chemical Corporation (Sinopec),
# Huawei Technologies Co., Ltd. and Tencent Technology (Shenzhen) Co., Ltd.
REAL_CODES = ["91350100M000100Y43", "91110000710926094P", "914403001922038216", "9144030071526726XG"]


@pytest.mark.parametrize("code", REAL_CODES)
def test_published_codes_are_valid(code):
    assert domain.uscc_problem(code) is None
    assert domain.uscc_check_character(code[:17]) == code[17]


def test_weights_are_powers_of_three_modulo_31():
    assert domain.USCC_WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
    assert len(domain.USCC_CHARSET) == 31
    assert not set("IOSVZ") & set(domain.USCC_CHARSET)


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("91350100M000100Y44", "check character is '4', the code's digits give '3'"),
        ("91110000710926094Q", "check character"),
        ("9135010OM000100Y43", "characters outside GB 32100's set: O"),
        ("91350100M000100I43", "characters outside GB 32100's set: I"),
        ("9135A100M000100Y43", "administrative division"),
        ("91350100M000100Y4", "must be 18 characters (got 17)"),
        ("91350100M000100Y433", "must be 18 characters (got 19)"),
        ("91350100m000100y43", "characters outside"),
    ],
)
def test_wrong_codes_are_refused_with_the_reason(code, reason):
    problem = domain.uscc_problem(code)
    assert problem is not None and reason in problem


def test_every_single_character_change_is_caught():
    code = REAL_CODES[1]
    for position in range(18):
        for replacement in domain.USCC_CHARSET:
            if replacement == code[position] or (2 <= position < 8 and not replacement.isdigit()):
                continue
            changed = code[:position] + replacement + code[position + 1 :]
            assert domain.uscc_problem(changed) is not None, changed


def test_normalize_uscc_uppercases_and_strips():
    assert domain.normalize_uscc(" 91350100m000100y43 ") == "91350100M000100Y43"


# -- tender state machine --------------------------------------------------------------

HAPPY_TENDER = [
    "submit",
    "approve_tender",
    "publish",
    "close_bidding",
    "propose_award",
    "approve_award",
    "contract",
]


def test_tender_happy_path_reaches_contracted():
    state = "draft"
    for action in HAPPY_TENDER:
        state = TENDER.target(state, action)
    assert state == "contracted"


def test_committee_returns_send_the_tender_back():
    assert TENDER.target("pending_approval", "return_tender") == "draft"
    assert TENDER.target("award_proposed", "return_award") == "evaluating"


def _all_states(machine):
    states = set()
    for sources, target in machine.transitions.values():
        states |= set(sources) | {target}
    return states


@pytest.mark.parametrize("machine", [TENDER, CONTRACT, PROVIDER_STATUS, MILESTONE, FUNDING])
def test_every_illegal_transition_is_409_naming_it(machine):
    for action, (sources, target) in machine.transitions.items():
        for state in _all_states(machine) - set(sources):
            with pytest.raises(IllegalTransition) as refused:
                machine.target(state, action)
            assert refused.value.problem_status == 409
            assert refused.value.problem_type == "illegal-transition"
            assert refused.value.extra["transition"] == f"{machine.kind}.{action}"
            assert refused.value.extra["current_status"] == state
            assert refused.value.extra["target_status"] == target
            assert state.replace("_", " ") in refused.value.detail


def test_publishing_before_committee_approval_is_refused():
    with pytest.raises(IllegalTransition, match="Cannot publish a tender that is pending approval"):
        TENDER.target("pending_approval", "publish")


def test_cancelled_and_contracted_tenders_are_final():
    assert TENDER.allowed_actions("cancelled") == []
    assert TENDER.allowed_actions("contracted") == []


def test_contract_lifecycle():
    assert CONTRACT.target("draft", "sign") == "signing"
    assert CONTRACT.target("signing", "activate") == "active"
    assert CONTRACT.target("active", "propose_amendment") == "amending"
    assert CONTRACT.target("amending", "apply_amendment") == "active"
    assert CONTRACT.target("active", "terminate") == "terminated"
    with pytest.raises(IllegalTransition):
        CONTRACT.target("draft", "pay")
    with pytest.raises(IllegalTransition):
        CONTRACT.target("terminated", "propose_amendment")


def test_barred_provider_stays_barred():
    assert PROVIDER_STATUS.target("active", "suspend") == "suspended"
    assert PROVIDER_STATUS.target("suspended", "bar") == "barred"
    with pytest.raises(IllegalTransition):
        PROVIDER_STATUS.target("barred", "activate")


# -- three signatures --------------------------------------------------------------------


def test_two_signatures_leave_the_contract_pending():
    signed, complete = domain.add_signature([], "subdistrict")
    assert not complete
    signed, complete = domain.add_signature(signed, "provider")
    assert not complete and signed == {"subdistrict", "provider"}


def test_third_signature_completes_in_any_order():
    for order in (["committee", "provider", "subdistrict"], ["provider", "subdistrict", "committee"]):
        signed: frozenset[str] = frozenset()
        for party in order:
            signed, complete = domain.add_signature(signed, party)
        assert complete


def test_same_party_twice_is_409():
    with pytest.raises(AlreadySigned) as refused:
        domain.add_signature({"committee"}, "committee")
    assert refused.value.problem_status == 409


def test_unknown_party_is_422():
    with pytest.raises(InvalidTerms):
        domain.add_signature([], "district")


# -- funding modes ---------------------------------------------------------------------


def test_pass_through_subdistrict_buys_and_money_is_earmarked():
    assert domain.buyer_of("pass_through", "services") == "subdistrict"
    assert domain.is_earmarked("pass_through", "services")


def test_committee_budget_committee_buys_from_its_quota():
    assert domain.buyer_of("committee_budget", "services") == "committee"
    assert not domain.is_earmarked("committee_budget", "services")


def test_autonomy_fund_is_always_the_committees_own_purchase():
    for mode in domain.FUNDING_MODES:
        assert domain.buyer_of(mode, "autonomy_fund") == "committee"
        assert not domain.is_earmarked(mode, "autonomy_fund")


def test_proposer_may_not_approve_own_step():
    with pytest.raises(SeparationOfDuties) as refused:
        domain.check_separate_person("u1", "u1", "award")
    assert refused.value.problem_status == 403
    domain.check_separate_person("u1", "u2", "award")


@pytest.mark.parametrize(
    ("method", "reason", "invited", "deadline", "field"),
    [
        ("single_source", None, ["p"], False, "single_source_reason"),
        ("single_source", "only provider", ["p", "q"], False, "invited_provider_ids"),
        ("competitive_negotiation", None, ["p"], False, "invited_provider_ids"),
        ("open", None, [], False, "bid_deadline"),
        ("open", None, ["p"], True, "invited_provider_ids"),
    ],
)
def test_tender_terms_are_checked_by_method(method, reason, invited, deadline, field):
    with pytest.raises(InvalidTerms) as refused:
        domain.check_tender_terms(method, reason, invited, deadline)
    assert field in refused.value.errors
