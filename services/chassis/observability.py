"""Request ids, JSON logs and Prometheus metrics."""

from __future__ import annotations

import contextlib
import contextvars
import json
import logging
import os
import re
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from flask import Flask, Response, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)

REQUEST_ID_HEADER = "X-Request-ID"
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:@/+=-]{1,128}$")
_request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
_service: contextvars.ContextVar[str | None] = contextvars.ContextVar("service", default=None)

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
_STANDARD_ATTRS = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {
    "message",
    "asctime",
    "request_id",
    "service",
}


@contextlib.contextmanager
def bind_request_id(request_id: str | None, service: str | None = None) -> Iterator[None]:
    """Make `request_id` appear in every log line written inside the block."""
    token = _request_id.set(request_id)
    service_token = _service.set(service) if service else None
    try:
        yield
    finally:
        _request_id.reset(token)
        if service_token is not None:
            _service.reset(service_token)


def accept_request_id(value: str | None) -> str:
    """The caller's request id if it is sane, else a fresh one."""
    if value and _VALID_REQUEST_ID.match(value):
        return value
    return uuid.uuid4().hex


class JsonFormatter(logging.Formatter):
    """One JSON object per line with time, level, logger, message, service and request id."""

    def __init__(self, service: str | None = None) -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "service": getattr(record, "service", None)
            or getattr(record, "_context_service", None)
            or self.service,
            "request_id": getattr(record, "request_id", None) or getattr(record, "_context_request_id", None),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD_ATTRS and not key.startswith("_"):
                line[key] = value if isinstance(value, (str, int, float, bool, type(None))) else str(value)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


_base_factory = logging.getLogRecordFactory()


def _record_with_context(*args: Any, **kwargs: Any) -> logging.LogRecord:
    record = _base_factory(*args, **kwargs)
    # Private names, so a caller's `extra={"request_id": ...}` still works and wins.
    record._context_request_id = _request_id.get()
    record._context_service = _service.get()
    return record


def configure_logging(level: str = "INFO", json_lines: bool = True, service: str | None = None) -> None:
    """Route the root logger to stderr as JSON lines (idempotent)."""
    logging.setLogRecordFactory(_record_with_context)
    root = logging.getLogger()
    handler = next((h for h in root.handlers if getattr(h, "_community", False)), None)
    if handler is None:
        handler = logging.StreamHandler(sys.stderr)
        handler._community = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    handler.setFormatter(
        JsonFormatter(service)
        if json_lines
        else logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")
    )
    if not json_lines:
        handler.addFilter(_RequestIdFilter())
    root.setLevel(level.upper())
    for noisy in ("kombu", "amqp", "urllib3", "werkzeug"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))


class _RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = getattr(record, "_context_request_id", None) or "-"
        return True


class HttpMetrics:
    """Request count and latency by route and status, in a registry of this app's own."""

    def __init__(self, service: str) -> None:
        self.service = service
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "http_requests_total",
            "HTTP requests handled",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "http_request_duration_seconds",
            "Time to produce a response",
            ["method", "route"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        self.requests.labels(method, route, str(status)).inc()
        self.latency.labels(method, route).observe(seconds)

    def render(self) -> Response:
        registry = self.registry
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry)
        return Response(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)


def install_request_tracking(app: Flask, service: str, metrics: HttpMetrics) -> None:
    """Request id in, out and in the logs; metrics for every request."""
    access = logging.getLogger(f"{service}.access")

    @app.before_request
    def _start() -> None:
        g.request_id = accept_request_id(request.headers.get(REQUEST_ID_HEADER))
        g.started = time.perf_counter()
        g.request_id_token = _request_id.set(g.request_id)
        g.service_token = _service.set(service)

    @app.after_request
    def _finish(response: Response) -> Response:
        request_id = g.get("request_id")
        if request_id:
            response.headers[REQUEST_ID_HEADER] = request_id
        traceparent = request.headers.get("traceparent")
        if traceparent:
            response.headers["traceparent"] = traceparent
        started = g.get("started")
        if started is not None:
            route = request.url_rule.rule if request.url_rule else "<unmatched>"
            elapsed = time.perf_counter() - started
            metrics.observe(request.method, route, response.status_code, elapsed)
            if access.isEnabledFor(logging.INFO):
                access.info(
                    "%s %s %s",
                    request.method,
                    route,
                    response.status_code,
                    extra={"status": response.status_code, "duration_ms": round(elapsed * 1000, 2)},
                )
        return response

    @app.teardown_request
    def _reset(_exc: BaseException | None) -> None:
        token = g.pop("request_id_token", None)
        if token is not None:
            _request_id.reset(token)
        service_token = g.pop("service_token", None)
        if service_token is not None:
            _service.reset(service_token)
