"""The gateway WSGI application (gunicorn entry: `gateway.app:create_app()`)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from services import SERVICES

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def _problem(start_response: Callable[..., Any], status: int, title: str, detail: str,
             instance: str) -> list[bytes]:
    body = json.dumps({"type": "about:blank", "title": title, "status": status, "detail": detail,
                       "instance": instance}).encode()
    start_response(f"{status} {title}", [("Content-Type", "application/problem+json"),
                                          ("Content-Length", str(len(body)))])
    return [body]


class Gateway:
    """Routes `/api/<service>/<path>` to that service with the prefix stripped."""

    def __init__(self, upstreams: Mapping[str, WsgiApp]) -> None:
        self.upstreams = dict(upstreams)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path in ("/healthz", "/"):
            body = json.dumps({"status": "ok", "service": "gateway"}).encode()
            start_response("200 OK", [("Content-Type", "application/json"),
                                      ("Content-Length", str(len(body)))])
            return [body]
        parts = path.split("/", 3)
        if len(parts) >= 3 and parts[1] == "api" and parts[2] in self.upstreams:
            service = parts[2]
            environ = dict(environ)
            environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + f"/api/{service}"
            environ["PATH_INFO"] = "/" + (parts[3] if len(parts) > 3 else "")
            return self.upstreams[service](environ, start_response)
        return _problem(start_response, 404, "Not Found", f"No route for {path}.", path)


def create_app(upstreams: Mapping[str, WsgiApp] | None = None) -> Gateway:
    if upstreams is None:
        raise ValueError("the gateway needs its upstreams")
    unknown = set(upstreams) - set(SERVICES)
    if unknown:
        raise ValueError(f"unknown services: {sorted(unknown)}")
    return Gateway(upstreams)
