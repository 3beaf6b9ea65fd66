"""Call order: longest wait first, priority first with aging, skills of dedicated windows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services.intake import domain
from tests.support.helpers import assert_problem


def test_longest_waiting_ticket_is_called_first(desk):
    window = desk.window(1)
    first = desk.ticket()
    desk.clock.advance(minutes=1)
    desk.ticket()
    assert desk.call_next(window["id"])["id"] == first["id"]


def test_priority_ticket_goes_before_ordinary_ones_that_waited_less_than_the_boost(desk):
    window = desk.window(1)
    ordinary = desk.ticket()
    desk.clock.advance(minutes=10)
    elderly = desk.ticket(priority=True)
    assert elderly["number"] == "V001"
    assert desk.call_next(window["id"])["id"] == elderly["id"]
    desk.post(f"/tickets/{elderly['id']}/no-show")
    assert desk.call_next(window["id"])["id"] == ordinary["id"]


def test_aging_an_ordinary_ticket_that_waited_longer_than_the_boost_is_not_starved(desk):
    window = desk.window(1)
    ordinary = desk.ticket()
    desk.clock.advance(minutes=16)  # boost is 15 minutes
    desk.ticket(priority=True)
    desk.ticket(priority=True)
    assert desk.call_next(window["id"])["id"] == ordinary["id"]


def test_a_stream_of_priority_tickets_cannot_hold_back_an_ordinary_one_forever(desk):
    window = desk.window(1)
    ordinary = desk.ticket()
    called = []
    for _ in range(30):
        desk.clock.advance(minutes=2)
        desk.ticket(priority=True)
        ticket = desk.call_next(window["id"])
        called.append(ticket["id"])
        desk.post(f"/tickets/{ticket['id']}/no-show")
        if ticket["id"] == ordinary["id"]:
            break
    assert ordinary["id"] in called
    assert len(called) <= 9  # within boost / arrival gap + 1 calls


def test_dedicated_window_calls_only_types_it_has_skills_for(desk):
    passport_window = desk.window(2, mode="dedicated", skills=["passport"])
    general = desk.ticket("general")
    desk.clock.advance(minutes=1)
    passport = desk.ticket(
        "passport", attributes={"applicant_id": "440305199001011234", "household_size": 3, "kind": "new"}
    )
    assert desk.call_next(passport_window["id"])["id"] == passport["id"]
    assert desk.call_next(desk.window(3)["id"])["id"] == general["id"]


def test_dedicated_window_with_nothing_it_can_serve_calls_nobody(desk):
    window = desk.window(2, mode="dedicated", skills=["passport"])
    desk.ticket("general")
    response = desk.post(f"/windows/{window['id']}/call-next")
    assert response.status_code == 200
    assert response.get_json() == {"ticket": None, "window_number": 2, "still_waiting": 0}


def test_a_window_calling_a_ticket_it_has_no_skill_for_is_409_and_nothing_changes(desk):
    window = desk.window(2, mode="dedicated", skills=["passport"])
    ticket = desk.ticket("general")
    outbox = len(desk.harness.outbox())
    response = desk.post(f"/windows/{window['id']}/call", {"ticket_id": ticket["id"]})
    problem = assert_problem(response, 409, type_suffix="window-lacks-skill")
    assert "no skill for general" in problem["detail"]
    after = desk.client.get(f"/tickets/{ticket['id']}", headers=desk.staff).get_json()
    assert after["status"] == "waiting" and after["window_id"] is None
    shown = desk.client.get(f"/windows/{window['id']}", headers=desk.staff).get_json()
    assert shown["current_ticket_id"] is None
    assert len(desk.harness.outbox()) == outbox


def test_a_window_must_finish_its_ticket_before_calling_the_next(desk):
    window = desk.window(1)
    desk.ticket()
    desk.ticket()
    desk.call_next(window["id"])
    assert_problem(desk.post(f"/windows/{window['id']}/call-next"), 409, type_suffix="window-busy")


def test_a_paused_window_cannot_call(desk):
    window = desk.window(1, status="paused")
    desk.ticket()
    assert_problem(desk.post(f"/windows/{window['id']}/call-next"), 409, type_suffix="window-not-open")


def test_transfer_keeps_the_original_place_in_the_queue(desk):
    window = desk.window(1)
    first = desk.ticket()
    desk.clock.advance(minutes=5)
    second = desk.ticket()
    desk.call_next(window["id"])
    desk.post(f"/tickets/{first['id']}/start")
    moved = desk.post(
        f"/tickets/{first['id']}/transfer",
        {
            "business_type": "passport",
            "attributes": {"applicant_id": "440305199001011234", "household_size": 2, "kind": "renew"},
        },
    )
    assert moved.status_code == 200, moved.get_json()
    body = moved.get_json()
    assert body["status"] == "waiting" and body["business_type"] == "passport"
    assert body["issued_at"] == first["issued_at"] and body["number"] == first["number"]
    assert desk.call_next(window["id"])["id"] == first["id"]
    assert second["id"] != first["id"]


def test_held_ticket_resumes_in_its_original_place(desk):
    window = desk.window(1)
    first = desk.ticket()
    desk.clock.advance(minutes=1)
    desk.ticket()
    desk.call_next(window["id"])
    desk.post(f"/tickets/{first['id']}/hold")
    desk.clock.advance(minutes=10)
    desk.post(f"/tickets/{first['id']}/resume")
    assert desk.call_next(window["id"])["id"] == first["id"]


def test_every_step_is_stamped_with_time_staff_and_window(desk):
    window = desk.window(1)
    ticket = desk.ticket()
    desk.clock.advance(minutes=3)
    desk.serve(window["id"], minutes=4)
    shown = desk.client.get(f"/tickets/{ticket['id']}", headers=desk.staff).get_json()
    assert shown["wait_seconds"] == 180 and shown["service_seconds"] == 240
    assert [s["action"] for s in shown["steps"]] == ["issue", "call", "start", "complete"]
    assert all(s["staff_sub"] == "staff-1" for s in shown["steps"][1:])
    assert shown["steps"][1]["window_id"] == window["id"]


def test_pick_next_matches_the_database_order():
    t0 = datetime(2026, 3, 3, 1, 0, tzinfo=UTC)
    boost = timedelta(minutes=15)
    queued = [
        domain.QueuedTicket("a", "general", domain.queue_key(t0, False, boost)),
        domain.QueuedTicket("b", "passport", domain.queue_key(t0 + timedelta(minutes=5), True, boost)),
        domain.QueuedTicket("c", "general", domain.queue_key(t0 + timedelta(minutes=1), True, boost)),
    ]
    assert domain.pick_next(queued, "generalist", set()).id == "c"
    assert domain.pick_next(queued, "dedicated", {"passport"}).id == "b"
    assert domain.pick_next(queued, "dedicated", {"housing"}) is None


def test_ticket_numbers_count_per_letter_and_restart_each_local_day(desk):
    assert desk.ticket()["number"] == "A001"
    assert desk.ticket()["number"] == "A002"
    assert desk.ticket(priority=True)["number"] == "V001"
    desk.clock.advance(hours=16)  # 01:00 Shanghai on the next day
    assert desk.ticket()["number"] == "A001"


def test_a_repeated_ticket_request_with_the_same_idempotency_key_issues_one_ticket(desk):
    body = {"community": "huaguoshan", "business_type": "general", "channel": "walk_in"}
    headers = {**desk.staff, "Idempotency-Key": "kiosk-7-press-1"}
    first = desk.client.post("/tickets", json=body, headers=headers)
    again = desk.client.post("/tickets", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json()["id"] == first.get_json()["id"]
    assert desk.harness.count("tickets") == 1


def test_tickets_are_listed_by_the_window_that_called_them(desk):
    first, second = desk.window(1), desk.window(2)
    desk.ticket()
    desk.ticket()
    called = desk.call_next(first["id"])
    listed = desk.client.get(
        f"/tickets?community=huaguoshan&window_id={first['id']}", headers=desk.staff
    ).get_json()
    assert [t["id"] for t in listed] == [called["id"]]
    assert (
        desk.client.get(
            f"/tickets?community=huaguoshan&window_id={second['id']}", headers=desk.staff
        ).get_json()
        == []
    )
