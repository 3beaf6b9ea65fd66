"""The governance worker: outbox relay and the conclusion of notices whose period is over.

Run it with `python -m services.governance.worker`.
"""

from __future__ import annotations

from services.chassis.runtime import Runtime
from services.chassis.worker import PeriodicTask, Worker, run_worker_process

from . import models, usecases
from .usecases import notices

NOTICE_SWEEP_SECONDS = 60.0


def build_worker(runtime: Runtime) -> Worker:
    """The relay, the (empty) consumer table and the periodic conclusion of due notices."""
    sweep = PeriodicTask("notices-due", NOTICE_SWEEP_SECONDS, notices.conclude_due)
    return Worker(runtime, handlers=usecases.CONSUMED.handlers, periodic=[sweep])


def main() -> None:
    run_worker_process("governance", models.Base.metadata, build_worker)


if __name__ == "__main__":
    main()
