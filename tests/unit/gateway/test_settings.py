"""The gateway's settings from the environment."""

from __future__ import annotations

import pytest

from gateway.settings import GatewaySettings


def test_settings_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("INTAKE_URL", "http://a:8001, http://b:8001/")
    monkeypatch.setenv("GRID_URL", "http://g:8003")
    monkeypatch.setenv("GATEWAY_ROUTE_TIMEOUTS", "intake=5,intake/analytics=60")
    monkeypatch.setenv("RATE_LIMIT_WRITE", "10/second")
    monkeypatch.setenv("GATEWAY_CORS_ORIGINS", "https://portal.example, https://x.example")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/1")
    monkeypatch.setenv("MAX_BODY_BYTES", "2048")
    settings = GatewaySettings.from_env({"data_dir": tmp_path})
    assert settings.upstream_urls["intake"] == ("http://a:8001", "http://b:8001")
    assert settings.upstream_urls["grid"] == ("http://g:8003",)
    assert settings.read_timeout_for("/api/intake/analytics/waits") == 60
    assert settings.read_timeout_for("/api/intake/tickets") == 5
    assert settings.read_timeout_for("/api/grid/cases") == 30
    assert settings.rate_limits["write"] == "10/second"
    assert settings.rate_limits["read"] == "1200/minute"
    assert settings.cors_origins == ("https://portal.example", "https://x.example")
    assert settings.redis_url == "redis://127.0.0.1:6379/1"
    assert settings.max_body_bytes == 2048


def test_bad_route_timeout_is_refused(monkeypatch, tmp_path):
    monkeypatch.setenv("GATEWAY_ROUTE_TIMEOUTS", "intake")
    with pytest.raises(ValueError, match="GATEWAY_ROUTE_TIMEOUTS"):
        GatewaySettings.from_env({"data_dir": tmp_path})
