"""CPU per consumed event: one transaction per event vs the consumer's batches, side by side.

A consumer that is behind (after a broker outage, say) holds up to `EVENT_PREFETCH`
delivered messages; `EVENT_BATCH` of them share one transaction and one commit
(`EventProcessor.process_batch`). For each consuming service this feeds the same kind of
event through the service's own handlers on a fresh PostgreSQL database, N events one per
transaction and N in batches, alternately for ROUNDS rounds, and prints the process CPU
time per event (`time.process_time`, the minimum over rounds) and the ratio. The broker's
side (delivery, ack) is not included: it is the same per event either way, except the one
ack per batch instead of one per event.

Run: python bench/consumer.py [--events 640] [--batch 16] [--rounds 3]
Needs PostgreSQL on 127.0.0.1:5432; creates and drops its own databases.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.hotpaths import COMMUNITY, Service  # noqa: E402
from deploy import registry  # noqa: E402
from services.chassis.consumer import EventProcessor  # noqa: E402

# The event the fault suite's load produces most: a case the service center refers on.
EVENT_TYPE = "intake.case.referred.v1"
SERVICES = ("subscriptions", "notifications", "evaluation")


def referral() -> dict[str, Any]:
    case = str(uuid.uuid4())
    return {
        "specversion": "1.0",
        "id": str(uuid.uuid4()),
        "source": "/intake",
        "type": EVENT_TYPE,
        "subject": case,
        "time": "2026-12-04T10:00:00+08:00",
        "datacontenttype": "application/json",
        "community": COMMUNITY,
        "data": {"case_id": case, "community": COMMUNITY, "status": "referred", "target": "department"},
    }


def cpu_per_event(processor: EventProcessor, events: int, batch: int) -> float:
    started = time.process_time()
    for _ in range(events // batch):
        processor.process_batch([referral() for _ in range(batch)])
    return (time.process_time() - started) * 1000 / (events // batch * batch)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=640)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print(f"CPU per consumed {EVENT_TYPE} (ms, min of {args.rounds} rounds of {args.events})")
    print(f"{'service':<15}{'one per transaction':>22}{f'batches of {args.batch}':>18}{'ratio':>8}")
    for name in SERVICES:
        service = Service(name, Path(tempfile.mkdtemp()))
        try:
            runtime = service.runtime
            handlers = registry.module(name, "usecases").CONSUMED.handlers
            processor = EventProcessor(runtime.settings, runtime.database, handlers, None)
            cpu_per_event(processor, 64, 1)  # warm the statement caches
            single, batched = [], []
            for _ in range(args.rounds):
                single.append(cpu_per_event(processor, args.events, 1))
                batched.append(cpu_per_event(processor, args.events, args.batch))
            print(f"{name:<15}{min(single):>22.3f}{min(batched):>18.3f}{min(batched) / min(single):>7.2f}×")
        finally:
            service.drop()


if __name__ == "__main__":
    main()
