"""Use cases of the contracts service: one function per command or consumed event."""

from __future__ import annotations

from services.chassis.consumer import HandlerTable

EVENT_HANDLERS: HandlerTable = {}
