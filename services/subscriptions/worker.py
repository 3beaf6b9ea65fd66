"""The subscriptions worker: relay, the consumer of every event, and webhook delivery.

Run it with `python -m services.subscriptions.worker`.
"""

from __future__ import annotations

from services.chassis.runtime import Runtime
from services.chassis.unit_of_work import UnitOfWork
from services.chassis.worker import PeriodicTask, Worker, run_worker_process

from . import models, usecases
from .settings import SecretSettings, SubscriptionSettings, secret_cipher
from .usecases import deliveries


def build_worker(runtime: Runtime) -> Worker:
    """The relay, the fan-out of every event into deliveries, and the periodic sending."""
    settings = runtime.service_settings(SubscriptionSettings)
    cipher = secret_cipher(runtime.settings, runtime.service_settings(SecretSettings))

    def deliver(uow: UnitOfWork) -> None:
        deliveries.deliver_due(uow, settings, cipher)

    task = PeriodicTask("webhooks", settings.delivery_interval_seconds, deliver)
    return Worker(runtime, handlers=usecases.CONSUMED.handlers, periodic=[task])


def main() -> None:
    run_worker_process("subscriptions", models.Base.metadata, build_worker)


if __name__ == "__main__":
    main()
