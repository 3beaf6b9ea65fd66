"""What a subscription is: its filter, its lifecycle, the webhook signature and the retry rules.

Standard library and the chassis' pure kernel only. A department may subscribe to event
types an administrator granted it (topic patterns, `*` one word, `#` any words); the
filter is checked against the grants when the subscription is made and every event is
checked again at delivery. Webhooks are signed per Standard Webhooks
(https://www.standardwebhooks.com): `v1,` + base64 HMAC-SHA256 of `id.timestamp.body`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from datetime import datetime, timedelta

from services.chassis.statemachine import StateMachine

MODES = ("webhook", "amqp")
STATUSES = ("active", "paused", "disabled")
DELIVERY_STATUSES = ("pending", "delivered", "withheld")
SECRET_PREFIX = "whsec_"
# A pattern is dot-separated words of lowercase letters, digits, `_` and `-`, or `*` / `#`.
PATTERN = r"^(?:[a-z0-9_-]+|\*|#)(?:\.(?:[a-z0-9_-]+|\*|#)){0,9}$"
_PATTERN = re.compile(PATTERN)

SUBSCRIPTION = StateMachine(
    "subscription",
    {
        "pause": (("active",), "paused"),
        "resume": (("paused", "disabled"), "active"),
        "disable": (("active", "paused"), "disabled"),
    },
)


class NotGranted(Exception):
    """A filter asks for event types the department was not granted."""

    problem_status = 403
    problem_type = "not-granted"
    problem_title = "Event types not granted"

    def __init__(self, patterns: list[str]) -> None:
        self.detail = (
            f"未授权订阅这些事件类型：{', '.join(patterns)}。 "
            f"(The department is not granted these event types: {', '.join(patterns)}.)"
        )
        self.extra = {"not_granted": patterns}
        super().__init__(self.detail)


def is_pattern(text: str) -> bool:
    return bool(_PATTERN.match(text))


def _words_match(pattern: list[str], words: list[str]) -> bool:
    if not pattern:
        return not words
    head, rest = pattern[0], pattern[1:]
    if head == "#":
        return any(_words_match(rest, words[i:]) for i in range(len(words) + 1))
    if not words:
        return False
    if head == "*":
        return words[0] != "#" and _words_match(rest, words[1:])
    return head == words[0] and _words_match(rest, words[1:])


def covers(grant: str, wanted: str) -> bool:
    """Whether the grant pattern covers every event type the wanted pattern (or name) matches.

    A word `*` is covered by `*` or `#`; a word `#` only by `#`.
    """
    return _words_match(grant.split("."), wanted.split("."))


def not_granted(grants: list[str], wanted: list[str]) -> list[str]:
    """The wanted patterns no grant covers (empty: all granted)."""
    return [w for w in wanted if not any(covers(g, w) for g in grants)]


def new_secret() -> str:
    """A fresh webhook secret, `whsec_` + base64 of 24 random bytes."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(24)).decode()


def signature(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """One Standard Webhooks signature: `v1,<base64 HMAC-SHA256 of id.timestamp.body>`."""
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    signed = f"{message_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def signatures(secrets_in_force: list[str], message_id: str, timestamp: int, body: bytes) -> str:
    """The `webhook-signature` header: one signature per secret in force (rotation overlap)."""
    return " ".join(signature(s, message_id, timestamp, body) for s in secrets_in_force)


def should_disable(failing_since: datetime | None, now: datetime, after: timedelta) -> bool:
    """A subscription whose deliveries have failed without a success for `after` is disabled."""
    return failing_since is not None and now - failing_since >= after
