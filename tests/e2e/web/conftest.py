"""Browser tests of the web UI: the embedded platform in this process, headless Chromium.

The platform is built once per module with `deploy.embedded.build` and served by werkzeug on
a free port; every test creates the data it needs through the API (it does not rely on the
demo data). Chromium is Debian's (`/usr/bin/chromium`, installed by `.ci/run`), driven by
Playwright with `executable_path`; without it the tests skip, or fail under
COMMUNITY_REQUIRE_SERVICES=1 (CI). Screenshots go to test-output/web/<test>/.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.environment import unavailable

from .support import Platform

ROOT = Path(__file__).resolve().parents[3]
OUTPUT = ROOT / "test-output" / "web"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}


def _missing(reason: str) -> None:
    unavailable(reason)


@contextlib.contextmanager
def serve(data_dir: Path, **build: bool) -> Iterator[Platform]:
    """The embedded platform built in `data_dir` and served by werkzeug on a free port."""
    from werkzeug.serving import make_server

    from deploy import embedded

    built = embedded.build(data_dir, **build)
    server = make_server("127.0.0.1", 0, built.gateway, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Platform(f"http://127.0.0.1:{server.server_port}", built)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        built.stop()


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    """The embedded platform served on a free port for this module's tests."""
    with serve(tmp_path_factory.mktemp("web-platform")) as running:
        yield running


@pytest.fixture(scope="module")
def browser():
    """Headless Debian Chromium through Playwright (never `playwright install`)."""
    if shutil.which(CHROMIUM) is None and not Path(CHROMIUM).exists():
        _missing(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("Playwright for Python is not installed (pip install -e '.[dev]')")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def output_dir(request) -> Path:
    """test-output/web/<test name>/ (emptied first): screenshots of this test."""
    folder = OUTPUT / re.sub(r"[^\w.-]+", "_", request.node.name)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


def _page(browser, viewport):
    context = browser.new_context(viewport=viewport, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    page.set_default_timeout(15000)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.script_errors = errors
    return context, page


@pytest.fixture
def desktop(browser):
    """A 1366×768 page; uncaught script errors fail the test."""
    context, page = _page(browser, DESKTOP)
    yield page
    context.close()
    assert page.script_errors == []


@pytest.fixture
def phone(browser):
    """A 390×844 (phone) page; uncaught script errors fail the test."""
    context, page = _page(browser, PHONE)
    yield page
    context.close()
    assert page.script_errors == []
