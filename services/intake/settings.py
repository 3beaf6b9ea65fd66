"""Intake settings read once from the environment (embedded-safe defaults) and the clock."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from services.chassis import clock
from services.chassis.config import Settings


@dataclass(frozen=True)
class IntakeSettings:
    """Knobs of the desk: priority boost, hall hours, overdue sweep, and the clock."""

    priority_boost: timedelta = timedelta(minutes=15)
    service_hours_per_day: float = 8.0
    overdue_check_seconds: float = 300.0
    clock: Callable[[], datetime] = clock.now

    @classmethod
    def of(cls, settings: Settings) -> IntakeSettings:
        """From `INTAKE_*` variables; test overrides (`extra`) win."""
        extra = settings.extra

        def pick(key: str, env: str, default: float) -> float:
            if key in extra:
                return float(extra[key])
            value = os.environ.get(env)
            return float(value) if value else default

        return cls(
            priority_boost=timedelta(
                minutes=pick("priority_boost_minutes", "INTAKE_PRIORITY_BOOST_MINUTES", 15)
            ),
            service_hours_per_day=pick("service_hours_per_day", "INTAKE_SERVICE_HOURS_PER_DAY", 8),
            overdue_check_seconds=pick("overdue_check_seconds", "INTAKE_OVERDUE_CHECK_SECONDS", 300),
            clock=extra.get("clock", clock.now),
        )
