"""Who may approve, sign, allocate and pay: a grid worker or another community's
committee member is refused (403) at EVERY approving and money-moving endpoint,
and nothing changes."""

import pytest

from tests.support.helpers import assert_problem, bearer
from tests.unit.contracts.story import Story, key

OUTSIDERS = {
    "grid_worker": lambda token: bearer(token("grid_worker", community="huaguoshan")),
    "other_committee": lambda token: bearer(token("committee_member", community="chiwan")),
    "resident": lambda token: bearer(token("resident", community="huaguoshan")),
}


@pytest.fixture(scope="module")
def world(tmp_path_factory, key_dir, sqlite_templates):
    """One database holding a purchase at every step (built once for the module)."""
    from deploy import registry
    from services.chassis.config import Settings
    from services.chassis.runtime import Runtime
    from tests.support.helpers import key_settings

    folder = tmp_path_factory.mktemp("authz")
    url = sqlite_templates.fresh("contracts", folder / "contracts.db")
    settings = Settings.from_env(
        "contracts",
        {"data_dir": folder, "database_url": url, "amqp_url": "memory://", **key_settings(key_dir)},
    )
    runtime = Runtime(settings, registry.metadata("contracts"))
    app = registry.module("contracts", "app").create_app(runtime=runtime)
    from tests.support.fixtures import token as token_fixture

    token = token_fixture.__wrapped__(key_dir)
    story = Story(app.test_client(), token, runtime=runtime)
    story.setup("pass_through")
    pending = story.tender()
    story.ok(story.client.post(f"/tenders/{pending['id']}/submission", json={}, headers=story.officer))
    story.resolve(pending["id"], "tender")
    draft = story.contract()
    active = story.active_contract()
    world = {
        "story": story,
        "token": token,
        "runtime": runtime,
        "pending": pending,
        "draft": draft,
        "active": active,
        "budget": story.ids["budget"],
    }
    # a tender whose award waits for the committee
    tender = story.tender()
    tid = tender["id"]
    story.ok(story.client.post(f"/tenders/{tid}/submission", json={}, headers=story.officer))
    story.resolve(tid, "tender")
    for path, body, who in [
        ("decisions", {"step": "tender", "decision": "approve", "reason": "ok"}, story.member),
        ("publication", {}, story.officer),
    ]:
        if path == "decisions":
            who = {**who, "If-Match": story.tender_etag(tid)}
        story.ok(story.client.post(f"/tenders/{tid}/{path}", json=body, headers=who))
    pid = story.ids["provider"]["id"]
    bid = story.ok(
        story.client.post(
            f"/tenders/{tid}/bids",
            json={"provider_id": pid, "amount_fen": 100_00},
            headers=story.signatory(pid),
        ),
        201,
    )
    story.ok(story.client.post(f"/tenders/{tid}/closing", json={}, headers=story.officer))
    story.ok(
        story.client.post(
            f"/tenders/{tid}/award", json={"bid_id": bid["id"], "reason": "ok"}, headers=story.officer
        )
    )
    story.resolve(tid, "award")
    world["award_proposed"] = tender
    yield world
    runtime.database.dispose()


