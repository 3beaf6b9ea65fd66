"""Scripted load through the gateways: walk-in hazard reports referred to grid, and probes.

Every answer is recorded (time, service of the route, status, problem type). A caller
that cannot reach one gateway uses the other, as a load balancer in front of them would.
"""

from __future__ import annotations

import http.client
import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Answer:
    sent: float  # time.monotonic() when the request went out
    at: float  # time.monotonic() when its answer (or the failure) came
    service: str
    method: str
    status: int  # 0: no gateway could be reached
    problem: str = ""


@dataclass
class Recorder:
    answers: list[Answer] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, answer: Answer) -> None:
        with self.lock:
            self.answers.append(answer)

    def snapshot(self) -> list[Answer]:
        with self.lock:
            return list(self.answers)


class Client:
    """JSON over HTTP to the first gateway that accepts the connection."""

    def __init__(self, gateway_urls: list[str], recorder: Recorder) -> None:
        self.targets = [urlsplit(url) for url in gateway_urls]
        self.recorder = recorder

    def call(self, method: str, path: str, token: str, body: Any = None) -> tuple[int, Any]:
        service = path.split("/")[2]
        data = None if body is None else json.dumps(body).encode()
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        if method != "GET":  # as the console does: a write may be sent again safely
            headers["Idempotency-Key"] = uuid.uuid4().hex
        sent = time.monotonic()
        for target in self.targets:
            connection = http.client.HTTPConnection(target.hostname, target.port, timeout=30)
            try:
                connection.connect()
            except OSError:
                connection.close()
                continue  # this gateway is not listening: nothing was sent, try the other
            try:
                connection.request(method, path, body=data, headers=headers)
                response = connection.getresponse()
                raw = response.read()
            except OSError:
                self.recorder.add(Answer(sent, time.monotonic(), service, method, 0, "connection-lost"))
                return 0, None
            finally:
                connection.close()
            payload = json.loads(raw) if raw else None
            problem = payload.get("type", "") if isinstance(payload, dict) and response.status >= 400 else ""
            self.recorder.add(Answer(sent, time.monotonic(), service, method, response.status, problem))
            return response.status, payload
        self.recorder.add(Answer(sent, time.monotonic(), service, method, 0, "no-gateway"))
        return 0, None


def refer_hazards(client: Client, community: Any, stop: threading.Event, pause: float) -> None:
    """Until `stop`: a ticket is served at the community's window, becomes a case, is referred."""
    lon, lat = community.point
    staff = community.staff
    while not stop.is_set():
        time.sleep(pause)
        status, ticket = client.call(
            "POST",
            "/api/intake/tickets",
            staff,
            {
                "community": community.code,
                "business_type": "hazard_report",
                "channel": "walk_in",
                "attributes": {"kind": "wiring"},
            },
        )
        if status != 201:
            continue
        status, called = client.call(
            "POST", f"/api/intake/windows/{community.ids['window']}/call-next", staff, {}
        )
        if status != 200 or not called.get("ticket"):
            continue
        ticket_id = called["ticket"]["id"]
        if client.call("POST", f"/api/intake/tickets/{ticket_id}/start", staff, {})[0] != 200:
            continue
        status, case = client.call(
            "POST",
            "/api/intake/cases",
            staff,
            {"community": community.code, "ticket_id": ticket_id, "summary": "电线私拉乱接"},
        )
        client.call("POST", f"/api/intake/tickets/{ticket_id}/complete", staff, {})
        if status != 201:
            continue
        client.call(
            "POST",
            f"/api/intake/cases/{case['id']}/refer",
            staff,
            {"target": "grid", "category": "hazard_electrical", "severity": "high", "lon": lon, "lat": lat},
        )


def probe(client: Client, community: Any, stop: threading.Event, interval: float) -> None:
    """Until `stop`: read a list of every service, every `interval` seconds."""
    code = community.code
    paths = [
        f"/api/intake/cases?community={code}&page_size=1",
        f"/api/grid/cases?community={code}&page_size=1",
    ]
    while not stop.is_set():
        for path in paths:
            client.call("GET", path, community.staff)
        time.sleep(interval)
