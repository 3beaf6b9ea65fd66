"""Fixtures of the governance tests: the service on a fresh database, a committee, the clock."""

from __future__ import annotations

import pytest

from services.chassis import clock
from tests.unit.governance.story import MONDAY, Committee


@pytest.fixture
def moment():
    """The clock, by hand, from a Monday morning."""
    manual = clock.ManualClock(MONDAY)
    with clock.use(manual):
        yield manual


@pytest.fixture
def governance(service):
    return service("governance")


@pytest.fixture
def committee(governance, token, moment) -> Committee:
    return Committee(governance.client, token).setup()
