"""The documented webhook receiver accepts the platform's signature and refuses others."""

from __future__ import annotations

import importlib.util
import time
from pathlib import Path

import pytest

from services.subscriptions import domain

EXAMPLE = Path(__file__).resolve().parents[3] / "docs" / "examples" / "webhook_receiver.py"


def load_example():
    spec = importlib.util.spec_from_file_location("webhook_receiver", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_example_receiver_verifies_the_platforms_signature_and_refuses_a_forgery():
    receiver = load_example()
    secret, body, now = domain.new_secret(), b'{"id":"e1","type":"grid.case.opened.v1"}', int(time.time())
    headers = {
        "webhook-id": "e1",
        "webhook-timestamp": str(now),
        "webhook-signature": domain.signatures([secret], "e1", now, body),
    }
    assert receiver.verify(secret, headers, body)["id"] == "e1"
    with pytest.raises(ValueError, match="no matching signature"):
        receiver.verify(domain.new_secret(), headers, body)
    with pytest.raises(ValueError, match="stale"):
        receiver.verify(secret, headers, body, now=now + 3600)
