"""The evaluation worker: outbox relay, the metrics consumer and the monthly reports.

Run it with `python -m services.evaluation.worker`.
"""

from __future__ import annotations

from services.chassis.runtime import Runtime
from services.chassis.worker import PeriodicTask, Worker, run_worker_process

from . import models, usecases
from .usecases import reports

# Hourly: a closed month's reports appear within the hour after it closes (once each).
REPORTS_SECONDS = 3600.0


def build_worker(runtime: Runtime) -> Worker:
    """The relay, the consumer of the events the read model folds (`usecases.CONSUMED`) and
    the monthly reports of the last closed month."""
    return Worker(
        runtime,
        handlers=usecases.CONSUMED.handlers,
        periodic=[PeriodicTask("monthly-reports", REPORTS_SECONDS, reports.write_monthly_reports)],
    )


def main() -> None:
    run_worker_process("evaluation", models.Base.metadata, build_worker)


if __name__ == "__main__":
    main()
