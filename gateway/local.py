"""What the gateway answers itself: probes, metrics, CORS preflights, docs, events, web UI."""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Protocol
from urllib.parse import parse_qs

from werkzeug.test import EnvironBuilder

from services.chassis.auth import Principal, TokenVerifier, require_metrics_reader
from services.chassis.errors import Forbidden, Unauthorized

from . import changes, static
from .catalogue import CACHE_CONTROL, MergedCatalogue
from .forward import HttpUpstream, WsgiUpstream
from .headers import Cors, Headers, Trace
from .health import Readiness
from .incoming import build_proxy_request
from .metrics import GatewayMetrics
from .openapi import MergedDocument
from .problems import EdgeProblem, send_json
from .routes import EVENT_STREAM_ROLES
from .settings import GatewaySettings
from .slots import StreamSlots
from .stream import SSE_HEADERS, EventFeed, event_stream, parse_since, parse_types, peer_closed

log = logging.getLogger("gateway.local")
StartResponse = Callable[..., Any]
_READ_ONLY = [("Allow", "GET, HEAD")]


class GatewayParts(Protocol):
    """What the gateway's own endpoints read of the gateway (`gateway.app.Gateway` has it)."""

    settings: GatewaySettings
    demo_identities: list[dict[str, Any]] | None
    upstreams: Mapping[str, HttpUpstream | WsgiUpstream]
    metrics: GatewayMetrics
    readiness: Readiness
    cors: Cors
    documents: MergedDocument
    catalogue: MergedCatalogue
    feed: EventFeed | None
    verifier: TokenVerifier


