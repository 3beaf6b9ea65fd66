"""Readiness of the upstreams: probed in the background (ejection) and aggregated for /readyz."""

from __future__ import annotations

import http.client
import logging
import os
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from werkzeug.test import EnvironBuilder, run_wsgi_app

from .upstreams import Replica

log = logging.getLogger("gateway.health")
WsgiApp = Callable[..., Iterable[bytes]]


def probe_replica(replica: Replica, timeout: float) -> str:
    """GET the replica's /readyz: 'ok', or why not. Marks the replica healthy or ejected."""
    connection = None
    try:
        connection = http.client.HTTPConnection(replica.host, replica.port, timeout=timeout)
        connection.request("GET", replica.path_prefix + "/readyz", headers={"Host": replica.netloc})
        response = connection.getresponse()
        response.read()
        outcome = "ok" if response.status == 200 else f"HTTP {response.status}"
    except (OSError, http.client.HTTPException) as exc:
        outcome = type(exc).__name__
    finally:
        if connection is not None:
            connection.close()
    was_healthy, replica.healthy = replica.healthy, outcome == "ok"
    if was_healthy != replica.healthy:
        log.warning("%s is %s (%s)", replica, "back" if replica.healthy else "ejected", outcome)
    return outcome


def probe_app(app: WsgiApp) -> str:
    """Call an in-process service's /readyz."""
    try:
        body, status, _ = run_wsgi_app(app, EnvironBuilder(path="/readyz").get_environ())
        if hasattr(body, "close"):
            body.close()
        return "ok" if status.startswith("200") else f"HTTP {status.split()[0]}"
    except Exception as exc:  # an app that cannot even answer is not ready
        return type(exc).__name__


class Readiness:
    """Every upstream's /readyz, probed in parallel, cached for a few seconds."""

    def __init__(
        self,
        replicas: Mapping[str, list[Replica]],
        apps: Mapping[str, WsgiApp],
        cache_seconds: float,
        timeout: float,
        interval: float,
    ) -> None:
        self.replicas = replicas
        self.apps = apps
        self.cache_seconds = cache_seconds
        self.timeout = timeout
        self.interval = interval
        self._lock = threading.Lock()
        self._checked_at = -1e9
        self._report: dict[str, Any] = {}
        self._pid: int | None = None

    def report(self) -> dict[str, Any]:
        """The last report, refreshed when older than the cache time."""
        with self._lock:
            if time.monotonic() - self._checked_at > self.cache_seconds:
                self._report = self._probe_all()
                self._checked_at = time.monotonic()
            return self._report

    def _probe_all(self) -> dict[str, Any]:
        outcomes: dict[str, str] = {}
        threads = []
        for replicas in self.replicas.values():
            for replica in replicas:
                thread = threading.Thread(
                    target=lambda r=replica: outcomes.__setitem__(r.base_url, probe_replica(r, self.timeout)),
                    daemon=True,
                )
                thread.start()
                threads.append(thread)
        for service, app in self.apps.items():
            outcomes[f"in-process:{service}"] = probe_app(app)
        deadline = time.monotonic() + self.timeout + 0.5
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        checks: dict[str, str] = {}
        details: dict[str, dict[str, str]] = {}
        for service, replicas in self.replicas.items():
            states = {r.base_url: outcomes.get(r.base_url, "timeout") for r in replicas}
            details[service] = states
            ready = sum(1 for s in states.values() if s == "ok")
            checks[service] = "ok" if ready else f"0 of {len(replicas)} replicas ready"
        for service in self.apps:
            checks[service] = outcomes[f"in-process:{service}"]
        ready = all(v == "ok" for v in checks.values())
        return {
            "status": "ready" if ready else "not-ready",
            "service": "gateway",
            "checks": checks,
            "replicas": details,
        }

    def start_background(self) -> None:
        """Probe every `interval` seconds in this process, ejecting replicas that fail."""
        if self.interval <= 0 or not self.replicas or self._pid == os.getpid():
            return
        self._pid = os.getpid()
        threading.Thread(target=self._loop, name="gateway-health", daemon=True).start()

    def _loop(self) -> None:
        while True:
            time.sleep(self.interval)
            try:
                self.report()
            except Exception:  # never let the prober die
                log.exception("health probe failed")
