"""The one clock and the one local time zone of the platform.

Every service reads the time through `now()` (aware, UTC) and the community's calendar
through `local_zone()` / `local_today()`. The zone is the `COMMUNITY_TIMEZONE` setting
(`DEFAULT_TIMEZONE` unless a deployment says otherwise); tests move time with `use()`
in their own process, and move the time of a whole local stack (every web process and
worker) by writing seconds into the file `COMMUNITY_CLOCK_OFFSET_FILE` names.
Standard library only, so a service's pure `domain` may take dates from here.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

TIMEZONE_ENV = "COMMUNITY_TIMEZONE"
DEFAULT_TIMEZONE = "Asia/Shanghai"
# Test stacks only: a file holding the seconds every process's clock runs ahead.
OFFSET_FILE_ENV = "COMMUNITY_CLOCK_OFFSET_FILE"


def system_now() -> datetime:
    """The machine's clock, aware, in UTC (ahead by the offset file's seconds when one is named)."""
    moment = datetime.now(UTC)
    offset_file = os.environ.get(OFFSET_FILE_ENV)
    return moment + _offset(offset_file) if offset_file else moment


def _offset(path: str) -> timedelta:
    try:
        with open(path, encoding="ascii") as file:
            return timedelta(seconds=float(file.read().strip() or 0))
    except (OSError, ValueError):
        return timedelta(0)


_current: Callable[[], datetime] = system_now


def now() -> datetime:
    """The current moment, aware, in UTC (the system clock unless a test set another)."""
    return _current()


@cache
def local_zone() -> ZoneInfo:
    """The zone the communities live in (`COMMUNITY_TIMEZONE`, read once)."""
    return ZoneInfo(os.environ.get(TIMEZONE_ENV) or DEFAULT_TIMEZONE)


def local(moment: datetime) -> datetime:
    """A moment in the local zone."""
    return moment.astimezone(local_zone())


def local_now() -> datetime:
    return local(now())


def local_today() -> date:
    return local_now().date()


def month_days(month: str) -> tuple[date, date]:
    """A calendar month `YYYY-MM` (already checked) as its first day and the next month's."""
    year, number = int(month[:4]), int(month[5:7])
    return date(year, number, 1), date(year + number // 12, number % 12 + 1, 1)


def local_midnight(day: date) -> datetime:
    """The start of a local calendar day, aware, in UTC."""
    return datetime(day.year, day.month, day.day, tzinfo=local_zone()).astimezone(UTC)


@contextmanager
def use(clock: Callable[[], datetime] | datetime) -> Iterator[None]:
    """Run with another clock (a callable, or a fixed moment) and put the old one back."""
    global _current
    previous = _current
    _current = clock if callable(clock) else (lambda: clock)
    try:
        yield
    finally:
        _current = previous


class ManualClock:
    """A clock a test moves by hand: `clock = ManualClock(start); with use(clock): clock.advance(...)`."""

    def __init__(self, start: datetime) -> None:
        self.moment = start

    def __call__(self) -> datetime:
        return self.moment

    def advance(self, delta: timedelta) -> datetime:
        self.moment += delta
        return self.moment
