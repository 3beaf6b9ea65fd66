"""Checking an incoming request's shape and turning it into what goes to the service."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from .forward import ProxyRequest
from .headers import Trace, upstream_request_headers
from .problems import EdgeProblem
from .settings import GatewaySettings

_PATH_SAFE = "/:@!$&'()*+,;=-._~"


def check_request_shape(environ: dict[str, Any], path: str, settings: GatewaySettings) -> None:
    """Refuse oversized headers (431), dot segments in the path (400) and big bodies (413)."""
    count = 0
    size = 0
    for key, value in environ.items():
        if key.startswith("HTTP_"):
            count += 1
            size += len(key) + len(value)
    if count > settings.max_header_count or size > settings.max_header_bytes:
        raise EdgeProblem(
            431,
            f"The request headers are too large (at most "
            f"{settings.max_header_count} fields and "
            f"{settings.max_header_bytes} bytes).",
            type_="headers-too-large",
        )
    if "/." in path and any(seg in (".", "..") for seg in path.split("/")):
        raise EdgeProblem(400, "The path may not contain '.' or '..' segments.", type_="bad-path")
    length = environ.get("CONTENT_LENGTH")
    if length:
        if not (length.isascii() and length.isdigit()):  # RFC 9110 §8.6: 1*DIGIT, no sign
            raise EdgeProblem(400, "Content-Length is not a number.", type_="bad-request")
        declared = int(length)
        if declared > settings.max_body_bytes:
            raise EdgeProblem(
                413,
                f"The request body is larger than {settings.max_body_bytes} bytes.",
                type_="body-too-large",
            )


def read_body(environ: dict[str, Any], limit: int) -> bytes:
    """The whole request body (bounded by `limit`), for Content-Length or chunked requests."""
    stream = environ.get("wsgi.input")
    if stream is None:
        return b""
    length = environ.get("CONTENT_LENGTH")
    if length:
        expected = int(length)
        data = stream.read(expected) if expected else b""
        if len(data) < expected:
            raise EdgeProblem(
                400, "The request body is shorter than its Content-Length.", type_="bad-request"
            )
        return data
    chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
    if not chunked and not environ.get("wsgi.input_terminated"):
        return b""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise EdgeProblem(413, f"The request body is larger than {limit} bytes.", type_="body-too-large")
    return data


def _target(environ: dict[str, Any], prefix: str, path_info: str) -> str:
    """The request target for the service: the client's raw path minus the prefix, and query."""
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI") or ""
    raw_path = raw.partition("?")[0]
    if raw_path.startswith(prefix + "/") or raw_path == prefix:
        target = raw_path[len(prefix) :] or "/"
    else:
        target = quote(path_info.encode("latin-1"), safe=_PATH_SAFE)
    query = environ.get("QUERY_STRING")
    return f"{target}?{query}" if query else target


def build_proxy_request(
    environ: dict[str, Any], service: str, settings: GatewaySettings, trace: Trace
) -> ProxyRequest:
    """The ProxyRequest for `/api/<service>/...` with the prefix stripped."""
    prefix = f"/api/{service}"
    path = environ.get("PATH_INFO") or "/"
    path_info = path[len(prefix) :] or "/"
    return ProxyRequest(
        service=service,
        method=environ.get("REQUEST_METHOD", "GET"),
        target=_target(environ, prefix, path_info),
        path_info=path_info,
        query_string=environ.get("QUERY_STRING", ""),
        headers=upstream_request_headers(environ, trace, prefix, settings.trusted_proxies),
        body=read_body(environ, settings.max_body_bytes),
        read_timeout=settings.read_timeout_for(path),
    )
