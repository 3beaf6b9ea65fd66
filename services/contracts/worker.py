"""The contracts worker: outbox relay, event consumer, periodic checks.

Run as `python -m services.contracts.worker`.
"""

from __future__ import annotations

from services.chassis.runtime import Runtime
from services.chassis.worker import PeriodicTask, Worker, run_worker_process

from . import models, usecases
from .usecases import settlement

DUE_SWEEP_SECONDS = 60.0


def build_worker(runtime: Runtime) -> Worker:
    return Worker(
        runtime,
        handlers=usecases.CONSUMED.handlers,
        periodic=[PeriodicTask("milestones-due", DUE_SWEEP_SECONDS, settlement.notify_due_milestones)],
    )


def main() -> None:
    run_worker_process("contracts", models.Base.metadata, build_worker)


if __name__ == "__main__":
    main()
