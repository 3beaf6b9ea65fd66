"""The local stack for the end-to-end tests: real RabbitMQ and PostgreSQL, a gunicorn
process and a worker per service, the gateway; the tests talk to the gateway only."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from deploy.stack import Stack
from services.chassis.clock import OFFSET_FILE_ENV
from tests.support import environment
from tests.support.mailbox import Mailbox

from .gateway_client import Gateway


@pytest.fixture(scope="package")
def mailbox() -> Iterator[Mailbox]:
    """The stack's mail relay: a real SMTP server (aiosmtpd) keeping what notifications sends."""
    with Mailbox() as box:
        yield box


@pytest.fixture(scope="package")
def stack(
    rabbit_vhost: environment.RabbitVhost, tmp_path_factory: pytest.TempPathFactory, mailbox: Mailbox
) -> Iterator[Stack]:
    """Started once for the e2e tests (fresh databases, own exchange), ready at /readyz."""
    data_dir = tmp_path_factory.mktemp("e2e-stack")
    extra_env = {
        OFFSET_FILE_ENV: str(data_dir / "clock-offset"),  # `stack_clock` moves it
        "NOTIFICATIONS_SMTP_HOST": "127.0.0.1",
        "NOTIFICATIONS_SMTP_PORT": str(mailbox.port),
    }
    with environment.running_stack(
        rabbit_vhost, data_dir, "e2e", timeout=180, gateway=True, extra_env=extra_env
    ) as running:
        yield running


@pytest.fixture
def stack_clock(stack: Stack) -> Iterator[Callable[[timedelta], None]]:
    """Move every process of the stack ahead by a duration; put back after the test."""
    offset = Path(stack.config.extra_env[OFFSET_FILE_ENV])

    def ahead(by: timedelta) -> None:
        offset.write_text(str(by.total_seconds()))

    try:
        yield ahead
    finally:
        offset.write_text("0")


@pytest.fixture(scope="package")
def gateway(stack: Stack) -> Gateway:
    assert stack.gateway_url, "the gateway did not start"
    return Gateway(stack.gateway_url)


@pytest.fixture
def exchange_events(stack: Stack, subscribe):
    """Every event published on the stack's exchange from now on (a department's view)."""
    return subscribe(stack.config.amqp_url, f"{stack.config.bus_namespace}.community.events")
