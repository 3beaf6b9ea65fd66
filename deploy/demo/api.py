"""The platform's HTTP API as the demo loader calls it: through the in-process gateway.

Each call carries a cast member's bearer token and a request id (`demo-...`), so the
services check and log it like any request and stamp the events it causes with it.
"""

from __future__ import annotations

import itertools
import uuid
from typing import Any

from werkzeug.test import Client

from .cast import Person, Tokens


class DemoApiError(RuntimeError):
    """A call of the demo loader was refused: the loader and the services disagree."""


class Api:
    """JSON calls to the gateway as one person or another."""

    def __init__(self, gateway: Any, tokens: Tokens, label: str = "demo") -> None:
        self.client = Client(gateway)
        self.tokens = tokens
        self._ids = itertools.count(1)
        self.label = label

    def _headers(self, person: Person, extra: dict[str, str] | None) -> dict[str, str]:
        return {
            "Authorization": f"Bearer {self.tokens(person)}",
            "X-Request-ID": f"{self.label}-{next(self._ids):05d}",
            **(extra or {}),
        }

    def call(
        self,
        method: str,
        path: str,
        person: Person,
        body: Any = None,
        *,
        expect: tuple[int, ...] = (200, 201),
        headers: dict[str, str] | None = None,
        query: dict[str, Any] | None = None,
    ) -> tuple[Any, dict[str, str]]:
        """One request; the decoded JSON body and the response headers."""
        response = self.client.open(
            f"/api{path}",
            method=method,
            json=body,
            query_string=query,
            headers=self._headers(person, headers),
        )
        text = response.get_data(as_text=True)
        if response.status_code not in expect:
            raise DemoApiError(f"{method} {path} as {person.sub}: {response.status_code} {text}")
        return (response.get_json(silent=True) if text else None), dict(response.headers)

    def get(self, path: str, person: Person, **query: Any) -> Any:
        return self.call("GET", path, person, query=query or None)[0]

    def post(
        self,
        path: str,
        person: Person,
        body: Any = None,
        *,
        expect: tuple[int, ...] = (200, 201),
        money: bool = False,
        headers: dict[str, str] | None = None,
    ) -> Any:
        """POST; `money=True` adds an Idempotency-Key (money-moving endpoints require one)."""
        extra = dict(headers or {})
        if money:
            extra["Idempotency-Key"] = uuid.uuid4().hex
        return self.call(
            "POST", path, person, body if body is not None else {}, expect=expect, headers=extra
        )[0]

    def etag(self, path: str, person: Person) -> str:
        return self.call("GET", path, person)[1]["ETag"]
