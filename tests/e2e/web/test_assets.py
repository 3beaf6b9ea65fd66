"""The web UI's packaged files: both dictionaries complete, every key the code uses defined, no
inline scripts (the CSP forbids them), nothing fetched from another host."""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
WEB = ROOT / "gateway" / "web"
STATIC = ROOT / "gateway" / "static" / "web"
SCRIPTS = sorted(STATIC.rglob("*.js"))
# sessionStorage/localStorage keys look like dictionary keys but are not UI strings.
STORAGE_KEYS = {
    "community.token",
    "community.current",
    "community.lang",
    "community.oidc.pending",
    "community.oidc.logout",
    "community.elder",
}
LITERAL = re.compile(r"'([a-z][a-z0-9_]*(?:\.[a-zA-Z0-9_-]+)+)'")
TEMPLATE = re.compile(r"\b(?:t|label|tIn|both)\((?:\w+, )?`([a-z][\w.-]*?)\$\{")


def _dictionaries():
    return {lang: json.loads((STATIC / "i18n" / f"{lang}.json").read_text()) for lang in ("zh-CN", "en")}


def test_both_dictionaries_have_the_same_keys_and_placeholders():
    zh, en = _dictionaries().values()
    assert sorted(zh) == sorted(en), set(zh) ^ set(en)
    for key in zh:
        assert zh[key].strip() and en[key].strip(), key
        assert set(re.findall(r"\{(\w+)\}", zh[key])) == set(re.findall(r"\{(\w+)\}", en[key])), key


def test_every_key_the_code_uses_is_in_the_dictionaries():
    zh = _dictionaries()["zh-CN"]
    namespaces = {key.split(".")[0] for key in zh}
    missing = []
    for script in SCRIPTS:
        source = script.read_text()
        for key in LITERAL.findall(source):
            group = any(other.startswith(f"{key}.") for other in zh)  # e.g. badge('ticket.status', ...)
            if key.split(".")[0] in namespaces and key not in STORAGE_KEYS and key not in zh and not group:
                missing.append(f"{script.relative_to(STATIC)}: {key}")
        for prefix in TEMPLATE.findall(source):
            if not any(key.startswith(prefix) for key in zh):
                missing.append(f"{script.relative_to(STATIC)}: {prefix}…")
    assert missing == []


def test_pages_load_only_packaged_scripts_and_styles():
    for page in sorted(WEB.rglob("*.html")):
        html = page.read_text()
        assert re.search(r'<html lang="zh-CN">', html), page
        assert re.search(r"<title>[^<]+</title>", html), page
        scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
        packaged = all('src="/static/web/' in attrs and not body.strip() for attrs, body in scripts)
        assert scripts and packaged, page
        assert not re.search(r"\son[a-z]+=", html), f"inline event handler in {page}"
        for asset in re.findall(r'(?:src|href)="(/static/web/[^"]+)"', html):
            assert (ROOT / "gateway" / asset.lstrip("/")).is_file(), asset


def test_no_asset_is_fetched_from_another_host():
    for file in [*SCRIPTS, *STATIC.rglob("*.css"), *WEB.rglob("*.html")]:
        text = file.read_text()
        for url in re.findall(r"https?://[^\s'\"`)]+", text):
            assert url.startswith(("http://www.w3.org/2000/svg",)), f"{file}: {url}"


def test_modules_stay_small():
    for script in SCRIPTS:
        assert len(script.read_text().splitlines()) <= 300, script
