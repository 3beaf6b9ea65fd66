"""The governance service's own knobs, read with the chassis' `read_settings` (env `GOVERNANCE_<FIELD>`).

`GOVERNANCE_NOTICE_WORKING_DAYS` is the length of a public notice (5 by default);
`GOVERNANCE_HOLIDAYS` the days off besides weekends (ISO dates, comma-separated), until
the platform's working-day calendar reaches this service through events.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from . import domain


@dataclass(frozen=True)
class GovernanceSettings:
    notice_working_days: int = domain.DEFAULT_NOTICE_WORKING_DAYS
    holidays: tuple[str, ...] = ()

    def holiday_dates(self) -> frozenset[date]:
        return frozenset(date.fromisoformat(d.strip()) for d in self.holidays if d.strip())
