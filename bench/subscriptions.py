"""Webhook benchmark: throughput and commit → receiver 2xx latency with 10 subscriptions.

A toy service commits notes (its outbox, relayed to the real RabbitMQ); the subscriptions
worker consumes every event, records a delivery per subscription and sends them; ten
webhook subscriptions of one department point at one local receiver (a threaded
http.server answering 204). Latency is from the event's `time` (set in the committing
transaction) to the receiver having read the request; throughput is deliveries per second
from the first commit to the last arrival. Both services run in this process on SQLite
(one delivery loop; on PostgreSQL one replica at a time sends, by advisory lock).

Run: python bench/subscriptions.py [--events 300] [--subscriptions 10]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
import uuid
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from deploy import registry  # noqa: E402
from services.chassis import auth, events, migrations  # noqa: E402
from services.chassis.config import Settings  # noqa: E402
from services.chassis.runtime import Runtime  # noqa: E402
from services.chassis.worker import Worker  # noqa: E402
from tests.support.helpers import bearer, key_settings  # noqa: E402
from tests.unit.chassis import toy  # noqa: E402

AMQP = "amqp://guest:guest@127.0.0.1:5672//"


def receiver(arrivals: list[float], lock: threading.Lock) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            body = self.rfile.read(int(self.headers["Content-Length"]))
            moment = events.parse(body)["time"]
            with lock:
                arrivals.append(time.time() - datetime.fromisoformat(moment).timestamp())
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=300)
    parser.add_argument("--subscriptions", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder)
        auth.generate_key_pair(data / "jwt-private.pem", data / "jwt-public.pem")
        keys = key_settings(data)
        namespace = f"bench{uuid.uuid4().hex[:8]}"
        producer = toy.make_app(data, keys, amqp_url=AMQP, bus_namespace=namespace, outbox_sweep_seconds=0.5)
        Worker(producer.extensions["community"]).start()
        url = f"sqlite:///{data}/subscriptions.db"
        migrations.upgrade(registry.migrations("subscriptions"), url)
        config = {"data_dir": data, "database_url": url, "amqp_url": AMQP, "bus_namespace": namespace, **keys}
        config |= {"allow_http": True, "allow_private_targets": True, "delivery_interval_seconds": 0.01}
        runtime = Runtime(Settings.from_env("subscriptions", config), registry.metadata("subscriptions"))
        service = registry.module("subscriptions", "app").create_app(runtime=runtime).test_client()
        worker = registry.module("subscriptions", "worker").build_worker(runtime)
        worker.start()
        worker.wait_ready(15)
        signer = Settings.from_env("tests", keys)
        admin = bearer(auth.issue_token(signer, sub="admin", roles=("admin",), communities=["huaguoshan"]))
        dept = bearer(
            auth.issue_token(
                signer, sub="d", roles=("department",), communities=["huaguoshan"], department="bench"
            )
        )
        staff = bearer(auth.issue_token(signer, sub="s", roles=("center_staff",), communities=["huaguoshan"]))
        arrivals: list[float] = []
        lock = threading.Lock()
        server = receiver(arrivals, lock)
        assert (
            service.post(
                "/grants", json={"department": "bench", "pattern": "toy.#"}, headers=admin
            ).status_code
            == 201
        )
        for n in range(args.subscriptions):
            body = {"name": f"s{n}", "event_types": ["toy.#"], "mode": "webhook"}
            body["url"] = f"http://127.0.0.1:{server.server_port}/hook/{n}"
            assert service.post("/subscriptions", json=body, headers=dept).status_code == 201
        client = producer.test_client()
        started = time.time()
        for n in range(args.events):
            answer = client.post("/notes", json={"community": "huaguoshan", "title": f"n{n}"}, headers=staff)
            assert answer.status_code == 201, answer.get_json()
        expected = args.events * args.subscriptions
        deadline = time.time() + 600
        while len(arrivals) < expected and time.time() < deadline:
            time.sleep(0.05)
        elapsed = time.time() - started
        worker.stop()
        server.shutdown()
    latencies = sorted(arrivals)
    rate = len(latencies) / elapsed
    print(f"{len(latencies)}/{expected} deliveries in {elapsed:.1f} s: {rate:.0f} deliveries/s")
    print(
        f"commit -> receiver: p50 {statistics.median(latencies) * 1000:.0f} ms, "
        f"p99 {latencies[int(len(latencies) * 0.99) - 1] * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
