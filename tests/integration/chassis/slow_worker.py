"""A toy worker process whose handler takes a while; the test stops it with SIGTERM mid-handler."""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from services.chassis.worker import Worker  # noqa: E402
from tests.unit.chassis import toy  # noqa: E402


def slow_effect(uow, event):
    Path(os.environ["TOY_STARTED"]).write_text(event["id"])
    time.sleep(2.0)
    toy.record_effect(uow, event)


slow_effect.inbox_name = "record_effect"

if __name__ == "__main__":
    runtime = toy.make_runtime(
        os.environ["TOY_DB"], os.environ["TOY_AMQP"], os.environ["TOY_NS"], Path(os.environ["TOY_DATA"]), {}
    )
    Worker(runtime, handlers={"toy.note.added": [slow_effect]}).run_forever()
