"""The contracts service's Flask app (gunicorn entry: `services.contracts.app:create_app()`)."""

from __future__ import annotations

from services.chassis.app import service_app

from . import api, models

create_app = service_app(
    "contracts",
    models=models,
    api=api,
    title="Contracts: government purchase of services, three-party contracts and money flow",
)
