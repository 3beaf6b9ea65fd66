"""X-Request-ID and traceparent: accepted or created at the edge, forwarded, returned, and
carried by the service into its events as `correlationid`."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from werkzeug.test import Client

from gateway.headers import valid_traceparent
from services.chassis import events
from tests.support.helpers import bearer, key_settings
from tests.unit.chassis import toy
from tests.unit.gateway.support import EchoApp, UpstreamServer, http_gateway, inprocess_gateway

NOTE = {"community": "huaguoshan", "title": "Broken lamp at gate 2"}
TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


def _outbox(app):
    runtime = app.extensions["community"]
    table = runtime.database.table("outbox")
    with runtime.database.engine.connect() as connection:
        return [
            events.parse(body)
            for body in connection.execute(select(table.c.body).order_by(table.c.id)).scalars()
        ]


@pytest.fixture
def toy_app(tmp_path, key_dir):
    return toy.make_app(tmp_path, key_settings(key_dir))


@pytest.fixture(params=["in-process", "http"])
def gateway_client(request, toy_app, key_dir, tmp_path):
    if request.param == "in-process":
        yield Client(inprocess_gateway(key_dir, tmp_path, {"intake": toy_app}))
        return
    with UpstreamServer(toy_app) as server:
        yield Client(http_gateway(key_dir, tmp_path, server.url))


def test_callers_request_id_reaches_the_services_event(gateway_client, toy_app, token):
    response = gateway_client.post(
        "/api/intake/notes",
        json=NOTE,
        headers=bearer(token("center_staff"), **{"X-Request-ID": "desk-3-0042", "traceparent": TRACEPARENT}),
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    assert response.headers["X-Request-ID"] == "desk-3-0042"
    assert response.headers["traceparent"] == TRACEPARENT
    [event] = _outbox(toy_app)
    assert event["type"] == "toy.note.added.v1"
    assert event["correlationid"] == "desk-3-0042"


def test_request_id_made_at_the_edge_reaches_the_event_and_the_caller(gateway_client, toy_app, token):
    response = gateway_client.post("/api/intake/notes", json=NOTE, headers=bearer(token("center_staff")))
    assert response.status_code == 201
    request_id = response.headers["X-Request-ID"]
    assert len(request_id) == 32
    assert valid_traceparent(response.headers["traceparent"])
    assert _outbox(toy_app)[0]["correlationid"] == request_id


def test_trace_headers_are_forwarded_to_the_service(key_dir, tmp_path, token):
    echo = EchoApp()
    with UpstreamServer(echo) as server:
        client = Client(http_gateway(key_dir, tmp_path, server.url))
        response = client.get(
            "/api/grid/cases",
            headers=bearer(
                token("grid_worker"),
                **{"traceparent": TRACEPARENT, "tracestate": "ours=1", "X-Request-ID": "r-1"},
            ),
        )
    received = echo.calls[-1]["headers"]
    assert received["X-Request-Id"] == "r-1"
    assert received["Traceparent"] == TRACEPARENT
    assert received["Tracestate"] == "ours=1"
    assert response.headers["X-Request-ID"] == "r-1"


def test_edge_problems_carry_the_request_id(gateway_client):
    response = gateway_client.get("/api/intake/notes", headers={"X-Request-ID": "r-401"})
    assert response.status_code == 401
    assert response.headers["X-Request-ID"] == "r-401"
    assert response.get_json()["request_id"] == "r-401"


def test_access_log_line_carries_the_request_id_and_no_token(gateway_client, token, caplog):
    staff = token("center_staff")
    with caplog.at_level("INFO", logger="gateway.access"):
        gateway_client.get(
            "/api/intake/notes/00000000-0000-0000-0000-000000000000",
            headers=bearer(staff, **{"X-Request-ID": "r-log"}),
        )
    [record] = [r for r in caplog.records if r.name == "gateway.access"]
    assert record.request_id == "r-log" and record.status == 404 and record.route == "intake"
    assert staff not in record.getMessage()
