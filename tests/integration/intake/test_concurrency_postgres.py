"""Concurrency on PostgreSQL: numbers and call-next under real threads."""

from __future__ import annotations

import threading
import time
from collections import Counter
from typing import Any

import pytest
from sqlalchemy import text

from tests.support.helpers import bearer
from tests.unit.intake.conftest import type_body

pytestmark = pytest.mark.postgres


def _desk(service: Any, token: Any) -> tuple[Any, dict[str, str]]:
    harness = service("intake", backend="postgres")
    staff = bearer(token("center_staff", community="huaguoshan", sub="staff-pg"))
    client = harness.client
    for code, prefix in (("general", "A"), ("passport", "B")):
        assert (
            client.post(
                "/business-types",
                headers=staff,
                json=type_body(
                    code, name_zh=code, name_en=code, typical_minutes=5, sla_days=3, ticket_prefix=prefix
                ),
            ).status_code
            == 201
        )
    return harness, staff


def _run(threads: list[threading.Thread]) -> None:
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
        assert not thread.is_alive()


def test_ticket_numbers_stay_unique_when_eight_threads_issue_at_once(service, token):
    harness, staff = _desk(service, token)
    numbers: list[str] = []
    errors: list[Any] = []
    barrier = threading.Barrier(8)

    def issue() -> None:
        client = harness.app.test_client()
        barrier.wait()
        for _ in range(25):
            response = client.post(
                "/tickets",
                headers=staff,
                json={"community": "huaguoshan", "business_type": "general", "channel": "walk_in"},
            )
            if response.status_code != 201:
                errors.append(response.get_json())
                continue
            numbers.append(response.get_json()["number"])

    _run([threading.Thread(target=issue) for _ in range(8)])
    assert errors == []
    assert sorted(numbers) == [f"A{i:03d}" for i in range(1, 201)]


def test_eight_threads_on_four_windows_hand_out_each_of_200_tickets_exactly_once(service, token):
    harness, staff = _desk(service, token)
    client = harness.client
    windows = []
    for number in range(1, 5):
        response = client.post(
            "/windows",
            headers=staff,
            json={"community": "huaguoshan", "number": number, "mode": "generalist", "status": "open"},
        )
        windows.append(response.get_json()["id"])
    for i in range(200):
        response = client.post(
            "/tickets",
            headers=staff,
            json={
                "community": "huaguoshan",
                "business_type": "general" if i % 3 else "passport",
                "channel": "walk_in",
                "priority": i % 7 == 0,
                **({"priority_reason": "elderly"} if i % 7 == 0 else {}),
            },
        )
        assert response.status_code == 201
    called: list[str] = []
    unexpected: list[Any] = []
    lock = threading.Lock()
    barrier = threading.Barrier(8)

    def desk_clerk(window_id: str) -> None:
        own = harness.app.test_client()
        barrier.wait()
        while True:
            response = own.post(f"/windows/{window_id}/call-next", headers=staff)
            body = response.get_json()
            if response.status_code == 409 and body["type"].endswith("window-busy"):
                time.sleep(0.001)  # the twin clerk of this window holds a ticket
                continue
            if response.status_code != 200:
                unexpected.append(body)
                return
            if body["ticket"] is None:
                return
            ticket_id = body["ticket"]["id"]
            with lock:
                called.append(ticket_id)
            for step in ("start", "complete"):
                done = own.post(f"/tickets/{ticket_id}/{step}", headers=staff, json={})
                if done.status_code != 200:
                    unexpected.append(done.get_json())

    _run([threading.Thread(target=desk_clerk, args=(windows[i % 4],)) for i in range(8)])
    assert unexpected == []
    assert len(called) == 200
    assert len(set(called)) == 200
    with harness.runtime.database.engine.connect() as connection:
        statuses = dict(
            connection.execute(text("SELECT status, COUNT(*) FROM tickets GROUP BY status")).all()
        )
        calls = connection.execute(
            text("SELECT ticket_id, COUNT(*) FROM ticket_steps WHERE action = 'call' GROUP BY ticket_id")
        ).all()
        per_window = Counter(row[0] for row in connection.execute(text("SELECT window_id FROM tickets")))
    assert statuses == {"completed": 200}
    assert len(calls) == 200 and {count for _, count in calls} == {1}
    assert set(per_window) == set(windows)
    assert sum(1 for e in harness.outbox() if e["type"] == "intake.ticket.called.v1") == 200


def test_six_edits_with_the_same_etag_at_once_let_exactly_one_through(service, token):
    harness, staff = _desk(service, token)
    client = harness.client
    types = client.get("/business-types?community=huaguoshan", headers=staff).get_json()
    general = next(t for t in types if t["code"] == "general")
    etag = client.get(f"/business-types/{general['id']}", headers=staff).headers["ETag"]
    barrier = threading.Barrier(6)
    statuses: list[int] = []

    def edit(minutes: int) -> None:
        barrier.wait()
        response = client.patch(
            f"/business-types/{general['id']}",
            json={"typical_minutes": minutes},
            headers={**staff, "If-Match": etag},
        )
        statuses.append(response.status_code)

    _run([threading.Thread(target=edit, args=(10 + i,)) for i in range(6)])
    assert sorted(statuses) == [200, 412, 412, 412, 412, 412]
    after = client.get(f"/business-types/{general['id']}", headers=staff).get_json()
    assert after["version"] == general["version"] + 1
