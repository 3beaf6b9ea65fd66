"""Production tokens: RS256 checked against the identity provider's JWKS URL."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from services.chassis.auth import TokenVerifier
from services.chassis.config import Settings
from services.chassis.errors import Unauthorized


def _key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def provider():
    key = _key()
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    body = json.dumps({"keys": [{**jwk, "kid": "district-2026", "use": "sig", "alg": "RS256"}]})

    class Jwks(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body.encode())

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Jwks)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield key, f"http://127.0.0.1:{server.server_port}/realms/staff/certs"
    server.shutdown()


def _token(key, kid="district-2026", **claims):
    now = int(time.time())
    payload = {
        "iss": "https://id.nanshan.gov.cn",
        "aud": "community-platform",
        "sub": "u-1",
        "roles": ["committee_member"],
        "communities": ["huaguoshan"],
        "iat": now,
        "exp": now + 300,
        **claims,
    }
    return jwt.encode(payload, key, algorithm="RS256", headers={"kid": kid})


def _verifier(url, tmp_path):
    return TokenVerifier(
        Settings.from_env(
            "intake",
            {
                "data_dir": tmp_path,
                "jwt_jwks_url": url,
                "jwt_public_key_path": None,
                "jwt_private_key_path": None,
                "jwt_issuer": "https://id.nanshan.gov.cn",
            },
        )
    )


def test_token_signed_by_the_providers_key_is_accepted(provider, tmp_path):
    key, url = provider
    principal = _verifier(url, tmp_path).verify(_token(key))
    assert principal.sub == "u-1" and principal.roles == {"committee_member"}


def test_token_signed_by_another_key_with_the_same_kid_is_refused(provider, tmp_path):
    _, url = provider
    with pytest.raises(Unauthorized, match="signature does not verify"):
        _verifier(url, tmp_path).verify(_token(_key()))


def test_token_with_an_unknown_kid_is_refused(provider, tmp_path):
    key, url = provider
    with pytest.raises(Unauthorized, match="Signing key not found"):
        _verifier(url, tmp_path).verify(_token(key, kid="someone-else"))


def test_no_local_keys_are_made_in_jwks_mode(provider, tmp_path):
    key, url = provider
    _verifier(url, tmp_path).verify(_token(key))
    assert not (tmp_path / "keys").exists()
