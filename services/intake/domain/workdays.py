"""Working days in the communities' zone: weekends off, public holidays off, make-up workdays on.

Standard library and the chassis clock only (its local zone is the calendar's). The
official calendar (`holidays_cn.OFFICIAL`) is the default; a community-platform operator
can add or override days (kept in the database and merged in by the catalogue use
cases), e.g. when the State Council publishes the next year.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from services.chassis import clock

HOLIDAY = "holiday"
WORKDAY = "workday"


def local_date(instant: datetime) -> date:
    """The local calendar date of an aware instant."""
    return clock.local(instant).date()


def local_day_bounds(day: date) -> tuple[datetime, datetime]:
    """[start, end) of a local day as aware datetimes."""
    return clock.local_midnight(day), clock.local_midnight(day + timedelta(days=1))


@dataclass(frozen=True)
class WorkCalendar:
    """Which days are working days: weekdays, minus holidays, plus make-up workdays."""

    days: Mapping[date, str] = field(default_factory=dict)

    @classmethod
    def of(cls, *layers: Iterable[tuple[date, str]]) -> WorkCalendar:
        """Merge (day, kind) layers; a later layer overrides an earlier one."""
        merged: dict[date, str] = {}
        for layer in layers:
            for day, kind in layer:
                if kind not in (HOLIDAY, WORKDAY):
                    raise ValueError(f"unknown day kind {kind!r}")
                merged[day] = kind
        return cls(merged)

    def is_working_day(self, day: date) -> bool:
        kind = self.days.get(day)
        if kind is not None:
            return kind == WORKDAY
        return day.weekday() < 5

    def add_working_days(self, start: date, count: int) -> date:
        """The `count`-th working day after `start` (`start` itself is not counted)."""
        if count < 0:
            raise ValueError("count must not be negative")
        day = start
        remaining = count
        while remaining > 0:
            day += timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]: how many the SLA clock counted."""
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            count += self.is_working_day(day)
        return count

    def due_at(self, opened_at: datetime, sla_days: int) -> datetime:
        """End of the `sla_days`-th working day after the opening day (local time).

        A case opened on a non-working day starts counting from that day all the same:
        the next working day is day 1. An SLA of 0 days is due by the end of the
        opening day.
        """
        due_day = self.add_working_days(local_date(opened_at), sla_days)
        return local_day_bounds(due_day)[1].astimezone(UTC)
