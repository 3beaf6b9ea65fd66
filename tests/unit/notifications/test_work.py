"""Staff's work reminders: subscribed per community, triggered by contracts' and evaluation's events."""

from __future__ import annotations

import uuid

from services.chassis import events
from services.contracts import events as contracts_events
from services.notifications.usecases import work
from tests.support.helpers import assert_problem, bearer

from .support import deliver


def signed(community: str, parties: int) -> dict:
    contract_id = str(uuid.uuid4())
    data = {
        "contract_id": contract_id,
        "contract_number": "HT-2026-0007",
        "revision": 0,
        "party": "subdistrict",
        "parties_signed": parties,
        "signed_at": "2026-12-03T04:00:00+00:00",
    }
    return events.build(
        contracts_events.CONTRACT_SIGNED,
        source="/services/contracts",
        subject=contract_id,
        community=community,
        data=data,
        sequence=parties,
    )


def test_a_committee_member_is_reminded_of_a_contract_waiting_in_their_community_only(notify, token, moment):
    member = bearer(token("committee_member", community="huaguoshan", sub="committee-zhang"))
    body = {"community": "huaguoshan", "trigger": "contract.signature_waiting"}
    assert notify.client.post("/subscriptions", json=body, headers=member).status_code == 201
    notify.client.post("/consents", json={"purpose": "work", "language": "zh-Hans"}, headers=member)
    deliver(notify, work.on_contract_signed, signed("chiwan", 1))
    deliver(notify, work.on_contract_signed, signed("huaguoshan", 1))
    deliver(notify, work.on_contract_signed, signed("huaguoshan", 3))  # in force: nothing waits
    lines = notify.client.get("/inbox", headers=member).get_json()
    assert [line["text"] for line in lines] == ["合同HT-2026-0007已有1方签署，请尽快完成其余签署。"]


def test_subscriptions_refuse_residents_other_communities_and_unknown_triggers(notify, token, resident):
    member = bearer(token("committee_member", community="huaguoshan", sub="committee-zhang"))
    body = {"community": "huaguoshan", "trigger": "round.scoring_open"}
    assert_problem(notify.client.post("/subscriptions", json=body, headers=resident), 403)
    assert_problem(
        notify.client.post("/subscriptions", json={**body, "community": "chiwan"}, headers=member), 403
    )
    refused = notify.client.post(
        "/subscriptions", json={**body, "trigger": "contract.teleported"}, headers=member
    )
    assert_problem(refused, 422, detail_contains="contract.teleported")
    refused = notify.client.post("/subscriptions", json={**body, "trigger": "ticket.ahead"}, headers=member)
    assert_problem(refused, 422, detail_contains="不是可按社区订阅的工作提醒", field="trigger")
    assert notify.client.get("/subscriptions", headers=member).get_json() == []
