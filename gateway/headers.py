"""Header rules of the edge: hop-by-hop, forwarding, tracing, security headers and CORS."""

from __future__ import annotations

import re
import secrets
import uuid
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

from services.chassis.observability import accept_request_id

Headers = list[tuple[str, str]]

# RFC 9110 §7.6.1 connection-specific fields, plus the obsolete ones still seen in the wild.
HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "proxy-connection",
        "te",
        "trailer",
        "trailers",
        "transfer-encoding",
        "upgrade",
    }
)
# Request headers the edge sets itself (never taken from the client as they are).
_EDGE_REQUEST = frozenset(
    {
        "host",
        "content-length",
        "expect",
        "x-request-id",
        "traceparent",
        "tracestate",
        "forwarded",
        "x-forwarded-for",
        "x-forwarded-proto",
        "x-forwarded-host",
        "x-forwarded-prefix",
    }
)
_TRACEPARENT = re.compile(r"^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$")

SECURITY_HEADERS: Headers = [
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    ("X-Frame-Options", "DENY"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), payment=(), geolocation=(self)"),
]
# The static web UI and the docs: same-origin scripts, styles and API calls only.
UI_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def ui_csp(oidc_issuer: str | None = None, tile_url: str | None = None) -> str:
    """The pages' policy; with OpenID Connect the browser also fetches the provider's discovery
    document and exchanges the code at its token endpoint (PKCE), so its origin joins connect-src;
    with a base map its tile hosts join img-src (nothing else)."""
    policy = UI_CSP
    if oidc_issuer:
        parts = urlsplit(oidc_issuer)
        policy = policy.replace("connect-src 'self'", f"connect-src 'self' {parts.scheme}://{parts.netloc}")
    if tile_url:
        parts = urlsplit(tile_url)
        host = parts.netloc.replace("{s}", "*")
        policy = policy.replace("img-src 'self' data:", f"img-src 'self' data: {parts.scheme}://{host}")
    return policy


