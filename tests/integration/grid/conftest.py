"""Grid on real PostgreSQL and RabbitMQ: the service, its worker, and a tap on the exchange."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from kombu import Queue

from services.chassis.bus import Bus
from services.chassis.config import Settings
from services.chassis.events import encode
from tests.unit.grid.conftest import HGS_LAT, HGS_LON, make_cell, report, resident, square, staff, worker  # noqa: F401  (shared fixtures)


class ExchangeTap:
    """An exclusive queue bound to the test's exchange: every event published, in order."""

    def __init__(self, bus: Bus, pattern: str = "#") -> None:
        self.connection = bus.connect()
        self.channel = self.connection.channel()
        bus.exchange(self.channel).declare()
        self.queue = Queue(
            f"tap-{uuid.uuid4().hex[:8]}",
            exchange=bus.exchange,
            routing_key=pattern,
            exclusive=True,
            auto_delete=True,
            durable=False,
        )(self.channel)
        self.queue.declare()
        self.seen: list[dict[str, Any]] = []

    def drain(self) -> list[dict[str, Any]]:
        while (message := self.queue.get(no_ack=True)) is not None:
            body = message.body.decode() if isinstance(message.body, bytes) else message.body
            self.seen.append(
                {"routing_key": message.delivery_info["routing_key"], "raw": body, **json.loads(body)}
            )
        return self.seen

    def of(self, name: str) -> list[dict[str, Any]]:
        return [e for e in self.drain() if e["routing_key"] == name]

    def close(self) -> None:
        self.connection.release()


@pytest.fixture
def grid(service):
    return service("grid", backend="postgres", bus="rabbitmq", overdue_sweep_seconds=0.2)


@pytest.fixture
def client(grid):
    return grid.client


@pytest.fixture
def tap(grid) -> Iterator[ExchangeTap]:
    bus = Bus(grid.runtime.settings)
    found = ExchangeTap(bus)
    yield found
    found.close()


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
