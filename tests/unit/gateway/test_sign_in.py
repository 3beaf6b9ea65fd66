"""How the web UI signs people in: the gateway's /auth endpoints."""

from werkzeug.test import Client

from gateway.app import create_app
from tests.support.helpers import key_settings
from tests.unit.gateway.support import EchoApp


def _gateway(key_dir, tmp_path, **kwargs):
    config = {"data_dir": tmp_path, "amqp_url": "", **key_settings(key_dir), **kwargs.pop("config", {})}
    return Client(create_app(upstreams={"intake": EchoApp()}, config=config, **kwargs))


def test_embedded_mode_offers_demo_identities(key_dir, tmp_path):
    people = [{"key": "resident", "token": "t", "roles": ["resident"]}]
    client = _gateway(key_dir, tmp_path, demo_identities=people)
    assert client.get("/auth/config").get_json() == {"mode": "demo"}
    assert client.get("/auth/demo-identities").get_json() == people


def test_without_demo_identities_there_are_none_to_take(key_dir, tmp_path):
    client = _gateway(key_dir, tmp_path)
    response = client.get("/auth/demo-identities")
    assert response.status_code == 404
    assert response.headers["Content-Type"] == "application/problem+json"
    assert client.get("/auth/config").get_json() == {"mode": "token"}


def test_openid_connect_settings_are_published_for_the_pkce_flow(key_dir, tmp_path):
    client = _gateway(
        key_dir,
        tmp_path,
        config={"oidc_issuer": "https://id.nanshan.gov.cn/realms/staff/", "oidc_client_id": "community"},
        demo_identities=[{"key": "x"}],
    )
    assert client.get("/auth/config").get_json() == {
        "mode": "oidc",
        "issuer": "https://id.nanshan.gov.cn/realms/staff",
        "client_id": "community",
        "scope": "openid profile",
    }
