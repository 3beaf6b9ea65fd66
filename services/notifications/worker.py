"""The notifications worker: the relay, the consumer of intake's and grid's events, and the
dispatcher that sends due deliveries. Run it with `python -m services.notifications.worker`.
"""

from __future__ import annotations

from services.chassis.runtime import Runtime
from services.chassis.worker import PeriodicTask, Worker, run_worker_process

from . import models, usecases
from .settings import NotificationsSettings, PersonalDataSettings, personal_data_cipher
from .usecases.channels import build_channels
from .usecases.dispatch import Dispatcher


def build_worker(runtime: Runtime) -> Worker:
    """Relay, consumer and the dispatcher (every `NOTIFICATIONS_DISPATCH_SECONDS`)."""
    settings = runtime.service_settings(NotificationsSettings)
    cipher = personal_data_cipher(runtime.settings, runtime.service_settings(PersonalDataSettings))
    dispatcher = Dispatcher(settings, build_channels(settings), cipher)
    dispatch = PeriodicTask("deliveries", settings.dispatch_seconds, dispatcher)
    return Worker(runtime, handlers=usecases.CONSUMED.handlers, periodic=[dispatch])


def main() -> None:
    run_worker_process("notifications", models.Base.metadata, build_worker)


if __name__ == "__main__":
    main()
