"""Rate limits per token subject or client IP and route class; shared through Redis."""

from __future__ import annotations

import socket

import pytest
from werkzeug.test import Client

from tests.support.environment import unavailable
from tests.support.helpers import assert_problem, bearer
from tests.unit.gateway.support import EchoApp, inprocess_gateway

REDIS_URL = "redis://127.0.0.1:6379/0"


def _need_redis() -> None:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return
    except OSError:
        unavailable("Redis is not reachable at 127.0.0.1:6379")


def _gateway(key_dir, tmp_path, **settings):
    return inprocess_gateway(key_dir, tmp_path, {"intake": EchoApp()}, **settings)


def test_429_after_the_limit_with_retry_after(key_dir, tmp_path, token):
    client = Client(_gateway(key_dir, tmp_path, rate_limits={"read": "3/minute"}))
    staff = bearer(token("center_staff"))
    for _ in range(3):
        assert client.get("/api/intake/tickets", headers=staff).status_code == 200
    response = client.get("/api/intake/tickets", headers=staff)
    body = assert_problem(response, 429, type_suffix="rate-limited")
    retry_after = int(response.headers["Retry-After"])
    assert 1 <= retry_after <= 60
    assert "3 per 1 minute" in body["detail"]
    assert 'gateway_rate_limited_total{route_class="read"} 1.0' in client.get(
        "/metrics", headers=bearer(token("admin"))
    ).get_data(as_text=True)


def test_limits_are_per_subject_and_per_route_class(key_dir, tmp_path, token):
    client = Client(_gateway(key_dir, tmp_path, rate_limits={"read": "2/minute", "write": "1/minute"}))
    first, second = bearer(token("center_staff")), bearer(token("center_staff"))
    for _ in range(2):
        client.get("/api/intake/tickets", headers=first)
    assert client.get("/api/intake/tickets", headers=first).status_code == 429
    assert client.get("/api/intake/tickets", headers=second).status_code == 200
    assert client.post("/api/intake/tickets", json={}, headers=first).status_code == 200
    assert client.post("/api/intake/tickets", json={}, headers=first).status_code == 429


def test_anonymous_callers_are_limited_by_ip(key_dir, tmp_path):
    client = Client(_gateway(key_dir, tmp_path, rate_limits={"anonymous": "2/minute"}))
    path = "/api/intake/display"
    here, there = {"REMOTE_ADDR": "192.0.2.1"}, {"REMOTE_ADDR": "192.0.2.2"}
    for _ in range(2):
        assert client.get(path, environ_base=here).status_code == 200
    assert client.get(path, environ_base=here).status_code == 429
    assert client.get(path, environ_base=there).status_code == 200


def test_probes_and_pages_are_not_limited(key_dir, tmp_path):
    client = Client(_gateway(key_dir, tmp_path, rate_limits={"anonymous": "1/minute"}))
    for path in ("/healthz", "/healthz", "/", "/", "/display/chiwan", "/display/chiwan"):
        assert client.get(path).status_code == 200


@pytest.mark.timeout(60)
def test_two_gateways_share_the_counters_in_redis(key_dir, tmp_path, token):
    _need_redis()
    limits = {"read": "4/minute"}
    one = Client(_gateway(key_dir, tmp_path, rate_limits=limits, redis_url=REDIS_URL))
    two = Client(_gateway(key_dir, tmp_path, rate_limits=limits, redis_url=REDIS_URL))
    staff = bearer(token("center_staff"))  # a fresh subject: no counts from earlier runs
    assert one.get("/api/intake/tickets", headers=staff).status_code == 200
    assert two.get("/api/intake/tickets", headers=staff).status_code == 200
    assert one.get("/api/intake/tickets", headers=staff).status_code == 200
    assert two.get("/api/intake/tickets", headers=staff).status_code == 200
    refused = one.get("/api/intake/tickets", headers=staff)
    assert_problem(refused, 429)
    assert int(refused.headers["Retry-After"]) >= 1
    assert two.get("/api/intake/tickets", headers=staff).status_code == 429


def test_redis_down_fails_open(key_dir, tmp_path, token):
    dead = socket.socket()
    dead.bind(("127.0.0.1", 0))
    port = dead.getsockname()[1]
    dead.close()
    client = Client(
        _gateway(key_dir, tmp_path, rate_limits={"read": "1/minute"}, redis_url=f"redis://127.0.0.1:{port}/0")
    )
    staff = bearer(token("center_staff"))
    assert [client.get("/api/intake/x", headers=staff).status_code for _ in range(3)] == [200] * 3


def test_failed_authentication_spends_the_callers_ip_bucket(key_dir, tmp_path, token):
    client = Client(_gateway(key_dir, tmp_path, rate_limits={"anonymous": "3/minute"}))
    here, there = {"REMOTE_ADDR": "192.0.2.7"}, {"REMOTE_ADDR": "192.0.2.8"}
    guesses = [bearer("guess-1"), bearer("guess-2"), {}]  # two forged tokens and none at all
    for headers in guesses:
        assert_problem(client.get("/api/intake/tickets", headers=headers, environ_base=here), 401)
    refused = client.get("/api/intake/tickets", headers=bearer("guess-3"), environ_base=here)
    assert_problem(refused, 429, type_suffix="rate-limited")
    assert "anonymous" in refused.get_json()["detail"]
    assert_problem(client.get("/api/intake/tickets", headers=bearer("guess-4"), environ_base=there), 401)
    valid = client.get("/api/intake/tickets", headers=bearer(token("center_staff")), environ_base=here)
    assert valid.status_code == 200  # a signed-in caller has its own bucket
