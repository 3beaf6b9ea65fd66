"""The embedded platform (`make run`): every service, its worker and the gateway in one process.

SQLite file per service under the data folder, kombu's in-memory transport as the bus,
migrations applied on start, the gateway on http://127.0.0.1:8080.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
from pathlib import Path
from typing import Any

from services.chassis import migrations
from services.chassis.config import COMMUNITIES, Settings
from services.chassis.observability import configure_logging
from services.chassis.runtime import Runtime

from . import registry
from .embedded_platform import Platform
from .identities import demo_identities
from .registry import SERVICES

log = logging.getLogger("embedded")


# The embedded platform's demo purchases go through the API in one sitting, before any
# meeting could pass a resolution and a notice could run its five working days; so it
# keeps the committee's single-member rule, explicitly, unless the environment names the
# communities (a deployment applies the resolution rule everywhere by default).
SINGLE_MEMBER_ENV = "CONTRACTS_SINGLE_MEMBER_COMMUNITIES"


def committee_rule() -> dict[str, Any]:
    """The embedded default of the committee's rule in contracts (see `SINGLE_MEMBER_ENV`)."""
    if os.environ.get(SINGLE_MEMBER_ENV) is not None:
        return {}
    return {"single_member_communities": tuple(COMMUNITIES)}


def build(
    data_dir: Path,
    overrides: dict[str, Any] | None = None,
    start_workers: bool = True,
    reference_data: bool = False,
) -> Platform:
    """Migrate, build and start every service in this process.

    `reference_data`: load the services' reference data unless the demo data is already
    in the folder (the demo identities' claims are looked up in it either way).
    """
    from gateway.app import create_app as create_gateway

    from .demo import loader as demo

    data_dir = data_dir.resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    platform = Platform(data_dir=data_dir, overrides=dict(overrides or {}))
    for service in SERVICES:
        config = {"data_dir": data_dir, "amqp_url": "memory://", **committee_rule(), **platform.overrides}
        settings = Settings.from_env(service, config)
        migrations.upgrade(registry.migrations(service), settings.database_url)
        runtime = Runtime(settings, registry.metadata(service))
        platform.runtimes[service] = runtime
        platform.apps[service] = registry.module(service, "app").create_app(runtime=runtime)
        if start_workers:
            worker = registry.module(service, "worker").build_worker(runtime)
            worker.start()
            platform.workers[service] = worker
    if reference_data and not (demo.is_loaded(data_dir) or demo.was_interrupted(data_dir)):
        demo.load_reference_data(platform)
    gateway_config = {"data_dir": data_dir, "amqp_url": "memory://", **platform.overrides}
    platform.identities = demo_identities(
        Settings.from_env("gateway", gateway_config), demo.identity_claims(platform)
    )
    platform.gateway = create_gateway(
        upstreams=platform.apps, config=gateway_config, demo_identities=platform.identities
    )
    return platform


def print_identities(platform: Platform, url: str) -> None:
    """The demo identities with their tokens (also offered at /auth/demo-identities)."""
    print("Demo identities (Authorization: Bearer <token>; the web UI's sign-in offers them):", flush=True)
    for identity in platform.identities:
        where = ",".join(identity["communities"]) if len(identity["communities"]) < 7 else "all"
        print(
            f"  {identity['key']:<24} {identity['name']} - {identity['title_en']} "
            f"({'/'.join(identity['roles'])}, {where})",
            flush=True,
        )
        print(f"    {identity['token']}", flush=True)
    print(f"  e.g. curl -H 'Authorization: Bearer <token>' {url}/api/intake/tickets", flush=True)


def make_http_server(host: str, port: int, app: Any) -> Any:
    """The embedded HTTP server (werkzeug's, threaded); every client socket times out after
    HTTP_CLIENT_TIMEOUT seconds of silence, so no idle or slow client holds a thread."""
    from werkzeug.serving import WSGIRequestHandler, make_server

    from .timeouts import client_timeout

    handler = type("ClientTimeoutHandler", (WSGIRequestHandler,), {"timeout": client_timeout()})
    return make_server(host, port, app, threaded=True, request_handler=handler)


def main(host: str = "127.0.0.1", port: int = 8080, data_dir: str | None = None, demo: bool = True) -> None:
    """Run until Ctrl-C; data stays in the data folder for the next start."""

    from .demo import loader as demo_data

    folder = Path(data_dir or os.environ.get("COMMUNITY_DATA_DIR", "var"))
    os.environ["COMMUNITY_DATA_DIR"] = str(folder.resolve())
    os.environ.setdefault("PUBLIC_BASE_URL", f"http://{host}:{port}")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    configure_logging(os.environ["LOG_LEVEL"], json_lines=True)
    interrupted = demo_data.was_interrupted(folder.resolve())
    platform = build(folder, reference_data=demo)
    if demo and interrupted:
        print(
            f"The demo data was only partly loaded (an earlier first start was interrupted); "
            f"to load it again, stop, delete {platform.data_dir} and start again.",
            flush=True,
        )
    elif demo and not demo_data.is_loaded(platform.data_dir):
        print("Loading the demo data (first start only)...", flush=True)
        try:
            summary = demo_data.load(platform)
        except KeyboardInterrupt:
            platform.stop()
            print("Interrupted while loading the demo data.", file=sys.stderr, flush=True)
            raise SystemExit(130) from None
        print(f"Demo data loaded in {summary['total_seconds']} s.", flush=True)
    server = make_http_server(host, port, platform.gateway)
    url = f"http://{host}:{server.server_port}"
    print(f"Community services platform (embedded) on {url}", flush=True)
    print(f"Data folder: {platform.data_dir}", flush=True)
    print_identities(platform, url)
    print("Press Ctrl-C to stop.", flush=True)
    stopping = threading.Event()

    def _stop(*_: Any) -> None:
        if not stopping.is_set():
            stopping.set()
            threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    try:
        server.serve_forever()
    finally:
        platform.stop()
        print("Stopped.", file=sys.stderr, flush=True)
