"""The intake worker: outbox relay, event consumer, periodic checks (`python -m services.intake.worker`)."""

from __future__ import annotations

from services.chassis.app import Runtime
from services.chassis.worker import Worker, run_worker_process

from . import handlers, models


def build_worker(runtime: Runtime) -> Worker:
    return Worker(runtime, handlers=handlers.EVENT_HANDLERS)


def main() -> None:
    run_worker_process("intake", models.Base.metadata, build_worker)


if __name__ == "__main__":
    main()
