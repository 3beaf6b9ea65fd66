"""The departments' event stream (SSE) through the stack's gateway, which runs gevent workers."""

from __future__ import annotations

import json
import queue
import threading
import time
import urllib.request

import pytest

from .community_setup import Community, set_up_desk

pytestmark = [pytest.mark.postgres, pytest.mark.rabbitmq]


class Stream:
    """Reads `/api/events/stream` in a thread; each SSE message as (id, event type, data)."""

    def __init__(self, url: str, token: str, last_event_id: str | None = None) -> None:
        headers = {"Authorization": f"Bearer {token}", "Accept": "text/event-stream"}
        if last_event_id:
            headers["Last-Event-ID"] = last_event_id
        self.response = urllib.request.urlopen(  # noqa: S310 - loopback
            urllib.request.Request(url, headers=headers), timeout=30
        )
        assert self.response.headers["Content-Type"].startswith("text/event-stream")
        self.messages: queue.Queue[tuple[str | None, str | None, dict]] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        try:
            self._parse()
        except (OSError, ValueError, AttributeError):  # closed by the test
            return

    def _parse(self) -> None:
        fields: dict[str, str] = {}
        for raw in self.response:
            line = raw.decode().rstrip("\n")
            if not line:
                if "data" in fields:
                    self.messages.put((fields.get("id"), fields.get("event"), json.loads(fields["data"])))
                fields = {}
            elif not line.startswith(":") and ":" in line:
                name, _, value = line.partition(":")
                fields[name] = value.lstrip(" ")

    def next_event(self, subject: str, timeout: float = 30.0) -> tuple[str, dict]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                event_id, kind, data = self.messages.get(timeout=deadline - time.monotonic())
            except queue.Empty:
                break
            if kind is None and data.get("subject") == subject:
                return event_id, data
        pytest.fail(f"no event about {subject} on the stream within {timeout}s")

    def close(self) -> None:
        self.response.close()


def test_a_department_follows_events_live_and_resumes_after_a_disconnect(stack, gateway):
    yanshan = Community("yanshan", stack)
    set_up_desk(gateway, yanshan)
    department = stack.token("department", department="civil_affairs", sub="dept-e2e")
    url = f"{stack.gateway_url}/api/events/stream?types=intake.ticket.*"
    stream = Stream(url, department)
    time.sleep(1.0)  # the gateway process's feed binds its queue on the first request
    first = gateway.post(
        "/api/intake/tickets",
        yanshan.resident,
        {"community": "yanshan", "business_type": "elderly_health_check", "channel": "portal"},
    ).ok(201)
    first_id, first_event = stream.next_event(first["id"])
    assert first_event["type"] == "intake.ticket.issued.v1"
    # The SSE id is the event's offset in the event archive (a RabbitMQ stream), what a
    # department sends back as Last-Event-ID to resume, in any gateway replica.
    assert first_event["community"] == "yanshan" and first_id.isdigit()
    stream.close()

    second = gateway.post(
        "/api/intake/tickets",
        yanshan.resident,
        {"community": "yanshan", "business_type": "elderly_health_check", "channel": "portal"},
    ).ok(201)  # published while the department is away
    time.sleep(1.0)
    resumed = Stream(url, department, last_event_id=first_id)
    _, missed = resumed.next_event(second["id"])
    assert missed["type"] == "intake.ticket.issued.v1" and missed["data"]["number"] == "C002"
    resumed.close()


def test_the_stream_is_for_departments_and_those_over_them(stack, gateway):
    resident = stack.token("resident", communities=("yanshan",))
    request = urllib.request.Request(
        f"{stack.gateway_url}/api/events/stream", headers={"Authorization": f"Bearer {resident}"}
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)  # noqa: S310 - loopback
    assert refused.value.code == 403
    assert refused.value.headers["Content-Type"] == "application/problem+json"
