"""Sending what the events triggered: consent, quiet hours, failures, dead letters and replay,
and no contact value in any event, log line or error body."""

from __future__ import annotations

import json
import logging
import uuid
from dataclasses import replace
from datetime import timedelta

import pytest

from services.notifications.settings import NotificationsSettings
from services.notifications.usecases import queue
from services.notifications.usecases.dispatch import Dispatcher
from tests.support.helpers import assert_problem, bearer

from .support import deliver, ticket_event

ADDRESS = "li.ming@example.com"
SETTINGS = NotificationsSettings(max_attempts=3, retry_first_seconds=1.0, retry_cap_seconds=4.0)


@pytest.fixture
def person(notify, channels, resident, moment):
    """A resident with a verified e-mail, consent to queue notices, watching ticket C003 at 1 ahead."""
    contact = notify.client.post(
        "/contacts", json={"kind": "email", "value": ADDRESS}, headers=resident
    ).get_json()
    code = channels["email"].last_code()
    notify.client.post(f"/contacts/{contact['id']}/verify", json={"code": code}, headers=resident)
    preferences = {"language": "zh-Hans", "channels": ["email"]}
    assert notify.client.put("/preferences", json=preferences, headers=resident).status_code == 200
    notify.client.post("/consents", json={"purpose": "queue", "language": "zh-Hans"}, headers=resident)
    ids = [str(uuid.uuid4()) for _ in range(3)]
    for minute, (ticket_id, number) in enumerate(zip(ids, ("C001", "C002", "C003"), strict=True)):
        deliver(notify, queue.on_ticket_issued, ticket_event("issued", ticket_id, number, minutes=minute))
    watch = {"target_kind": "ticket", "target_id": ids[2], "ahead": 1}
    assert notify.client.post("/watches", json=watch, headers=resident).status_code == 201
    channels["email"].sent.clear()
    return ids


def dispatcher(notify, channels, settings=SETTINGS):
    return Dispatcher(settings, channels, notify.app.extensions["notifications.cipher"])


def run(notify, dispatch):
    with notify.runtime.unit_of_work() as uow:
        dispatch(uow)
        uow.commit()


def mails(channels):
    return [message.text for _, message in channels["email"].sent]


def test_the_watcher_is_told_at_one_ahead_and_when_called_once_per_event(notify, channels, person, moment):
    dispatch = dispatcher(notify, channels)
    first = ticket_event("called", person[0], "C001")
    deliver(notify, queue.on_ticket_called, first)
    deliver(notify, queue.on_ticket_called, first)  # the same event again: no second message
    run(notify, dispatch)
    assert mails(channels) == ["C003号：您前面还有1位，请准备前往大厅。"]
    deliver(notify, queue.on_ticket_called, ticket_event("called", person[1], "C002"))
    deliver(notify, queue.on_ticket_called, ticket_event("called", person[2], "C003", window_number=4))
    run(notify, dispatch)
    assert mails(channels)[1:] == ["C003号：请到4号窗口办理。"]
    assert notify.count("deliveries") == 2


def test_withdrawing_consent_stops_the_next_message(notify, channels, person, resident, moment):
    dispatch = dispatcher(notify, channels)
    deliver(notify, queue.on_ticket_called, ticket_event("called", person[0], "C001"))
    assert notify.client.delete("/consents/queue", headers=resident).status_code == 200
    run(notify, dispatch)
    deliver(notify, queue.on_ticket_called, ticket_event("called", person[2], "C003"))
    run(notify, dispatch)
    assert mails(channels) == []
    assert notify.count("deliveries") == 2


def test_quiet_hours_hold_a_non_urgent_message_and_send_it_after_but_not_the_call(
    notify, channels, person, resident, moment
):
    quiet = {"language": "zh-Hans", "channels": ["email"], "quiet_start": "11:00", "quiet_end": "13:30"}
    notify.client.put("/preferences", json=quiet, headers=resident)
    dispatch = dispatcher(notify, channels)
    deliver(notify, queue.on_ticket_called, ticket_event("called", person[0], "C001"))
    run(notify, dispatch)
    assert mails(channels) == []  # 12:00 local: held
    deliver(notify, queue.on_ticket_called, ticket_event("called", person[2], "C003"))
    run(notify, dispatch)
    assert mails(channels) == ["C003号：请到1号窗口办理。"]  # urgent: not held
    moment.advance(timedelta(minutes=89))
    run(notify, dispatch)
    assert len(mails(channels)) == 1  # 13:29 local
    moment.advance(timedelta(minutes=1))
    run(notify, dispatch)
    assert mails(channels)[1:] == ["C003号：您前面还有1位，请准备前往大厅。"]


