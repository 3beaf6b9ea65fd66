"""Helpers of the browser tests: API calls to set up data, tokens, sign-in, checks, screenshots."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path
from typing import Any

from services.chassis import auth
from services.chassis.config import Settings


class ApiError(AssertionError):
    pass


class Platform:
    """The running embedded platform: its URL, demo identities and a way to mint tokens."""

    def __init__(self, url: str, built: Any) -> None:
        self.url = url
        self.built = built
        self.identities = {person["key"]: person for person in built.identities}
        self.settings = Settings.from_env("gateway", {"data_dir": built.data_dir, "amqp_url": "memory://"})

    def token(self, key: str) -> str:
        """The token of a demo identity (e.g. 'window_clerk')."""
        return self.identities[key]["token"]

    def mint(self, sub: str, roles: list[str], communities: list[str], name: str, **claims: str) -> str:
        """A token signed with the platform's own key (for people the demo list lacks)."""
        return auth.issue_token(
            self.settings, sub=sub, roles=roles, communities=communities, name=name, **claims
        )

    def api(self, token: str | None) -> Api:
        return Api(self.url, token)


class Api:
    """JSON calls through the gateway, as one caller."""

    def __init__(self, url: str, token: str | None) -> None:
        self.url = url
        self.token = token

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        headers: dict[str, str] | None = None,
        expect: int | tuple[int, ...] = (200, 201),
    ) -> tuple[Any, dict[str, str]]:
        sent = {"Accept": "application/json", **(headers or {})}
        if self.token:
            sent["Authorization"] = f"Bearer {self.token}"
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            sent["Content-Type"] = "application/json"
        if method == "POST":
            sent.setdefault("Idempotency-Key", uuid.uuid4().hex)
        request = urllib.request.Request(f"{self.url}/api{path}", data=data, method=method, headers=sent)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status, answer, got = response.status, response.read(), dict(response.headers)
        except urllib.error.HTTPError as error:
            status, answer, got = error.code, error.read(), dict(error.headers)
        payload = json.loads(answer) if answer else None
        expected = (expect,) if isinstance(expect, int) else expect
        if status not in expected:
            raise ApiError(f"{method} {path} answered {status}: {payload}")
        return payload, got

    def get(self, path: str, **query: Any) -> Any:
        suffix = f"?{urllib.parse.urlencode(query)}" if query else ""
        return self.call("GET", f"{path}{suffix}")[0]

    def post(self, path: str, body: Any = None, **kwargs: Any) -> Any:
        return self.call("POST", path, {} if body is None else body, **kwargs)[0]


def unique(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:6]}"


def open_signed_in(page: Any, url: str, token: str) -> None:
    """Open `url` already signed in with `token` (the tab's sessionStorage, as sign-in leaves it)."""
    origin = re.match(r"https?://[^/]+", url).group(0)
    page.goto(f"{origin}/static/web/icon.svg")
    page.evaluate("token => sessionStorage.setItem('community.token', token)", token)
    page.goto(url)


def sign_in_as_demo(page: Any, url: str, key: str) -> None:
    """Sign in through the sign-in page by picking a demo identity."""
    page.goto(url)
    page.locator("h1", has_text="登录").wait_for()
    button = page.locator(f'button.identity[data-key="{key}"]')
    if not button.is_visible():
        page.locator("details:has(button.identity) > summary").click()
    button.click()


def sign_in_with_token(page: Any, url: str, token: str) -> None:
    """Sign in through the sign-in page by pasting a token."""
    page.goto(url)
    page.locator("h1", has_text="登录").wait_for()
    page.locator("details.token-signin > summary").click()
    page.get_by_label("访问令牌").fill(token)
    page.locator("details.token-signin button[type=submit]").click()


def sign_out(page: Any) -> None:
    page.get_by_role("button", name="退出登录").click()
    page.locator("h1", has_text="登录").wait_for()


ACCESSIBILITY = """() => {
  const unlabelled = [];
  for (const control of document.querySelectorAll('input, select, textarea')) {
    if (control.type === 'hidden') continue;
    const byLabel = [...(control.labels || [])].some(l => l.textContent.trim());
    const byAria = (control.getAttribute('aria-label') || '').trim();
    const byRef = (control.getAttribute('aria-labelledby') || '').split(' ')
      .some(id => document.getElementById(id)?.textContent.trim());
    const named = byLabel || byAria || byRef;
    if (!named) unlabelled.push(control.outerHTML.slice(0, 120));
  }
  const nameless = [...document.querySelectorAll('button, a[href]')]
    .filter(b => !(b.textContent.trim() || b.getAttribute('aria-label')))
    .map(b => b.outerHTML.slice(0, 120));
  return { lang: document.documentElement.lang, title: document.title, unlabelled, nameless,
           h1: document.querySelectorAll('h1').length };
}"""


AXE = Path(__file__).with_name("vendor") / "axe.min.js"  # npm axe-core, see vendor/NOTICE.md
AXE_RUN = """async () => {
  const result = await axe.run(document, { resultTypes: ['violations'] });
  return result.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => ({ id: v.id, impact: v.impact, help: v.help,
                 nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ')) }));
}"""


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page as it is now. The script is
    evaluated through the DevTools protocol, which the pages' CSP does not govern."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    return page.evaluate(AXE_RUN)


def check_accessibility(page: Any) -> dict[str, Any]:
    """Every form control has a label, every button and link a name; lang, title and a heading;
    and axe-core finds no serious or critical violation."""
    report = page.evaluate(ACCESSIBILITY)
    assert report["lang"] in ("zh-CN", "en"), report
    assert report["title"].strip(), report
    assert report["unlabelled"] == [], report["unlabelled"]
    assert report["nameless"] == [], report["nameless"]
    assert report["h1"] >= 1, report
    report["axe"] = axe_violations(page)
    assert report["axe"] == [], report["axe"]
    return report


def screenshot(page: Any, folder: Path, name: str) -> Path:
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
