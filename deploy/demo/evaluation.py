"""Demo evaluations, played through the evaluation API (through the gateway).

Huaguoshan's committee sets the scheme of its service-center contract (the default
template: committee 0.5, subdistrict 0.2, the resident survey 0.2 computed from the
residents' own ratings, at least 30 of them, third party 0.1) and opens this year's
round; the subdistrict office and the third-party evaluator have scored, the committee
has not: closing it in the live demo releases the contract's final milestone. Chiwan's
service-center round has been scored by every party and closed, so its result is
published.
"""

from __future__ import annotations

import time
from typing import Any

from services.chassis.config import COMMUNITY_NAMES

from .api import Api, DemoApiError
from .cast import Person, committee_member, evaluator, officer
from .evaluation_reference import default_definition

MIN_RESPONSES = default_definition()["survey"]["min_responses"]
# Each party's sheet: indicator -> score (the party indicators of the default template).
SHEETS = {
    "committee": {"P1": 88, "P2": 93, "O1": 90, "E1": 86, "E2": 91, "S2": 89, "F1": 92, "F2": 87},
    "subdistrict": {"P1": 85, "P2": 88, "O1": 90, "E1": 84, "E2": 86, "S2": 87, "F1": 91, "F2": 89},
    "third_party": {"P1": 82, "P2": 86, "O1": 88, "E1": 80, "E2": 83, "S2": 85, "F1": 90, "F2": 86},
}


def contract_scheme(api: Api, community: str, year: int, contract_id: str) -> dict[str, Any]:
    """The committee sets the evaluation scheme of the service-center contract."""
    definition = default_definition(COMMUNITY_NAMES[community])
    definition["title"] = f"{COMMUNITY_NAMES[community]}社区服务中心运营服务合同{year}年度多元化绩效评估"
    return api.post(
        "/evaluation/schemes",
        committee_member(community),
        {"community": community, "year": year, "contract_id": contract_id, **definition},
    )


def score(api: Api, round_id: str, party: str, person: Person, sheet: dict[str, int] | None = None) -> None:
    scores = [{"indicator": code, "score": value} for code, value in (sheet or SHEETS[party]).items()]
    api.post(f"/evaluation/rounds/{round_id}/scores", person, {"party": party, "scores": scores})


def open_scored_round(api: Api, community: str, scheme_id: str, parties: tuple[str, ...]) -> dict[str, Any]:
    """Open the round of a scheme; the listed parties score it."""
    evaluation = api.post("/evaluation/rounds", committee_member(community), {"scheme_id": scheme_id})
    scorers = {"committee": committee_member(community), "subdistrict": officer(), "third_party": evaluator()}
    for party in parties:
        score(api, evaluation["id"], party, scorers[party])
    return evaluation


def center_scheme(api: Api, community: str, year: int) -> dict[str, Any]:
    rows = api.get("/evaluation/schemes", committee_member(community), community=community, year=year)
    return next(s for s in rows if s.get("contract_id") is None)


def close_when_measured(
    api: Api, community: str, round_id: str, year: int, ratings_expected: int, timeout: float = 120.0
) -> Any:
    """Close once the read model holds every rating the desk recorded (events in flight)."""
    member = committee_member(community)
    deadline = time.monotonic() + timeout
    while True:
        measured = api.get("/evaluation/measurements", member, community=community, year=year)
        if measured["metrics"]["satisfaction_count"] >= ratings_expected:
            break
        if time.monotonic() > deadline:
            raise DemoApiError(f"evaluation did not receive {community}'s ratings in time")
        time.sleep(0.5)
    path = f"/evaluation/rounds/{round_id}"
    return api.post(f"{path}/close", member, {}, headers={"If-Match": api.etag(path, member)})
