"""A meeting of five with one recused passes an award on PostgreSQL; the recused vote is refused."""

from __future__ import annotations

import uuid

from services.chassis import clock
from tests.support.helpers import assert_problem
from tests.unit.governance.story import MONDAY, PROVIDER, Committee


def test_a_meeting_of_five_with_one_recused_passes_an_award_on_postgres(service, token):
    harness = service("governance", backend="postgres")
    with clock.use(clock.ManualClock(MONDAY)):
        committee = Committee(harness.client, token).setup()
        committee.declare(4)
        item = committee.item(
            committee.meeting(present=[0, 1, 2, 3, 4]), "approve_award", str(uuid.uuid4()), (PROVIDER,)
        )
        assert_problem(committee.vote(item, 4), 409, type_suffix="recused-member")
        for n in (0, 1, 2):
            committee.ok(committee.vote(item, n), 201)

        outcome = committee.ok(committee.close(item))

    assert (outcome["status"], outcome["eligible"], outcome["eligible_present"]) == ("passed", 4, 4)
    assert harness.outbox_types()[-2:] == ["governance.resolution.passed.v1", "governance.notice.posted.v1"]