def _calls(world):
    s, active, draft = world["story"], world["active"], world["draft"]
    milestone = active["milestones"][0]["id"]

    def sign(party):
        return lambda h: s.client.post(
            f"/contracts/{draft['id']}/signatures",
            json={"party": party},
            headers={**h, "If-Match": s.etag(draft["id"])},
        )

    return {
        "approve tender": lambda h: s.client.post(
            f"/tenders/{world['pending']['id']}/decisions",
            json={"step": "tender", "decision": "approve", "reason": "ok"},
            headers={**h, "If-Match": s.tender_etag(world["pending"]["id"])},
        ),
        "return tender": lambda h: s.client.post(
            f"/tenders/{world['pending']['id']}/decisions",
            json={"step": "tender", "decision": "return", "reason": "no"},
            headers={**h, "If-Match": s.tender_etag(world["pending"]["id"])},
        ),
        "approve award": lambda h: s.client.post(
            f"/tenders/{world['award_proposed']['id']}/decisions",
            json={"step": "award", "decision": "approve", "reason": "ok"},
            headers={**h, "If-Match": s.tender_etag(world["award_proposed"]["id"])},
        ),
        "cancel purchase": lambda h: s.client.post(
            f"/tenders/{world['pending']['id']}/cancellation", json={"reason": "stop"}, headers=h
        ),
        "sign as committee": sign("committee"),
        "sign as subdistrict": sign("subdistrict"),
        "sign as provider": sign("provider"),
        "allocate to contract": lambda h: s.client.post(
            f"/contracts/{active['id']}/allocations", json={"amount_fen": 100}, headers={**h, **key()}
        ),
        "allocate budget line": lambda h: s.client.post(
            f"/budgets/{world['budget']['id']}/allocations",
            json={"funding_line": "autonomy_fund", "amount_fen": 100},
            headers={**h, **key()},
        ),
        "pay milestone": lambda h: s.client.post(
            f"/contracts/{active['id']}/milestones/{milestone}/payments",
            json={"amount_fen": 100},
            headers={**h, **key()},
        ),
        "terminate": lambda h: s.client.post(
            f"/contracts/{active['id']}/termination",
            json={"reason": "stop"},
            headers={**h, "If-Match": s.etag(active["id"])},
        ),
        "amend": lambda h: s.client.post(
            f"/contracts/{active['id']}/amendments",
            json={"reason": "x1", "value_fen": 5},
            headers={**h, "If-Match": s.etag(active["id"])},
        ),
    }


ENDPOINTS = [
    "approve tender",
    "return tender",
    "approve award",
    "cancel purchase",
    "sign as committee",
    "sign as subdistrict",
    "sign as provider",
    "allocate to contract",
    "allocate budget line",
    "pay milestone",
    "terminate",
    "amend",
]


def _snapshot(runtime):
    from sqlalchemy import text

    with runtime.database.engine.connect() as connection:
        return {
            t: connection.execute(text(f"SELECT COUNT(*) FROM {t}")).scalar()
            for t in (
                "tender_steps",
                "signatures",
                "ledger_entries",
                "payments",
                "contract_steps",
                "amendments",
                "outbox",
            )
        }


@pytest.mark.parametrize("outsider", sorted(OUTSIDERS))
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_outsiders_are_forbidden(world, endpoint, outsider):
    before = _snapshot(world["runtime"])
    response = _calls(world)[endpoint](OUTSIDERS[outsider](world["token"]))
    assert_problem(response, 403)
    assert _snapshot(world["runtime"]) == before


def test_the_same_calls_succeed_for_the_right_people(world):
    """The grid above is not vacuous: the committee's own member gets past authorization."""
    s = world["story"]
    response = _calls(world)["approve tender"](s.member)
    assert response.status_code == 200, response.get_data(as_text=True)
    response = _calls(world)["approve award"](s.member)
    assert response.status_code == 200, response.get_data(as_text=True)


def test_a_providers_signatory_reads_a_purchase_it_is_invited_to_or_that_is_published(world):
    """The console shows a signatory the purchase it bids on; another provider's signatory
    does not read an unpublished purchase it is not invited to, nor does another community."""
    s = world["story"]
    invited = s.ids["provider"]["id"]
    stranger = s.signatory("00000000-0000-0000-0000-000000000001")
    pending, published = world["pending"]["id"], world["award_proposed"]["id"]
    assert s.ok(s.client.get(f"/tenders/{pending}", headers=s.signatory(invited)))["id"] == pending
    assert s.ok(s.client.get(f"/tenders/{published}", headers=stranger))["id"] == published
    assert_problem(s.client.get(f"/tenders/{pending}", headers=stranger), 403)
    other_community = bearer(world["token"]("committee_member", community="chiwan"))
    assert_problem(s.client.get(f"/tenders/{pending}", headers=other_community), 403)
