"""Use cases of the subscriptions service: grants, subscriptions, webhook deliveries.

Who may do what is in `policy`; URL checks against SSRF in `targets`; the HTTP POST in
`sender`. The worker consumes every event (`deliveries.on_event`, bound to `#`).
"""

from __future__ import annotations

from services.chassis.consumer import ConsumedEvents

from . import deliveries, grants, policy, subscriptions, targets

CONSUMED = ConsumedEvents.of(deliveries)

__all__ = ["CONSUMED", "deliveries", "grants", "policy", "subscriptions", "targets"]
