"""Helpers the tests import: tokens' key settings and claims, bearer headers, waiting, problem checks."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from services.chassis import events


def key_settings(key_dir: Path) -> dict[str, Any]:
    return {
        "jwt_private_key_path": key_dir / "jwt-private.pem",
        "jwt_public_key_path": key_dir / "jwt-public.pem",
        "jwt_jwks_url": None,
    }


def token_claims(**overrides: Any) -> dict[str, Any]:
    """The claims of a valid staff token (ten minutes to live), with `overrides` applied."""
    now = int(time.time())
    claims = {
        "iss": "community-platform",
        "aud": "community-platform",
        "sub": "u1",
        "name": "Wu",
        "roles": ["center_staff"],
        "communities": ["huaguoshan"],
        "iat": now,
        "exp": now + 600,
    }
    claims.update(overrides)
    return claims


def signed_token(key_dir: Path, claims: dict[str, Any]) -> str:
    """`claims` signed RS256 with the test session's key (see the `key_dir` fixture)."""
    return jwt.encode(claims, (key_dir / "jwt-private.pem").read_bytes(), algorithm="RS256")


def expired_token(key_dir: Path) -> str:
    """A token signed with the session's key that expired an hour ago."""
    now = int(time.time())
    return signed_token(key_dir, token_claims(exp=now - 3600, iat=now - 7200))


def forged_token() -> str:
    """A well-formed token signed with a key nobody trusts."""
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = other.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return jwt.encode(token_claims(), pem, algorithm="RS256")


def unsigned_token() -> str:
    """A token with `alg: none`."""
    return jwt.encode(token_claims(), None, algorithm="none")


def bearer(token_value: str, **headers: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token_value}", **headers}


def run_together(calls: list[Callable[[], Any]], timeout: float = 60.0) -> list[Any]:
    """Run each call in its own thread, all released at once; their results, in order."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int, call: Callable[[], Any]) -> None:
        barrier.wait()
        results[index] = call()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    return results


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
