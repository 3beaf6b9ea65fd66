"""The soak: the Nanshan load for 30 minutes with faults at known times, then the checks.

    python bench/load/soak.py [--communities 100] [--minutes 30] [--out var/soak]

The local stack of `bench/load/run.py` (gunicorn, a worker per service, the gateway,
this machine's RabbitMQ and PostgreSQL), with every process's broker connection and
every service's database connections through fault proxies (`tests/support/tcp_proxy.py`:
the shared servers, which other users of the machine share, are never stopped — a cut
proxy is what a stopped server is to its clients: connections reset, new ones refused).
At fixed fractions of the run:

    20 %  grid's worker SIGKILLed (the supervisor restarts it)
    33 %  one of intake's gunicorn workers SIGKILLed (its master forks another)
    47 %  RabbitMQ unreachable for 30 s
    63 %  PostgreSQL "restarted": every service's database connections dropped and
          refused for 5 s
    80 %  the gateway restarted

Afterwards, once every outbox is sent and every queue empty: the cross-service checks of
the fault suite (referrals against grid's cases, every published event applied once by
each consumer, evaluation's read model against tickets and cases, no message left in
any queue or dead-letter queue), each department stream's deliveries (stream ids in
order, none twice, none missing across reconnects), memory of every process at the end
against its level after warm-up (13 %), and every failed request placed in a fault's
window. Writes `soak.md` and `soak.json` into --out and prints the report.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import psutil  # noqa: E402

from bench.load.run import LoadRun, consumer_lags, locust_operations, percentile, stack_config  # noqa: E402
from deploy.stack import Stack  # noqa: E402
from tests.faults import consistency  # noqa: E402
from tests.support import environment  # noqa: E402
from tests.support.proxied_stack import ProxiedStack  # noqa: E402
from tests.support.tcp_proxy import TcpProxy  # noqa: E402

WARM_UP = 0.13  # memory is compared against its level at this fraction of the run
GROWTH_LIMIT = 1.10  # the 10 %
ERROR_WINDOW_GRACE = 30.0  # seconds after a fault's end in which its errors are its own


@dataclass
class Fault:
    name: str
    at_fraction: float
    seconds: float  # how long the dependency is away (0: an instant fault)
    started: float = 0.0  # unix time
    ended: float = 0.0
    detail: str = ""
    errors: list[tuple[float, str, str]] = field(default_factory=list)


def kill_gunicorn_worker(stack: Stack, name: str = "intake-web") -> str:
    master = psutil.Process(stack.children[name].process.pid)
    worker = master.children()[0]
    os.kill(worker.pid, signal.SIGKILL)
    return f"pid {worker.pid} of master {master.pid}"


def schedule(stack: Stack, amqp: TcpProxy, database: TcpProxy) -> list[tuple[Fault, Callable[[], Any]]]:
    def outage(proxy: TcpProxy, seconds: float) -> Callable[[], str]:
        def act() -> str:
            proxy.cut()
            time.sleep(seconds)
            proxy.restore()
            return ""

        return act

    return [
        (Fault("grid worker SIGKILLed", 0.20, 0), lambda: f"pid {stack.crash('grid-worker')}"),
        (Fault("intake gunicorn worker SIGKILLed", 0.33, 0), lambda: kill_gunicorn_worker(stack)),
        (Fault("RabbitMQ unreachable 30 s", 0.47, 30), outage(amqp, 30)),
        (Fault("PostgreSQL restarted (connections dropped, refused 5 s)", 0.63, 5), outage(database, 5)),
        (Fault("gateway restarted", 0.80, 0), lambda: f"pid {stack.restart('gateway')}"),
    ]


def inject(run: LoadRun, faults: list[tuple[Fault, Callable[[], Any]]], seconds: float) -> None:
    for fault, act in faults:
        time.sleep(max(0.0, run.started + fault.at_fraction * seconds - time.time()))
        fault.started = time.time()
        fault.detail = act() or ""
        fault.ended = time.time()
        print(f"{fault.started - run.started:7.1f} s  {fault.name} {fault.detail}", flush=True)


def place_errors(faults: list[Fault], failures: list[tuple[float, str, str]]) -> list[tuple[float, str, str]]:
    """Each failure to the latest fault begun before it, when within that fault's window
    (its time and ERROR_WINDOW_GRACE after); the failures outside every window."""
    outside = []
    for failure in failures:
        began = [f for f in faults if f.started - 1 <= failure[0]]
        owner = began[-1] if began and failure[0] <= began[-1].ended + ERROR_WINDOW_GRACE else None
        (owner.errors if owner else outside).append(failure)
    return outside


def department_check(deliveries: list[tuple[float, str, str, str]]) -> dict[str, Any]:
    """Per department reader: stream ids delivered in order, none twice, none skipped."""
    by_reader: dict[str, list[int]] = defaultdict(list)
    for _, _, offset, reader in deliveries:
        by_reader[reader].append(int(offset))
    readers = {}
    for reader, offsets in by_reader.items():
        span = offsets[-1] - offsets[0] + 1
        readers[reader] = {
            "delivered": len(offsets),
            "span": span,
            "twice": len(offsets) - len(set(offsets)),
            "out_of_order": sum(1 for a, b in zip(offsets, offsets[1:], strict=False) if b <= a),
            "missing": span - len(set(offsets)),
        }
    return readers


def tallies(database_urls: dict[str, str]) -> dict[str, int]:
    """What the run left in the services' databases (the numbers behind the checks)."""
    queries = {
        "tickets": ("intake", "SELECT count(*) FROM tickets"),
        "tickets completed": ("intake", "SELECT count(*) FROM tickets WHERE status = 'completed'"),
        "intake cases": ("intake", "SELECT count(*) FROM cases"),
        "referred to grid": ("intake", "SELECT count(*) FROM cases WHERE referral_target = 'grid'"),
        "grid cases": ("grid", "SELECT count(*) FROM cases"),
        "grid cases from intake": ("grid", "SELECT count(*) FROM cases WHERE source = 'intake'"),
        "inspections": ("grid", "SELECT count(*) FROM inspections"),
        "evaluation ticket facts": ("evaluation", "SELECT count(*) FROM metric_tickets"),
        "evaluation case facts": ("evaluation", "SELECT count(*) FROM metric_cases"),
    }
    counts = {name: consistency.rows(database_urls[db], sql)[0][0] for name, (db, sql) in queries.items()}
    counts["events published"] = sum(
        consistency.rows(url, "SELECT count(*) FROM outbox")[0][0] for url in database_urls.values()
    )
    counts["events applied (inbox rows)"] = sum(
        consistency.rows(url, "SELECT count(*) FROM inbox")[0][0] for url in database_urls.values()
    )
    return counts


