"""Conditional GET through the gateway: If-None-Match reaches the service, 304 comes back bodiless."""

from __future__ import annotations

import pytest
from werkzeug.test import Client

from tests.support.helpers import bearer, key_settings
from tests.unit.chassis import toy
from tests.unit.gateway.support import UpstreamServer, http_gateway, inprocess_gateway


@pytest.fixture
def toy_app(tmp_path, key_dir):
    return toy.make_app(tmp_path, key_settings(key_dir))


@pytest.fixture(params=["in-process", "http"])
def gateway(request, toy_app, key_dir, tmp_path):
    """The gateway over the toy service: in process (embedded) or over kept-alive HTTP."""
    if request.param == "in-process":
        yield inprocess_gateway(key_dir, tmp_path, {"intake": toy_app})
        return
    with UpstreamServer(toy_app) as server:
        server_gateway = http_gateway(key_dir, tmp_path, server.url)
        server_gateway.upstream_server = server
        yield server_gateway


def test_a_read_is_revalidated_through_the_gateway(gateway, token):
    client = Client(gateway)
    staff = bearer(token("center_staff"))
    added = client.post("/api/intake/notes", json={"community": "huaguoshan", "title": "a"}, headers=staff)
    assert added.status_code == 201
    first = client.get("/api/intake/notes", headers=staff)
    assert first.status_code == 200
    tag = first.headers["ETag"]
    assert tag.startswith('W/"') and first.headers["Cache-Control"] == "private, no-cache"

    for _ in range(3):  # a 304 leaves the kept-alive connection clean for the next answer
        same = client.get("/api/intake/notes", headers={**staff, "If-None-Match": tag})
        assert same.status_code == 304
        assert same.get_data() == b""
        assert same.headers["ETag"] == tag
        assert same.headers["X-Request-ID"]
    client.post("/api/intake/notes", json={"community": "huaguoshan", "title": "b"}, headers=staff)
    changed = client.get("/api/intake/notes", headers={**staff, "If-None-Match": tag})
    assert changed.status_code == 200
    assert [note["title"] for note in changed.get_json()] == ["a", "b"]
    assert changed.headers["ETag"] != tag
    server = getattr(gateway, "upstream_server", None)
    if server is not None:
        assert server.connections == 1  # one connection carried every answer, 304s included


def test_cors_lets_a_browser_read_the_etag(toy_app, key_dir, tmp_path):
    gateway = inprocess_gateway(
        key_dir, tmp_path, {"intake": toy_app}, cors_origins=("https://portal.example.cn",)
    )
    client = Client(gateway)
    answer = client.get("/api/intake/notes", headers={"Origin": "https://portal.example.cn"})
    assert "ETag" in answer.headers["Access-Control-Expose-Headers"]
    preflight = client.options(
        "/api/intake/notes",
        headers={
            "Origin": "https://portal.example.cn",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "If-None-Match",
        },
    )
    assert preflight.status_code == 204
    assert "If-None-Match" in preflight.headers["Access-Control-Allow-Headers"]
