"""A resident is told by e-mail, through the gateway on the local stack (RabbitMQ, PostgreSQL).

The resident verifies an e-mail address with the code the real SMTP server (aiosmtpd)
received, consents to queue notices, takes a ticket behind four others and opts in to
"tell me at 2 ahead". The desk calls the others: the "2 ahead" mail arrives, then
"called to window 1". Every ticket call is then published a second time (the same
CloudEvent, as a redelivery would): still exactly one mail of each. No contact value
appears in any event on the exchange or in any process's log.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.support.helpers import wait_for

from .community_setup import Community, set_up_desk
from .gateway_client import Gateway, of_type

pytestmark = [pytest.mark.postgres, pytest.mark.rabbitmq]
ADDRESS = "li.xiaoming.notify@example.com"


def test_a_resident_is_mailed_at_two_ahead_and_when_called_exactly_once(
    stack, gateway, mailbox, exchange_events
):
    wzy = Community("wenzhuyuan", stack)
    set_up_desk(gateway, wzy)
    me = stack.token("resident", communities=(wzy.code,), sub="resident-notify-e2e")

    contact = verified_email(gateway, mailbox, me)
    assert contact["verified"] is True and contact["value_masked"] == "l***@example.com"
    gateway.call(
        "PUT",
        "/api/notifications/preferences",
        me,
        {"language": "zh-Hans", "channels": ["email"], "quiet_start": "00:00", "quiet_end": "00:00"},
    ).ok()
    consent = gateway.post("/api/notifications/consents", me, {"purpose": "queue", "language": "zh-Hans"}).ok(
        201
    )
    assert consent["wording"].startswith("我同意社区服务中心")

    others = [take_ticket(gateway, wzy, wzy.resident) for _ in range(4)]
    mine = take_ticket(gateway, wzy, me)
    watch = gateway.post(
        "/api/notifications/watches", me, {"target_kind": "ticket", "target_id": mine["id"], "ahead": 2}
    ).ok(201)
    assert watch["ahead"] == 2 and watch["ahead_told"] is False
    place = wait_for(lambda: queue_place(gateway, me, mine["id"], 4), timeout=30, message="4 ahead")
    assert place["estimated_wait_seconds"] > 0

    serve_next(gateway, wzy, others[0])
    serve_next(gateway, wzy, others[1])  # now C and D wait ahead: 2
    two_ahead = f"{mine['number']}号：您前面还有2位，请准备前往大厅。"
    wait_for(lambda: texts(mailbox).count(two_ahead) == 1, timeout=30, message="the 2-ahead mail")
    serve_next(gateway, wzy, others[2])
    serve_next(gateway, wzy, others[3])
    serve_next(gateway, wzy, mine)
    called = f"{mine['number']}号：请到1号窗口办理。"
    wait_for(lambda: called in texts(mailbox), timeout=30, message="the called mail")

    calls = of_type(exchange_events.events, "intake.ticket.called")
    assert len(calls) >= 5
    for event in calls:  # every call delivered a second time, as the broker may
        exchange_events.publish(event, "intake.ticket.called")
    last = take_ticket(gateway, wzy, me)  # a later message shows the twins were consumed first
    gateway.post("/api/notifications/watches", me, {"target_kind": "ticket", "target_id": last["id"]}).ok(201)
    serve_next(gateway, wzy, last)
    wait_for(
        lambda: f"{last['number']}号：请到1号窗口办理。" in texts(mailbox), timeout=30, message="later mail"
    )

    assert texts(mailbox).count(two_ahead) == 1
    assert texts(mailbox).count(called) == 1
    assert all(m.subject == "社区服务通知" for m in mailbox.to(ADDRESS))
    inbox = gateway.get("/api/notifications/inbox/unread", me).ok()
    assert inbox["unread"] == 3
    no_contact_anywhere(exchange_events, Path(stack.data_dir))


def verified_email(gw: Gateway, mailbox: Any, token: str) -> dict[str, Any]:
    contact = gw.post("/api/notifications/contacts", token, {"kind": "email", "value": ADDRESS}).ok(201)
    assert contact["verified"] is False
    mail = wait_for(lambda: (mailbox.to(ADDRESS) or [None])[-1], timeout=30, message="the code mail")
    code = re.search(r"验证码是(\d{6})", mail.text).group(1)
    wrong = "000000" if code != "000000" else "111111"
    refused = gw.post(f"/api/notifications/contacts/{contact['id']}/verify", token, {"code": wrong})
    assert refused.status == 422 and refused.body["type"].endswith("verification-code-refused")
    assert refused.body["errors"] == {"code": [refused.body["detail"]]}
    assert ADDRESS not in json.dumps(refused.body)
    return gw.post(f"/api/notifications/contacts/{contact['id']}/verify", token, {"code": code}).ok()


def take_ticket(gw: Gateway, community: Community, token: str) -> dict[str, Any]:
    return gw.post(
        "/api/intake/tickets",
        token,
        {
            "community": community.code,
            "business_type": "elderly_health_check",
            "channel": "portal",
            "attributes": community.answers("elderly_health_check"),
        },
    ).ok(201)


def serve_next(gw: Gateway, community: Community, expected: dict[str, Any]) -> None:
    called = gw.post(f"/api/intake/windows/{community.ids['window']}/call-next", community.staff).ok()
    assert called["ticket"]["id"] == expected["id"]
    gw.post(f"/api/intake/tickets/{expected['id']}/start", community.staff).ok()
    gw.post(f"/api/intake/tickets/{expected['id']}/complete", community.staff, {"note": "办结"}).ok()


def queue_place(gw: Gateway, token: str, ticket_id: str, ahead: int) -> dict[str, Any] | None:
    reply = gw.get(f"/api/notifications/tickets/{ticket_id}/queue", token)
    return reply.body if reply.status == 200 and reply.body["ahead"] == ahead else None


def texts(mailbox: Any) -> list[str]:
    return [m.text for m in mailbox.to(ADDRESS)]


def no_contact_anywhere(exchange_events: Any, data_dir: Path) -> None:
    exchange_events.drain()
    assert exchange_events.raw and not [raw for raw in exchange_events.raw if ADDRESS.encode() in raw]
    logs = list((data_dir / "logs").glob("*.log"))
    assert any(p.name.startswith("notifications") for p in logs)
    assert not [p.name for p in logs if ADDRESS in p.read_text(errors="replace")]
