"""Events the subscriptions service publishes: the owner of a failing subscription is told.

No URLs, no secrets: the department and the subscription by id only.
"""

from __future__ import annotations

from collections.abc import Sequence

from services.chassis.events import DATETIME, UUID, EventType, integer, payload, string

SUBSCRIPTION_DISABLED = EventType(
    "subscriptions.subscription.disabled",
    "A webhook subscription was disabled after its deliveries failed without a success for "
    "the configured time (72 h by default). Its owner (the department) resumes it once the "
    "receiver works again; what was pending is delivered then.",
    payload(
        {
            "subscription_id": UUID,
            "department": string(80),
            "failing_since": DATETIME,
            "pending_deliveries": integer(0),
        }
    ),
)

PUBLISHES: Sequence[EventType] = (SUBSCRIPTION_DISABLED,)
