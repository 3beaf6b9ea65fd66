"""The contracts service's Flask app (gunicorn entry: `services.contracts.app:create_app()`)."""

from __future__ import annotations

from flask import Flask

from services.chassis.app import service_app

from . import api, models
from .settings import PersonalDataSettings, personal_data_cipher


def _install(app: Flask) -> None:
    """The personal-data cipher (its key read once)."""
    runtime = app.extensions["community"]
    app.extensions["contracts.cipher"] = personal_data_cipher(
        runtime.settings, runtime.service_settings(PersonalDataSettings)
    )


create_app = service_app(
    "contracts",
    models=models,
    api=api,
    title="Contracts: government purchase of services, three-party contracts and money flow",
    install=_install,
)
