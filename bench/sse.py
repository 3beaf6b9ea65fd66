"""SSE benchmark: 200 concurrent clients of one gateway process, the p99 delay of an event.

One gateway (in process, served by werkzeug's threaded server: one thread per stream,
where production uses gunicorn's gevent worker, one greenlet per stream) reads the event
archive on the real RabbitMQ; 200 clients hold `GET /api/events/stream` open; events are
published to the exchange one every 50 ms, and each client notes when each arrived.
The delay is from publishing to a client having read the message.

Run: python bench/sse.py [--clients 200] [--events 50]
"""

from __future__ import annotations

import argparse
import http.client
import json
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from werkzeug.serving import make_server  # noqa: E402

from gateway.app import create_app  # noqa: E402
from services.chassis import auth, events  # noqa: E402
from services.chassis.config import Settings  # noqa: E402
from services.chassis.events import UUID, EventType, payload  # noqa: E402
from tests.support.helpers import key_settings  # noqa: E402

AMQP = "amqp://guest:guest@127.0.0.1:5672//"
NOTE = EventType("toy.note.added", "A benchmark event.", payload({"n": UUID}))


def client(
    port: int, token: str, sent: dict[str, float], delays: list[float], ready: threading.Barrier
) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    connection.request(
        "GET", "/api/events/stream?types=toy.note.*", headers={"Authorization": f"Bearer {token}"}
    )
    response = connection.getresponse()
    ready.wait()
    buffer = b""
    seen = 0
    while seen < EXPECTED[0]:
        chunk = response.read1(65536)
        if not chunk:
            break
        buffer += chunk
        while b"\n\n" in buffer:
            raw, buffer = buffer.split(b"\n\n", 1)
            for line in raw.decode().splitlines():
                if line.startswith("data: "):
                    event = json.loads(line[6:])
                    delays.append(time.time() - sent[event["id"]])
                    seen += 1
    connection.close()


EXPECTED = [0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--events", type=int, default=50)
    args = parser.parse_args()
    EXPECTED[0] = args.events
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder)
        auth.generate_key_pair(data / "jwt-private.pem", data / "jwt-public.pem")
        keys = key_settings(data)
        namespace = f"bench{uuid.uuid4().hex[:8]}"
        config = {
            "data_dir": data,
            **keys,
            "log_level": "WARNING",
            "amqp_url": AMQP,
            "bus_namespace": namespace,
        }
        gateway = create_app(upstreams={}, config=config | {"sse_max_clients": args.clients + 10})
        gateway.start_background()
        assert gateway.feed.declared.wait(15)
        server = make_server("127.0.0.1", 0, gateway, threaded=True)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        signer = Settings.from_env("tests", keys)
        sent: dict[str, float] = {}
        delays: list[float] = []
        ready = threading.Barrier(args.clients + 1)
        threads = []
        for n in range(args.clients):
            token = auth.issue_token(signer, sub=f"d{n}", roles=("department",), communities=["huaguoshan"])
            thread = threading.Thread(
                target=client, args=(server.server_port, token, sent, delays, ready), daemon=True
            )
            thread.start()
            threads.append(thread)
        ready.wait()
        time.sleep(1)
        bus = gateway.feed.bus
        for n in range(args.events):
            event = events.build(
                NOTE,
                source="/bench",
                subject="s",
                community="huaguoshan",
                data={"n": str(uuid.uuid4())},
                sequence=n,
            )
            sent[event["id"]] = time.time()
            bus.publish_raw(events.encode(event), routing_key=NOTE.name, message_id=event["id"])
            time.sleep(0.05)
        for thread in threads:
            thread.join(120)
        server.shutdown()
        gateway.feed.stop()
    delays.sort()
    expected = args.clients * args.events
    print(f"{len(delays)}/{expected} messages to {args.clients} clients")
    print(
        f"publish -> client: p50 {delays[len(delays) // 2] * 1000:.0f} ms, "
        f"p99 {delays[int(len(delays) * 0.99) - 1] * 1000:.0f} ms, max {delays[-1] * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
