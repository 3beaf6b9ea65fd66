"""A service's worker: outbox relay, event consumer and periodic tasks.

`python -m services.<name>.worker` runs one as a process (SIGTERM: finish the
message in hand, then stop); the embedded mode runs the same pieces as threads.
"""

from __future__ import annotations

import logging
import os
import signal
import tempfile
import threading
import time
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text

from .consumer import EventConsumer, EventProcessor, HandlerTable
from .outbox import Relay

if TYPE_CHECKING:
    from .runtime import Runtime
    from .unit_of_work import UnitOfWork

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PeriodicTask:
    """A function run every `interval_seconds` in its own unit of work, by one replica at a time."""

    name: str
    interval_seconds: float
    run: Callable[[UnitOfWork], None]


class Worker:
    """Relay + consumer + periodic tasks for one service, sharing the service's runtime."""

    def __init__(
        self, runtime: Runtime, handlers: HandlerTable | None = None, periodic: Sequence[PeriodicTask] = ()
    ) -> None:
        if runtime.bus is None:
            raise ValueError("the worker needs AMQP_URL")
        self.runtime = runtime
        self.handlers = dict(handlers or {})
        self.periodic = list(periodic)
        self.stop_event = threading.Event()
        self.relay = Relay(runtime.settings, runtime.database, runtime.bus, runtime.signal)
        self.processor = EventProcessor(runtime.settings, runtime.database, self.handlers, runtime.signal)
        self.consumer = (
            EventConsumer(runtime.settings, runtime.bus, self.processor) if self.handlers else None
        )
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        """Start the relay, consumer and periodic threads; return at once."""
        service = self.runtime.settings.service
        try:
            with self.runtime.bus.open(self.runtime.bus.connect()) as connection:
                self.runtime.bus.declare(connection, self.handlers.keys())
        except Exception as exc:  # broker away: the consumer declares once it connects
            log.warning("could not declare the queues at start: %s", exc)
        self._spawn(f"{service}-relay", lambda: self.relay.run(self.stop_event))
        if self.consumer is not None:
            self._spawn(f"{service}-consumer", self.consumer.run)
        if self.periodic:
            self._spawn(f"{service}-periodic", self._run_periodic)

    def wait_ready(self, timeout: float = 10.0) -> bool:
        return self.consumer is None or self.consumer.ready.wait(timeout)

    def _spawn(self, name: str, target: Callable[[], None]) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)
        thread.start()
        self._threads.append(thread)

    def stop(self, timeout: float = 10.0) -> None:
        """Finish the message in hand, publish what is committed, then stop."""
        self.stop_event.set()
        self.runtime.signal.wake()
        if self.consumer is not None:
            self.consumer.should_stop = True
        deadline = time.monotonic() + timeout
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))

    def run_forever(self) -> None:
        """Run until SIGTERM or SIGINT."""
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: self.stop_event.set())
        self.start()
        log.info("worker started", extra={"handlers": sorted(self.handlers)})
        heartbeat = heartbeat_path(self.runtime.settings.service)
        while not self.stop_event.wait(0.5):
            if not all(t.is_alive() for t in self._threads):
                log.error("a worker thread died; stopping so the supervisor restarts us")
                break
            heartbeat.touch()  # the liveness probe: this loop runs and every thread is alive
        self.stop()
        log.info("worker stopped")

    def _run_periodic(self) -> None:
        due = {task.name: time.monotonic() for task in self.periodic}
        while not self.stop_event.is_set():
            now = time.monotonic()
            for task in self.periodic:
                if now >= due[task.name]:
                    self.run_task(task)
                    due[task.name] = now + task.interval_seconds
            self.stop_event.wait(min(1.0, *(d - now for d in due.values())) if due else 1.0)

    def run_task(self, task: PeriodicTask) -> bool:
        """Run `task` once unless another replica holds its lock; True if it ran."""
        try:
            with self.runtime.unit_of_work() as uow:
                if self.runtime.database.is_postgres:
                    key = zlib.crc32(f"{self.runtime.settings.service}:{task.name}".encode())
                    locked = uow.session.execute(
                        text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": key}
                    ).scalar()
                    if not locked:
                        return False
                task.run(uow)
                uow.commit()
                return True
        except Exception:
            log.exception("periodic task %s failed", task.name)
            return False


def heartbeat_path(service: str) -> Path:
    """The file a running worker touches every half second (`deploy.healthcheck` reads it)."""
    configured = os.environ.get("WORKER_HEARTBEAT_FILE")
    return (
        Path(configured) if configured else Path(tempfile.gettempdir()) / f"community-{service}-worker.alive"
    )


def run_worker_process(service: str, metadata: object, build: Callable[[Runtime], Worker]) -> None:
    """Entry point of `python -m services.<name>.worker`."""
    from .config import Settings
    from .observability import configure_logging
    from .runtime import Runtime

    settings = Settings.from_env(service)
    configure_logging(settings.log_level, settings.log_json, service=service)
    runtime = Runtime(settings, metadata)  # type: ignore[arg-type]
    build(runtime).run_forever()
