"""`contracts.milestone.due` is published once even with several worker replicas."""

from functools import partial

import pytest

from deploy import registry
from services.chassis.runtime import Runtime
from services.contracts.worker import build_worker
from tests.support.helpers import run_together
from tests.unit.contracts.story import Story
from tests.unit.contracts.test_evaluation_and_due import _dated_contract

pytestmark = pytest.mark.postgres


def test_three_replicas_sweeping_at_once_publish_each_due_milestone_once(service, token):
    harness = service("contracts", backend="postgres")
    story = Story(harness.client, token, runtime=harness.runtime)
    story.harness = harness
    story.setup()
    _dated_contract(story)
    replicas = [Runtime(harness.runtime.settings, registry.metadata("contracts")) for _ in range(3)]
    workers = [build_worker(runtime) for runtime in replicas]

    def sweep(worker):
        for _ in range(3):
            worker.run_task(worker.periodic[0])

    run_together([partial(sweep, w) for w in workers], timeout=30)
    for runtime in replicas:
        runtime.database.dispose()
    due = [e["data"]["milestone_id"] for e in harness.outbox() if e["type"] == "contracts.milestone.due.v1"]
    assert len(due) == 2 and len(set(due)) == 2  # the signing one and yesterday's, once each
