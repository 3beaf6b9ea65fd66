"""The evaluation service's Flask app (gunicorn entry: `services.evaluation.app:create_app()`)."""

from __future__ import annotations

from services.chassis.app import service_app

from . import api, models

create_app = service_app(
    "evaluation", models=models, api=api, title="Evaluation: the annual multi-party performance evaluation"
)
