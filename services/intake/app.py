"""The intake service's Flask app (gunicorn entry: `services.intake.app:create_app()`)."""

from __future__ import annotations

from services.chassis.app import service_app

from . import api, models

create_app = service_app(
    "intake", models=models, api=api, title="Intake: the one-window service desk (一窗式)"
)
