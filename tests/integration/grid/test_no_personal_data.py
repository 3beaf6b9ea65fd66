"""No personal data in any event, log line or open-data file: a scenario creates ID numbers,
phones and names, then every event (outbox and exchange), every log line and the month's
public case list (CSV and JSON) is scanned for them."""

import logging
import uuid

import pytest

from services.chassis import clock
from services.chassis.observability import JsonFormatter
from services.chassis.open_data import month_of
from services.grid.usecases.personal_data import iso7064_mod11_2
from tests.integration.grid.conftest import HGS_LAT, HGS_LON, publish
from tests.support.helpers import bearer, wait_for
from tests.unit.grid.intake_event import referral

pytestmark = [pytest.mark.postgres, pytest.mark.rabbitmq]


def id_number(first17: str) -> str:
    return first17 + iso7064_mod11_2(first17)


PEOPLE = [  # name, ID number, phone
    ("王建国", id_number("44030519560312123"), "13912345678"),
    ("林晓红", id_number("44030519881105456"), "13698765432"),
    ("Chen Meiling", id_number("36010219790101789"), "0755-26881234"),
]
REPORTER = ("Zhou Dawei", "15011112222", "zhou.dawei@example.com")


def test_scenario_leaves_no_personal_data_in_events_or_logs(
    grid, client, make_cell, staff, worker, resident, token, intake_bus, tap, caplog
):
    caplog.set_level(logging.DEBUG)
    make_cell("HGS-01")
    grid.start_worker()
    officer = bearer(token("subdistrict_officer", community="huaguoshan"))
    for code, title in (("fire_exits", "消防通道"), ("sanitation", "卫生")):
        client.put(
            f"/checklist/{code}",
            json={"area": "a1", "title": title, "default_severity": "high", "case_category": "hazard_fire"},
            headers=officer,
        )

    building = client.post(
        "/buildings",
        json={"cell_code": "HGS-01", "address": "花果山大厦 A 座", "floors": 20, "use": "residential"},
        headers=worker,
    ).get_json()
    household = client.post(
        "/households", json={"building_id": building["id"], "unit": "8C", "tenure": "owned"}, headers=worker
    ).get_json()

    def add_person(name, id_number, **fields):
        return client.post(
            "/persons",
            json={"household_id": household["id"], "name": name, "id_number": id_number, **fields},
            headers=worker,
        )

    people = []
    for name, number, phone in PEOPLE:
        response = add_person(name, number, phone=phone, residency="registered", special_care=["disability"])
        assert response.status_code == 201
        people.append(response.get_json())
    name, number, phone = PEOPLE[0]
    assert add_person(name, number, residency="floating").status_code == 409
    assert add_person(name, number[:-1] + "0", residency="floating").status_code == 422
    assert client.post("/persons/lookup", json={"id_number": number}, headers=staff).status_code == 200
    revealed = client.post(
        f"/persons/{people[0]['id']}/reveal", json={"purpose": "Disability allowance check"}, headers=staff
    )
    assert revealed.get_json()["id_number"] == number
    etag = client.get(f"/persons/{people[1]['id']}", headers=worker).headers["ETag"]
    client.patch(
        f"/persons/{people[1]['id']}", json={"phone": "13600001111"}, headers={**worker, "If-Match": etag}
    )

    case = client.post(
        "/cases",
        json={
            "community": "huaguoshan",
            "category": "dispute_neighbour",
            "description": f"{PEOPLE[0][0]} ({PEOPLE[0][2]}) blocks the corridor; ID {PEOPLE[0][1]}",
            "lon": HGS_LON + 0.001,
            "lat": HGS_LAT + 0.001,
        },
        headers=resident,
    ).get_json()
    for action, body in (
        ("accept", {}),
        ("refer", {"department": "justice", "note": f"{PEOPLE[1][0]} asked mediation"}),
    ):
        assert client.post(f"/cases/{case['id']}/{action}", json=body, headers=staff).status_code == 200
    client.post(f"/cases/{case['id']}/notes", json={"note": f"Called {PEOPLE[2][2]}"}, headers=staff)

    api_key = client.post(
        "/open311-clients", json={"name": "portal", "communities": ["huaguoshan"]}, headers=officer
    ).get_json()["api_key"]
    first, last = REPORTER[0].split()
    opened = client.post(
        "/open311/v2/requests.json",
        data={
            "jurisdiction_id": "huaguoshan",
            "api_key": api_key,
            "service_code": "hazard_gas",
            "lat": HGS_LAT + 0.0015,
            "long": HGS_LON + 0.0015,
            "first_name": first,
            "last_name": last,
            "phone": REPORTER[1],
            "email": REPORTER[2],
            "description": f"Gas smell at {PEOPLE[2][0]}'s flat",
        },
    )
    assert opened.status_code == 201
    client.post(
        "/inspections",
        json={
            "cell_code": "HGS-01",
            "items": [
                {"code": "fire_exits", "result": "finding", "note": f"{PEOPLE[1][0]} stores boxes"},
                {"code": "sanitation", "result": "ok"},
            ],
        },
        headers=worker,
    )
    intake_case = str(uuid.uuid4())
    publish(intake_bus, referral(case_id=intake_case))

    # The tap also sees the referral itself: wait for grid's case opened from it, then for
    # every grid event (the referral's case included) on the exchange.
    wait_for(
        lambda: any(e["data"].get("source_ref") == intake_case for e in tap.of("grid.case.reported")),
        message="grid's case from the intake referral",
    )
    expected = grid.count("outbox") + 1  # + the referral published as intake would
    wait_for(lambda: len(tap.drain()) >= expected, message="every event on the exchange")
    events = [body.decode() for body in tap.raw]
    events += [str(e) for e in grid.outbox()]
    formatter = JsonFormatter("grid")
    lines = [formatter.format(record) for record in caplog.records]
    assert len(events) > 15 and len(lines) > 20
    # the scan sees the scenario: its case events and its requests' log lines
    assert any(case["id"] in e and "grid.case.referred" in e for e in events), events
    assert any("grid.collection.updated" in e for e in events), events
    assert any("POST /persons/<uuid:person_id>/reveal 200" in line for line in lines), lines
    assert any("grid case opened from intake referral" in line for line in lines), lines

    # the public open data of the month (no token): the case list, as CSV and as JSON
    month = month_of(clock.now())
    published = [client.get(f"/open-data/cases/{month}.{fmt}") for fmt in ("csv", "json")]
    assert all(response.status_code == 200 for response in published)
    assert case["number"] in {row["number"] for row in published[1].get_json()}
    files = [response.get_data(as_text=True) for response in published]

    secrets = [value for person in PEOPLE for value in person] + list(REPORTER)
    secrets += [first, last, "13600001111"]
    for secret in secrets:
        for body in files:
            assert secret not in body, f"{secret!r} found in the open data"
    for secret in secrets:
        for text_ in events:
            assert secret not in text_, f"{secret!r} found in an event"
        for line in lines:
            assert secret not in line, f"{secret!r} found in a log line"
