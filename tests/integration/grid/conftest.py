"""Grid on real PostgreSQL and RabbitMQ: the service, its worker, and a tap on the exchange."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from services.chassis.bus import Bus
from services.chassis.config import Settings
from services.chassis.events import encode
from tests.support.fixtures import ExchangeTap
from tests.unit.grid.conftest import HGS_LAT, HGS_LON, make_cell, report, resident, square, staff, worker  # noqa: F401  (shared fixtures)


@pytest.fixture
def grid(service):
    return service("grid", backend="postgres", bus="rabbitmq", overdue_sweep_seconds=0.2)


@pytest.fixture
def client(grid):
    return grid.client


@pytest.fixture
def tap(grid, subscribe) -> ExchangeTap:
    """Every event on the test's exchange, in order."""
    return subscribe(grid.runtime.settings.amqp_url, grid.runtime.settings.exchange_name)


@pytest.fixture
def intake_bus(grid) -> Iterator[Bus]:
    """A publisher of the intake service on the same exchange (as intake's relay would be)."""
    settings = Settings.from_env(
        "intake",
        {
            "amqp_url": grid.runtime.settings.amqp_url,
            "bus_namespace": grid.runtime.settings.bus_namespace,
            "data_dir": grid.runtime.settings.data_dir,
        },
    )
    bus = Bus(settings)
    yield bus
    bus.reset_publisher()


def publish(bus: Bus, event: dict[str, Any]) -> None:
    bus.publish_raw(encode(event), routing_key="intake.case.referred", message_id=event["id"])
