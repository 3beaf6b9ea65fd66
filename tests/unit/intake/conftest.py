"""Fixtures of the intake tests: a desk with a catalogue, windows and a controllable clock."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from services.chassis import clock as chassis_clock
from tests.support.helpers import bearer


class Clock:
    """A clock the test moves by hand (installed as the chassis clock with `clock.use`)."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


# Tuesday 2026-03-03 09:00 in Shanghai
START = datetime(2026, 3, 3, 1, 0, tzinfo=UTC)

PASSPORT_FORM = [
    {
        "code": "applicant_id",
        "datatype": "string",
        "required": True,
        "order": 1,
        "description": "身份证号",
        "personal": True,
    },
    {"code": "household_size", "datatype": "number", "required": True, "order": 2, "description": "家庭人数"},
    {"code": "moved_in", "datatype": "datetime", "required": False, "order": 3, "description": "入住时间"},
    {
        "code": "kind",
        "datatype": "singlevaluelist",
        "required": True,
        "order": 4,
        "description": "类别",
        "values": [{"key": "new", "name": "新办"}, {"key": "renew", "name": "续办"}],
    },
    {
        "code": "documents",
        "datatype": "multivaluelist",
        "required": False,
        "order": 5,
        "description": "材料",
        "values": [{"key": "id_card", "name": "身份证"}, {"key": "hukou", "name": "户口簿"}],
    },
    {"code": "remarks", "datatype": "text", "required": False, "order": 6, "description": "备注"},
]


def type_body(code: str, **overrides: Any) -> dict[str, Any]:
    return {
        "community": "huaguoshan",
        "code": code,
        "name_zh": f"事项{code}",
        "name_en": f"Matter {code}",
        "department": "civil_affairs",
        "typical_minutes": 10,
        "needs_follow_up": False,
        "sla_days": 5,
        "ticket_prefix": "A",
        "attributes": [],
        **overrides,
    }


class Desk:
    """The intake service on a fresh database, with helpers to act as its users."""

    def __init__(self, harness: Any, token: Callable[..., str], clock: Clock) -> None:
        self.harness = harness
        self.client = harness.client
        self.clock = clock
        self.token = token
        self.staff = bearer(token("center_staff", community="huaguoshan", sub="staff-1"))
        self.resident_token = token("resident", community="huaguoshan", sub="resident-1")
        self.resident = bearer(self.resident_token)

    def business_type(self, code: str, **overrides: Any) -> dict[str, Any]:
        response = self.client.post("/business-types", json=type_body(code, **overrides), headers=self.staff)
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    def window(
        self, number: int, mode: str = "generalist", skills: list[str] | None = None, status: str = "open"
    ) -> dict[str, Any]:
        response = self.client.post(
            "/windows",
            json={
                "community": "huaguoshan",
                "number": number,
                "mode": mode,
                "skills": skills or [],
                "status": status,
            },
            headers=self.staff,
        )
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    def ticket(
        self,
        business_type: str = "general",
        priority: bool = False,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> dict[str, Any]:
        body = {
            "community": "huaguoshan",
            "business_type": business_type,
            "channel": "walk_in",
            "priority": priority,
            **extra,
        }
        if priority:
            body.setdefault("priority_reason", "elderly")
        response = self.client.post("/tickets", json=body, headers=headers or self.staff)
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    def post(self, path: str, json: Any = None, headers: dict[str, str] | None = None) -> Any:
        return self.client.post(path, json=json if json is not None else {}, headers=headers or self.staff)

    def call_next(self, window_id: str) -> dict[str, Any] | None:
        response = self.post(f"/windows/{window_id}/call-next")
        assert response.status_code == 200, response.get_json()
        return response.get_json()["ticket"]

    def serve(self, window_id: str, minutes: float = 5) -> dict[str, Any]:
        """Call next, start, advance the clock, complete."""
        ticket = self.call_next(window_id)
        assert ticket is not None
        assert self.post(f"/tickets/{ticket['id']}/start").status_code == 200
        self.clock.advance(minutes=minutes)
        response = self.post(f"/tickets/{ticket['id']}/complete")
        assert response.status_code == 200, response.get_json()
        return response.get_json()


@pytest.fixture
def clock() -> Iterator[Clock]:
    moved = Clock(START)
    with chassis_clock.use(moved):
        yield moved


@pytest.fixture
def desk(service: Any, token: Callable[..., str], clock: Clock) -> Desk:
    harness = service("intake")
    desk = Desk(harness, token, clock)
    desk.business_type("general", ticket_prefix="A")
    desk.business_type(
        "passport",
        attributes=PASSPORT_FORM,
        ticket_prefix="B",
        department="public_security",
        needs_follow_up=True,
        sla_days=3,
    )
    return desk
