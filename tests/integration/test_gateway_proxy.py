"""Routing through the gateway to real HTTP upstreams (tiny WSGI servers on free ports)."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from werkzeug.test import Client

from tests.support.helpers import assert_problem, bearer
from tests.unit.gateway.support import EchoApp, UpstreamServer, free_port, http_gateway


@pytest.fixture
def echo():
    app = EchoApp()
    with UpstreamServer(app) as server:
        server.echo = app
        yield server


@pytest.fixture
def client(echo, key_dir, tmp_path):
    return Client(http_gateway(key_dir, tmp_path, echo.url))


@pytest.mark.parametrize("method", ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
def test_every_method_is_routed_with_query_and_body(method, client, echo, token):
    body = json.dumps({"title": "路灯不亮", "count": 3}).encode()
    has_body = method in ("POST", "PUT", "PATCH", "DELETE")
    response = client.open(
        "/api/grid/cases/42/notes?page=2&filter=%E8%B7%AF&flag",
        method=method,
        data=body if has_body else None,
        headers=bearer(token("grid_worker"), **({"Content-Type": "application/json"} if has_body else {})),
    )
    assert response.status_code == 200
    call = echo.echo.calls[-1]
    assert call["method"] == method
    assert call["path"] == "/cases/42/notes"
    assert call["raw_uri"] == "/cases/42/notes?page=2&filter=%E8%B7%AF&flag"
    assert call["query"] == "page=2&filter=%E8%B7%AF&flag"
    if has_body:
        assert json.loads(call["body"]) == {"title": "路灯不亮", "count": 3}
        assert call["headers"]["Content-Type"] == "application/json"
    if method != "HEAD":
        assert response.get_json()["method"] == method
    else:
        assert response.get_data() == b""


def test_prefix_only_routes_to_the_service_root(client, echo, token):
    client.get("/api/intake", headers=bearer(token("center_staff")))
    assert echo.echo.calls[-1]["path"] == "/"


def test_hop_by_hop_request_headers_are_not_forwarded(client, echo, token):
    headers = bearer(
        token("center_staff"),
        **{
            "Connection": "keep-alive, X-Private-Hop",
            "X-Private-Hop": "secret",
            "Keep-Alive": "timeout=99",
            "TE": "trailers",
            "Proxy-Authorization": "Basic eDp5",
            "Upgrade": "websocket",
            "X-End-To-End": "kept",
            "Idempotency-Key": "k-1",
        },
    )
    client.get("/api/intake/tickets", headers=headers)
    sent = {name.lower() for name in echo.echo.calls[-1]["headers"]}
    for hop in ("x-private-hop", "keep-alive", "te", "proxy-authorization", "upgrade"):
        assert hop not in sent
    received = echo.echo.calls[-1]["headers"]
    assert received["X-End-To-End"] == "kept"
    assert received["Idempotency-Key"] == "k-1"
    assert received["Authorization"].startswith("Bearer ")


def test_hop_by_hop_response_headers_are_not_returned(client, token):
    response = client.get("/api/intake/hop-by-hop", headers=bearer(token("center_staff")))
    assert response.status_code == 200
    for hop in ("X-Secret-Hop", "Keep-Alive", "Proxy-Authenticate", "Upgrade"):
        assert hop not in response.headers
    assert response.headers["X-End-To-End"] == "kept"


def test_forwarded_headers_are_set_and_client_ones_replaced(client, echo, token):
    client.get(
        "/api/intake/tickets",
        headers=bearer(
            token("center_staff"),
            **{"X-Forwarded-For": "6.6.6.6", "X-Forwarded-Host": "evil", "Host": "gateway.example:8080"},
        ),
        environ_base={"REMOTE_ADDR": "192.0.2.7"},
    )
    received = echo.echo.calls[-1]["headers"]
    assert received["X-Forwarded-For"] == "192.0.2.7"  # not trusting the client's claim
    assert received["X-Forwarded-Host"] == "gateway.example:8080"
    assert received["X-Forwarded-Proto"] == "http"
    assert received["X-Forwarded-Prefix"] == "/api/intake"
    assert received["Host"] == echo.url.removeprefix("http://")


def test_trusted_proxy_chain_is_extended(echo, key_dir, tmp_path, token):
    client = Client(http_gateway(key_dir, tmp_path, echo.url, trusted_proxies=1))
    client.get(
        "/api/intake/tickets",
        headers=bearer(
            token("center_staff"), **{"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"}
        ),
        environ_base={"REMOTE_ADDR": "10.0.0.5"},
    )
    received = echo.echo.calls[-1]["headers"]
    assert received["X-Forwarded-For"] == "203.0.113.9, 10.0.0.5"
    assert received["X-Forwarded-Proto"] == "https"


def test_connections_to_the_upstream_are_reused(client, echo, token):
    auth = bearer(token("center_staff"))
    for _ in range(20):
        assert client.get("/api/intake/tickets", headers=auth).status_code == 200
    assert echo.connections == 1


def test_upstream_down_is_503_problem_with_retry_after(key_dir, tmp_path, token):
    dead = f"http://127.0.0.1:{free_port()}"
    client = Client(http_gateway(key_dir, tmp_path, dead))
    response = client.get("/api/intake/tickets", headers=bearer(token("center_staff")))
    body = assert_problem(response, 503, type_suffix="upstream-unavailable")
    assert "intake" in body["detail"]
    assert int(response.headers["Retry-After"]) >= 1
    assert body["request_id"] == response.headers["X-Request-ID"]


def test_slow_upstream_is_504_within_the_timeout(echo, key_dir, tmp_path, token):
    client = Client(http_gateway(key_dir, tmp_path, echo.url, read_timeout=0.5))
    started = time.monotonic()
    response = client.get("/api/intake/slow?seconds=3", headers=bearer(token("center_staff")))
    elapsed = time.monotonic() - started
    body = assert_problem(response, 504, type_suffix="upstream-timeout")
    assert "0.5 s" in body["detail"]
    assert elapsed < 1.5


def test_route_timeout_overrides_the_default(echo, key_dir, tmp_path, token):
    client = Client(
        http_gateway(key_dir, tmp_path, echo.url, read_timeout=0.3, route_timeouts="intake/slow=3")
    )
    response = client.get("/api/intake/slow?seconds=0.6", headers=bearer(token("center_staff")))
    assert response.status_code == 200


def test_round_robin_over_replicas(key_dir, tmp_path, token):
    first, second = EchoApp("a"), EchoApp("b")
    with UpstreamServer(first) as a, UpstreamServer(second) as b:
        client = Client(http_gateway(key_dir, tmp_path, {"intake": (a.url, b.url)}))
        servers = [
            client.get("/api/intake/x", headers=bearer(token("center_staff"))).get_json()["server"]
            for _ in range(6)
        ]
    assert servers.count("a") == 3 and servers.count("b") == 3


def test_get_fails_over_to_a_live_replica(key_dir, tmp_path, token):
    live = EchoApp("live")
    dead = f"http://127.0.0.1:{free_port()}"
    with UpstreamServer(live) as server:
        client = Client(http_gateway(key_dir, tmp_path, {"intake": (dead, server.url)}))
        for _ in range(4):
            response = client.get("/api/intake/x", headers=bearer(token("center_staff")))
            assert response.get_json()["server"] == "live"


def test_breaker_opens_after_consecutive_failures_and_skips_the_replica(key_dir, tmp_path, token):
    live = EchoApp("live")
    dead = f"http://127.0.0.1:{free_port()}"
    with UpstreamServer(live) as server:
        gateway = http_gateway(
            key_dir, tmp_path, {"intake": (dead, server.url)}, breaker_failures=2, breaker_reset_seconds=60
        )
        client = Client(gateway)
        for _ in range(6):
            client.get("/api/intake/x", headers=bearer(token("center_staff")))
        dead_replica = gateway.upstreams["intake"].replicas.replicas[0]
        assert dead_replica.breaker.state == "open"
        assert dead_replica.breaker.failures == 2  # no more calls once open
        metrics = client.get("/metrics", headers=bearer(token("admin"))).get_data(as_text=True)
    assert f'gateway_upstream_available{{replica="{dead}",service="intake"}} 0.0' in metrics


def test_unhealthy_replica_is_ejected_by_readiness(key_dir, tmp_path, token):
    sick, well = EchoApp("sick"), EchoApp("well")
    sick.ready = False
    with UpstreamServer(sick) as a, UpstreamServer(well) as b:
        client = Client(http_gateway(key_dir, tmp_path, {"intake": (a.url, b.url)}))
        report = client.get("/readyz")
        assert report.status_code == 200
        assert report.get_json()["replicas"]["intake"][a.url] == "HTTP 503"
        servers = {
            client.get("/api/intake/x", headers=bearer(token("center_staff"))).get_json()["server"]
            for _ in range(4)
        }
    assert servers == {"well"}


def test_a_service_that_is_away_leaves_the_gateway_ready_and_only_its_routes_unavailable(
    key_dir, tmp_path, token
):
    dead = f"http://127.0.0.1:{free_port()}"
    with UpstreamServer(EchoApp("well")) as well:
        urls = {"intake": (well.url,), "contracts": (well.url,), "grid": (dead,), "evaluation": (well.url,)}
        client = Client(http_gateway(key_dir, tmp_path, urls))
        ready = client.get("/readyz")
        assert ready.status_code == 200
        assert ready.get_json()["services_away"] == ["grid"]
        assert ready.get_json()["checks"]["grid"] == "0 of 1 replicas ready"
        away = client.get("/api/grid/x", headers=bearer(token("center_staff")))
        body = assert_problem(away, 503, type_suffix="upstream-unavailable")
        assert "grid" in body["detail"]
        assert client.get("/api/intake/x", headers=bearer(token("center_staff"))).status_code == 200


def _hang_up_after_reading() -> tuple[Any, list[int]]:
    """A listener that reads each request and hangs up without answering; its accept count."""
    import socket
    import threading

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    accepted: list[int] = []

    def slam() -> None:
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            accepted.append(1)
            connection.recv(65536)
            connection.close()

    threading.Thread(target=slam, daemon=True).start()
    return listener, accepted


def test_a_write_with_an_idempotency_key_is_sent_again_after_a_broken_connection(key_dir, tmp_path, token):
    listener, accepted = _hang_up_after_reading()
    url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    client = Client(http_gateway(key_dir, tmp_path, url))
    keyed = bearer(token("center_staff"), **{"Idempotency-Key": "ticket-1"})
    response = client.post("/api/intake/tickets", json={"business_type": "labour"}, headers=keyed)
    assert_problem(response, 503)  # every attempt broke: unavailable, never applied twice by the key
    assert len(accepted) == 3  # the first try and two retries, as for a GET
    listener.close()


def test_post_is_not_retried_when_the_connection_breaks(key_dir, tmp_path, token):
    import socket
    import threading

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    accepted = []

    def slam() -> None:
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            accepted.append(1)
            connection.recv(65536)
            connection.close()  # read the request, then hang up without answering

    threading.Thread(target=slam, daemon=True).start()
    url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    client = Client(http_gateway(key_dir, tmp_path, url))
    response = client.post(
        "/api/intake/tickets", json={"business_type": "labour"}, headers=bearer(token("center_staff"))
    )
    assert_problem(response, 502, type_suffix="upstream-broken")
    assert len(accepted) == 1
    accepted.clear()
    response = client.get("/api/intake/tickets", headers=bearer(token("center_staff")))
    assert_problem(response, 503)
    assert len(accepted) == 3  # the first try and two retries
    listener.close()


def test_responses_are_streamed(key_dir, tmp_path, token):
    import http.client
    import threading

    from werkzeug.serving import make_server

    with UpstreamServer(EchoApp()) as upstream:
        gateway = http_gateway(key_dir, tmp_path, upstream.url)
        server = make_server("127.0.0.1", 0, gateway, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            connection = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=5)
            connection.request("GET", "/api/intake/stream", headers=bearer(token("center_staff")))
            started = time.monotonic()
            response = connection.getresponse()
            first = response.read1(100)
            first_at = time.monotonic() - started
            rest = response.read()
        finally:
            server.shutdown()
    assert first.startswith(b"data: tick 0")
    assert first_at < 0.35  # before the upstream finished (3 ticks, 0.4 s apart)
    assert b"tick 2" in first + rest


def test_large_body_is_413_before_reaching_the_service(client, echo, token):
    calls = len(echo.echo.calls)
    response = client.post(
        "/api/intake/tickets",
        data=b"x" * (1_048_576 + 1),
        headers=bearer(token("center_staff"), **{"Content-Type": "text/plain"}),
    )
    assert_problem(response, 413, type_suffix="body-too-large")
    assert len(echo.echo.calls) == calls


def test_oversized_headers_are_431(client, token):
    headers = bearer(token("center_staff"), **{f"X-Pad-{i}": "y" * 200 for i in range(90)})
    assert_problem(client.get("/api/intake/tickets", headers=headers), 431, type_suffix="headers-too-large")


def test_dot_segments_are_refused(client, token):
    response = client.get("/api/intake/display/../tickets", headers=bearer(token("center_staff")))
    assert_problem(response, 400, type_suffix="bad-path")


def test_unknown_service_is_404(client, token):
    assert_problem(client.get("/api/payroll/x", headers=bearer(token("admin"))), 404)


def test_env_settings_build_the_gateway(monkeypatch, echo, key_dir, tmp_path, token):
    from gateway.app import create_app
    from gateway.settings import UPSTREAMS

    for service in UPSTREAMS:
        monkeypatch.setenv(f"{service.upper()}_URL", f"{echo.url}, {echo.url}/")
    monkeypatch.setenv("JWT_PUBLIC_KEY_PATH", str(key_dir / "jwt-public.pem"))
    monkeypatch.setenv("JWT_PRIVATE_KEY_PATH", str(key_dir / "jwt-private.pem"))
    monkeypatch.setenv("GATEWAY_HEALTH_INTERVAL", "0")
    gateway = create_app()
    assert len(gateway.upstreams["grid"].replicas.replicas) == 2
    response = Client(gateway).get("/api/grid/cells", headers=bearer(token("grid_worker")))
    assert response.status_code == 200


def test_missing_upstream_url_is_a_clear_error(monkeypatch, key_dir):
    from gateway.app import create_app
    from gateway.settings import UPSTREAMS

    for service in UPSTREAMS:
        monkeypatch.delenv(f"{service.upper()}_URL", raising=False)
    monkeypatch.setenv("INTAKE_URL", "http://127.0.0.1:1")
    with pytest.raises(ValueError, match="CONTRACTS_URL, GRID_URL, EVALUATION_URL, GOVERNANCE_URL"):
        create_app()
