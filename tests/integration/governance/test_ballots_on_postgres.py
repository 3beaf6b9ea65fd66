"""One resident, one ballot per round, held by PostgreSQL's unique constraint under concurrency."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import text

from services.chassis import clock
from tests.support.helpers import run_together
from tests.unit.governance.story import MONDAY, Committee

ATTEMPTS = 20


def test_twenty_concurrent_ballots_of_one_resident_leave_exactly_one(service, token):
    harness = service("governance", backend="postgres")
    moment = clock.ManualClock(MONDAY)
    with clock.use(moment):
        committee = Committee(harness.client, token).setup()
        body = {
            "community": "huaguoshan",
            "title": "自治金并发投票",
            "balance_fen": 1_000_000,
            "cap_fen": 500_000,
            "max_choices": 1,
            "voting_opens_at": (MONDAY + timedelta(days=1)).isoformat(),
            "voting_closes_at": (MONDAY + timedelta(days=8)).isoformat(),
        }
        fund_round = committee.ok(
            harness.client.post("/fund/rounds", json=body, headers=committee.tokens[0]), 201
        )
        proposal = committee.ok(
            harness.client.post(
                f"/fund/rounds/{fund_round['id']}/proposals",
                json={
                    "title": "楼道照明",
                    "description": "更换灯具",
                    "place": "1栋",
                    "estimate_fen": 300_000,
                },
                headers=committee.resident(1),
            ),
            201,
        )
        committee.ok(
            harness.client.put(
                f"/fund/proposals/{proposal['id']}/screening",
                json={"eligible": True, "reason": "符合用途"},
                headers=committee.tokens[1],
            )
        )
        moment.advance(timedelta(days=2))
        voter = committee.resident(9)

        responses = run_together(
            [
                lambda: harness.app.test_client().post(
                    f"/fund/rounds/{fund_round['id']}/ballots",
                    json={"proposal_ids": [proposal["id"]]},
                    headers=voter,
                )
                for _ in range(ATTEMPTS)
            ]
        )

    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201] + [409] * (ATTEMPTS - 1)
    refused = [r.get_json() for r in responses if r.status_code == 409]
    assert all(b["type"].endswith("already-voted") for b in refused), refused[0]
    with harness.runtime.database.engine.connect() as connection:
        assert connection.execute(text("SELECT COUNT(*) FROM ballots")).scalar() == 1
    page = committee.ok(harness.client.get(f"/fund/rounds/{fund_round['id']}"))
    assert page["proposals"][0]["votes"] == 1
