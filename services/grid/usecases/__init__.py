"""Use cases of the grid service: commands, consumed-event handlers, periodic checks, policy."""

from __future__ import annotations

from services.chassis.consumer import ConsumedEvents

from . import referrals

CONSUMED = ConsumedEvents.of(referrals)
