"""Residents see only their own records; personal data is masked for other readers."""

from __future__ import annotations

from tests.support.helpers import assert_problem, bearer

PASSPORT = {"applicant_id": "440305199001011234", "household_size": 2, "kind": "new"}


def test_residents_see_only_their_own_tickets(desk, token):
    mine = desk.ticket(headers=desk.resident, channel="portal", contact_phone="13800138000")
    other = bearer(token("resident", community="huaguoshan", sub="resident-2"))
    theirs = desk.ticket(headers=other, channel="portal")
    listed = desk.client.get("/tickets", headers=desk.resident).get_json()
    assert [t["id"] for t in listed] == [mine["id"]]
    assert listed[0]["contact_phone"] == "13800138000"
    assert_problem(desk.client.get(f"/tickets/{theirs['id']}", headers=desk.resident), 404)


def test_committee_members_read_the_community_with_personal_data_masked(desk, token):
    ticket = desk.ticket(
        "passport", headers=desk.resident, channel="portal", contact_phone="13800138000", attributes=PASSPORT
    )
    committee = bearer(token("committee_member", community="huaguoshan"))
    shown = desk.client.get(f"/tickets/{ticket['id']}", headers=committee).get_json()
    assert shown["contact_phone"] == "138****8000"
    assert shown["attributes"]["applicant_id"] == "***"
    assert shown["attributes"]["household_size"] == 2
    assert shown["owner_sub"] == "***"
    staff_view = desk.client.get(f"/tickets/{ticket['id']}", headers=desk.staff).get_json()
    assert staff_view["attributes"]["applicant_id"] == "***"  # staff reveal it with a purpose
    assert staff_view["owner_sub"] == "resident-1"


def test_a_value_of_a_field_removed_from_the_form_stays_masked(desk, token):
    ticket = desk.ticket("passport", headers=desk.resident, channel="portal", attributes=PASSPORT)
    types = desk.client.get(
        "/business-types?community=huaguoshan&page_size=100", headers=desk.staff
    ).get_json()
    passport = next(t for t in types if t["code"] == "passport")
    current = desk.client.get(f"/business-types/{passport['id']}", headers=desk.staff)
    kept = [a for a in passport["attributes"] if a["code"] != "applicant_id"]
    response = desk.client.patch(
        f"/business-types/{passport['id']}",
        json={"attributes": kept},
        headers={**desk.staff, "If-Match": current.headers["ETag"]},
    )
    assert response.status_code == 200, response.get_json()
    committee = bearer(token("committee_member", community="huaguoshan"))
    shown = desk.client.get(f"/tickets/{ticket['id']}", headers=committee).get_json()
    assert shown["attributes"]["applicant_id"] == "***"
    assert shown["attributes"]["household_size"] == 2
    listed = desk.client.get("/tickets?community=huaguoshan", headers=committee).get_json()
    assert [t["attributes"].get("applicant_id") for t in listed] == ["***"]


def test_case_summary_is_hidden_from_committee_readers(desk, token):
    case = desk.post(
        "/cases",
        {
            "community": "huaguoshan",
            "business_type": "general",
            "summary": "Ms Li, flat 3-201, needs subsidy help.",
            "contact_phone": "13900139000",
        },
    ).get_json()
    committee = bearer(token("committee_member", community="huaguoshan"))
    shown = desk.client.get(f"/cases/{case['id']}", headers=committee).get_json()
    assert shown["summary"] == "***" and shown["contact_phone"] == "139****9000"


def test_committee_members_cannot_operate_windows(desk, token):
    window = desk.window(1)
    desk.ticket()
    committee = bearer(token("committee_member", community="huaguoshan"))
    assert_problem(desk.client.post(f"/windows/{window['id']}/call-next", headers=committee), 403)


def test_nobody_reads_outside_their_communities(desk, token):
    desk.ticket()
    outsider = bearer(token("committee_member", community="chiwan"))
    assert_problem(desk.client.get("/tickets?community=huaguoshan", headers=outsider), 403)
    assert desk.client.get("/tickets", headers=outsider).get_json() == []
    assert_problem(
        desk.client.get(
            "/analytics/summary?community=huaguoshan&from=2026-03-01&to=2026-03-31", headers=outsider
        ),
        403,
    )


def test_personal_data_never_reaches_the_logs(desk, caplog):
    caplog.set_level("DEBUG")
    desk.ticket(
        "passport", headers=desk.resident, channel="portal", contact_phone="13800138000", attributes=PASSPORT
    )
    assert "POST /tickets 201" in caplog.text  # the access log was captured
    text = caplog.text + str(desk.harness.outbox())
    assert "13800138000" not in text and PASSPORT["applicant_id"] not in text


def test_hall_display_is_public_and_shows_only_numbers(desk):
    window = desk.window(1)
    desk.window(2)
    ticket = desk.ticket(headers=desk.resident, channel="portal", contact_phone="13800138000")
    desk.call_next(window["id"])
    response = desk.client.get("/display?community=huaguoshan")
    assert response.status_code == 200
    assert response.get_json() == [
        {
            "window_number": 1,
            "window_label": "1号窗口",
            "status": "open",
            "ticket_number": ticket["number"],
            "ticket_status": "called",
            "called_at": "2026-03-03T01:00:00+00:00",
        },
        {
            "window_number": 2,
            "window_label": "2号窗口",
            "status": "open",
            "ticket_number": None,
            "ticket_status": None,
            "called_at": None,
        },
    ]


def test_waiting_resident_sees_how_many_are_ahead(desk):
    desk.ticket()
    desk.clock.advance(seconds=30)
    desk.ticket()
    desk.clock.advance(seconds=30)
    mine = desk.ticket(headers=desk.resident, channel="portal")
    shown = desk.client.get(f"/tickets/{mine['id']}", headers=desk.resident).get_json()
    assert shown["waiting_ahead"] == 2


def test_a_resident_cannot_give_themselves_a_priority_ticket(desk):
    body = {
        "community": "huaguoshan",
        "business_type": "general",
        "channel": "portal",
        "priority": True,
        "priority_reason": "elderly",
    }
    response = desk.client.post("/tickets", json=body, headers=desk.resident)
    problem = assert_problem(response, 403, type_suffix="priority-at-the-desk")
    assert "A priority ticket is given at the desk" in problem["detail"]
    assert desk.client.get("/tickets", headers=desk.resident).get_json() == []
    regular = desk.ticket(headers=desk.resident, channel="portal")
    assert regular["priority"] is False
    at_the_desk = desk.ticket(priority=True)  # staff, walk-in: still given
    assert at_the_desk["priority"] is True
