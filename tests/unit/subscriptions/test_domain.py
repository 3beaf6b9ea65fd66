"""The subscriptions domain: grants cover patterns, signatures verify with an independent library."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from standardwebhooks import Webhook

from services.subscriptions import domain


@pytest.mark.parametrize(
    ("grant", "wanted", "covered"),
    [
        ("grid.case.*", "grid.case.opened", True),
        ("grid.case.*", "grid.case.*", True),
        ("grid.#", "grid.case.*", True),
        ("grid.#", "grid.#", True),
        ("grid.case.*", "grid.#", False),
        ("grid.case.*", "grid.case.opened.v2", False),
        ("grid.case.opened", "grid.case.*", False),
        ("intake.#", "grid.case.opened", False),
        ("#", "governance.resolution.passed", True),
    ],
)
def test_a_grant_covers_only_what_its_pattern_includes(grant, wanted, covered):
    assert domain.covers(grant, wanted) is covered


def test_the_patterns_no_grant_covers_are_named():
    assert domain.not_granted(["grid.case.*"], ["grid.case.opened", "intake.ticket.*"]) == ["intake.ticket.*"]


def test_the_signature_verifies_with_the_standardwebhooks_package():
    secret = domain.new_secret()
    body = b'{"type":"grid.case.opened"}'
    now = int(time.time())
    headers = {
        "webhook-id": "msg_1",
        "webhook-timestamp": str(now),
        "webhook-signature": domain.signatures([domain.new_secret(), secret], "msg_1", now, body),
    }
    assert Webhook(secret).verify(body, headers) == {"type": "grid.case.opened"}
    with pytest.raises(Exception, match="No matching signature"):
        Webhook(domain.new_secret()).verify(body, headers)


def test_a_subscription_failing_long_enough_is_disabled():
    start = datetime(2026, 3, 2, tzinfo=UTC)
    assert not domain.should_disable(None, start, timedelta(hours=72))
    assert not domain.should_disable(start, start + timedelta(hours=71), timedelta(hours=72))
    assert domain.should_disable(start, start + timedelta(hours=72), timedelta(hours=72))
