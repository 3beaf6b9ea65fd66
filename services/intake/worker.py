"""The intake worker: relay, consumer, overdue check (`python -m services.intake.worker`)."""

from __future__ import annotations

from services.chassis import clock
from services.chassis.runtime import Runtime
from services.chassis.unit_of_work import UnitOfWork
from services.chassis.worker import PeriodicTask, Worker, run_worker_process

from . import models, usecases
from .settings import IntakeSettings
from .usecases import cases


def overdue_task(runtime: Runtime) -> PeriodicTask:
    """Publish `intake.case.overdue` once per case past due (one replica at a time)."""
    settings = runtime.service_settings(IntakeSettings)

    def run(uow: UnitOfWork) -> None:
        cases.check_overdue(uow, clock.now())

    return PeriodicTask("overdue-cases", settings.overdue_check_seconds, run)


def build_worker(runtime: Runtime) -> Worker:
    return Worker(runtime, handlers=usecases.CONSUMED.handlers, periodic=[overdue_task(runtime)])


def main() -> None:
    run_worker_process("intake", models.Base.metadata, build_worker)


if __name__ == "__main__":
    main()
