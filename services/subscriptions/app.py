"""The subscriptions service's Flask app (gunicorn entry: `services.subscriptions.app:create_app()`)."""

from __future__ import annotations

from flask import Flask

from services.chassis.app import service_app

from . import api, models
from .settings import SecretSettings, secret_cipher


def _install(app: Flask) -> None:
    """The cipher that seals webhook secrets (its key read once)."""
    runtime = app.extensions["community"]
    app.extensions["subscriptions.cipher"] = secret_cipher(
        runtime.settings, runtime.service_settings(SecretSettings)
    )


create_app = service_app(
    "subscriptions",
    models=models,
    api=api,
    title="Subscriptions: departments' grants, webhook subscriptions and their delivery log",
    description=(
        "Administrators grant each department the event types it may read; a department "
        "subscribes to granted types and communities and receives each CloudEvent as a "
        "Standard Webhooks signed POST, in order per aggregate, retried with backoff."
    ),
    install=_install,
)
