"""A toy worker process whose handler kills the process right after its commit (before ack)."""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from services.chassis.worker import Worker  # noqa: E402
from tests.unit.chassis import toy  # noqa: E402


def crash_after_commit(uow, event):
    toy.record_effect(uow, event)
    uow.after_commit(lambda: os._exit(3))


crash_after_commit.inbox_name = "record_effect"

if __name__ == "__main__":
    runtime = toy.make_runtime(
        os.environ["TOY_DB"], os.environ["TOY_AMQP"], os.environ["TOY_NS"], Path(os.environ["TOY_DATA"]), {}
    )
    worker = Worker(runtime, handlers={"toy.note.added": [crash_after_commit]})
    worker.start()
    time.sleep(30)
    sys.exit(0)  # the handler never ran: the test fails on the exit code
