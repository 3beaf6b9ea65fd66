"""Bad input gets a precise 4xx problem and changes nothing in the database."""

from __future__ import annotations

import pytest

from tests.support.helpers import assert_problem, bearer

TABLES = ("tickets", "ticket_steps", "cases", "feedback", "number_series", "outbox", "idempotency_keys")
GOOD_PASSPORT = {"applicant_id": "440305199001011234", "household_size": 3, "kind": "new"}


def snapshot(desk):
    return {table: desk.harness.count(table) for table in TABLES}


def passport_ticket(desk, attributes, **extra):
    return desk.client.post(
        "/tickets",
        json={
            "community": "huaguoshan",
            "business_type": "passport",
            "channel": "walk_in",
            "attributes": attributes,
            **extra,
        },
        headers=desk.staff,
    )


def test_unknown_business_type_is_422_naming_the_field(desk):
    before = snapshot(desk)
    response = desk.client.post(
        "/tickets",
        json={"community": "huaguoshan", "business_type": "dragon_taming", "channel": "walk_in"},
        headers=desk.staff,
    )
    body = assert_problem(response, 422, type_suffix="unknown-business-type", field="business_type")
    assert body["detail"] == "Unknown business type 'dragon_taming' in huaguoshan."
    assert snapshot(desk) == before


def test_a_business_type_retired_a_moment_after_a_ticket_is_refused_at_once(desk):
    desk.ticket("general")  # the type is now in this process's reference cache
    business_type = desk.client.get("/business-types?community=huaguoshan", headers=desk.staff).get_json()
    general = next(row for row in business_type if row["code"] == "general")
    url = f"/business-types/{general['id']}"
    etag = desk.client.get(url, headers=desk.staff).headers["ETag"]
    retired = desk.client.patch(url, json={"active": False}, headers={**desk.staff, "If-Match": etag})
    assert retired.status_code == 200, retired.get_json()
    before = snapshot(desk)
    response = desk.client.post(
        "/tickets",
        json={"community": "huaguoshan", "business_type": "general", "channel": "walk_in"},
        headers=desk.staff,
    )
    assert_problem(response, 422, type_suffix="unknown-business-type", field="business_type")
    assert snapshot(desk) == before


@pytest.mark.parametrize(
    "attributes, field, message",
    [
        ({**GOOD_PASSPORT, "household_size": "three"}, "household_size", "Not a valid number."),
        ({**GOOD_PASSPORT, "household_size": True}, "household_size", "Not a valid number."),
        (
            {**GOOD_PASSPORT, "household_size": 10**400},
            "household_size",
            "Out of range (at most 9007199254740991 in size).",
        ),
        ({**GOOD_PASSPORT, "applicant_id": 440305}, "applicant_id", "Not a valid string."),
        ({**GOOD_PASSPORT, "kind": "lost"}, "kind", "Must be one of: new, renew."),
        ({**GOOD_PASSPORT, "moved_in": "yesterday"}, "moved_in", "Not a valid ISO 8601 datetime."),
        (
            {**GOOD_PASSPORT, "moved_in": "2026-03-01T10:00:00"},
            "moved_in",
            "The datetime needs a UTC offset.",
        ),
        ({**GOOD_PASSPORT, "documents": "id_card"}, "documents", "Must be a list of value keys."),
        (
            {**GOOD_PASSPORT, "documents": ["id_card", "visa"]},
            "documents",
            "Unknown values: visa; use: hukou, id_card.",
        ),
        ({**GOOD_PASSPORT, "remarks": "x" * 2001}, "remarks", "Longer than 2000 characters."),
        ({**GOOD_PASSPORT, "shoe_size": 42}, "shoe_size", "Unknown attribute for this business type."),
    ],
)
def test_attribute_of_the_wrong_type_is_422_by_attribute(desk, attributes, field, message):
    before = snapshot(desk)
    body = assert_problem(passport_ticket(desk, attributes), 422, type_suffix="validation-failed")
    assert body["errors"] == {f"attributes.{field}": [message]}
    assert snapshot(desk) == before


def test_missing_required_attributes_are_all_listed(desk):
    before = snapshot(desk)
    body = assert_problem(passport_ticket(desk, {"household_size": 2}), 422)
    assert body["errors"] == {
        "attributes.applicant_id": ["Missing required attribute."],
        "attributes.kind": ["Missing required attribute."],
    }
    assert snapshot(desk) == before


def test_valid_attributes_are_accepted(desk):
    response = passport_ticket(
        desk, {**GOOD_PASSPORT, "documents": ["hukou"], "moved_in": "2025-12-01T09:00:00+08:00"}
    )
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["number"] == "B001"


def _completed_ticket(desk):
    window = desk.window(1)
    ticket = desk.ticket(headers=desk.resident, channel="portal")
    desk.serve(window["id"])
    return ticket


