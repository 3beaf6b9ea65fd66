"""The grid worker: relay, consumer, overdue check (`python -m services.grid.worker`)."""

from __future__ import annotations

from services.chassis.runtime import Runtime
from services.chassis.worker import PeriodicTask, Worker, run_worker_process

from . import handlers, models
from .config import overdue_sweep_seconds


def build_worker(runtime: Runtime) -> Worker:
    interval = overdue_sweep_seconds(runtime.settings)
    overdue = PeriodicTask("case-overdue-sweep", interval, lambda uow: handlers.sweep_overdue(uow))
    return Worker(runtime, handlers=handlers.EVENT_HANDLERS, periodic=[overdue])


def main() -> None:
    run_worker_process("grid", models.Base.metadata, build_worker)


if __name__ == "__main__":
    main()
