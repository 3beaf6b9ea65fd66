"""Public routes, route classes, trace context and header rules."""

from __future__ import annotations

import pytest

from gateway.headers import (
    Trace,
    client_address,
    downstream_response_headers,
    upstream_request_headers,
    valid_traceparent,
)
from gateway.routes import CHANGE_STREAM_PATH, EVENT_STREAM_PATH, is_public, route_class


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/"),
        ("GET", "/console/"),
        ("GET", "/display/chiwan"),
        ("GET", "/healthz"),
        ("GET", "/api/docs"),
        ("GET", "/api/openapi.json"),
        ("HEAD", "/api/intake/readyz"),
        ("GET", "/api/grid/open311/v2/services.json"),
        ("GET", "/api/contracts/ocds/releases"),
        ("GET", "/api/contracts/ocds/records/ocds-zsjd01-1"),
        ("GET", "/api/intake/display"),
        ("GET", CHANGE_STREAM_PATH),
        ("GET", "/api/datapackage.json"),
        ("GET", "/api/contracts/open-data/payments/2026-11.csv"),
        ("HEAD", "/api/grid/open-data/cases/2026-11.json"),
        ("GET", "/api/evaluation/open-data/datapackage.json"),
        ("GET", "/api/grid/cells"),
        ("GET", "/api/grid/cells/HGS-01"),
        ("POST", "/api/grid/open311/v2/requests.json"),
        ("GET", "/api/governance/notices"),
        ("GET", "/api/governance/notices/5f0c6c9e-2d4b-4f0e-9a51-6a3c7e0d1b2a"),
        ("GET", "/api/governance/fund/rounds/5f0c6c9e-2d4b-4f0e-9a51-6a3c7e0d1b2a"),
        ("OPTIONS", "/api/intake/tickets"),
    ],
)
def test_public(method, path):
    assert is_public(method, path)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/intake/tickets"),
        ("POST", "/api/grid/open311/v2/services.json"),
        ("GET", "/api/intake/displays"),
        ("GET", "/api/intake/x/healthz"),
        ("GET", EVENT_STREAM_PATH),
        ("POST", CHANGE_STREAM_PATH),
        ("POST", "/api/contracts/ocds/releases"),
        ("POST", "/api/datapackage.json"),
        ("POST", "/api/contracts/open-data/payments/2026-11.csv"),
        ("GET", "/api/contracts/opendata/payments/2026-11.csv"),
        ("GET", "/api/grid/open311/v3/services.json"),
        ("GET", "/api/grid/cases/public"),
        ("POST", "/api/grid/cells"),
        ("GET", "/api/contracts/contracts"),
        ("POST", "/api/governance/notices/5f0c6c9e-2d4b-4f0e-9a51-6a3c7e0d1b2a/objections"),
        ("GET", "/api/governance/members"),
        ("POST", "/api/governance/fund/rounds/5f0c6c9e-2d4b-4f0e-9a51-6a3c7e0d1b2a/ballots"),
    ],
)
def test_not_public(method, path):
    assert not is_public(method, path)


def test_route_classes():
    assert route_class("GET", "/api/intake/tickets", True) == "read"
    assert route_class("POST", "/api/intake/tickets", True) == "write"
    assert route_class("GET", "/api/intake/display", False) == "anonymous"
    assert route_class("GET", EVENT_STREAM_PATH, True) == "stream"
    assert route_class("GET", CHANGE_STREAM_PATH, False) == "stream"  # counted per client address
    assert route_class("GET", "/static/app.js", False) is None
    assert route_class("GET", "/healthz", False) is None


def test_traceparent_rules():
    good = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
    assert valid_traceparent(good)
    assert not valid_traceparent("00-00000000000000000000000000000000-00f067aa0ba902b7-01")
    assert not valid_traceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01")
    assert not valid_traceparent("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
    assert not valid_traceparent("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01")
    assert Trace({"HTTP_TRACEPARENT": good}).traceparent == good
    created = Trace({"HTTP_TRACEPARENT": "garbage"}).traceparent
    assert valid_traceparent(created) and created != "garbage"


def test_request_id_is_kept_when_sane_and_replaced_otherwise():
    assert Trace({"HTTP_X_REQUEST_ID": "req-42"}).request_id == "req-42"
    replaced = Trace({"HTTP_X_REQUEST_ID": "bad id\n"}).request_id
    assert replaced != "bad id\n" and len(replaced) == 32


def test_tracestate_only_travels_with_the_callers_traceparent():
    good = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
    assert Trace({"HTTP_TRACEPARENT": good, "HTTP_TRACESTATE": "a=1"}).tracestate == "a=1"
    assert Trace({"HTTP_TRACESTATE": "a=1"}).tracestate is None


def test_client_address_with_and_without_trusted_proxies():
    environ = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "1.1.1.1, 203.0.113.5"}
    assert client_address(environ, 0) == "10.0.0.2"
    assert client_address(environ, 1) == "203.0.113.5"
    assert client_address(environ, 2) == "1.1.1.1"
    assert client_address(environ, 9) == "1.1.1.1"


def test_connection_listed_request_headers_are_dropped():
    environ = {
        "HTTP_CONNECTION": "close, X-Mine",
        "HTTP_X_MINE": "1",
        "HTTP_X_OTHER": "2",
        "HTTP_TRANSFER_ENCODING": "chunked",
        "HTTP_HOST": "h",
        "REMOTE_ADDR": "1.2.3.4",
    }
    names = {name for name, _ in upstream_request_headers(environ, Trace({}), "/api/x", 0)}
    assert "X-Other" in names
    assert not names & {"X-Mine", "Connection", "Transfer-Encoding", "Host"}


def test_edge_owned_response_headers_are_dropped():
    headers = downstream_response_headers(
        [
            ("Content-Type", "application/json"),
            ("Connection", "keep-alive, X-A"),
            ("X-A", "1"),
            ("Transfer-Encoding", "chunked"),
            ("Server", "gunicorn"),
            ("Date", "x"),
            ("X-Request-ID", "theirs"),
            ("ETag", '"1"'),
        ]
    )
    assert headers == [("Content-Type", "application/json"), ("ETag", '"1"')]
