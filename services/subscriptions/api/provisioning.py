"""The RabbitMQ management API client of a request (AMQP subscriptions, revoked grants)."""

from __future__ import annotations

from services.chassis.web import runtime, service_settings

from ..settings import BrokerSettings
from ..usecases.broker import BrokerAdmin


def broker() -> BrokerAdmin:
    """The management API client (made only when an AMQP subscription needs it)."""
    chassis = runtime().settings
    return BrokerAdmin(service_settings(BrokerSettings), chassis.exchange_name, chassis.quorum_queues)
