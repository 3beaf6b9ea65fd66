"""The local stack for the end-to-end tests: real RabbitMQ and PostgreSQL, a gunicorn
process and a worker per service, the gateway; the tests talk to the gateway only."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from deploy.stack import Stack, StackConfig
from tests.support import environment

from .gateway_client import Gateway


@pytest.fixture(scope="package")
def stack(rabbit_vhost: environment.RabbitVhost, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """Started once for the e2e tests (fresh databases, own exchange), ready at /readyz."""
    environment.need("postgres")
    config = StackConfig(
        postgres_url=environment.postgres_admin_url(),
        amqp_url=rabbit_vhost.url,
        service_port_base=0,
        gateway_port=0,
        database_prefix=f"e2e_{uuid.uuid4().hex[:8]}_",
        data_dir=tmp_path_factory.mktemp("e2e-stack"),
        bus_namespace=f"e2e{uuid.uuid4().hex[:8]}",
        gateway=True,
        drop_databases_on_stop=True,
    )
    running = Stack(config)
    try:
        running.start()
        running.wait_ready(timeout=180)
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="package")
def gateway(stack: Stack) -> Gateway:
    assert stack.gateway_url, "the gateway did not start"
    return Gateway(stack.gateway_url)


@pytest.fixture
def exchange_events(stack: Stack, subscribe):
    """Every event published on the stack's exchange from now on (a department's view)."""
    return subscribe(stack.config.amqp_url, f"{stack.config.bus_namespace}.community.events")
