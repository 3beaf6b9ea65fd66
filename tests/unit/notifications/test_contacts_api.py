"""Contact points, codes, consents and preferences through the API; every refusal a precise problem."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.support.helpers import assert_problem

OPENID = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"


def register(client, headers, kind, value):
    return client.post("/contacts", json={"kind": kind, "value": value}, headers=headers)


def test_a_mobile_number_is_verified_by_the_code_sent_to_it_and_shown_masked(
    notify, channels, resident, moment
):
    created = register(notify.client, resident, "mobile", "+86 139-1234-5678")
    assert created.status_code == 201
    body = created.get_json()
    assert body["value_masked"] == "139****5678" and body["verified"] is False
    address, message = channels["sms"].sent[-1]
    assert address == "13912345678" and "10分钟内有效" in message.text
    verified = notify.client.post(
        f"/contacts/{body['id']}/verify", json={"code": channels["sms"].last_code()}, headers=resident
    )
    assert verified.status_code == 200 and verified.get_json()["verified"] is True
    listed = notify.client.get("/contacts", headers=resident).get_json()
    assert [c["value_masked"] for c in listed] == ["139****5678"]
    assert "13912345678" not in notify.client.get("/contacts", headers=resident).get_data(as_text=True)


@pytest.mark.parametrize(
    "kind, value, detail",
    [
        ("mobile", "0755-26881234", "手机号无法验证"),
        ("mobile", "12012345678", "手机号无法验证"),
        ("mobile", "1391234567", "手机号无法验证"),
        ("email", "li@@example.com", "电子邮箱地址格式不正确"),
        ("email", "li@example", "电子邮箱地址格式不正确"),
        ("email", "li..ming@example.com", "电子邮箱地址格式不正确"),
        ("wechat", "not-an-openid", "微信 openid 格式不正确"),
    ],
)
def test_unverifiable_numbers_and_malformed_addresses_are_422_and_nothing_is_sent(
    notify, channels, resident, kind, value, detail
):
    body = assert_problem(
        register(notify.client, resident, kind, value), 422, detail_contains=detail, field="value"
    )
    assert value not in str(body)
    assert all(c.sent == [] for c in channels.values())
    assert notify.client.get("/contacts", headers=resident).get_json() == []


def test_an_unknown_contact_kind_is_422(notify, channels, resident):
    assert_problem(register(notify.client, resident, "fax", "0755-1234"), 422, field="kind")


def test_an_openid_verified_by_another_person_is_409(notify, channels, resident, neighbour):
    mine = register(notify.client, neighbour, "wechat", OPENID).get_json()
    notify.client.post(
        f"/contacts/{mine['id']}/verify", json={"code": channels["wechat"].last_code()}, headers=neighbour
    )
    body = assert_problem(
        register(notify.client, resident, "wechat", OPENID),
        409,
        type_suffix="contact-belongs-to-another-person",
    )
    assert OPENID not in str(body)
    assert len(channels["wechat"].sent) == 1


def test_a_wrong_code_counts_and_the_attempts_run_out(notify, channels, resident):
    contact = register(notify.client, resident, "email", "li@example.com").get_json()
    code = channels["email"].last_code()
    wrong = "000000" if code != "000000" else "111111"
    for left in (4, 3, 2, 1, 0):
        refused = notify.client.post(
            f"/contacts/{contact['id']}/verify", json={"code": wrong}, headers=resident
        )
        assert_problem(
            refused, 422, type_suffix="verification-code-refused", detail_contains=f"还可尝试{left}次"
        )
    refused = notify.client.post(f"/contacts/{contact['id']}/verify", json={"code": code}, headers=resident)
    assert_problem(refused, 422, type_suffix="verification-code-refused", detail_contains="尝试次数过多")
    notify.client.post(f"/contacts/{contact['id']}/code", headers=resident)
    fresh = channels["email"].last_code()
    verified = notify.client.post(f"/contacts/{contact['id']}/verify", json={"code": fresh}, headers=resident)
    assert verified.get_json()["verified"] is True


def test_an_expired_code_is_refused(notify, channels, resident, moment):
    contact = register(notify.client, resident, "email", "li@example.com").get_json()
    moment.advance(timedelta(minutes=11))
    refused = notify.client.post(
        f"/contacts/{contact['id']}/verify", json={"code": channels["email"].last_code()}, headers=resident
    )
    assert_problem(refused, 422, type_suffix="verification-code-refused", detail_contains="已过期")


def test_a_code_that_is_not_six_digits_is_422(notify, channels, resident):
    contact = register(notify.client, resident, "email", "li@example.com").get_json()
    bad = notify.client.post(f"/contacts/{contact['id']}/verify", json={"code": "12ab"}, headers=resident)
    assert_problem(bad, 422, field="code")


def test_another_persons_contact_point_is_not_found(notify, channels, resident, neighbour):
    contact = register(notify.client, resident, "email", "li@example.com").get_json()
    code = channels["email"].last_code()
    assert_problem(
        notify.client.post(f"/contacts/{contact['id']}/verify", json={"code": code}, headers=neighbour), 404
    )
    assert_problem(notify.client.delete(f"/contacts/{contact['id']}", headers=neighbour), 404)


def test_an_undeliverable_code_is_422_and_records_nothing(notify, channels, resident):
    channels["email"].failing = "SMTP server refused: 550"
    body = assert_problem(register(notify.client, resident, "email", "li@example.com"), 422, field="value")
    assert "550" in body["detail"] and "li@example.com" not in str(body)
    assert notify.client.get("/contacts", headers=resident).get_json() == []


def test_consent_records_the_wording_shown_and_can_be_withdrawn_once(notify, resident, moment):
    given = notify.client.post("/consents", json={"purpose": "queue", "language": "en"}, headers=resident)
    assert given.status_code == 201
    assert given.get_json()["wording"].startswith("I agree that the community service centre")
    withdrawn = notify.client.delete("/consents/queue", headers=resident)
    assert withdrawn.status_code == 200 and withdrawn.get_json()["withdrawn_at"] is not None
    assert_problem(notify.client.delete("/consents/queue", headers=resident), 409, detail_contains="queue")
    assert_problem(
        notify.client.post("/consents", json={"purpose": "marketing", "language": "en"}, headers=resident),
        422,
        field="purpose",
    )


def test_unknown_trigger_names_in_preferences_are_422(notify, resident):
    body = {"language": "en", "channels": ["email"], "muted": ["ticket.ahead", "ticket.teleported"]}
    refused = notify.client.put("/preferences", json=body, headers=resident)
    assert_problem(refused, 422, detail_contains="ticket.teleported")
    assert notify.client.get("/preferences", headers=resident).get_json()["muted"] == []
    body["muted"] = ["ticket.ahead"]
    assert notify.client.put("/preferences", json=body, headers=resident).get_json()["muted"] == [
        "ticket.ahead"
    ]


def test_quiet_hours_must_be_hh_mm(notify, resident):
    body = {"language": "en", "channels": ["email"], "quiet_start": "25:00", "quiet_end": "07:00"}
    assert_problem(notify.client.put("/preferences", json=body, headers=resident), 422, field="quiet_start")


def test_a_watch_needs_consent_to_its_purpose(notify, resident):
    watch = {"target_kind": "ticket", "target_id": "5f0c0d5e-0a4b-4a53-9d71-3f2b8f0e9a11", "ahead": 3}
    assert_problem(
        notify.client.post("/watches", json=watch, headers=resident), 409, type_suffix="consent-required"
    )
    assert_problem(
        notify.client.post("/watches", json={**watch, "ahead": 99}, headers=resident), 422, field="ahead"
    )
