"""In the embedded mode (in-memory bus, SQLite) a webhook subscription receives the platform's events."""

from __future__ import annotations

import json
import uuid

from standardwebhooks import Webhook

from tests.integration.subscriptions.receiver import Receiver
from tests.integration.subscriptions.test_webhooks_on_rabbitmq import CASE_OPENED, publish
from tests.support.helpers import wait_for
from tests.unit.subscriptions.conftest import grant, subscribe


def test_the_in_memory_bus_feeds_webhooks_too(service, admin, hotline):
    harness = service(
        "subscriptions", allow_http=True, allow_private_targets=True, delivery_interval_seconds=0.05
    )
    harness.start_worker()
    receiver = Receiver().start()
    try:
        grant(harness.client, admin, "grid.case.*")
        secret = subscribe(harness.client, hotline, url=receiver.url).get_json()["secret"]
        event = publish(harness, CASE_OPENED, "c1", {"case_id": str(uuid.uuid4())})
        wait_for(lambda: receiver.count() == 1, message="the event delivered")
    finally:
        receiver.stop()
    headers, body = receiver.received[0]
    assert Webhook(secret).verify(body, headers)["id"] == event["id"] == json.loads(body)["id"]