def test_feedback_twice_is_409_and_the_first_stays(desk):
    ticket = _completed_ticket(desk)
    first = desk.client.post(
        "/feedback",
        json={"target_kind": "ticket", "target_id": ticket["id"], "score": 5},
        headers=desk.resident,
    )
    assert first.status_code == 201, first.get_json()
    before = snapshot(desk)
    again = desk.client.post(
        "/feedback",
        json={"target_kind": "ticket", "target_id": ticket["id"], "score": 1, "comment": "changed my mind"},
        headers=desk.resident,
    )
    body = assert_problem(again, 409, type_suffix="feedback-exists")
    assert body["detail"] == "This ticket has already been rated."
    assert snapshot(desk) == before
    listed = desk.client.get("/feedback", headers=desk.resident).get_json()
    assert [f["score"] for f in listed] == [5]


@pytest.mark.parametrize("score", [0, 6, -1, "5", 4.5])
def test_feedback_score_outside_1_to_5_is_422(desk, score):
    ticket = _completed_ticket(desk)
    before = snapshot(desk)
    response = desk.client.post(
        "/feedback",
        json={"target_kind": "ticket", "target_id": ticket["id"], "score": score},
        headers=desk.resident,
    )
    body = assert_problem(response, 422, field="score")
    expected = (
        "Must be greater than or equal to 1 and less than or equal to 5."
        if isinstance(score, int)
        else "Not a valid integer."
    )
    assert body["errors"]["score"] == [expected]
    assert snapshot(desk) == before


def test_feedback_for_a_ticket_not_yet_completed_is_409(desk):
    ticket = desk.ticket(headers=desk.resident, channel="portal")
    before = snapshot(desk)
    response = desk.client.post(
        "/feedback",
        json={"target_kind": "ticket", "target_id": ticket["id"], "score": 4},
        headers=desk.resident,
    )
    assert_problem(response, 409, type_suffix="not-ratable")
    assert snapshot(desk) == before


def test_feedback_by_another_resident_is_404(desk, token):
    ticket = _completed_ticket(desk)
    other = bearer(token("resident", community="huaguoshan", sub="resident-2"))
    response = desk.client.post(
        "/feedback", json={"target_kind": "ticket", "target_id": ticket["id"], "score": 4}, headers=other
    )
    assert_problem(response, 404)


def test_priority_without_reason_is_422(desk):
    before = snapshot(desk)
    response = desk.client.post(
        "/tickets",
        json={"community": "huaguoshan", "business_type": "general", "channel": "walk_in", "priority": True},
        headers=desk.staff,
    )
    assert_problem(response, 422, field="priority_reason")
    assert snapshot(desk) == before


def test_dedicated_window_with_unknown_skill_is_422(desk):
    response = desk.client.post(
        "/windows",
        json={"community": "huaguoshan", "number": 5, "mode": "dedicated", "skills": ["nope"]},
        headers=desk.staff,
    )
    body = assert_problem(response, 422, field="skills")
    assert body["errors"]["skills"] == ["Unknown: nope."]
    assert desk.harness.count("windows") == 0


def test_referral_to_grid_without_hints_is_422(desk):
    case = desk.post(
        "/cases",
        {
            "community": "huaguoshan",
            "business_type": "general",
            "summary": "Loose manhole cover at the gate.",
        },
    ).get_json()
    before = snapshot(desk)
    response = desk.post(f"/cases/{case['id']}/refer", {"target": "grid"})
    assert_problem(response, 422, field="category")
    response = desk.post(f"/cases/{case['id']}/refer", {"target": "moon_office"})
    assert_problem(response, 422, field="target")
    assert snapshot(desk) == before


def test_patch_without_if_match_is_428_and_stale_is_412(desk):
    window = desk.window(1)
    url = f"/windows/{window['id']}"
    assert_problem(desk.client.patch(url, json={"status": "paused"}, headers=desk.staff), 428)
    etag = desk.client.get(url, headers=desk.staff).headers["ETag"]
    changed = desk.client.patch(url, json={"status": "paused"}, headers={**desk.staff, "If-Match": etag})
    assert changed.status_code == 200 and changed.get_json()["status"] == "paused"
    stale = desk.client.patch(url, json={"status": "open"}, headers={**desk.staff, "If-Match": etag})
    assert_problem(stale, 412)
    assert desk.client.get(url, headers=desk.staff).get_json()["status"] == "paused"


def test_resident_cannot_take_a_walk_in_ticket_or_act_outside_their_community(desk, token):
    assert_problem(
        desk.client.post(
            "/tickets",
            json={"community": "huaguoshan", "business_type": "general", "channel": "walk_in"},
            headers=desk.resident,
        ),
        403,
    )
    outsider = bearer(token("center_staff", community="chiwan"))
    assert_problem(
        desk.client.post(
            "/tickets",
            json={"community": "huaguoshan", "business_type": "general", "channel": "walk_in"},
            headers=outsider,
        ),
        403,
    )
    assert desk.harness.count("tickets") == 0
