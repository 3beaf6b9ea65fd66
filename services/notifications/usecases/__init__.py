"""Use cases of the notifications service: contact points and consents, watches and the
queue's projection (the consumed events), deliveries and their dispatch, the inbox.

Who may do what is in `policy`; the channel adapters are in `channels`.
"""

from __future__ import annotations

from services.chassis.consumer import ConsumedEvents

from . import contacts, deliveries, dispatch, policy, queue, work

CONSUMED = ConsumedEvents.of(queue, work)

__all__ = ["CONSUMED", "contacts", "deliveries", "dispatch", "policy", "queue", "work"]
