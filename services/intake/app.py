"""The intake service's Flask app (gunicorn entry: `services.intake.app:create_app()`)."""

from __future__ import annotations

from flask import Flask

from services.chassis.app import service_app

from . import api, models
from .settings import IntakeSettings, personal_data_cipher


def _install(app: Flask) -> None:
    """The personal-data cipher (its key read once)."""
    runtime = app.extensions["community"]
    app.extensions["intake.cipher"] = personal_data_cipher(
        runtime.settings, runtime.service_settings(IntakeSettings)
    )


create_app = service_app(
    "intake", models=models, api=api, title="Intake: the one-window service desk (一窗式)", install=_install
)
