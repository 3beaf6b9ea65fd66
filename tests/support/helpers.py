"""Helpers the tests import: tokens' key settings, bearer headers, waiting, problem checks."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from services.chassis import events


def key_settings(key_dir: Path) -> dict[str, Any]:
    return {
        "jwt_private_key_path": key_dir / "jwt-private.pem",
        "jwt_public_key_path": key_dir / "jwt-public.pem",
        "jwt_jwks_url": None,
    }


def bearer(token_value: str, **headers: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token_value}", **headers}


def wait_for(
    predicate: Callable[[], Any], timeout: float = 10.0, interval: float = 0.02, message: str = "condition"
) -> Any:
    """Poll until `predicate()` is truthy; fail the test with `message` on timeout."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout}s waiting for {message}")
        time.sleep(interval)


def assert_problem(
    response: Any,
    status: int,
    *,
    type_suffix: str | None = None,
    detail_contains: str | None = None,
    field: str | None = None,
) -> dict[str, Any]:
    """Assert a problem+json response and return its body."""
    assert response.status_code == status, (response.status_code, response.get_data(as_text=True))
    assert response.content_type == "application/problem+json", response.content_type
    body = response.get_json(force=True)
    assert body["status"] == status
    assert body["title"]
    assert body["type"]
    if type_suffix is not None:
        assert body["type"].endswith(type_suffix), body
    if detail_contains is not None:
        assert detail_contains in body.get("detail", ""), body
    if field is not None:
        assert field in body.get("errors", {}), body
    return body


def check_with_cloudevents_sdk(event: dict[str, Any]) -> None:
    """Parse `event` with the official CloudEvents Python SDK; raise if it refuses it."""
    from cloudevents.core.formats.json import JSONFormat
    from cloudevents.core.v1.event import CloudEvent

    parsed = JSONFormat().read(CloudEvent, events.encode(event))
    if parsed.get_id() != event["id"] or parsed.get_type() != event["type"]:
        raise AssertionError(f"CloudEvents SDK read back a different event: {parsed}")
    if parsed.get_source() != event["source"] or parsed.get_data() != event.get("data"):
        raise AssertionError(f"CloudEvents SDK read back different source/data: {parsed}")
