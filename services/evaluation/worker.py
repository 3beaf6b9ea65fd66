"""The evaluation worker: outbox relay and the metrics consumer.

Run it with `python -m services.evaluation.worker`.
"""

from __future__ import annotations

from services.chassis.runtime import Runtime
from services.chassis.worker import Worker, run_worker_process

from . import models, usecases


def build_worker(runtime: Runtime) -> Worker:
    """The relay and the consumer of the events the read model folds (`usecases.CONSUMED`)."""
    return Worker(runtime, handlers=usecases.CONSUMED.handlers)


def main() -> None:
    run_worker_process("evaluation", models.Base.metadata, build_worker)


if __name__ == "__main__":
    main()
