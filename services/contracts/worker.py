"""The contracts worker: outbox relay, event consumer, periodic checks.

Run as `python -m services.contracts.worker`.
"""

from __future__ import annotations

from services.chassis.runtime import Runtime
from services.chassis.unit_of_work import UnitOfWork
from services.chassis.worker import PeriodicTask, Worker, run_worker_process

from . import handlers, models

DUE_SWEEP_SECONDS = 60.0


def publish_due_milestones(uow: UnitOfWork) -> None:
    """Publish `contracts.milestone.due` once for every milestone that fell due."""
    handlers.settlement.notify_due_milestones(uow)


def build_worker(runtime: Runtime) -> Worker:
    return Worker(
        runtime,
        handlers=handlers.EVENT_HANDLERS,
        periodic=[PeriodicTask("milestones-due", DUE_SWEEP_SECONDS, publish_due_milestones)],
    )


def main() -> None:
    run_worker_process("contracts", models.Base.metadata, build_worker)


if __name__ == "__main__":
    main()