def test_a_failing_channel_retries_with_backoff_dead_letters_with_the_error_and_replays(
    notify, channels, person, token, moment, caplog
):
    caplog.set_level(logging.DEBUG)
    operator = bearer(token("admin", community=None, sub="ops-1"))
    channels["email"].failing = "SMTP server refused: 451"
    dispatch = dispatcher(notify, channels)
    deliver(notify, queue.on_ticket_called, ticket_event("called", person[0], "C001"))
    for _ in range(SETTINGS.max_attempts):
        run(notify, dispatch)
        moment.advance(timedelta(seconds=SETTINGS.retry_cap_seconds))
    dead = notify.client.get("/dead-letters", headers=operator).get_json()
    assert [(d["trigger"], d["channel"], d["attempts"], d["last_error"]) for d in dead] == [
        ("ticket.ahead", "email", 3, "SMTP server refused: 451")
    ]
    assert "notifications.delivery.dead_lettered.v1" in notify.outbox_types()
    assert {e.get("community") for e in notify.outbox()} == {"huaguoshan"}  # the triggering event's
    channels["email"].failing = None
    replayed = notify.client.post(f"/dead-letters/{dead[0]['id']}/replay", headers=operator)
    assert replayed.status_code == 200
    run(notify, dispatch)
    assert mails(channels) == ["C003号：您前面还有1位，请准备前往大厅。"]
    assert notify.client.get("/dead-letters", headers=operator).get_json() == []
    assert_problem(notify.client.post(f"/dead-letters/{dead[0]['id']}/replay", headers=operator), 404)
    scanned = json.dumps(notify.outbox(), ensure_ascii=False) + caplog.text + json.dumps(dead)
    assert "delivery.sent" in scanned and ADDRESS not in scanned


def test_a_resident_may_not_see_or_replay_dead_letters(notify, resident):
    assert_problem(notify.client.get("/dead-letters", headers=resident), 403)
    assert_problem(notify.client.post(f"/dead-letters/{uuid.uuid4()}/replay", headers=resident), 403)


def test_the_rate_limit_holds_non_urgent_messages(notify, channels, person, moment):
    dispatch = dispatcher(notify, channels, replace(SETTINGS, rate_per_hour=0))
    deliver(notify, queue.on_ticket_called, ticket_event("called", person[0], "C001"))
    run(notify, dispatch)
    assert mails(channels) == []
    moment.advance(timedelta(minutes=5))
    run(notify, dispatcher(notify, channels))
    assert len(mails(channels)) == 1


def test_the_inbox_counts_unread_and_marks_read(notify, channels, person, resident, neighbour):
    deliver(notify, queue.on_ticket_called, ticket_event("called", person[0], "C001"))
    assert notify.client.get("/inbox/unread", headers=resident).get_json() == {"unread": 1}
    (line,) = notify.client.get("/inbox", headers=resident).get_json()
    assert line["text"] == "C003号：您前面还有1位，请准备前往大厅。"
    assert_problem(notify.client.post(f"/inbox/{line['id']}/read", headers=neighbour), 404)
    assert notify.client.post(f"/inbox/{line['id']}/read", headers=resident).get_json()["read_at"]
    assert notify.client.get("/inbox/unread", headers=resident).get_json() == {"unread": 0}


def test_the_ticket_page_reads_its_place_and_estimated_wait(notify, person, resident, token):
    place = notify.client.get(f"/tickets/{person[2]}/queue", headers=resident).get_json()
    assert place == {
        "ticket_id": person[2],
        "number": "C003",
        "status": "waiting",
        "ahead": 2,
        "estimated_wait_seconds": 900,
    }
    outsider = bearer(token("resident", community="chiwan", sub="resident-li"))
    assert_problem(notify.client.get(f"/tickets/{person[2]}/queue", headers=outsider), 404)


def test_a_resident_watching_a_case_is_told_of_its_resolution_in_their_language(
    notify, channels, resident, moment
):
    from services.chassis import events
    from services.intake import events as intake_events

    notify.client.put("/preferences", json={"language": "en", "channels": ["email"]}, headers=resident)
    notify.client.post("/consents", json={"purpose": "cases", "language": "en"}, headers=resident)
    case_id = str(uuid.uuid4())
    watch = {"target_kind": "case", "target_id": case_id}
    assert notify.client.post("/watches", json=watch, headers=resident).get_json()["ahead"] is None
    at = moment().isoformat()
    data = {
        "case_id": case_id,
        "case_number": "IC-2026-000042",
        "business_type": "elderly_health_check",
        "opened_at": at,
        "due_at": at,
        "resolved_at": at,
        "on_time": True,
    }
    resolved = events.build(
        intake_events.CASE_RESOLVED,
        source="/services/intake",
        subject=case_id,
        community="huaguoshan",
        data=data,
        sequence=2,
    )
    deliver(notify, queue.on_case_changed, resolved)
    (line,) = notify.client.get("/inbox", headers=resident).get_json()
    assert line["text"] == "Your case IC-2026-000042 is now: resolved."
