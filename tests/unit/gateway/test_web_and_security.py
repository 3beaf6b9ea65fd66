"""The packaged web UI routes, security headers, CORS, probes and metrics."""

from __future__ import annotations

import pytest
from werkzeug.test import Client

from tests.support.helpers import assert_problem, bearer
from tests.unit.gateway.support import EchoApp, inprocess_gateway

PORTAL = "https://portal.zhaoshang.example"


@pytest.fixture
def echo():
    return EchoApp()


@pytest.fixture
def client(echo, key_dir, tmp_path):
    return Client(inprocess_gateway(key_dir, tmp_path, {"intake": echo}, cors_origins=(PORTAL,)))


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/tickets/mine",
        "/console/",
        "/console/window/3",
        "/display/huaguoshan",
        "/display/guiyuan",
        "/field/",
    ],
)
def test_web_pages_are_served_with_language_and_title(client, path):
    response = client.get(path)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<html lang="zh-CN">' in html and "<title>" in html
    assert response.headers["Cache-Control"] == "no-cache"
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp


def test_console_without_slash_redirects(client):
    response = client.get("/console")
    assert response.status_code == 308 and response.headers["Location"] == "/console/"


def test_unknown_display_community_and_missing_asset_are_404(client):
    assert_problem(client.get("/display/shekou"), 404)
    assert_problem(client.get("/missing.js"), 404)
    assert_problem(client.get("/static/../app.py"), 400)


def test_pages_are_read_only(client):
    assert_problem(client.post("/console/"), 405)


def test_security_headers_on_api_answers(client, token):
    response = client.get("/api/intake/tickets", headers=bearer(token("center_staff")))
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert "Strict-Transport-Security" not in response.headers


def test_hsts_only_over_https(client):
    response = client.get("/healthz", base_url="https://gateway.example")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_cors_preflight_for_a_configured_origin(client, echo):
    response = client.options(
        "/api/intake/tickets",
        headers={
            "Origin": PORTAL,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type, idempotency-key",
        },
    )
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == PORTAL
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert "Idempotency-Key" in response.headers["Access-Control-Allow-Headers"]
    assert echo.calls == []


def test_cors_preflight_from_another_origin_is_refused(client):
    response = client.options(
        "/api/intake/tickets",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "DELETE"},
    )
    assert_problem(response, 403, type_suffix="cors-origin-refused")
    assert "Access-Control-Allow-Origin" not in response.headers


def test_cors_headers_on_actual_requests(client, token):
    allowed = client.get("/api/intake/tickets", headers=bearer(token("center_staff"), Origin=PORTAL))
    assert allowed.headers["Access-Control-Allow-Origin"] == PORTAL
    assert "X-Request-ID" in allowed.headers["Access-Control-Expose-Headers"]
    other = client.get(
        "/api/intake/tickets", headers=bearer(token("center_staff"), Origin="https://evil.example")
    )
    assert "Access-Control-Allow-Origin" not in other.headers


def test_healthz_readyz_and_metrics(client, token):
    assert client.get("/healthz").get_json() == {"status": "ok", "service": "gateway"}
    ready = client.get("/readyz").get_json()
    assert ready["status"] == "ready" and ready["checks"] == {"intake": "ok"}
    client.get("/api/intake/tickets", headers=bearer(token("center_staff")))
    metrics = client.get("/metrics", headers=bearer(token("admin"))).get_data(as_text=True)
    assert 'gateway_requests_total{route="intake",status="200"} 1.0' in metrics


def test_metrics_are_for_operators_and_the_scraper_only(key_dir, tmp_path, token):
    gateway = inprocess_gateway(key_dir, tmp_path, {"intake": EchoApp()}, metrics_token="scrape-secret-7f3a")
    client = Client(gateway)
    assert_problem(client.get("/metrics"), 401)
    assert_problem(client.get("/metrics", headers=bearer("scrape-secret-wrong")), 401)
    refused = assert_problem(client.get("/metrics", headers=bearer(token("resident"))), 403)
    assert "operators" in refused["detail"]
    assert_problem(client.get("/metrics", headers=bearer(token("subdistrict_officer"))), 403)
    for headers in (bearer(token("admin")), bearer("scrape-secret-7f3a")):
        response = client.get("/metrics", headers=headers)
        assert response.status_code == 200 and "gateway_requests_total" in response.get_data(as_text=True)


