"""Fixtures of the notifications tests: the service with recording channels, people, the clock."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from services.chassis import clock
from tests.support.helpers import bearer

from .support import recording_channels

NOON_SHANGHAI = datetime(2026, 12, 3, 4, 0, tzinfo=UTC)  # 12:00 local, outside quiet hours


@pytest.fixture
def moment():
    manual = clock.ManualClock(NOON_SHANGHAI)
    with clock.use(manual):
        yield manual


@pytest.fixture
def notify(service):
    return service("notifications")


@pytest.fixture
def channels(notify):
    return recording_channels(notify)


@pytest.fixture
def resident(token):
    return bearer(token("resident", community="huaguoshan", sub="resident-li"))


@pytest.fixture
def neighbour(token):
    return bearer(token("resident", community="huaguoshan", sub="resident-wang"))
