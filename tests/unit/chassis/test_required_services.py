"""Tests that need PostgreSQL or RabbitMQ skip with a reason, or fail when CI requires them."""

import pytest

from tests.support import environment


@pytest.fixture
def nothing_listens(monkeypatch):
    monkeypatch.setenv(environment.POSTGRES_ENV, "postgresql://postgres@127.0.0.1:9/postgres")
    monkeypatch.setenv(environment.AMQP_ENV, "amqp://guest:guest@127.0.0.1:9/")


@pytest.mark.parametrize("kind", ["postgres", "rabbitmq"])
def test_unreachable_service_skips_with_its_reason(kind, nothing_listens, monkeypatch):
    monkeypatch.delenv(environment.REQUIRE_ENV, raising=False)
    with pytest.raises(pytest.skip.Exception, match=f"{kind} is not reachable at .*:9"):
        environment.need(kind)


@pytest.mark.parametrize("kind", ["postgres", "rabbitmq"])
def test_unreachable_service_fails_when_required(kind, nothing_listens, monkeypatch):
    monkeypatch.setenv(environment.REQUIRE_ENV, "1")
    with pytest.raises(pytest.fail.Exception, match="COMMUNITY_REQUIRE_SERVICES=1 requires it"):
        environment.need(kind)
