"""The grid service's Flask app (gunicorn entry: `services.grid.app:create_app()`)."""

from __future__ import annotations

from flask import Flask

from services.chassis.app import service_app

from . import api, models
from .api import open311_format
from .settings import GridSettings, personal_data_cipher


def _install(app: Flask) -> None:
    """The personal-data cipher (its key read once) and the Open311 formats."""
    runtime = app.extensions["community"]
    app.extensions["grid.cipher"] = personal_data_cipher(
        runtime.settings, runtime.service_settings(GridSettings)
    )
    open311_format.install(app)


create_app = service_app(
    "grid",
    models=models,
    api=api,
    title="Grid: grid-based inspection, resolution and information collection",
    description=(
        "Grid cells, inspections (排查), cases (事件) with their lifecycle, information "
        "collection (信息采集) with personal data masked and audited, and an Open311 "
        "GeoReport v2 facade at /open311/v2/."
    ),
    install=_install,
)
