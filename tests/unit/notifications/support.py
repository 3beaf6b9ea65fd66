"""Fakes and a small story for the notifications tests: recording channels, intake's events."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from services.chassis import events
from services.intake import events as intake_events
from services.notifications.usecases import queue
from services.notifications.usecases.channels import ChannelError, Message
from tests.support.helpers import bearer


class RecordingChannel:
    """A channel that keeps what it was given (and fails while `failing` is set)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.sent: list[tuple[str, Message]] = []
        self.failing: str | None = None

    def send(self, address: str, message: Message) -> None:
        if self.failing:
            raise ChannelError(self.failing)
        self.sent.append((address, message))

    def last_code(self) -> str:
        return re.search(r"(\d{6})", self.sent[-1][1].text).group(1)


def recording_channels(harness: Any) -> dict[str, RecordingChannel]:
    """Put recording channels in the app (the verification codes go out from the web process)."""
    channels = {name: RecordingChannel(name) for name in ("email", "sms", "wechat")}
    harness.app.extensions["notifications.channels"] = channels
    return channels


def ticket_event(
    name: str, ticket_id: str, number: str, community: str = "huaguoshan", minutes: int = 0, **extra: Any
) -> dict[str, Any]:
    """An intake ticket event as intake's relay would publish it."""
    issued = datetime(2026, 12, 3, 1, 0, tzinfo=UTC) + timedelta(minutes=minutes)
    data: dict[str, Any] = {
        "ticket_id": ticket_id,
        "number": number,
        "business_type": "elderly_health_check",
        "channel": "portal",
        "priority": False,
        "issued_at": issued.isoformat(),
    }
    kind = {
        "issued": intake_events.TICKET_ISSUED,
        "called": intake_events.TICKET_CALLED,
        "no_show": intake_events.TICKET_NO_SHOW,
    }[name]
    if name == "issued":
        data["queue_key"] = issued.isoformat()
    if name in ("called", "no_show"):
        data |= {"window_id": str(uuid.uuid4()), "called_at": issued.isoformat()}
    if name == "called":
        data |= {"window_number": extra.pop("window_number", 1), "wait_seconds": 60}
    if name == "no_show":
        data["no_show_at"] = issued.isoformat()
    return events.build(
        kind, source="/services/intake", subject=ticket_id, community=community, data=data, sequence=1
    )


def deliver(harness: Any, handler: Callable[..., None], event: dict[str, Any]) -> None:
    with harness.runtime.unit_of_work() as uow:
        handler(uow, event)
        uow.commit()


def seed_person(harness: Any, token: Callable[..., str], community: str) -> list[str]:
    """A person of `community` with a verified e-mail, consent, a watched ticket and an inbox line."""
    channels = recording_channels(harness)
    person = bearer(token("resident", community=community, sub=f"notify-person-{community}"))
    client = harness.client
    contact = client.post("/contacts", json={"kind": "email", "value": "wang@example.com"}, headers=person)
    assert contact.status_code == 201, contact.get_json()
    contact_id = contact.get_json()["id"]
    code = channels["email"].last_code()
    assert (
        client.post(f"/contacts/{contact_id}/verify", json={"code": code}, headers=person).status_code == 200
    )
    consent = client.post("/consents", json={"purpose": "queue", "language": "zh-Hans"}, headers=person)
    ticket_id = str(uuid.uuid4())
    deliver(harness, queue.on_ticket_issued, ticket_event("issued", ticket_id, "C001", community))
    watch = client.post(
        "/watches", json={"target_kind": "ticket", "target_id": ticket_id, "ahead": 2}, headers=person
    )
    assert watch.status_code == 201, watch.get_json()
    deliver(harness, queue.on_ticket_called, ticket_event("called", ticket_id, "C001", community))
    inbox = client.get("/inbox", headers=person).get_json()
    assert inbox, "no inbox line"
    return [contact_id, consent.get_json()["id"], watch.get_json()["id"], ticket_id, inbox[0]["id"]]
