"""What every channel shares: the message, the error, one JSON-over-HTTP call with a timeout."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any


class ChannelError(Exception):
    """A send that failed; the text names the provider's answer, never the address."""


@dataclass(frozen=True)
class Message:
    trigger: str
    language: str
    text: str
    subject: str
    params: dict[str, str] = field(default_factory=dict)


def http_json(
    url: str, *, timeout: float, body: bytes | None = None, headers: dict[str, str] | None = None
) -> dict[str, Any]:
    """GET (or POST `body`) and decode a JSON answer; any failure is a `ChannelError`."""
    request = urllib.request.Request(url, data=body, headers=headers or {}, method="POST" if body else "GET")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - configured endpoint
            return json.loads(response.read().decode("utf-8") or "{}")
    except urllib.error.HTTPError as exc:
        raise ChannelError(f"provider answered HTTP {exc.code}") from None
    except (OSError, ValueError) as exc:
        raise ChannelError(f"provider unreachable or unreadable: {type(exc).__name__}") from None