def memory(samples: list[dict[str, Any]], started_monotonic: float, seconds: float) -> dict[str, Any]:
    """RSS per process after warm-up and at the end (MB), and the ratio."""
    warm_at = started_monotonic + WARM_UP * seconds
    warm = next((s for s in samples if s["at"] >= warm_at), samples[0])
    last = samples[-1]
    table = {}
    for name, rss in last["rss"].items():
        if name in warm["rss"] and name != "locust":
            table[name] = {
                "warm_mb": warm["rss"][name] / 2**20,
                "end_mb": rss / 2**20,
                "ratio": rss / warm["rss"][name],
            }
    return table


def soak(communities: int, minutes: float, out: Path) -> dict[str, Any]:
    namespace = f"soak{uuid.uuid4().hex[:6]}"
    broker, server = urlsplit(environment.amqp_base_url()), urlsplit(environment.postgres_admin_url())
    amqp = TcpProxy(broker.hostname or "127.0.0.1", broker.port or 5672)
    database = TcpProxy(server.hostname or "127.0.0.1", server.port or 5432)
    seconds = minutes * 60
    vhost = environment.RabbitVhost()  # the soak's own, deleted after it
    config = stack_config(namespace, amqp.url_for(vhost.url))
    direct_amqp = vhost.url
    try:
        with ProxiedStack(config, database) as stack:
            stack.wait_ready(timeout=240)
            run = LoadRun(stack, communities, minutes, out, observe=direct_amqp)
            run.start()
            started_monotonic = time.monotonic()
            faults = schedule(stack, amqp, database)
            inject(run, faults, seconds)
            run.finish()
            quiet = consistency.wait_until_quiet(stack.database_urls, direct_amqp, namespace, timeout=300)
            problems = consistency.problems(stack.database_urls, direct_amqp, namespace)
            counts = tallies(stack.database_urls)
            lags = consumer_lags(stack.database_urls)
            restarts = [name for _, name, _ in stack.restarts]
    finally:
        amqp.close()
        database.close()
        vhost.delete()
    deliveries = run.department_deliveries()
    outside = place_errors([f for f, _ in faults], run.failures())
    return {
        "communities": communities,
        "minutes": minutes,
        "quiet": quiet,
        "problems": problems,
        "counts": counts,
        "faults": [asdict(f) | {"at": f.started - run.started} for f, _ in faults],
        "errors_outside_faults": outside,
        "departments": department_check(deliveries),
        "department_lag": {"p50": percentile([d[0] for d in deliveries], 50),
                           "p99": percentile([d[0] for d in deliveries], 99)},
        "consumer_lag": {"count": len(lags), "p50": percentile(lags, 50), "p99": percentile(lags, 99)},
        "memory": memory(run.sampler.samples, started_monotonic, seconds),
        "restarts": restarts,
        "operations": locust_operations(run.folder),
        "retries": run.retries(),
    }  # fmt: skip