# API answers are data, never documents to render.
API_CSP = "default-src 'none'; frame-ancestors 'none'; sandbox"
HSTS = ("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
# Response headers the edge sets itself or that the WSGI server writes.
_EDGE_RESPONSE = frozenset(
    {
        "x-request-id",
        "traceparent",
        "date",
        "server",
        "content-security-policy",
        *(name.lower() for name, _ in SECURITY_HEADERS),
    }
)


class Trace:
    """The request id and W3C trace context of one request."""

    __slots__ = ("request_id", "traceparent", "tracestate")

    def __init__(self, environ: Mapping[str, Any]) -> None:
        self.request_id = accept_request_id(environ.get("HTTP_X_REQUEST_ID"))
        incoming = environ.get("HTTP_TRACEPARENT")
        valid = incoming is not None and valid_traceparent(incoming)
        self.traceparent = incoming if valid else new_traceparent()
        state = environ.get("HTTP_TRACESTATE")
        self.tracestate = state if state and self.traceparent == incoming and len(state) <= 512 else None

    def headers(self) -> Headers:
        return [("X-Request-ID", self.request_id), ("traceparent", self.traceparent)]


def valid_traceparent(value: str) -> bool:
    """W3C Trace Context `traceparent` (version 00 rules; unknown versions kept if well-formed)."""
    match = _TRACEPARENT.match(value)
    if match is None:
        return False
    version, trace_id, parent_id, _ = match.groups()
    return version != "ff" and trace_id != "0" * 32 and parent_id != "0" * 16


def new_traceparent() -> str:
    return f"00-{uuid.uuid4().hex}-{secrets.token_hex(8)}-01"


def connection_tokens(value: str | None) -> frozenset[str]:
    """Header names listed in a `Connection` header (they are hop-by-hop too)."""
    if not value:
        return frozenset()
    return frozenset(token.strip().lower() for token in value.split(",") if token.strip())


def client_address(environ: Mapping[str, Any], trusted_proxies: int) -> str:
    """The caller's IP: the peer, or the address `trusted_proxies` hops back in X-Forwarded-For."""
    peer = environ.get("REMOTE_ADDR") or "unknown"
    if trusted_proxies <= 0:
        return peer
    chain = [part.strip() for part in environ.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    chain.append(peer)
    return chain[max(0, len(chain) - 1 - trusted_proxies)]


def upstream_request_headers(
    environ: Mapping[str, Any], trace: Trace, prefix: str, trusted_proxies: int
) -> Headers:
    """The headers sent to the service: end-to-end ones, forwarding and tracing set by us."""
    dropped = connection_tokens(environ.get("HTTP_CONNECTION"))
    headers: Headers = []
    for key, value in environ.items():
        if not key.startswith("HTTP_"):
            continue
        name = key[5:].replace("_", "-").lower()
        if name in HOP_BY_HOP or name in _EDGE_REQUEST or name in dropped:
            continue
        headers.append((name.title(), value))
    if environ.get("CONTENT_TYPE"):
        headers.append(("Content-Type", environ["CONTENT_TYPE"]))
    peer = environ.get("REMOTE_ADDR") or "unknown"
    forwarded_for = environ.get("HTTP_X_FORWARDED_FOR") if trusted_proxies > 0 else None
    proto = (environ.get("HTTP_X_FORWARDED_PROTO") if trusted_proxies > 0 else None) or environ.get(
        "wsgi.url_scheme", "http"
    )
    host = (
        (environ.get("HTTP_X_FORWARDED_HOST") if trusted_proxies > 0 else None)
        or environ.get("HTTP_HOST")
        or environ.get("SERVER_NAME", "")
    )
    headers.append(("X-Forwarded-For", f"{forwarded_for}, {peer}" if forwarded_for else peer))
    headers.append(("X-Forwarded-Proto", proto))
    headers.append(("X-Forwarded-Host", host))
    headers.append(("X-Forwarded-Prefix", prefix))
    headers.append(("X-Request-ID", trace.request_id))
    headers.append(("traceparent", trace.traceparent))
    if trace.tracestate:
        headers.append(("tracestate", trace.tracestate))
    return headers


def downstream_response_headers(headers: Iterable[tuple[str, str]]) -> Headers:
    """The service's response headers minus hop-by-hop ones and those the edge sets."""
    items = list(headers)
    dropped = connection_tokens(", ".join(v for k, v in items if k.lower() == "connection"))
    return [
        (k, v)
        for k, v in items
        if (lower := k.lower()) not in HOP_BY_HOP and lower not in _EDGE_RESPONSE and lower not in dropped
    ]


def edge_headers(trace: Trace, secure: bool, csp: str = API_CSP) -> Headers:
    """Tracing and security headers added to every answer of the gateway."""
    headers = [*trace.headers(), *SECURITY_HEADERS, ("Content-Security-Policy", csp)]
    if secure:
        headers.append(HSTS)
    return headers


ALLOWED_REQUEST_HEADERS = (
    "Authorization, Content-Type, Idempotency-Key, If-Match, If-None-Match, "
    "Last-Event-ID, X-Request-ID, traceparent, tracestate"
)
EXPOSED_HEADERS = (
    "X-Request-ID, traceparent, ETag, Location, Retry-After, Idempotent-Replayed, X-Pagination, Link, "
    "Content-Disposition"
)
ALLOWED_METHODS = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS"


class Cors:
    """CORS for the configured origins only (exact scheme://host[:port] matches)."""

    def __init__(self, origins: Iterable[str]) -> None:
        self.origins = frozenset(o.rstrip("/") for o in origins)

    def allows(self, origin: str | None) -> bool:
        return origin is not None and origin in self.origins

    @staticmethod
    def is_preflight(environ: Mapping[str, Any]) -> bool:
        return (
            environ.get("REQUEST_METHOD") == "OPTIONS"
            and "HTTP_ORIGIN" in environ
            and "HTTP_ACCESS_CONTROL_REQUEST_METHOD" in environ
        )

    def preflight_headers(self, origin: str) -> Headers:
        return [
            ("Access-Control-Allow-Origin", origin),
            ("Access-Control-Allow-Methods", ALLOWED_METHODS),
            ("Access-Control-Allow-Headers", ALLOWED_REQUEST_HEADERS),
            ("Access-Control-Max-Age", "600"),
            ("Vary", "Origin"),
            ("Content-Length", "0"),
        ]

    def response_headers(self, origin: str | None) -> Headers:
        if not self.origins or origin is None:
            return []
        if origin not in self.origins:
            return [("Vary", "Origin")]
        return [
            ("Access-Control-Allow-Origin", origin),
            ("Access-Control-Expose-Headers", EXPOSED_HEADERS),
            ("Vary", "Origin"),
        ]
