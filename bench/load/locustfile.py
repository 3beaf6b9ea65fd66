"""The peak hour's users as Locust scenarios (bench/loadmodel.md), driven through the gateway.

Every user waits an exponentially distributed time between its requests (Locust's
`poisson`): many independent pages and clerks arrive as a Poisson process. A fixed period
(`constant_throughput`) kept the users Locust starts together in phase for the whole run,
so their requests came in bursts that no real hall produces (bench/loadmodel.md).
Every user's client sends a request once more when a kept-alive connection closed under it
before any answer, as a browser does (`BROWSER_RETRY`).

`bench/load/run.py` writes the plan (tokens, windows, cells, rates per user class) and
starts Locust with it in LOAD_PLAN; every rate here is the plan's, scaled to the number of
communities. Each class's requests are named by operation, so Locust's statistics are per
operation. The department's stream records, for each event, the delay from the event's
`time` (its commit, to a few ms) to its arrival, the event's id, its `id:` (the archive's
offset) and which department user read it (LOAD_LAGS file, one line per delivery); when
the stream breaks it reconnects at once with `Last-Event-ID`, as an EventSource does. With
LOAD_ERRORS set, every failed request is written there as `<unix time of its answer>
<operation> <status or error>` (the soak places each in a fault's window).
"""

from __future__ import annotations

import json
import os
import random
import threading
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from locust import HttpUser, constant_throughput, events, poisson, task
from urllib3.util.retry import Retry

PLAN: dict[str, Any] = json.loads(open(os.environ["LOAD_PLAN"], encoding="utf-8").read())
_windows = iter(PLAN["windows"] * 1000)
_window_lock = threading.Lock()
_waiting: list[tuple[str, str]] = []  # (ticket id, owner token) of portal tickets not yet called
CASE_SHARE = 5 / 60  # a handful of served tickets need follow-up as a case (bench/loadmodel.md)
REFERRED_SHARE = 0.6  # of those, out in the community: referred to grid


@events.request.add_listener
def _record_failure(name: str, exception: Any, **kwargs: Any) -> None:
    if exception is None or not os.environ.get("LOAD_ERRORS"):
        return
    response = kwargs.get("response")
    status = getattr(response, "status_code", 0) or type(exception).__name__
    with open(os.environ["LOAD_ERRORS"], "a", encoding="utf-8") as errors:
        errors.write(f"{time.time():.3f} {name.replace(' ', '_')} {status}\n")


# What a browser does when a kept-alive connection the server has just closed fails a request
# before any answer (RFC 9112 §9.3.1 allows it for idempotent requests; every write here
# carries an Idempotency-Key, so the platform answers a repeat with the first answer): send
# it once more on a fresh connection. A refused connection or any answer is not retried, so
# an outage still shows as errors.
class BrowserRetry(Retry):
    """Retry noting each request sent again (LOAD_RETRIES: `<unix time> <method> <path> <error>`)."""

    def increment(
        self, method: str | None = None, url: str | None = None, *args: Any, **kwargs: Any
    ) -> Retry:
        if os.environ.get("LOAD_RETRIES"):
            error = type(kwargs.get("error")).__name__
            with open(os.environ["LOAD_RETRIES"], "a", encoding="utf-8") as retries:
                retries.write(f"{time.time():.3f} {method} {(url or '').split('?')[0]} {error}\n")
        return super().increment(method, url, *args, **kwargs)


BROWSER_RETRY = BrowserRetry(total=1, connect=0, read=1, status=0, other=0, redirect=0, allowed_methods=None)


class BrowserUser(HttpUser):
    """A user whose HTTP client retries as a browser does (BROWSER_RETRY)."""

    abstract = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for adapter in self.client.adapters.values():
            adapter.max_retries = BROWSER_RETRY


def rate(kind: str) -> float:
    """Requests (or cycles) per second of one user of `kind`."""
    return float(PLAN["rates"][kind])


def community() -> dict[str, Any]:
    return random.choice(PLAN["communities"])


def headers(token: str, write: bool = False) -> dict[str, str]:
    answer = {"Authorization": f"Bearer {token}"}
    if write:
        answer["Idempotency-Key"] = uuid.uuid4().hex
    return answer