def report(result: dict[str, Any]) -> str:
    departments = result["departments"]
    department_ok = bool(departments) and all(
        r["twice"] == 0 and r["missing"] == 0 and r["out_of_order"] == 0 for r in departments.values()
    )
    grown = {k: v for k, v in result["memory"].items() if v["ratio"] > GROWTH_LIMIT}
    checks = {
        "the stack drained (every outbox sent, every queue empty)": result["quiet"],
        "cross-service consistency (no problem found)": not result["problems"],
        "each department stream: nothing missing, nothing twice, in order": department_ok,
        f"memory at the end within {GROWTH_LIMIT - 1:.0%} of its level after warm-up": not grown,
        "every failed request inside a fault's window": not result["errors_outside_faults"],
    }
    lines = [
        f"# Soak: {result['communities']} communities, {result['minutes']:.0f} min, five faults",
        "",
        "| check | result |",
        "|---|---|",
        *[f"| {name} | {'passed' if ok else 'FAILED'} |" for name, ok in checks.items()],
        "",
        "Numbers behind the checks: "
        + ", ".join(f"{name} {count}" for name, count in result["counts"].items())
        + (f". Problems: {result['problems']}" if result["problems"] else "."),
        "",
        "| fault | at | lasted | failed requests | errors lasted (first → last failure) |",
        "|---|---|---|---|---|",
    ]
    for fault in result["faults"]:
        errors = fault["errors"]
        span = (
            f"{errors[0][0] - fault['started']:+.1f} s → {errors[-1][0] - fault['started']:+.1f} s"
            f" ({errors[-1][0] - errors[0][0]:.1f} s)"
            if errors
            else "none"
        )
        lines.append(
            f"| {fault['name']} | {fault['at']:.0f} s | {fault['ended'] - fault['started']:.1f} s |"
            f" {len(errors)} ({', '.join(sorted({f'{e[1]} {e[2]}' for e in errors})[:4])}) | {span} |"
        )
    outside = result["errors_outside_faults"]
    lines += [
        "",
        f"Failed requests outside every fault's window: {len(outside)}"
        + (f" (first: {outside[:5]})" if outside else ""),
        f"Supervised restarts: {result['restarts']}",
        f"Requests sent once more after a kept-alive connection closed under them before any answer"
        f" (as a browser does): {len(result['retries'])}"
        + (f" (first: {result['retries'][:5]})" if result["retries"] else ""),
        "Department streams (per reader: delivered, span of stream ids, twice, missing, out of order): "
        + "; ".join(
            f"{r['delivered']}/{r['span']}, {r['twice']}, {r['missing']}, {r['out_of_order']}"
            for r in departments.values()
        ),
        f"Event lag, outbox → consumer inbox: p50 {result['consumer_lag']['p50'] * 1000:.0f} ms,"
        f" p99 {result['consumer_lag']['p99'] * 1000:.0f} ms over {result['consumer_lag']['count']} events;"
        f" event time → department: p50 {result['department_lag']['p50'] * 1000:.0f} ms,"
        f" p99 {result['department_lag']['p99'] * 1000:.0f} ms (both include the fault windows).",
        "",
        "| process | RSS after warm-up MB | at the end MB | ratio |",
        "|---|---|---|---|",
        *[
            f"| {name} | {m['warm_mb']:.0f} | {m['end_mb']:.0f} | {m['ratio']:.2f} |"
            for name, m in sorted(result["memory"].items())
        ],
        "",
        "| operation | requests | failures | p50 ms | p99 ms |",
        "|---|---|---|---|---|",
        *[
            f"| {op['operation']} | {op['count']} | {op['failures']} | {op['p50']:.0f} | {op['p99']:.0f} |"
            for op in sorted(result["operations"], key=lambda o: -o["count"])
        ],
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communities", type=int, default=100)
    parser.add_argument("--minutes", type=float, default=30.0)
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "soak")
    args = parser.parse_args()
    # Stopped (SIGTERM): still stop the stack and drop its databases.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    result = soak(args.communities, args.minutes, args.out)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "soak.json").write_text(json.dumps(result, indent=1, default=str), encoding="utf-8")
    text = report(result)
    (args.out / "soak.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
