"""Tokens are checked at the edge with the chassis rules, before any service is called."""

from __future__ import annotations

import pytest
from werkzeug.test import Client

from tests.support.helpers import assert_problem, bearer, expired_token, forged_token, unsigned_token
from tests.unit.gateway.support import EchoApp, inprocess_gateway


@pytest.fixture
def echo():
    return EchoApp()


@pytest.fixture
def client(echo, key_dir, tmp_path):
    return Client(inprocess_gateway(key_dir, tmp_path, {"intake": echo, "grid": echo, "contracts": echo}))


def _refused(client, echo, headers, detail, type_suffix="unauthorized"):
    response = client.get("/api/intake/tickets", headers=headers)
    body = assert_problem(response, 401, type_suffix=type_suffix)
    assert body["detail"] == detail
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert echo.calls == []  # the service never saw the request
    return body


def test_valid_token_passes_and_reaches_the_service(client, echo, token):
    response = client.get("/api/intake/tickets", headers=bearer(token("center_staff")))
    assert response.status_code == 200
    assert echo.calls[0]["headers"]["Authorization"].startswith("Bearer ")


def test_missing_token_is_refused_at_the_edge(client, echo):
    _refused(client, echo, {}, "This endpoint needs a bearer token.")


def test_expired_token_is_refused_at_the_edge(client, echo, key_dir):
    _refused(client, echo, bearer(expired_token(key_dir)), "The token has expired.", "token-expired")


def test_token_signed_with_another_key_is_refused_at_the_edge(client, echo):
    _refused(client, echo, bearer(forged_token()), "The token signature does not verify.")


def test_alg_none_is_refused_at_the_edge(client, echo):
    _refused(client, echo, bearer(unsigned_token()), "Token algorithm 'none' is not accepted.")


def test_non_bearer_scheme_is_refused_at_the_edge(client, echo):
    _refused(client, echo, {"Authorization": "Basic dTpw"}, "Use 'Authorization: Bearer <token>'.")


def test_bad_token_on_a_public_route_is_still_refused(client, echo):
    response = client.get("/api/grid/open311/v2/services.json", headers=bearer("x.y.z"))
    assert_problem(response, 401)
    assert echo.calls == []


@pytest.mark.parametrize(
    "path",
    [
        "/api/intake/healthz",
        "/api/grid/openapi.json",
        "/api/grid/open311/v2/services.json",
        "/api/grid/open311/v2/requests/abc.json?jurisdiction_id=huaguoshan",
        "/api/intake/display?community=huaguoshan",
        "/api/contracts/ocds/releases?community=chiwan",
        "/api/grid/cells?community=huaguoshan",
        "/api/grid/cells/locate?lon=113.9&lat=22.5",
    ],
)
def test_public_routes_pass_without_a_token(path, client, echo):
    response = client.get(path)
    assert response.status_code == 200
    assert "Authorization" not in echo.calls[-1]["headers"]


def test_public_routes_are_read_only(client, echo):
    response = client.post("/api/grid/open311/v2/services.json", data=b"service_code=x")
    assert_problem(response, 401)
    response = client.post("/api/contracts/ocds/releases", json={})
    assert_problem(response, 401)
    assert echo.calls == []


def test_open311_clients_post_requests_with_their_api_key_only(client, echo):
    response = client.post(
        "/api/grid/open311/v2/requests.json",
        data=b"api_key=k&service_code=fire",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 200  # the edge lets it through; grid checks the key
    assert echo.calls[-1]["method"] == "POST"