class LocalEndpoints:
    """The gateway's own endpoints, apart from the proxy path."""

    def __init__(self, gateway: GatewayParts) -> None:
        self.gateway = gateway
        self.streams = StreamSlots(gateway.settings.sse_max_clients, gateway.metrics.stream_clients)

    def serve(
        self, method: str, path: str, environ: dict[str, Any], start_response: StartResponse, edge: Headers
    ) -> Iterable[bytes]:
        """Probes, metrics and the packaged web UI (GET and HEAD only)."""
        if method not in ("GET", "HEAD"):
            raise EdgeProblem(
                405, f"{method} is not allowed here.", type_="method-not-allowed", headers=_READ_ONLY
            )
        if path == "/healthz":
            return send_json(start_response, 200, {"status": "ok", "service": "gateway"}, edge)
        if path == "/readyz":
            return self.readyz(start_response, edge)
        if path == "/metrics":
            self.require_metrics_reader(environ)
            body, content_type = self.gateway.metrics.render()
            start_response(
                "200 OK", [("Content-Type", content_type), ("Content-Length", str(len(body))), *edge]
            )
            return [body]
        if path == "/auth/config":
            return send_json(start_response, 200, self.sign_in_config(), edge)
        if path == "/auth/demo-identities":
            if self.gateway.demo_identities is None:
                raise EdgeProblem(404, "Demo identities exist only in the embedded mode.", type_="not-found")
            return send_json(start_response, 200, self.gateway.demo_identities, edge)
        if path == "/map/config":
            return send_json(start_response, 200, self.map_config(), edge)
        if path == "/console":
            start_response(
                "308 Permanent Redirect", [("Location", "/console/"), ("Content-Length", "0"), *edge]
            )
            return []
        return static.serve_file(static.locate(path), environ, start_response, edge)

    def map_config(self) -> dict[str, Any]:
        """The maps' base layer (MAP_TILE_URL ...); `tiles` null: cells on a plain background."""
        settings = self.gateway.settings
        return {
            "tiles": settings.map_tile_url,
            "attribution": settings.map_tile_attribution,
            "subdomains": settings.map_tile_subdomains,
            "max_zoom": settings.map_max_zoom,
        }

    def sign_in_config(self) -> dict[str, Any]:
        """How the web UI signs people in: demo identities (embedded) or OpenID Connect."""
        settings = self.gateway.settings
        if settings.oidc_issuer and settings.oidc_client_id:
            return {
                "mode": "oidc",
                "issuer": settings.oidc_issuer.rstrip("/"),
                "client_id": settings.oidc_client_id,
                "scope": settings.oidc_scope,
            }
        if self.gateway.demo_identities is not None:
            return {"mode": "demo"}
        return {"mode": "token"}

    def readyz(self, start_response: StartResponse, edge: Headers) -> Iterable[bytes]:
        """200 while the gateway can route; the services' own readiness is reported, not required.

        A service that is away is answered by a 503 `upstream-unavailable` problem on its
        own routes only: taking the whole gateway out of rotation for it would cut off
        every other service too.
        """
        report = self.gateway.readiness.report()
        away = sorted(service for service, check in report["checks"].items() if check != "ok")
        return send_json(start_response, 200, {**report, "status": "ready", "services_away": away}, edge)

    def preflight(
        self, environ: dict[str, Any], start_response: StartResponse, trace: Trace
    ) -> Iterable[bytes]:
        """Answer a CORS preflight for a configured origin; 403 for any other."""
        origin = environ["HTTP_ORIGIN"]
        if not self.gateway.cors.allows(origin):
            raise EdgeProblem(
                403, f"The origin {origin} may not call this API from a browser.", type_="cors-origin-refused"
            )
        start_response("204 No Content", [*self.gateway.cors.preflight_headers(origin), *trace.headers()])
        return []

    def openapi(self, method: str, start_response: StartResponse, edge: Headers) -> Iterable[bytes]:
        """The merged OpenAPI document of every service."""
        if method not in ("GET", "HEAD"):
            raise EdgeProblem(
                405, f"{method} is not allowed here.", type_="method-not-allowed", headers=_READ_ONLY
            )
        body = self.gateway.documents.body()
        start_response(
            "200 OK",
            [
                ("Content-Type", "application/json"),
                ("Content-Length", str(len(body))),
                ("Cache-Control", "no-cache"),
                *edge,
            ],
        )
        return [] if method == "HEAD" else [body]

    def fetch_json(self, service: str, path: str) -> dict[str, Any] | None:
        """GET `path` of `service` through its upstream; None when it does not answer 200 JSON."""
        return self.fetch(service, path)[1]

    def fetch(self, service: str, path: str) -> tuple[int, dict[str, Any] | None]:
        """GET `path` of `service`: its status (0 when unreachable) and its JSON when 200."""
        environ = EnvironBuilder(
            path=f"/api/{service}{path}", headers={"Accept": "application/json"}
        ).get_environ()
        settings = self.gateway.settings.with_changes(read_timeout=5.0)
        try:
            request = build_proxy_request(environ, service, settings, Trace(environ))
            answer = self.gateway.upstreams[service].forward(request, environ)
            try:
                body = b"".join(answer.body)
            finally:
                if hasattr(answer.body, "close"):
                    answer.body.close()
            status = int(answer.status[:3])
            if status != 200:
                if status != 404:
                    log.warning("%s answered %s for %s", service, answer.status, path)
                return status, None
            return status, json.loads(body)
        except (EdgeProblem, ValueError) as exc:
            log.warning("cannot read %s from %s: %s", path, service, exc)
            return 0, None

    def catalogue(
        self, method: str, environ: dict[str, Any], start_response: StartResponse, edge: Headers
    ) -> Iterable[bytes]:
        """The platform's open-data catalogue (a Data Package), public and cacheable."""
        if method not in ("GET", "HEAD"):
            raise EdgeProblem(
                405, f"{method} is not allowed here.", type_="method-not-allowed", headers=_READ_ONLY
            )
        body, etag = self.gateway.catalogue.current()
        headers = [("ETag", etag), ("Cache-Control", CACHE_CONTROL)]
        wanted = {tag.strip() for tag in environ.get("HTTP_IF_NONE_MATCH", "").split(",")}
        if etag in wanted or f"W/{etag}" in wanted or "*" in wanted:
            start_response("304 Not Modified", [*headers, *edge])
            return []
        start_response(
            "200 OK",
            [("Content-Type", "application/json"), ("Content-Length", str(len(body))), *headers, *edge],
        )
        return [] if method == "HEAD" else [body]

    def require_metrics_reader(self, environ: dict[str, Any]) -> None:
        """The gateway faces the internet: its metrics are for an operator's token (METRICS_ROLES)
        or the scraper's `Authorization: Bearer <METRICS_TOKEN>`; 401 or 403 otherwise."""
        header = environ.get("HTTP_AUTHORIZATION") or ""
        scheme, _, presented = header.partition(" ")
        expected = self.gateway.settings.metrics_token
        if expected and scheme.lower() == "bearer" and hmac.compare_digest(presented.strip(), expected):
            return
        if not presented.strip():
            raise EdgeProblem(
                401,
                "Metrics need an operator's bearer token (or the scraper's METRICS_TOKEN).",
                type_="unauthorized",
                headers=[("WWW-Authenticate", 'Bearer realm="community"')],
            )
        try:
            principal = self.gateway.verifier.verify(presented.strip())
            require_metrics_reader(principal)
        except (Unauthorized, Forbidden) as exc:
            status = 403 if isinstance(exc, Forbidden) else 401
            raise EdgeProblem(status, exc.detail or "Not accepted.", type_=exc.problem_type) from None

    def consuming_feed(self) -> EventFeed:
        """This process's event feed, consuming (started by the first stream); 503 without it."""
        feed = self.gateway.feed
        if feed is None:
            raise EdgeProblem(503, "No event bus is configured (AMQP_URL).", type_="unavailable")
        feed.start()
        if not feed.ready.wait(self.gateway.settings.connect_timeout):
            raise EdgeProblem(
                503,
                "The event bus is not reachable right now.",
                type_="unavailable",
                headers=[("Retry-After", "10")],
            )
        return feed

    def change_stream(
        self, environ: dict[str, Any], start_response: StartResponse, edge: Headers
    ) -> Iterable[bytes]:
        """A community's change signals for pages, public (`gateway/changes.py`)."""
        return changes.serve(
            environ, start_response, edge, self.gateway.settings, self.streams, self.consuming_feed
        )

    def event_stream(
        self,
        environ: dict[str, Any],
        start_response: StartResponse,
        edge: Headers,
        principal: Principal | None,
    ) -> Iterable[bytes]:
        """Platform events as Server-Sent Events, filtered by `types` and communities."""
        if environ.get("REQUEST_METHOD") != "GET":
            raise EdgeProblem(
                405,
                "The event stream is read with GET.",
                type_="method-not-allowed",
                headers=[("Allow", "GET")],
            )
        if principal is None or not principal.has_role(*EVENT_STREAM_ROLES):
            raise EdgeProblem(
                403,
                f"The event stream needs one of the roles: {', '.join(EVENT_STREAM_ROLES)}.",
                type_="forbidden",
            )
        query = parse_qs(environ.get("QUERY_STRING", ""))
        try:
            patterns = parse_types(query.get("types", [None])[0])
        except ValueError as exc:
            raise EdgeProblem(
                422, str(exc), type_="validation-failed", errors={"types": [str(exc)]}
            ) from None
        try:
            since = parse_since(query.get("since", [None])[0])
        except ValueError as exc:
            raise EdgeProblem(
                422, str(exc), type_="validation-failed", errors={"since": [str(exc)]}
            ) from None
        feed = self.consuming_feed()
        settings = self.gateway.settings
        client = environ.get("gunicorn.socket") or environ.get("werkzeug.socket")
        body = event_stream(
            feed,
            principal,
            patterns,
            environ.get("HTTP_LAST_EVENT_ID"),
            settings.sse_heartbeat_seconds,
            client_gone=peer_closed(client),
            check_every=settings.sse_disconnect_check_seconds,
            since=since,
        )
        holder = f"sub:{principal.sub}"
        self.streams.take(
            holder,
            settings.sse_max_per_subject,
            f"This token already holds {settings.sse_max_per_subject} event stream(s) on this "
            "gateway process; close one first.",
        )
        start_response("200 OK", [*SSE_HEADERS, *edge])
        return self.streams.held(body, holder)
