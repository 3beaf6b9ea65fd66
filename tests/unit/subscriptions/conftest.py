"""Fixtures of the subscriptions tests: the service, an administrator and a department."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.helpers import bearer

HOTLINE = "hotline-12345"


@pytest.fixture
def subscriptions(service):
    """The service as in tests: http and private targets allowed (the receivers run on loopback)."""
    return service("subscriptions", allow_http=True, allow_private_targets=True)


@pytest.fixture
def guarded(service):
    """The service as in production: https only, public addresses only."""
    return service("subscriptions")


@pytest.fixture
def admin(token) -> dict[str, str]:
    return bearer(token("admin", community=None))


@pytest.fixture
def hotline(token) -> dict[str, str]:
    return bearer(token("department", community=None, department=HOTLINE))


@pytest.fixture
def police(token) -> dict[str, str]:
    return bearer(token("department", community=None, department="police"))


def grant(client: Any, admin: dict[str, str], pattern: str, department: str = HOTLINE) -> dict[str, Any]:
    response = client.post("/grants", json={"department": department, "pattern": pattern}, headers=admin)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def subscribe(client: Any, headers: dict[str, str], **body: Any) -> Any:
    payload = {
        "name": "工单推送",
        "event_types": ["grid.case.*"],
        "mode": "webhook",
        "url": "http://127.0.0.1:9/hook",
    }
    return client.post("/subscriptions", json={**payload, **body}, headers=headers)
