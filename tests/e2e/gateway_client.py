"""A small JSON client of the gateway over real HTTP, and checks of the events seen."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from typing import Any

from tests.support.helpers import check_with_cloudevents_sdk


@dataclass
class Reply:
    status: int
    body: Any
    headers: dict[str, str]

    def ok(self, status: int = 200) -> Any:
        assert self.status == status, (self.status, self.body)
        return self.body


@dataclass
class Gateway:
    """Calls `base_url` as the holder of a token; every call carries its own request id."""

    base_url: str
    sent: list[tuple[str, str, str]] = field(default_factory=list)  # (request id, method, path)

    def call(
        self,
        method: str,
        path: str,
        token: str | None = None,
        body: Any = None,
        headers: dict[str, str] | None = None,
        label: str = "e2e",
    ) -> Reply:
        request_id = f"{label}-{uuid.uuid4().hex[:12]}"
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(f"{self.base_url}{path}", data=data, method=method)
        request.add_header("X-Request-ID", request_id)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        self.sent.append((request_id, method, path))
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
                raw, status, found = response.read(), response.status, dict(response.headers)
        except urllib.error.HTTPError as error:
            raw, status, found = error.read(), error.code, dict(error.headers)
        assert found.get("X-Request-ID") == request_id, found
        return Reply(status, json.loads(raw) if raw else None, found)

    def get(self, path: str, token: str | None = None, **kwargs: Any) -> Reply:
        return self.call("GET", path, token, **kwargs)

    def post(self, path: str, token: str, body: Any = None, **kwargs: Any) -> Reply:
        return self.call("POST", path, token, {} if body is None else body, **kwargs)

    def last_request_id(self) -> str:
        return self.sent[-1][0]


def money_key() -> dict[str, str]:
    return {"Idempotency-Key": uuid.uuid4().hex}


EVENT_NAME = re.compile(r"^(intake|contracts|grid|evaluation|governance)\.[a-z_]+\.[a-z_]+\.v[0-9]+$")


def check_event(event: dict[str, Any]) -> None:
    """A CloudEvent as docs/events.md promises it (and as the official SDK reads it)."""
    check_with_cloudevents_sdk(event)
    assert event["specversion"] == "1.0"
    assert EVENT_NAME.match(event["type"]), event["type"]
    assert event["source"] == f"/services/{event['type'].split('.')[0]}"
    assert event["datacontenttype"] == "application/json"
    assert event["subject"] and event["time"]
    assert int(event["sequence"]) >= 1
    assert event.get("correlationid"), event


def of_type(events: list[dict[str, Any]], name: str, **data: Any) -> list[dict[str, Any]]:
    """Events `name` (without version) whose data has every given value."""
    return [
        e
        for e in events
        if e["type"].rsplit(".", 1)[0] == name and all(e["data"].get(k) == v for k, v in data.items())
    ]
