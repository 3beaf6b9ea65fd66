"""The web UI's packaged files: both dictionaries complete, every key the code uses defined, no
inline scripts (the CSP forbids them), nothing fetched from another host."""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
WEB = ROOT / "gateway" / "web"
STATIC = ROOT / "gateway" / "static" / "web"
VENDOR = STATIC / "vendor"
# Our own modules (the vendored map library is checked by test_vendored_files_are_recorded).
SCRIPTS = sorted(p for p in STATIC.rglob("*.js") if VENDOR not in p.parents)
# sessionStorage/localStorage keys look like dictionary keys but are not UI strings.
STORAGE_KEYS = {
    "community.token",
    "community.current",
    "community.lang",
    "community.oidc.pending",
    "community.oidc.logout",
    "community.elder",
    "community.transparency",  # the transparency page's chosen community (sessionStorage)
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
    styles = [p for p in STATIC.rglob("*.css") if VENDOR not in p.parents]
    for file in [*SCRIPTS, *styles, *WEB.rglob("*.html"), *WEB.rglob("*.js")]:
        text = file.read_text()
        for url in re.findall(r"https?://[^\s'\"`)]+", text):
            assert url.startswith(("http://www.w3.org/2000/svg",)), f"{file}: {url}"


def test_modules_stay_small():
    for script in SCRIPTS:
        assert len(script.read_text().splitlines()) <= 300, script


def test_vendored_files_are_recorded_with_version_and_licence():
    """Every file under vendor/ is named in NOTICE.md, in a row with an npm version and a
    licence whose file is there; the vendored code names no host it would load from."""
    notice = (STATIC / "NOTICE.md").read_text()
    rows = [line for line in notice.splitlines() if line.startswith("| `vendor/")]
    assert len(rows) == 3, rows
    for row in rows:
        folder, package, version, licence, files, digest = [c.strip(" `") for c in row.strip("|").split("|")]
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), row
        assert re.fullmatch(r"[0-9a-f]{64}", digest), row
        licence_file = re.search(r"`(vendor/[^`]+)`", row.split("|")[4]).group(1)
        assert (STATIC / licence_file).is_file(), licence_file
        for name in re.findall(r"`([^`]+)`", row.split("|")[5]):
            assert (STATIC / folder / name).exists(), (folder, name)
    listed = {row.split("|")[1].strip(" `") for row in rows}
    for file in VENDOR.rglob("*"):
        if file.is_file():
            assert any(str(file.relative_to(STATIC)).startswith(folder) for folder in listed), file
            if file.suffix in (".js", ".css"):
                assert "sourceMappingURL" not in file.read_text(), file
