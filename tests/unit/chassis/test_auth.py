"""Bearer tokens: what is accepted, what is refused with 401, what is forbidden with 403."""

from datetime import timedelta

import jwt

from tests.support.helpers import (
    assert_problem,
    bearer,
    expired_token,
    forged_token,
    signed_token,
    token_claims,
    unsigned_token,
)

NOTE = {"community": "huaguoshan", "title": "Window 3 printer jammed"}


def _sign(key_dir, **overrides):
    return signed_token(key_dir, token_claims(**overrides))


def test_valid_token_is_accepted(client, token):
    response = client.post("/notes", json=NOTE, headers=bearer(token("center_staff")))
    assert response.status_code == 201


def test_missing_token_is_401(client):
    response = client.post("/notes", json=NOTE)
    body = assert_problem(response, 401)
    assert body["detail"] == "This endpoint needs a bearer token."
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_non_bearer_scheme_is_401(client):
    response = client.post("/notes", json=NOTE, headers={"Authorization": "Basic dTpw"})
    assert assert_problem(response, 401)["detail"] == "Use 'Authorization: Bearer <token>'."


def test_garbage_token_is_401(client):
    body = assert_problem(client.post("/notes", json=NOTE, headers=bearer("abc.def")), 401)
    assert body["detail"] == "The bearer token is not a JWT."


def test_expired_token_is_401(client, key_dir):
    body = assert_problem(
        client.post("/notes", json=NOTE, headers=bearer(expired_token(key_dir))),
        401,
        type_suffix="token-expired",
    )
    assert body["detail"] == "The token has expired."


def test_wrong_signature_is_401(client):
    body = assert_problem(client.post("/notes", json=NOTE, headers=bearer(forged_token())), 401)
    assert body["detail"] == "The token signature does not verify."


def test_alg_none_is_401(client):
    body = assert_problem(client.post("/notes", json=NOTE, headers=bearer(unsigned_token())), 401)
    assert body["detail"] == "Token algorithm 'none' is not accepted."


def test_hs256_with_public_key_as_secret_is_401(client, key_dir):
    header = jwt.utils.base64url_encode(b'{"alg":"HS256","typ":"JWT"}').decode()
    body = assert_problem(client.post("/notes", json=NOTE, headers=bearer(header + ".e30.sig")), 401)
    assert body["detail"] == "Token algorithm 'HS256' is not accepted."


def test_wrong_audience_is_401(client, key_dir):
    body = assert_problem(
        client.post("/notes", json=NOTE, headers=bearer(_sign(key_dir, aud="someone-else"))), 401
    )
    assert body["detail"] == "The token is for another audience."


def test_wrong_issuer_is_401(client, key_dir):
    body = assert_problem(client.post("/notes", json=NOTE, headers=bearer(_sign(key_dir, iss="evil"))), 401)
    assert body["detail"] == "The token comes from an unknown issuer."


def test_token_without_exp_is_401(client, key_dir):
    claims = token_claims()
    del claims["exp"]
    token_value = signed_token(key_dir, claims)
    body = assert_problem(client.post("/notes", json=NOTE, headers=bearer(token_value)), 401)
    assert "exp" in body["detail"]


def test_missing_role_is_403(client, token):
    body = assert_problem(
        client.post("/notes", json=NOTE, headers=bearer(token("resident"))), 403, type_suffix="forbidden"
    )
    assert body["detail"] == "This needs one of the roles: center_staff."


def test_other_community_is_403(client, token):
    response = client.post("/notes", json=NOTE, headers=bearer(token("center_staff", community="chiwan")))
    body = assert_problem(response, 403)
    assert body["detail"] == "Your token does not cover the community 'huaguoshan'."


def test_admin_may_act_everywhere(client, token):
    response = client.post("/notes", json=NOTE, headers=bearer(token("admin", community="chiwan")))
    assert response.status_code == 201


def test_public_endpoints_need_no_token(client):
    assert client.get("/healthz").status_code == 200
    assert client.get("/openapi.json").status_code == 200


def test_issued_token_lifetime_follows_ttl(token, key_dir):
    value = token("resident", ttl=timedelta(minutes=5))
    claims = jwt.decode(value, options={"verify_signature": False})
    assert 290 <= claims["exp"] - claims["iat"] <= 300
    assert claims["roles"] == ["resident"] and claims["communities"] == ["huaguoshan"]
