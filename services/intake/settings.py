"""The intake service's own knobs, read once with `services.chassis.config.read_settings`.

Environment: `INTAKE_PRIORITY_BOOST_MINUTES`, `INTAKE_SERVICE_HOURS_PER_DAY`,
`INTAKE_OVERDUE_CHECK_SECONDS`; tests override a field through `Settings.extra`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class IntakeSettings:
    """Knobs of the desk: priority boost, hall hours and the overdue sweep."""

    priority_boost_minutes: float = 15.0
    service_hours_per_day: float = 8.0
    overdue_check_seconds: float = 300.0

    @property
    def priority_boost(self) -> timedelta:
        """How much earlier a priority ticket counts as issued (aging keeps it bounded)."""
        return timedelta(minutes=float(self.priority_boost_minutes))
