"""The local stack for the end-to-end tests: real RabbitMQ and PostgreSQL, a gunicorn
process and a worker per service, the gateway; the tests talk to the gateway only."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from deploy.stack import Stack
from services.chassis.config import COMMUNITIES
from tests.support import environment

from .gateway_client import Gateway


@pytest.fixture(scope="package")
def stack(rabbit_vhost: environment.RabbitVhost, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """Started once for the e2e tests (fresh databases, own exchange), ready at /readyz."""
    # The platform story approves for the committee with one member, as before governance:
    # kept explicitly (CONTRACTS_SINGLE_MEMBER_COMMUNITIES); docs/governance.md.
    rule = {"CONTRACTS_SINGLE_MEMBER_COMMUNITIES": ",".join(COMMUNITIES)}
    with environment.running_stack(
        rabbit_vhost, tmp_path_factory.mktemp("e2e-stack"), "e2e", timeout=180, gateway=True, extra_env=rule
    ) as running:
        yield running


@pytest.fixture(scope="package")
def gateway(stack: Stack) -> Gateway:
    assert stack.gateway_url, "the gateway did not start"
    return Gateway(stack.gateway_url)


@pytest.fixture
def exchange_events(stack: Stack, subscribe):
    """Every event published on the stack's exchange from now on (a department's view)."""
    return subscribe(stack.config.amqp_url, f"{stack.config.bus_namespace}.community.events")
