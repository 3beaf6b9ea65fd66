"""The merged API documentation of every service, and the Swagger UI served from the package."""

from __future__ import annotations

import re

import pytest
from openapi_spec_validator import validate
from werkzeug.test import Client

from deploy.registry import SERVICES
from tests.unit.gateway.support import UpstreamServer, http_gateway, inprocess_gateway


@pytest.fixture
def apps(service):
    return {name: service(name).app for name in SERVICES}


def _assert_merged_document_covers(merged, apps):
    validate(merged)
    for name, app in apps.items():
        own = app.test_client().get("/openapi.json").get_json()
        assert own["paths"], name
        for path, item in own["paths"].items():
            merged_item = merged["paths"][f"/api/{name}{path}"]
            assert set(merged_item) == set(item), (name, path)
        for schema in own.get("components", {}).get("schemas", {}):
            assert f"{name}.{schema}" in merged["components"]["schemas"]


def test_merged_document_is_valid_and_holds_every_services_paths(apps, key_dir, tmp_path):
    client = Client(inprocess_gateway(key_dir, tmp_path, apps))
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    _assert_merged_document_covers(response.get_json(), apps)
    assert "/api/events/stream" in response.get_json()["paths"]


def test_merged_document_over_http_upstreams(apps, key_dir, tmp_path):
    servers = {name: UpstreamServer(app) for name, app in apps.items()}
    try:
        gateway = http_gateway(key_dir, tmp_path, {n: (s.url,) for n, s in servers.items()})
        merged = Client(gateway).get("/api/openapi.json").get_json()
    finally:
        for server in servers.values():
            server.stop()
    _assert_merged_document_covers(merged, apps)
    assert "unreachable" not in merged["info"]["description"]


def test_docs_page_and_its_assets_come_from_the_package(key_dir, tmp_path):
    client = Client(inprocess_gateway(key_dir, tmp_path, {}))
    page = client.get("/api/docs")
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert '<html lang="' in html and "<title>" in html
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(s.startswith("/static/") for s in sources)
    for source in sources:
        asset = client.get(source)
        assert asset.status_code == 200, source
        assert asset.get_data()
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    script = client.get("/static/docs/docs.js").get_data(as_text=True)
    assert '"/api/openapi.json"' in script and "validatorUrl: null" in script


def test_docs_folder_serves_the_same_merged_document(apps, key_dir, tmp_path):
    client = Client(inprocess_gateway(key_dir, tmp_path, apps))
    beside_services = client.get("/api/openapi.json")
    under_docs = client.get("/api/docs/openapi.json")
    assert under_docs.status_code == 200 and under_docs.mimetype == "application/json"
    assert under_docs.get_data() == beside_services.get_data()
    assert "/api/intake/tickets" in under_docs.get_json()["paths"]


def _operation_refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "operationRef":
                yield value
            else:
                yield from _operation_refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _operation_refs(item)


def test_links_of_the_merged_document_point_at_its_operations(apps, key_dir, tmp_path):
    merged = Client(inprocess_gateway(key_dir, tmp_path, apps)).get("/api/openapi.json").get_json()
    refs = list(_operation_refs(merged))
    assert len(refs) > 20
    for ref in refs:
        path, method = ref.removeprefix("#/paths/").rsplit("/", 1)
        path = path.replace("~1", "/").replace("~0", "~")
        assert path.startswith("/api/") and method in merged["paths"][path], ref
