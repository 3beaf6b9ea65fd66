"""Use cases of the governance service: roster, meetings and resolutions, notices, the fund.

Who may do what is in `policy`. The service consumes no events yet (the working-day
calendar of intake would be the first); `CONSUMED` is empty but present for the worker.
"""

from __future__ import annotations

from services.chassis.consumer import ConsumedEvents

from . import fund, meetings, notices, policy, roster

CONSUMED = ConsumedEvents.of()

__all__ = ["CONSUMED", "fund", "meetings", "notices", "policy", "roster"]
