"""Subscriptions through the API: grants, refusals, the lifecycle, secrets shown once."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from tests.support.helpers import assert_problem
from tests.unit.subscriptions.conftest import HOTLINE, grant, subscribe


def test_a_department_subscribes_to_granted_types_and_gets_the_secret_once(subscriptions, admin, hotline):
    client = subscriptions.client
    grant(client, admin, "grid.case.*")
    created = subscribe(client, hotline, communities=["huaguoshan"])
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["secret"].startswith("whsec_") and body["department"] == HOTLINE
    assert body["status"] == "active" and body["communities"] == ["huaguoshan"]
    assert "secret" not in client.get(f"/subscriptions/{body['id']}", headers=hotline).get_json()
    with subscriptions.runtime.database.engine.connect() as connection:
        sealed = connection.execute(text("SELECT sealed FROM webhook_secrets")).scalar_one()
    assert body["secret"] not in sealed and body["secret"].removeprefix("whsec_") not in sealed


def test_a_type_not_granted_is_refused_with_a_403_problem(subscriptions, admin, hotline):
    grant(subscriptions.client, admin, "grid.case.opened")
    refused = subscribe(subscriptions.client, hotline, event_types=["grid.case.*", "intake.ticket.issued"])
    body = assert_problem(refused, 403, type_suffix="not-granted", detail_contains="grid.case.*")
    assert body["not_granted"] == ["grid.case.*", "intake.ticket.issued"]
    assert subscriptions.count("subscriptions") == 0


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://10.0.0.1/hook",
        "https://localhost/hook",
        "https://[::1]/hook",
        "https://0.0.0.0:8443/hook",
    ],
)
def test_a_webhook_into_the_district_network_is_refused(guarded, admin, hotline, url):
    grant(guarded.client, admin, "grid.case.*")
    refused = subscribe(guarded.client, hotline, url=url)
    assert_problem(refused, 422, type_suffix="refused-target", field="url", detail_contains="non-public")
    assert guarded.count("subscriptions") == 0


def test_private_targets_are_allowed_only_by_configuration(subscriptions, admin, hotline):
    grant(subscriptions.client, admin, "grid.case.*")
    assert subscribe(subscriptions.client, hotline, url="http://10.0.0.1/hook").status_code == 201


def test_plain_http_is_refused_unless_allowed(guarded, admin, hotline):
    grant(guarded.client, admin, "grid.case.*")
    refused = subscribe(guarded.client, hotline, url="http://93.184.215.14/hook")
    assert_problem(refused, 422, type_suffix="refused-target", detail_contains="https")


def test_only_administrators_keep_grants(subscriptions, hotline):
    refused = subscriptions.client.post(
        "/grants", json={"department": HOTLINE, "pattern": "#"}, headers=hotline
    )
    assert_problem(refused, 403, detail_contains="administrators")


def test_a_department_sees_its_own_grants_and_subscriptions_only(subscriptions, admin, hotline, police):
    client = subscriptions.client
    grant(client, admin, "grid.case.*")
    grant(client, admin, "intake.#", department="police")
    assert subscribe(client, hotline).status_code == 201
    assert [g["pattern"] for g in client.get("/grants", headers=hotline).get_json()] == ["grid.case.*"]
    assert client.get("/subscriptions", headers=police).get_json() == []
    assert_problem(client.get(f"/subscriptions?department={HOTLINE}", headers=police), 403)
    assert len(client.get("/subscriptions", headers=admin).get_json()) == 1


def test_pause_resume_rotate_and_delete(subscriptions, admin, hotline, police):
    client = subscriptions.client
    grant(client, admin, "grid.case.*")
    sid = subscribe(client, hotline).get_json()["id"]
    assert_problem(client.post(f"/subscriptions/{sid}/pause", headers=police), 403)
    assert client.post(f"/subscriptions/{sid}/pause", headers=hotline).get_json()["status"] == "paused"
    again = assert_problem(client.post(f"/subscriptions/{sid}/pause", headers=hotline), 409)
    assert again["current_status"] == "paused"
    assert client.post(f"/subscriptions/{sid}/resume", headers=hotline).get_json()["status"] == "active"
    rotated = client.post(f"/subscriptions/{sid}/secret", headers=hotline)
    assert rotated.status_code == 201 and rotated.get_json()["secret"].startswith("whsec_")
    assert subscriptions.count("webhook_secrets") == 2
    assert client.delete(f"/subscriptions/{sid}", headers=hotline).status_code == 204
    assert_problem(client.get(f"/subscriptions/{sid}", headers=hotline), 404)
    assert subscriptions.count("webhook_secrets") == 0


def test_a_redelivery_names_one_event_or_a_range(subscriptions, admin, hotline):
    client = subscriptions.client
    grant(client, admin, "grid.case.*")
    sid = subscribe(client, hotline).get_json()["id"]
    both = client.post(
        f"/subscriptions/{sid}/redeliveries",
        json={"event_id": "x", "since": "2026-03-01T00:00:00+08:00"},
        headers=hotline,
    )
    assert_problem(both, 422, field="_schema")
    queued = client.post(f"/subscriptions/{sid}/redeliveries", json={"event_id": "x"}, headers=hotline)
    assert queued.status_code == 202 and queued.get_json() == {"queued": 0}
