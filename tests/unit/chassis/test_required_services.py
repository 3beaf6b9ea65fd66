"""Tests that need PostgreSQL or RabbitMQ skip with a reason, or fail when CI requires them."""

import pytest

from services.chassis import testing


@pytest.fixture
def nothing_listens(monkeypatch):
    monkeypatch.setenv(testing.POSTGRES_ENV, "postgresql://postgres@127.0.0.1:9/postgres")
    monkeypatch.setenv(testing.AMQP_ENV, "amqp://guest:guest@127.0.0.1:9/")


@pytest.mark.parametrize("kind", ["postgres", "rabbitmq"])
def test_unreachable_service_skips_with_its_reason(kind, nothing_listens, monkeypatch):
    monkeypatch.delenv(testing.REQUIRE_ENV, raising=False)
    with pytest.raises(pytest.skip.Exception, match=f"{kind} is not reachable at .*:9"):
        testing.need(kind)


@pytest.mark.parametrize("kind", ["postgres", "rabbitmq"])
def test_unreachable_service_fails_when_required(kind, nothing_listens, monkeypatch):
    monkeypatch.setenv(testing.REQUIRE_ENV, "1")
    with pytest.raises(pytest.fail.Exception, match="COMMUNITY_REQUIRE_SERVICES=1 requires it"):
        testing.need(kind)
