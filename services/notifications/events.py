"""Events the notifications service publishes: a message went out, or was given up on.

Ids, trigger names and channels only: never a contact value, a name or the message text.
"""

from __future__ import annotations

from collections.abc import Sequence

from services.chassis.events import DATETIME, UUID, EventType, enum, integer, payload

from .domain import EXTERNAL_CHANNELS, TRIGGERS

DELIVERY_SENT = EventType(
    "notifications.delivery.sent",
    "A message about an event reached its provider (SMS, WeChat, e-mail).",
    payload(
        {
            "delivery_id": UUID,
            "trigger": enum(*TRIGGERS),
            "channel": enum(*EXTERNAL_CHANNELS),
            "attempts": integer(1),
            "sent_at": DATETIME,
        }
    ),
)
DELIVERY_DEAD_LETTERED = EventType(
    "notifications.delivery.dead_lettered",
    "A message kept failing on its channel and waits for an operator's replay.",
    payload(
        {
            "delivery_id": UUID,
            "trigger": enum(*TRIGGERS),
            "channel": enum(*EXTERNAL_CHANNELS),
            "attempts": integer(1),
            "failed_at": DATETIME,
        }
    ),
)

PUBLISHES: Sequence[EventType] = (DELIVERY_SENT, DELIVERY_DEAD_LETTERED)
