"""The Kubernetes probes, called as the kubelet calls them, through a broker and a database outage.

The probe settings (path, period, timeout, failure threshold) are read from
deploy/k8s/base. A kubelet marks a pod NotReady after `failureThreshold` consecutive
failed probes, one every `periodSeconds`; here each outage lasts long enough for
`2 × failureThreshold` probes, which are made one after the other (no clock involved:
each answer depends on the outage, not on the time).
"""

from __future__ import annotations

import http.client
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from deploy.registry import SERVICES
from tests.support.fixtures import TcpProxy
from tests.support.helpers import bearer
from tests.unit.gateway.support import UpstreamServer, http_gateway

pytestmark = [pytest.mark.postgres, pytest.mark.rabbitmq]
K8S_BASE = Path(__file__).resolve().parents[2] / "deploy" / "k8s" / "base"


@dataclass(frozen=True)
class Probe:
    path: str
    period: float
    timeout: float
    failure_threshold: int


def readiness_probe(manifest: str, container: str) -> Probe:
    """The readinessProbe of `container` in the Deployment of `manifest`."""
    for document in yaml.safe_load_all((K8S_BASE / manifest).read_text()):
        if not document or document.get("kind") != "Deployment":
            continue
        for spec in document["spec"]["template"]["spec"]["containers"]:
            if spec["name"] == container and "httpGet" in spec.get("readinessProbe", {}):
                probe = spec["readinessProbe"]
                return Probe(
                    probe["httpGet"]["path"],
                    float(probe.get("periodSeconds", 10)),
                    float(probe.get("timeoutSeconds", 1)),
                    int(probe.get("failureThreshold", 3)),
                )
    raise AssertionError(f"no HTTP readinessProbe for {container} in {manifest}")


def stays_ready(base_url: str, probe: Probe) -> bool:
    """The kubelet's verdict over 2 × failureThreshold periods: never that many failures in a row."""
    parsed = urlsplit(base_url)
    failures = 0
    for _ in range(2 * probe.failure_threshold):
        connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=probe.timeout)
        try:
            connection.request("GET", probe.path)
            ok = 200 <= connection.getresponse().status < 400  # the kubelet's success range
        except OSError:
            ok = False
        finally:
            connection.close()
        failures = 0 if ok else failures + 1
        if failures >= probe.failure_threshold:
            return False
    return True


@pytest.fixture
def platform(service, postgres_databases, amqp_url, key_dir, tmp_path) -> Any:
    """Every service's web app over HTTP on PostgreSQL, the broker and grid's database behind
    proxies, and the gateway in front: (servers by service, gateway server, broker, grid db)."""
    broker = TcpProxy(urlsplit(amqp_url).hostname or "127.0.0.1", urlsplit(amqp_url).port or 5672)
    grid_url = postgres_databases.fresh("grid")
    grid_db = TcpProxy(urlsplit(grid_url).hostname or "127.0.0.1", urlsplit(grid_url).port or 5432)
    servers = {}
    for name in SERVICES:
        overrides = {"database_url": grid_db.url_for(grid_url)} if name == "grid" else {}
        backend = "sqlite" if name == "grid" else "postgres"
        harness = service(name, backend=backend, amqp_url=broker.url_for(amqp_url), **overrides)
        servers[name] = UpstreamServer(harness.app)
    urls = {name: (server.url,) for name, server in servers.items()}
    gateway = UpstreamServer(http_gateway(key_dir, tmp_path, urls, readyz_cache_seconds=0))
    yield servers, gateway, broker, grid_db
    gateway.stop()
    for server in servers.values():
        server.stop()
    broker.close()
    grid_db.close()


def test_a_broker_outage_leaves_every_web_pod_and_the_gateway_ready(platform):
    servers, gateway, broker, _ = platform
    broker.cut()
    for name, server in servers.items():
        assert stays_ready(server.url, readiness_probe(f"{name}.yaml", "web")), name
    assert stays_ready(gateway.url, readiness_probe("gateway.yaml", "web"))


def test_a_grid_database_outage_leaves_intake_reachable_through_the_gateway(platform, token):
    servers, gateway, _, grid_db = platform
    grid_db.cut()
    assert not stays_ready(servers["grid"].url, readiness_probe("grid.yaml", "web"))  # grid's own pods
    assert stays_ready(servers["intake"].url, readiness_probe("intake.yaml", "web"))
    assert stays_ready(gateway.url, readiness_probe("gateway.yaml", "web"))
    staff = bearer(token("center_staff"))
    parsed = urlsplit(gateway.url)
    for path, expected in (
        ("/api/intake/windows?community=huaguoshan", 200),
        ("/api/grid/cases?community=huaguoshan", 503),
    ):
        connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=10)
        connection.request("GET", path, headers=staff)
        response = connection.getresponse()
        body = response.read()
        connection.close()
        assert response.status == expected, (path, body)
