"""The grid worker: relay, consumer, overdue check (`python -m services.grid.worker`)."""

from __future__ import annotations

from services.chassis.runtime import Runtime
from services.chassis.worker import PeriodicTask, Worker, run_worker_process

from . import models, usecases
from .settings import GridSettings
from .usecases import overdue


def build_worker(runtime: Runtime) -> Worker:
    interval = float(runtime.service_settings(GridSettings).overdue_sweep_seconds)
    sweep = PeriodicTask("case-overdue-sweep", interval, lambda uow: overdue.sweep_overdue(uow))
    return Worker(runtime, handlers=usecases.CONSUMED.handlers, periodic=[sweep])


def main() -> None:
    run_worker_process("grid", models.Base.metadata, build_worker)


if __name__ == "__main__":
    main()
