"""The notifications service's Flask app (gunicorn entry: `services.notifications.app:create_app()`)."""

from __future__ import annotations

from flask import Flask

from services.chassis.app import service_app

from . import api, models
from .settings import NotificationsSettings, PersonalDataSettings, personal_data_cipher
from .usecases.channels import build_channels


def _install(app: Flask) -> None:
    """The contacts' cipher and the channel adapters (verification codes go out from here)."""
    runtime = app.extensions["community"]
    app.extensions["notifications.cipher"] = personal_data_cipher(
        runtime.settings, runtime.service_settings(PersonalDataSettings)
    )
    app.extensions["notifications.channels"] = build_channels(runtime.service_settings(NotificationsSettings))


create_app = service_app(
    "notifications",
    models=models,
    api=api,
    title="Notifications: residents and staff are told by SMS, WeChat, e-mail and in the portal",
    description=(
        "Contact points verified by a code and sealed at rest, consent per purpose with its wording, "
        "opt-ins on tickets and cases, preferences and quiet hours, the in-app inbox, and dead letters."
    ),
    install=_install,
)
