"""Fixtures of the evaluation tests: the service on a fresh database and its people."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from services.chassis.consumer import EventProcessor
from services.evaluation.usecases import CONSUMED
from tests.support.helpers import bearer
from tests.unit.evaluation.samples import two_indicator_definition


@pytest.fixture
def evaluation(service):
    return service("evaluation")


@pytest.fixture
def people(token) -> dict[str, dict[str, str]]:
    """Bearer headers of the people of huaguoshan (and one outsider)."""
    return {
        "committee": bearer(token("committee_member", sub="committee-1")),
        "committee2": bearer(token("committee_member", sub="committee-2")),
        "subdistrict": bearer(token("subdistrict_officer", sub="officer-1")),
        "evaluator": bearer(token("evaluator", sub="evaluator-1")),
        "staff": bearer(token("center_staff", sub="staff-1")),
        "resident": bearer(token("resident", sub="resident-1")),
        "admin": bearer(token("admin", sub="admin-1")),
        "chiwan_committee": bearer(token("committee_member", community="chiwan", sub="chiwan-committee")),
    }


def feeder(harness: Any) -> Callable[..., int]:
    """Deliver events through the real consumer path without a broker (inbox included)."""
    processor = EventProcessor(harness.runtime.settings, harness.runtime.database, CONSUMED.handlers)
    return lambda *events: sum(processor.process(e) for e in events)


@pytest.fixture
def feed(evaluation):
    return feeder(evaluation)


def create_scheme(
    client: Any, headers: dict[str, str], definition: dict[str, Any] | None = None, **fields: Any
) -> dict[str, Any]:
    body = {"community": "huaguoshan", "year": 2026, **(definition or two_indicator_definition()), **fields}
    response = client.post("/schemes", json=body, headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def open_round(client: Any, headers: dict[str, str], scheme_id: str, **fields: Any) -> dict:
    response = client.post("/rounds", json={"scheme_id": scheme_id, **fields}, headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def score(client: Any, headers: dict[str, str], round_id: str, party: str, **scores: Any) -> Any:
    return client.post(
        f"/rounds/{round_id}/scores",
        headers=headers,
        json={"party": party, "scores": [{"indicator": k, "score": v} for k, v in scores.items()]},
    )


def close_round(
    client: Any, headers: dict[str, str], round_id: str, json: dict[str, Any] | None = None, **extra: str
) -> Any:
    """POST /rounds/<id>/close naming the round's current ETag (If-Match), as a manager does."""
    etag = client.get(f"/rounds/{round_id}", headers=headers).headers["ETag"]
    return client.post(f"/rounds/{round_id}/close", json=json, headers={**headers, "If-Match": etag, **extra})
