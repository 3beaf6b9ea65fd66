"""Prometheus metrics of the gateway: requests, per-upstream latency, status counts, breakers."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from services.chassis.observability import LATENCY_BUCKETS

if TYPE_CHECKING:
    from .upstreams import Replica


class _BreakerCollector(Collector):
    """Reports, at scrape time, which replicas are ejected (breaker open or failing health)."""

    def __init__(self, replicas: Callable[[], Iterable[Replica]]) -> None:
        self.replicas = replicas

    def collect(self) -> Iterator[GaugeMetricFamily]:
        family = GaugeMetricFamily(
            "gateway_upstream_available",
            "1 when the replica takes traffic, 0 when ejected",
            labels=["service", "replica"],
        )
        for replica in self.replicas():
            family.add_metric([replica.service, replica.base_url], 1.0 if replica.available else 0.0)
        yield family


class GatewayMetrics:
    """The gateway's own registry (multiprocess collector when PROMETHEUS_MULTIPROC_DIR is set)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "gateway_requests_total",
            "Requests answered by the gateway",
            ["route", "status"],
            registry=self.registry,
        )
        self.upstream_calls = Counter(
            "gateway_upstream_requests_total",
            "Calls to service replicas by outcome (HTTP status, connect_error, timeout, broken)",
            ["service", "replica", "outcome"],
            registry=self.registry,
        )
        self.upstream_latency = Histogram(
            "gateway_upstream_duration_seconds",
            "Time until a replica's response headers",
            ["service"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.rate_limited = Counter(
            "gateway_rate_limited_total", "Requests refused with 429", ["route_class"], registry=self.registry
        )
        self.stream_clients = Gauge(
            "gateway_event_stream_clients",
            "Open Server-Sent Events connections",
            registry=self.registry,
            multiprocess_mode="livesum",
        )
        self._children: dict[tuple[str, ...], Any] = {}
        self._replicas: Callable[[], Iterable[Replica]] = list
        self.registry.register(_BreakerCollector(lambda: self._replicas()))

    def watch_replicas(self, replicas: Callable[[], Iterable[Replica]]) -> None:
        self._replicas = replicas

    def request(self, route: str, status: int) -> None:
        key = ("r", route, str(status))
        child = self._children.get(key)
        if child is None:
            child = self._children[key] = self.requests.labels(route, str(status))
        child.inc()

    def upstream_call(self, replica: Replica, outcome: str, seconds: float) -> None:
        key = ("u", replica.service, replica.base_url, outcome)
        child = self._children.get(key)
        if child is None:
            child = self._children[key] = self.upstream_calls.labels(
                replica.service, replica.base_url, outcome
            )
        child.inc()
        latency_key = ("l", replica.service)
        histogram = self._children.get(latency_key)
        if histogram is None:
            histogram = self._children[latency_key] = self.upstream_latency.labels(replica.service)
        histogram.observe(seconds)

    def render(self) -> tuple[bytes, str]:
        registry = self.registry
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