def test_an_error_inside_the_gateway_is_a_500_problem(key_dir, tmp_path, token):
    def broken(environ, start_response):
        raise RuntimeError("secret internals")

    gateway = inprocess_gateway(key_dir, tmp_path, {"intake": broken})
    response = Client(gateway).get("/api/intake/x", headers=bearer(token("center_staff")))
    body = assert_problem(response, 500)
    assert "secret" not in response.get_data(as_text=True)
    assert body["request_id"] == response.headers["X-Request-ID"]


def test_a_path_the_file_system_refuses_is_404_not_500(client):
    # one segment over NAME_MAX makes is_file() raise; a page path is the portal's own route
    assert client.get("/" + "a" * 300).status_code == 200
    assert_problem(client.get("/console/" + "b" * 300 + ".js"), 404, type_suffix="not-found")


@pytest.mark.parametrize("length", ["-1", "+5", "1e3", "٣"])
def test_content_length_that_is_not_digits_is_400(client, echo, token, length):
    response = client.post(
        "/api/intake/tickets",
        data=b"{}",
        headers=bearer(token("center_staff"), **{"Content-Type": "application/json"}),
        environ_overrides={"CONTENT_LENGTH": length},
    )
    body = assert_problem(response, 400, type_suffix="bad-request")
    assert body["detail"] == "Content-Length is not a number."
    assert echo.calls == []


def test_text_assets_are_gzipped_for_clients_that_accept_it(client):
    import gzip

    plain = client.get("/static/web/field/main.js")
    assert plain.status_code == 200 and "Content-Encoding" not in plain.headers
    zipped = client.get("/static/web/field/main.js", headers={"Accept-Encoding": "gzip, br"})
    assert zipped.headers["Content-Encoding"] == "gzip" and zipped.headers["Vary"] == "Accept-Encoding"
    assert zipped.mimetype == "text/javascript"
    assert gzip.decompress(zipped.data) == plain.data
    again = client.get(
        "/static/web/field/main.js",
        headers={"Accept-Encoding": "gzip", "If-None-Match": zipped.headers["ETag"]},
    )
    assert again.status_code == 304
    manifest = client.get("/field/manifest.json", headers={"Accept-Encoding": "gzip"})
    assert manifest.headers["Content-Encoding"] == "gzip" and manifest.mimetype == "application/json"


def test_the_field_app_serves_its_service_worker_and_manifest_under_field(client):
    worker = client.get("/field/sw.js")
    assert worker.status_code == 200 and worker.mimetype == "text/javascript"
    assert client.get("/field/rounds/HGS-01").status_code == 200  # a client-side route: the page


def test_without_a_base_map_the_pages_load_images_from_the_gateway_only(client):
    assert client.get("/map/config").get_json() == {
        "tiles": None,
        "attribution": "",
        "subdomains": "",
        "max_zoom": 18,
    }
    assert "img-src 'self' data:;" in client.get("/field/").headers["Content-Security-Policy"]


def test_a_configured_base_map_is_announced_and_its_tile_hosts_allowed(echo, key_dir, tmp_path):
    tianditu = (
        "https://t{s}.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=KEY"
    )
    gateway = inprocess_gateway(
        key_dir, tmp_path, {"intake": echo}, map_tile_url=tianditu, map_tile_subdomains="01234567"
    )
    client = Client(gateway)
    config = client.get("/map/config").get_json()
    assert (config["tiles"], config["subdomains"]) == (tianditu, "01234567")
    policy = client.get("/field/").headers["Content-Security-Policy"]
    assert "img-src 'self' data: https://t*.tianditu.gov.cn;" in policy
    assert "connect-src 'self';" in policy
