"""Sign-in outside the embedded demo: OpenID Connect (authorization code with PKCE, S256) against
a small provider run by the test, and a pasted token when nothing else is configured."""

from __future__ import annotations

import base64
import hashlib
import json
import threading
import urllib.parse
from contextlib import contextmanager

from playwright.sync_api import expect
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from gateway.app import create_app

from .support import check_accessibility, screenshot


def _json(body, status, headers):
    return Response(json.dumps(body), status=status, content_type="application/json", headers=headers)


class FakeProvider:
    """An OpenID provider that approves at once and checks the PKCE verifier at the token endpoint."""

    def __init__(self, access_token_for) -> None:
        self.access_token_for = access_token_for
        self.codes: dict[str, dict[str, str]] = {}
        self.exchanges: list[dict[str, str]] = []
        self.url = ""

    def __call__(self, environ, start_response):
        request = Request(environ)
        cors = {"Access-Control-Allow-Origin": "*"}
        if request.path == "/.well-known/openid-configuration":
            body = {
                "issuer": self.url,
                "authorization_endpoint": f"{self.url}/authorize",
                "token_endpoint": f"{self.url}/token",
                "end_session_endpoint": f"{self.url}/logout",
            }
            return _json(body, 200, cors)(environ, start_response)
        if request.path == "/authorize":
            code = f"code-{len(self.codes) + 1}"
            self.codes[code] = dict(request.args)
            target = f"{request.args['redirect_uri']}?" + urllib.parse.urlencode(
                {"code": code, "state": request.args["state"]}
            )
            return Response(status=302, headers={"Location": target})(environ, start_response)
        if request.path == "/token" and request.method == "POST":
            form = dict(request.form)
            self.exchanges.append(form)
            asked = self.codes.pop(form.get("code"), None)
            digest = hashlib.sha256(form.get("code_verifier", "").encode()).digest()
            challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
            if (
                asked is None
                or asked["code_challenge"] != challenge
                or asked["redirect_uri"] != form["redirect_uri"]
            ):
                return _json({"error": "invalid_grant"}, 400, cors)(environ, start_response)
            body = {
                "access_token": self.access_token_for(asked["nonce"]),
                "token_type": "Bearer",
                "expires_in": 3600,
            }
            return _json(body, 200, cors)(environ, start_response)
        return Response("not found", status=404)(environ, start_response)


@contextmanager
def serving(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


def _gateway(platform, **config):
    return create_app(
        upstreams=platform.built.apps, config={"data_dir": platform.built.data_dir, "amqp_url": "", **config}
    )


def test_staff_sign_in_with_openid_connect_and_pkce(platform, desktop, output_dir):
    page = desktop
    token = platform.mint("oidc-committee-1", ["committee_member"], ["huaguoshan"], "欧阳静")
    provider = FakeProvider(lambda nonce: token)
    with serving(provider) as issuer:
        provider.url = issuer
        gateway = _gateway(platform, oidc_issuer=issuer, oidc_client_id="community-web")
        with serving(gateway) as url:
            response = page.goto(f"{url}/console/")
            assert f"connect-src 'self' {issuer};" in response.headers["content-security-policy"]
            expect(page.get_by_role("button", name="通过统一身份认证登录")).to_be_visible()
            check_accessibility(page)
            screenshot(page, output_dir, "1-sign-in")
            page.get_by_role("button", name="通过统一身份认证登录").click()

            expect(page.locator(".topbar .who strong")).to_have_text("欧阳静")
            expect(page.locator("h1")).to_have_text("工作台首页")
            assert page.url == f"{url}/console/"  # code and state removed from the address
            assert page.evaluate("sessionStorage.getItem('community.token')") == token
            [exchange] = provider.exchanges
            assert exchange["grant_type"] == "authorization_code"
            assert exchange["client_id"] == "community-web"
            assert exchange["redirect_uri"] == f"{url}/console/"
            assert 43 <= len(exchange["code_verifier"]) <= 128
            check_accessibility(page)
            screenshot(page, output_dir, "2-signed-in")


def test_sign_in_with_a_pasted_token_when_nothing_else_is_configured(platform, desktop, output_dir):
    page = desktop
    with serving(_gateway(platform)) as url:
        response = page.goto(f"{url}/console/")
        assert "connect-src 'self';" in response.headers["content-security-policy"]  # no provider to reach
        expect(page.get_by_label("访问令牌")).to_be_visible()
        page.get_by_label("访问令牌").fill("not-a-token")
        page.get_by_role("button", name="登录").click()
        expect(page.locator('[data-field="token"] .field-error')).to_have_text("这不是有效的令牌（JWT）。")
        page.get_by_label("访问令牌").fill(platform.token("subdistrict_officer"))
        page.get_by_role("button", name="登录").click()
        officer = platform.identities["subdistrict_officer"]["name"]
        expect(page.locator(".topbar .who strong")).to_have_text(officer)
        check_accessibility(page)
        screenshot(page, output_dir, "signed-in")
