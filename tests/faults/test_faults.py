"""Faults injected into the local stack under load: nothing lost, nothing applied twice,
no server error from a service whose own dependencies were up, and recovery by itself.

The stack runs two web processes and two workers per service and two gateways; its
processes reach RabbitMQ, and grid its database, through fault proxies (the shared
servers are never stopped). At known times: the broker is unreachable for 30 s, grid's
database for 60 s, a worker and a gunicorn master are SIGKILLed, a gateway restarts.
Then the load stops, the stack drains, and the services' databases are compared. Each
fault's recovery is printed: from the fault's end to the first success on the routes it
touched, and to every outbox empty, against the 3 s goal (a measurement for
docs/performance.md; the suite fails only when a fault is not recovered from within
30 s). `make faults` runs it (not part of `make test`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest

from deploy.stack import Stack, StackConfig
from tests.e2e.community_setup import Community, set_up_cell, set_up_desk
from tests.e2e.gateway_client import Gateway
from tests.support import environment
from tests.support.proxied_stack import ProxiedStack
from tests.support.tcp_proxy import TcpProxy

from . import consistency
from .load import Client, Recorder, probe, refer_hazards

pytestmark = [pytest.mark.faults, pytest.mark.postgres, pytest.mark.rabbitmq]
# Issue 24's goal, printed against each fault and recorded in docs/performance.md (a
# measurement, not a timed assertion: how long a backlog takes depends on how fast the
# load filled it and on what else the two cores do). The suite asserts what must hold on
# any machine: the stack recovers from each fault by itself, within RECOVERY_LIMIT_SECONDS.
RECOVERY_GOAL_SECONDS = 3.0
RECOVERY_LIMIT_SECONDS = 30.0


@dataclass
class Fault:
    name: str
    started: float
    ended: float
    services: tuple[str, ...]  # the routes it may fail (its own dependency is away)
    first_success: float | None = None
    outbox_empty: float | None = None


@pytest.fixture(scope="module")
def proxies() -> Iterator[tuple[TcpProxy, TcpProxy]]:
    broker = urlsplit(environment.amqp_base_url())
    database = urlsplit(environment.postgres_admin_url())
    amqp = TcpProxy(broker.hostname or "127.0.0.1", broker.port or 5672)
    postgres = TcpProxy(database.hostname or "127.0.0.1", database.port or 5432)
    yield amqp, postgres
    amqp.close()
    postgres.close()


@pytest.fixture(scope="module")
def stack(rabbit_vhost, proxies, tmp_path_factory) -> Iterator[ProxiedStack]:
    environment.need("postgres")
    amqp, postgres = proxies
    config = StackConfig(
        postgres_url=environment.postgres_admin_url(),
        amqp_url=amqp.url_for(rabbit_vhost.url),
        service_port_base=0,
        gateway_port=0,
        database_prefix=f"faults_{int(time.time())}_",
        data_dir=tmp_path_factory.mktemp("fault-stack"),
        bus_namespace=f"faults{int(time.time())}",
        drop_databases_on_stop=True,
        replicas=2,
        extra_env={"RATE_LIMITS_ENABLED": "false"},  # the load is one client: measure faults, not quotas
    )
    running = ProxiedStack(config, postgres, services=("grid",))
    try:
        running.start()
        running.wait_ready(timeout=240)
        yield running
    finally:
        running.stop()


def test_faults_under_load_lose_nothing_and_recover_quickly(stack, proxies, rabbit_vhost, capsys):
    amqp, postgres = proxies
    gateway = Gateway(stack.gateway_urls[0])
    communities = [Community(code, stack) for code in ("shuiwan", "huaguoshan")]
    for community in communities:
        set_up_desk(gateway, community)
        set_up_cell(gateway, community)
    recorder = Recorder()
    client = Client(stack.gateway_urls, recorder)
    stop = threading.Event()
    drained: list[float] = []  # times at which every outbox was empty
    samples: list[tuple[float, dict[str, int]]] = []  # unsent rows per service
    workers = [threading.Thread(target=refer_hazards, args=(client, c, stop, 0.05)) for c in communities]
    workers.append(threading.Thread(target=probe, args=(client, communities[0], stop, 0.1)))
    workers.append(threading.Thread(target=watch_outboxes, args=(stack, stop, drained, samples)))
    for thread in workers:
        thread.start()
    faults: list[Fault] = []
    try:
        time.sleep(8)
        faults.append(outage("broker unreachable 30 s", 30, amqp.cut, amqp.restore, ()))
        time.sleep(12)
        faults.append(outage("grid database unreachable 60 s", 60, postgres.cut, postgres.restore, ("grid",)))
        time.sleep(12)
        faults.append(instant("grid worker SIGKILLed", lambda: stack.crash("grid-worker"), ("grid",)))
        time.sleep(10)
        faults.append(
            instant("intake gunicorn master SIGKILLed", lambda: stack.crash("intake-web"), ("intake",))
        )
        time.sleep(10)
        faults.append(instant("gateway restarted", lambda: stack.restart("gateway"), ()))
        time.sleep(10)
    finally:
        stop.set()
        for thread in workers:
            thread.join(60)
    namespace = stack.config.bus_namespace
    quiet = consistency.wait_until_quiet(stack.database_urls, rabbit_vhost.url, namespace)
    answers = recorder.snapshot()
    for fault in faults:
        fault.first_success = next(
            (a.at for a in answers if a.at >= fault.ended and 200 <= a.status < 300 and touches(a, fault)),
            None,
        )
        fault.outbox_empty = next((t for t in drained if t >= fault.ended), None)
    server_errors = [a for a in answers if a.status >= 500 and not excused(a, faults)]
    with capsys.disabled():
        print(report(faults, answers, stack, samples))
    assert quiet, "the stack did not drain within 120 s"
    assert consistency.problems(stack.database_urls, rabbit_vhost.url, namespace) == []
    assert server_errors == []
    assert sum(1 for a in answers if a.status == 201) > 100, "too little load to judge"
    for fault in faults:
        assert fault.first_success is not None and fault.outbox_empty is not None, fault
        assert fault.first_success - fault.ended < RECOVERY_LIMIT_SECONDS, fault
        assert fault.outbox_empty - fault.ended < RECOVERY_LIMIT_SECONDS, fault


def outage(
    name: str, seconds: float, cut: Callable[[], None], restore: Callable[[], None], services: tuple[str, ...]
) -> Fault:
    started = time.monotonic()
    cut()
    time.sleep(seconds)
    restore()
    return Fault(name, started, time.monotonic(), services)


def instant(name: str, act: Callable[[], Any], services: tuple[str, ...]) -> Fault:
    started = time.monotonic()
    act()
    return Fault(name, started, time.monotonic(), services)


def excused(answer: Any, faults: list[Fault]) -> bool:
    """A server error from a service on a request that was in flight while its own dependency was away."""
    return any(
        answer.sent <= f.ended and answer.at >= f.started and answer.service in f.services for f in faults
    )


def touches(answer: Any, fault: Fault) -> bool:
    """An answer on the routes the fault touched (any route when it touched no service's)."""
    return not fault.services or answer.service in fault.services


def watch_outboxes(
    stack: Stack, stop: threading.Event, drained: list[float], samples: list[tuple[float, dict[str, int]]]
) -> None:
    watch = consistency.OutboxWatch(stack.database_urls)
    try:
        while not stop.is_set():
            try:
                counts = watch.unsent_by_service()
                now = time.monotonic()
                samples.append((now, counts))
                if not any(counts.values()):
                    drained.append(now)
            except Exception:  # noqa: S110 - a direct read that failed is just not a sample
                pass
            time.sleep(0.02)
    finally:
        watch.close()


def report(
    faults: list[Fault], answers: list[Any], stack: Stack, samples: list[tuple[float, dict[str, int]]]
) -> str:
    lines = [
        "",
        f"fault recovery (from the fault's end; goal {RECOVERY_GOAL_SECONDS:.0f} s)"
        "   first success   outbox empty",
    ]
    origin = faults[0].started if faults else 0.0
    for fault in faults:
        first = f"{fault.first_success - fault.ended:8.2f} s" if fault.first_success else "   never"
        empty = f"{fault.outbox_empty - fault.ended:8.2f} s" if fault.outbox_empty else "   never"
        worst = max(
            (t - fault.ended for t in (fault.first_success, fault.outbox_empty) if t), default=float("inf")
        )
        verdict = "" if worst < RECOVERY_GOAL_SECONDS else "   over the goal"
        lines.append(f"  {fault.name:<45} {first}     {empty}{verdict}")
        lines.append(
            f"    at {fault.started - origin:.1f}–{fault.ended - origin:.1f} s; unsent at its end, then:"
        )
        until, shown = fault.outbox_empty or fault.ended + 6, float("-inf")
        for at, counts in samples:  # about one line per 0.2 s, and the sample that found it empty
            if fault.ended - 0.2 <= at <= until and (at - shown >= 0.2 or at == until):
                lines.append(f"      +{at - fault.ended:5.2f} s {counts}")
                shown = at
    for answer in answers:
        if answer.status == 0 or (answer.status >= 500 and not excused(answer, faults)):
            lines.append(
                f"  {answer.status} {answer.problem} {answer.method} {answer.service}"
                f" at {answer.at - origin:.2f} s"
            )
    by_status: dict[int, int] = {}
    for answer in answers:
        by_status[answer.status] = by_status.get(answer.status, 0) + 1
    lines.append(f"answers by status: {dict(sorted(by_status.items()))}")
    lines.append(f"supervised restarts: {[name for _, name, _ in stack.restarts]}")
    return "\n".join(lines)