class TicketTaker(BrowserUser):
    """Residents and clerks issuing tickets: walk-in 50 %, phone 10 % (staff), portal 40 %."""

    wait_time = poisson(rate("issue"))

    @task
    def issue(self) -> None:
        place = community()
        draw = random.random()
        channel = "walk_in" if draw < 0.5 else ("phone" if draw < 0.6 else "portal")
        owner = random.choice(place["residents"])
        token = owner if channel == "portal" else place["staff"]
        code, answers = random.choice(place["business_types"])
        body = {"community": place["code"], "business_type": code, "channel": channel, "attributes": answers}
        with self.client.post(
            "/api/intake/tickets",
            json=body,
            headers=headers(token, True),
            name="POST /tickets",
            catch_response=True,
        ) as response:
            if response.status_code != 201:
                response.failure(f"{response.status_code} {response.text[:200]}")
            elif channel == "portal":
                _waiting.append((response.json()["id"], token))
                del _waiting[:-2000]  # pages of tickets called long ago are closed


class TicketPage(BrowserUser):
    """A waiting resident's ticket page, refreshed every 15 s (the portal polls)."""

    wait_time = poisson(rate("ticket_page"))

    @task
    def look(self) -> None:
        if not _waiting:
            return
        ticket_id, token = random.choice(_waiting)
        self.client.get(f"/api/intake/tickets/{ticket_id}", headers=headers(token), name="GET /tickets/{id}")


class Clerk(BrowserUser):
    """One window: call the next ticket, start, complete; 5 % no-shows; 30 % then rated; a
    ticket left at the window by a cycle a fault broke off is finished first."""

    wait_time = poisson(rate("serve"))

    def on_start(self) -> None:
        with _window_lock:
            self.window = next(_windows)

    @task
    def serve(self) -> None:
        token = self.window["staff"]
        with self.client.post(
            f"/api/intake/windows/{self.window['id']}/call-next",
            headers=headers(token, True),
            name="POST /windows/{id}/call-next",
            catch_response=True,
        ) as called:
            if called.status_code == 409:  # the right answer while a ticket is still at the window
                called.success()
        if called.status_code == 409:
            self.finish_left_over(token)
            return
        if called.status_code != 200 or not called.json().get("ticket"):
            return
        ticket = called.json()["ticket"]
        path = f"/api/intake/tickets/{ticket['id']}"
        if random.random() < 0.05:
            self.client.post(
                f"{path}/no-show", json={}, headers=headers(token, True), name="POST /tickets/{id}/no-show"
            )
            return
        self.client.post(f"{path}/start", headers=headers(token, True), name="POST /tickets/{id}/start")
        if random.random() < CASE_SHARE:
            self.open_case(ticket, token)
        self.client.post(
            f"{path}/complete", json={}, headers=headers(token, True), name="POST /tickets/{id}/complete"
        )
        owner = PLAN["owners"].get(ticket.get("owner_sub") or "")
        if owner and random.random() < 0.3:
            self.client.post(
                "/api/intake/feedback",
                json={"target_kind": "ticket", "target_id": ticket["id"], "score": random.randint(3, 5)},
                headers=headers(owner, True),
                name="POST /feedback",
            )

    def finish_left_over(self, token: str) -> None:
        """An earlier cycle broke off (a fault) with its ticket still at the window: as a clerk
        would, start it if it was only called, and complete it."""
        window = self.client.get(
            f"/api/intake/windows/{self.window['id']}", headers=headers(token), name="GET /windows/{id}"
        )
        ticket_id = window.json().get("current_ticket_id") if window.status_code == 200 else None
        if not ticket_id:
            return
        path = f"/api/intake/tickets/{ticket_id}"
        ticket = self.client.get(path, headers=headers(token), name="GET /tickets/{id}")
        if ticket.status_code == 200 and ticket.json().get("status") == "called":
            self.client.post(f"{path}/start", headers=headers(token, True), name="POST /tickets/{id}/start")
        self.client.post(
            f"{path}/complete", json={}, headers=headers(token, True), name="POST /tickets/{id}/complete"
        )

    def open_case(self, ticket: dict[str, Any], token: str) -> None:
        """The matter needs follow-up: a case, referred to grid when it is out in the community."""
        place = next(p for p in PLAN["communities"] if p["code"] == ticket["community"])
        case = self.client.post(
            "/api/intake/cases",
            json={"community": place["code"], "ticket_id": ticket["id"], "summary": "楼道照明损坏，上门查看"},
            headers=headers(token, True),
            name="POST /cases (intake)",
        )
        if case.status_code != 201 or random.random() >= REFERRED_SHARE or not place["cells"]:
            return
        cell = random.choice(place["cells"])
        self.client.post(
            f"/api/intake/cases/{case.json()['id']}/refer",
            json={"target": "grid", "category": PLAN["category"], "severity": "medium",
                  "lon": cell["lon"], "lat": cell["lat"]},
            headers=headers(token, True),
            name="POST /cases/{id}/refer",
        )  # fmt: skip


