"""The intake service's own knobs, read once with `services.chassis.config.read_settings`.

Environment: `INTAKE_PRIORITY_BOOST_MINUTES`, `INTAKE_SERVICE_HOURS_PER_DAY`,
`INTAKE_OVERDUE_CHECK_SECONDS`, and the personal-data keys `INTAKE_PERSONAL_DATA_KEY` and
`INTAKE_PERSONAL_DATA_RETIRED_KEYS` (the chassis' one scheme, `services.chassis.protection`);
tests override a field through `Settings.extra`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from services.chassis.config import Settings, read_settings
from services.chassis.protection import PersonalDataCipher, load_cipher


@dataclass(frozen=True)
class IntakeSettings:
    """Knobs of the desk: priority boost, hall hours and the overdue sweep."""

    priority_boost_minutes: float = 15.0
    service_hours_per_day: float = 8.0
    overdue_check_seconds: float = 300.0
    personal_data_key: str | None = None
    personal_data_retired_keys: str | None = None

    @property
    def priority_boost(self) -> timedelta:
        """How much earlier a priority ticket counts as issued (aging keeps it bounded)."""
        return timedelta(minutes=float(self.priority_boost_minutes))


def personal_data_cipher(settings: Settings, intake: IntakeSettings | None = None) -> PersonalDataCipher:
    """The cipher of intake's personal data (phones, personal attributes)."""
    intake = intake or read_settings(IntakeSettings, settings)
    return load_cipher(settings, "intake", intake.personal_data_key, intake.personal_data_retired_keys)
