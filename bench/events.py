"""Event backbone benchmark: raw kombu vs the full outbox → relay → consumer path.

Measured on the same RabbitMQ and PostgreSQL in one run:
  raw        kombu publish with publisher confirms → consumer callback (the floor)
  full path  uow.commit() of a state change + event → relay (woken by the commit)
             → exchange → queue → consumer handler's transaction committed
  throughput raw confirmed publishes/s vs relay publishes/s draining a full outbox

The consuming side runs in a process of its own (as another service's worker does in
production); times are CLOCK_MONOTONIC, which both processes share.

Run: python bench/events.py [--samples 500] [--events 5000] [--baseline REV] [--rounds 3]

`--baseline REV` measures the latencies of git revision REV's chassis (a temporary
worktree) and this tree's alternately in fresh processes, `--rounds` times each, and
prints each figure's minimum side by side (throughputs are then not measured).
Needs RabbitMQ on 127.0.0.1:5672 and PostgreSQL on 127.0.0.1:5432 (as CI has them).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.support import baseline_tree, side_by_side  # noqa: E402

CODE = sys.argv[sys.argv.index("--code") : sys.argv.index("--code") + 2] if "--code" in sys.argv else []
if CODE:  # measure another tree's chassis (a baseline revision)
    sys.path.insert(0, CODE[1])

from kombu import Connection, Exchange, Queue  # noqa: E402
from sqlalchemy import create_engine, pool, text  # noqa: E402

from services.chassis import auth  # noqa: E402
from services.chassis.bus import Bus  # noqa: E402
from services.chassis.outbox import Relay  # noqa: E402
from services.chassis.worker import Worker  # noqa: E402
from tests.unit.chassis import toy  # noqa: E402

AMQP = "amqp://guest:guest@127.0.0.1:5672//"
ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


class ConsumerProcess:
    """The consuming side in a process of its own, as in production (another service's
    worker): it prints `<id> <monotonic ns>` when a message is handled."""

    def __init__(self, *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, __file__, *CODE, "--consume", *args],
            stdout=subprocess.PIPE,
            stdin=subprocess.PIPE,
            text=True,
            env={**os.environ, "LOG_LEVEL": "WARNING"},
        )
        if self.process.stdout.readline().strip() != "ready":
            raise RuntimeError("the consumer process did not start")

    def handled(self) -> tuple[str, int]:
        identifier, when = self.process.stdout.readline().split()
        return identifier, int(when)

    def stop(self) -> None:
        self.process.stdin.close()
        self.process.wait(30)


def raw_latency(samples: int, namespace: str) -> list[float]:
    exchange = Exchange(f"{namespace}.raw", type="topic", durable=True)
    consumer = ConsumerProcess("raw", namespace)
    latencies: list[float] = []
    try:
        with Connection(AMQP, transport_options={"confirm_publish": True}) as connection:
            producer = connection.Producer(exchange=exchange)
            for i in range(samples + 20):
                started = time.monotonic_ns()
                producer.publish(
                    f'{{"id":"m{i}"}}'.encode(),
                    routing_key="bench.raw.sent",
                    delivery_mode=2,
                    content_type="application/json",
                    retry=False,
                )
                identifier, handled_at = consumer.handled()
                assert identifier == f"m{i}", identifier
                if i >= 20:  # warm-up excluded
                    latencies.append((handled_at - started) / 1e9)
    finally:
        consumer.stop()
    return latencies


def consume_raw(namespace: str) -> None:
    exchange = Exchange(f"{namespace}.raw", type="topic", durable=True)
    queue = Queue(f"{namespace}.raw.q", exchange=exchange, routing_key="#", auto_delete=True)
    with Connection(AMQP) as connection:

        def on_message(message):  # noqa: ANN001
            message.ack()
            print(json.loads(message.body)["id"], time.monotonic_ns(), flush=True)

        with connection.Consumer(queue, on_message=on_message, prefetch_count=32):
            print("ready", flush=True)
            watch_stdin_then_exit()
            while True:
                try:
                    connection.drain_events(timeout=0.2)
                except TimeoutError:
                    pass


def consume_full(database_url: str, namespace: str, folder: str) -> None:
    runtime = toy.make_runtime(database_url, AMQP, namespace, Path(folder), {})

    def handler(uow, event):  # noqa: ANN001
        toy.record_effect(uow, event)
        uow.after_commit(lambda: print(event["id"], time.monotonic_ns(), flush=True))

    handler.inbox_name = "bench_handler"
    worker = Worker(runtime, handlers={"toy.note.added": [handler]})
    worker.start()
    worker.wait_ready(10)
    print("ready", flush=True)
    sys.stdin.read()  # until the benchmark closes our stdin
    worker.stop()
    runtime.database.dispose()


def watch_stdin_then_exit() -> None:
    def watch() -> None:
        sys.stdin.read()
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


def raw_throughput(count: int, namespace: str) -> float:
    exchange = Exchange(f"{namespace}.rawtp", type="topic", durable=True)
    queue = Queue(f"{namespace}.rawtp.q", exchange=exchange, routing_key="#")
    body = b'{"specversion":"1.0","id":"x","source":"/services/bench","type":"bench.x.sent.v1"}' * 4
    with Connection(AMQP, transport_options={"confirm_publish": True}) as connection:
        queue(connection.default_channel).declare()
        producer = connection.Producer(exchange=exchange)
        started = time.perf_counter()
        for _ in range(count):
            producer.publish(
                body,
                routing_key="bench.x.sent",
                delivery_mode=2,
                content_type="application/cloudevents+json",
                retry=False,
            )
        elapsed = time.perf_counter() - started
        queue(connection.default_channel).delete()
    return count / elapsed


def full_path_latency(
    runtime,
    consumer_database: str,
    folder: Path,  # noqa: ANN001
    samples: int,
) -> list[float]:
    consumer = ConsumerProcess("full", consumer_database, runtime.settings.bus_namespace, str(folder))
    worker = Worker(runtime)  # the producing service's relay, woken by its commits
    worker.start()
    latencies = []
    try:
        for i in range(samples + 20):
            with runtime.unit_of_work() as uow:
                note_id = str(uuid.uuid4())
                uow.session.add(toy.Note(id=note_id, community="huaguoshan", title=f"n{i}"))
                event = uow.emit(
                    toy.NOTE_ADDED,
                    subject=note_id,
                    community="huaguoshan",
                    data={"note_id": note_id, "title": f"n{i}"},
                )
                started = time.monotonic_ns()
                uow.commit()
            identifier, handled_at = consumer.handled()
            assert identifier == event["id"], identifier
            if i >= 20:  # warm-up excluded
                latencies.append((handled_at - started) / 1e9)
    finally:
        worker.stop()
        consumer.stop()
    return latencies


def relay_throughput(runtime, count: int) -> float:  # noqa: ANN001
    with runtime.unit_of_work() as uow:
        for i in range(count):
            subject = str(uuid.uuid4())
            uow.emit(
                toy.NOTE_ADDED,
                subject=subject,
                community="huaguoshan",
                data={"note_id": subject, "title": f"t{i}"},
            )
        uow.commit()
    relay = Relay(runtime.settings, runtime.database, Bus(runtime.settings), runtime.signal)
    started = time.perf_counter()
    while relay.published < count:
        relay.publish_pending()
    elapsed = time.perf_counter() - started
    relay.bus.reset_publisher()
    return count / elapsed


def measure_here(samples: int, events: int) -> dict[str, float]:
    """Latencies (s) of both paths and, when `events`, both throughputs (events/s), in this process."""
    namespace = f"bench{uuid.uuid4().hex[:8]}"
    database = f"bench_events_{uuid.uuid4().hex[:8]}"
    consumer_database = f"{database}_consumer"  # the consuming service owns its database
    admin = create_engine(ADMIN, poolclass=pool.NullPool, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{database}"'))
        connection.execute(text(f'CREATE DATABASE "{consumer_database}"'))
    folder = Path(tempfile.mkdtemp())
    auth.generate_key_pair(folder / "jwt-private.pem", folder / "jwt-public.pem")
    runtime = toy.make_runtime(
        ADMIN.rsplit("/", 1)[0] + f"/{database}", AMQP, namespace, folder, {}, outbox_batch_size=500
    )
    figures: dict[str, float] = {}
    try:
        raw = raw_latency(samples, namespace)
        full = full_path_latency(runtime, ADMIN.rsplit("/", 1)[0] + f"/{consumer_database}", folder, samples)
        figures |= {
            "raw_p50": statistics.median(raw),
            "raw_p99": percentile(raw, 99),
            "full_p50": statistics.median(full),
            "full_p99": percentile(full, 99),
        }
        if events:
            figures["raw_tp"] = raw_throughput(events, namespace)
            figures["relay_tp"] = relay_throughput(runtime, events)
    finally:
        runtime.database.dispose()
        with Connection(AMQP) as connection:
            channel = connection.channel()
            for suffix in ("events", "events.dead", "events.retry.1", "events.retry.2"):
                try:
                    channel.queue_delete(f"{namespace}.toy.{suffix}")
                except Exception:  # noqa: BLE001 - not declared in this run
                    channel = connection.channel()
            for name in (f"{namespace}.community.events", f"{namespace}.raw", f"{namespace}.rawtp"):
                try:
                    channel.exchange_delete(name)
                except Exception:  # noqa: BLE001
                    channel = connection.channel()
        with admin.connect() as connection:
            for name in (database, consumer_database):
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=500)
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--baseline", default=None, help="git revision to measure beside this tree")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--consume", nargs="+", help=argparse.SUPPRESS)  # the consumer process
    parser.add_argument("--code", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.consume:
        role, *rest = args.consume
        consume_raw(*rest) if role == "raw" else consume_full(*rest)
        return
    if args.json:  # one column of a side-by-side run: latencies only
        print(json.dumps(measure_here(args.samples, 0)))
        return
    if args.baseline is not None:
        with baseline_tree(args.baseline) as baseline:
            columns = side_by_side(
                __file__,
                {args.baseline: baseline, "this tree": ROOT},
                ["--samples", str(args.samples)],
                args.rounds,
            )
        print(
            f"{'ms (minimum of ' + str(args.rounds) + ' rounds)':<44}" + "".join(f"{n:>14}" for n in columns)
        )
        for label, name in (
            ("full_p50", "commit → consumer commit, p50"),
            ("full_p99", "commit → consumer commit, p99"),
            ("raw_p50", "raw publish → consume, p50"),
            ("raw_p99", "raw publish → consume, p99"),
        ):
            print(f"{name:<44}" + "".join(f"{c[label] * 1000:14.2f}" for c in columns.values()))
        return
    figures = measure_here(args.samples, args.events)
    ms = 1000
    print(f"{'path':<44}{'p50 ms':>10}{'p99 ms':>10}")
    for name, path in (
        ("raw kombu confirmed publish → consume", "raw"),
        ("commit → outbox → relay → consumer commit", "full"),
    ):
        print(f"{name:<44}{figures[path + '_p50'] * ms:>10.2f}{figures[path + '_p99'] * ms:>10.2f}")
    ratio = figures["full_p50"] / figures["raw_p50"]
    print(
        f"full-path p50 / raw p50 = {ratio:.2f}x (goal ≤ 3x), "
        f"full-path p50 = {figures['full_p50'] * ms:.2f} ms (goal ≤ 10 ms)"
    )
    print(f"raw confirmed publish throughput : {figures['raw_tp']:,.0f} events/s")
    print(f"relay throughput (outbox drained): {figures['relay_tp']:,.0f} events/s")
    print(f"relay / raw throughput = {figures['relay_tp'] / figures['raw_tp']:.2f}x (goal ≥ 0.8x)")


if __name__ == "__main__":
    main()