class Console(BrowserUser):
    """A window's console refreshing: the waiting queue and the window (every 10 s)."""

    wait_time = poisson(rate("console"))

    @task
    def refresh(self) -> None:
        place = community()
        token = place["staff"]
        self.client.get(
            f"/api/intake/tickets?community={place['code']}&status=waiting&page_size=50",
            headers=headers(token),
            name="GET /tickets?status=waiting",
        )
        self.client.get(
            f"/api/intake/windows?community={place['code']}", headers=headers(token), name="GET /windows"
        )


class HallDisplay(BrowserUser):
    """The hall's screen: the called tickets per window, every 10 s (public)."""

    wait_time = poisson(rate("display"))

    @task
    def show(self) -> None:
        self.client.get(f"/api/intake/display?community={community()['code']}", name="GET /display")


class GridWorker(BrowserUser):
    """Rounds submitted (two per report) and hazards reported from the street."""

    wait_time = poisson(rate("grid"))

    @task(2)
    def inspect(self) -> None:
        place = community()
        cell = random.choice(place["cells"])
        items = [{"code": code, "result": "ok"} for code in PLAN["checklist"]]
        self.client.post(
            "/api/grid/inspections",
            json={"cell_code": cell["code"], "items": items},
            headers=headers(cell["worker"], True),
            name="POST /inspections",
        )

    @task(1)
    def report(self) -> None:
        place = community()
        cell = random.choice(place["cells"])
        self.client.post(
            "/api/grid/cases",
            json={
                "community": place["code"],
                "category": PLAN["category"],
                "description": "楼道堆放杂物，堵塞消防通道",
                "lon": cell["lon"],
                "lat": cell["lat"],
            },
            headers=headers(cell["worker"], True),
            name="POST /cases (grid)",
        )


class Department(BrowserUser):
    """A department's event stream (SSE) with every event type it is granted, resumed at once."""

    wait_time = constant_throughput(0.01)

    def on_start(self) -> None:
        self.label = uuid.uuid4().hex[:8]

    @task
    def stream(self) -> None:
        lags = open(os.environ["LOAD_LAGS"], "a", encoding="utf-8")
        started = time.perf_counter()
        last_id: str | None = None
        try:
            while time.perf_counter() - started < PLAN["seconds"] + 30:
                last_id = self.follow(lags, last_id, started)
        finally:
            lags.close()

    def follow(self, lags: Any, last_id: str | None, started: float) -> str | None:
        """Read the stream until it breaks or the run ends; the last `id:` seen."""
        extra = {"Last-Event-ID": last_id} if last_id else {}
        try:
            with self.client.get(
                "/api/events/stream?types=%23",
                headers=headers(PLAN["department"]) | extra,
                stream=True,
                name="GET /events/stream",
                timeout=None,
                catch_response=True,
            ) as response:
                if response.status_code != 200:
                    response.failure(f"{response.status_code}")
                    time.sleep(1)
                    return last_id
                response.success()
                for line in response.iter_lines():
                    if line.startswith(b"id:"):
                        last_id = line[3:].strip().decode()
                    elif line.startswith(b"data:"):
                        event = json.loads(line[5:])
                        sent = datetime.fromisoformat(event["time"].replace("Z", "+00:00"))
                        lag = (datetime.now(UTC) - sent).total_seconds()
                        lags.write(f"{lag:.4f} {event['id']} {last_id} {self.label}\n")
                        lags.flush()
                    if time.perf_counter() - started > PLAN["seconds"] + 30:
                        break
        except OSError:  # the gateway went away mid-stream (requests' errors are OSErrors): resume
            time.sleep(0.5)
        return last_id


for _user_class, _count in json.loads(os.environ.get("LOAD_USER_COUNTS", "{}")).items():
    globals()[_user_class].fixed_count = _count
