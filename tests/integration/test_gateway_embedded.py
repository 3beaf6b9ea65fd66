"""The embedded platform's gateway: every service in process, one set of keys."""

from __future__ import annotations

from werkzeug.test import Client

from deploy import embedded
from deploy.registry import SERVICES
from tests.support.helpers import bearer, key_settings


def test_embedded_gateway_routes_to_every_service_with_the_platforms_keys(tmp_path, key_dir, token):
    platform = embedded.build(tmp_path / "data", overrides=key_settings(key_dir), start_workers=False)
    try:
        client = Client(platform.gateway)
        for service in SERVICES:
            response = client.get(f"/api/{service}/readyz")
            assert response.status_code == 200, (service, response.get_data(as_text=True))
            assert response.get_json()["service"] == service
            metrics = client.get(f"/api/{service}/metrics", headers=bearer(token("admin")))
            assert metrics.status_code == 200
            resident = client.get(f"/api/{service}/metrics", headers=bearer(token("resident")))
            assert resident.status_code == 403, (service, resident.get_data(as_text=True))
            assert client.get(f"/api/{service}/metrics").status_code == 401  # no anonymous reads at the edge
        assert client.get("/readyz").get_json()["checks"] == {s: "ok" for s in SERVICES}
        assert client.get("/api/openapi.json").status_code == 200
    finally:
        platform.stop()
