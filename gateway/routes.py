"""The routes the edge lets through without a token, and the route classes of rate limits.

This is the one place that says what is public at the edge. Every service checks the
token again, so listing a path here never makes it public by itself: it only stops the
gateway from refusing an anonymous call before the service has decided.
"""

from __future__ import annotations

import re

# (methods, pattern): `*` is one path segment, `**` any rest of the path (or nothing).
# Paths outside /api/ are the gateway's own: probes (/healthz, /readyz, /metrics) and the
# web UI (the portal at /, the console at /console/, the hall display at /display/<code>,
# assets under /static/): all public. Under /api/ only these are:
PUBLIC_ROUTES: tuple[tuple[frozenset[str], str], ...] = (
    # the merged API documentation
    (frozenset({"GET", "HEAD"}), "/api/docs"),
    (frozenset({"GET", "HEAD"}), "/api/openapi.json"),
    # each service's health and OpenAPI document
    (frozenset({"GET", "HEAD"}), "/api/*/healthz"),
    (frozenset({"GET", "HEAD"}), "/api/*/readyz"),
    (frozenset({"GET", "HEAD"}), "/api/*/openapi.json"),
    # the hall display (called tickets per window, no personal data)
    (frozenset({"GET", "HEAD"}), "/api/intake/display"),
    # change signals for pages (a community's queue changed; no event data): gateway/changes.py
    (frozenset({"GET"}), "/api/changes/stream"),
    # public geography: the grid cells and which cell holds a point
    (frozenset({"GET", "HEAD"}), "/api/grid/cells"),
    (frozenset({"GET", "HEAD"}), "/api/grid/cells/*"),
    # transparency: the OCDS publication of every purchase, contract and payment
    (frozenset({"GET", "HEAD"}), "/api/contracts/ocds/**"),
    # open data: the catalogue (a Data Package) and each service's monthly files
    (frozenset({"GET", "HEAD"}), "/api/datapackage.json"),
    (frozenset({"GET", "HEAD"}), "/api/*/open-data/**"),
    # public notices (公示) with objections and answers, and the autonomy fund's public page
    (frozenset({"GET", "HEAD"}), "/api/governance/notices"),
    (frozenset({"GET", "HEAD"}), "/api/governance/notices/*"),
    (frozenset({"GET", "HEAD"}), "/api/governance/fund/rounds"),
    (frozenset({"GET", "HEAD"}), "/api/governance/fund/rounds/*"),
    # Open311 GeoReport v2: reads, and posting a request with the spec's api_key (grid
    # checks the key; an Open311 client sends no bearer token)
    (frozenset({"GET", "HEAD"}), "/api/grid/open311/v2/**"),
    (frozenset({"POST"}), "/api/grid/open311/v2/requests.*"),
)


EVENT_STREAM_PATH = "/api/events/stream"
CHANGE_STREAM_PATH = "/api/changes/stream"
STREAM_PATHS = frozenset({EVENT_STREAM_PATH, CHANGE_STREAM_PATH})
# Who may read the event stream: departments, and those who oversee all of them.
EVENT_STREAM_ROLES = ("department", "subdistrict_officer", "admin")

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})


def _regex(pattern: str) -> str:
    parts = []
    for segment in pattern.strip("/").split("/"):
        if segment == "**":
            parts.append(r"(?:/.*)?")
        elif segment == "*":
            parts.append(r"/[^/]+")
        elif "*" in segment:  # e.g. requests.* (any format)
            parts.append("/" + re.escape(segment).replace(r"\*", r"[^/]+"))
        elif segment:
            parts.append("/" + re.escape(segment))
    return "".join(parts) or "/"


def _compile(routes: tuple[tuple[frozenset[str], str], ...]) -> dict[str, re.Pattern[str]]:
    by_method: dict[str, list[str]] = {}
    for methods, pattern in routes:
        for method in methods:
            by_method.setdefault(method, []).append(_regex(pattern))
    return {m: re.compile("^(?:" + "|".join(p) + ")$") for m, p in by_method.items()}


_PUBLIC = _compile(PUBLIC_ROUTES)


def is_public(method: str, path: str) -> bool:
    """True when the edge lets `method path` through without a token."""
    if method == "OPTIONS" or not path.startswith("/api/"):
        return True
    pattern = _PUBLIC.get(method)
    return pattern is not None and pattern.match(path) is not None


ANONYMOUS = "anonymous"
"""The route class of calls without a token, limited per client IP (failed sign-ins too)."""


def route_class(method: str, path: str, authenticated: bool) -> str | None:
    """The rate-limit class of a request, or None (the gateway's own pages and probes)."""
    if not path.startswith("/api/"):
        return None
    if path in STREAM_PATHS:  # opening a stream, with a token or not
        return "stream"
    if not authenticated:
        return ANONYMOUS
    return "read" if method in SAFE_METHODS else "write"
