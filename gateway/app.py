"""The gateway WSGI application (gunicorn entry: `gateway.app:create_app()`).

A raw WSGI callable, not a Flask app: every proxied request passes here, so the path is
kept short (edge checks, then one forward through a kept-alive connection).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from services.chassis.auth import Principal, TokenVerifier, bearer_token
from services.chassis.bus import Bus
from services.chassis.errors import Unauthorized
from services.chassis.observability import configure_logging

from .catalogue import CATALOGUE_PATH, PART_PATH, MergedCatalogue
from .forward import HttpUpstream, WsgiUpstream
from .headers import API_CSP, Cors, Trace, client_address, edge_headers, ui_csp
from .health import Readiness
from .incoming import build_proxy_request, check_request_shape
from .local import LocalEndpoints
from .metrics import GatewayMetrics
from .openapi import DOCUMENT_PATHS, MergedDocument
from .problems import EdgeProblem, send_problem
from .ratelimit import RateLimiter, Verdict
from .routes import ANONYMOUS, CHANGE_STREAM_PATH, EVENT_STREAM_PATH, is_public, route_class
from .settings import UPSTREAMS, GatewaySettings, upstream_env_name
from .stream import EventFeed
from .upstreams import CircuitBreaker, Replica, ReplicaSet

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
Upstream = HttpUpstream | WsgiUpstream
_WWW_AUTHENTICATE = [("WWW-Authenticate", 'Bearer realm="community"')]
access_log = logging.getLogger("gateway.access")
log = logging.getLogger("gateway")


class Gateway:
    """Routes `/api/<service>/<path>` to that service; serves docs, events, probes and the UI."""

    def __init__(
        self,
        settings: GatewaySettings,
        upstreams: Mapping[str, Upstream],
        replicas: Mapping[str, list[Replica]],
        apps: Mapping[str, WsgiApp],
        metrics: GatewayMetrics,
        demo_identities: list[dict[str, Any]] | None = None,
    ) -> None:
        self.settings = settings
        self.demo_identities = demo_identities
        self.upstreams = dict(upstreams)
        self.metrics = metrics
        self.verifier = TokenVerifier(settings.chassis)
        self.cors = Cors(settings.cors_origins)
        self.ui_csp = ui_csp(settings.oidc_issuer if settings.oidc_client_id else None, settings.map_tile_url)
        self.limiter = (
            RateLimiter(settings.rate_limits, settings.redis_url) if settings.rate_limits_enabled else None
        )
        self.readiness = Readiness(
            replicas,
            apps,
            settings.readyz_cache_seconds,
            timeout=min(2.0, settings.connect_timeout + 1.0),
            interval=settings.health_interval,
        )
        bus = Bus(settings.chassis) if settings.chassis.amqp_url else None
        self.feed = EventFeed(bus, settings.sse_replay_size, settings.event_archive_max_age) if bus else None
        self.documents = MergedDocument(
            self._fetch_document, tuple(self.upstreams), settings.docs_cache_seconds
        )
        self.catalogue = MergedCatalogue(
            lambda service: self.local.fetch(service, PART_PATH),
            tuple(self.upstreams),
            settings.docs_cache_seconds,
        )
        self.local = LocalEndpoints(self)
        metrics.watch_replicas(lambda: [r for rs in replicas.values() for r in rs])
        self._pid: int | None = None
        self._start_lock = threading.Lock()

    def end_streams(self) -> None:
        """The process is stopping: its event streams end at their next check (from a signal handler)."""
        if self.feed is not None:
            self.feed.ending = True

    def start_background(self) -> None:
        """Start this process's health prober and event feed (after a fork: again).

        With the archive, the feed only declares it until the first event stream this
        process serves: a resume reads the archive, so a process no client streams from
        reads nothing (it would parse every platform event for nobody)."""
        if self._pid == os.getpid():
            return
        with self._start_lock:
            if self._pid == os.getpid():
                return
            self._pid = os.getpid()
            if self.feed is not None:
                self.feed.start(consume=not self.feed.archived)
            self.readiness.start_background()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if self._pid != os.getpid():
            self.start_background()
        started = time.perf_counter()
        trace = Trace(environ)
        path = environ.get("PATH_INFO") or "/"
        method = environ.get("REQUEST_METHOD", "GET")
        is_api = path.startswith("/api/") and path != "/api/docs"
        edge = edge_headers(
            trace,
            environ.get("wsgi.url_scheme") == "https"
            or (self.settings.trusted_proxies > 0 and environ.get("HTTP_X_FORWARDED_PROTO") == "https"),
            csp=API_CSP if is_api else self.ui_csp,
        )
        edge += self.cors.response_headers(environ.get("HTTP_ORIGIN"))
        route = "gateway"
        try:
            check_request_shape(environ, path, self.settings)
            if Cors.is_preflight(environ):
                return self.local.preflight(environ, start_response, trace)
            if not is_api:
                return self.local.serve(method, path, environ, start_response, edge)
            principal = self._authenticate(environ, method, path)
            self._limit(environ, method, path, principal)
            if path in DOCUMENT_PATHS:
                return self.local.openapi(method, start_response, edge)
            if path == CATALOGUE_PATH:
                return self.local.catalogue(method, environ, start_response, edge)
            if path == EVENT_STREAM_PATH:
                return self.local.event_stream(environ, start_response, edge, principal)
            if path == CHANGE_STREAM_PATH:
                return self.local.change_stream(environ, start_response, edge)
            service = path.split("/", 3)[2]
            upstream = self.upstreams.get(service)
            if upstream is None:
                raise EdgeProblem(404, f"No service is called {service!r}.", type_="not-found")
            route = service
            request = build_proxy_request(environ, service, self.settings, trace)
            answer = upstream.forward(request, environ)
            start_response(answer.status, answer.headers + edge)
            self._observe(route, int(answer.status[:3]), method, path, trace, started)
            return answer.body
        except EdgeProblem as problem:
            self._observe(route, problem.status, method, path, trace, started)
            return send_problem(start_response, problem, path, trace.request_id, edge)
        except Exception:  # a bug of ours: a problem answer, never an HTML page or a trace
            log.exception("gateway error on %s %s", method, path, extra={"request_id": trace.request_id})
            self._observe(route, 500, method, path, trace, started)
            problem = EdgeProblem(500, "An unexpected error occurred in the gateway; it has been logged.")
            return send_problem(start_response, problem, path, trace.request_id, edge)

    def _observe(self, route: str, status: int, method: str, path: str, trace: Trace, started: float) -> None:
        """Count the answer; one JSON access-log line (INFO) with the request id."""
        self.metrics.request(route, status)
        if access_log.isEnabledFor(logging.INFO):
            access_log.info(
                "%s %s %s",
                method,
                path,
                status,
                extra={
                    "request_id": trace.request_id,
                    "status": status,
                    "route": route,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                },
            )

    def _authenticate(self, environ: dict[str, Any], method: str, path: str) -> Principal | None:
        """The caller of a valid token; None on a public route without one; 401 otherwise.

        Every refusal counts in the caller's per-IP bucket (the anonymous class), so that
        guessing tokens costs what any anonymous request costs: 429 once it is spent."""
        header = environ.get("HTTP_AUTHORIZATION")
        if header:
            try:
                token = bearer_token(header)
                return self.verifier.verify(token) if token else None
            except Unauthorized as exc:
                self._limit_failed_authentication(environ)
                raise EdgeProblem(
                    401,
                    exc.detail or "The bearer token is not accepted.",
                    type_=exc.problem_type,
                    headers=_WWW_AUTHENTICATE,
                ) from None
        if is_public(method, path):
            return None
        self._limit_failed_authentication(environ)
        raise EdgeProblem(
            401, "This endpoint needs a bearer token.", type_="unauthorized", headers=_WWW_AUTHENTICATE
        )

    def _limit_failed_authentication(self, environ: dict[str, Any]) -> None:
        if self.limiter is not None:
            caller = f"ip:{client_address(environ, self.settings.trusted_proxies)}"
            self._refuse_over_limit(self.limiter.hit(ANONYMOUS, caller), ANONYMOUS)

    def _limit(self, environ: dict[str, Any], method: str, path: str, principal: Principal | None) -> None:
        if self.limiter is None:
            return
        route_class_name = route_class(method, path, principal is not None)
        if route_class_name is None:
            return
        if principal is not None:
            caller = f"sub:{principal.sub}"
        else:
            caller = f"ip:{client_address(environ, self.settings.trusted_proxies)}"
        self._refuse_over_limit(self.limiter.hit(route_class_name, caller), route_class_name)

    def _refuse_over_limit(self, verdict: Verdict, route_class_name: str) -> None:
        if not verdict.allowed:
            self.metrics.rate_limited.labels(route_class_name).inc()
            raise EdgeProblem(
                429,
                f"Too many requests ({verdict.limit} for {route_class_name} requests); "
                f"retry in {verdict.retry_after} s.",
                type_="rate-limited",
                headers=[("Retry-After", str(verdict.retry_after))],
            )

    def _fetch_document(self, service: str) -> dict[str, Any] | None:
        return self.local.fetch_json(service, "/openapi.json")


def _http_upstreams(
    settings: GatewaySettings, metrics: GatewayMetrics
) -> tuple[dict[str, Upstream], dict[str, list[Replica]]]:
    missing = [upstream_env_name(s) for s in UPSTREAMS if s not in settings.upstream_urls]
    if missing:
        raise ValueError(
            f"set the service base URLs: {', '.join(missing)} (comma-separated "
            "for several replicas), or pass in-process upstreams"
        )
    upstreams: dict[str, Upstream] = {}
    replicas: dict[str, list[Replica]] = {}
    for service, urls in settings.upstream_urls.items():
        replicas[service] = [
            Replica(
                service,
                url,
                CircuitBreaker(settings.breaker_failures, settings.breaker_reset_seconds),
                pool_size=settings.pool_size,
                idle_seconds=settings.pool_idle_seconds,
            )
            for url in urls
        ]
        upstreams[service] = HttpUpstream(
            ReplicaSet(service, replicas[service]),
            connect_timeout=settings.connect_timeout,
            retries=settings.retries,
            metrics=metrics,
        )
    return upstreams, replicas


def create_app(
    upstreams: Mapping[str, WsgiApp] | None = None,
    settings: GatewaySettings | None = None,
    config: Mapping[str, Any] | None = None,
    demo_identities: list[dict[str, Any]] | None = None,
) -> Gateway:
    """The gateway: in-process WSGI `upstreams` (embedded mode) or the *_URL settings.

    `demo_identities` (embedded mode only) are offered by the web UI's sign-in page at
    `/auth/demo-identities`; they carry tokens, so never pass them in production.
    """
    settings = settings or GatewaySettings.from_env(config)
    configure_logging(settings.chassis.log_level, settings.chassis.log_json, service="gateway")
    metrics = GatewayMetrics()
    if upstreams is not None:
        unknown = set(upstreams) - set(UPSTREAMS)
        if unknown:
            raise ValueError(f"unknown services: {sorted(unknown)}")
        apps = dict(upstreams)
        return Gateway(
            settings, {s: WsgiUpstream(s, app) for s, app in apps.items()}, {}, apps, metrics, demo_identities
        )
    http_upstreams, replicas = _http_upstreams(settings, metrics)
    return Gateway(settings, http_upstreams, replicas, {}, metrics)
