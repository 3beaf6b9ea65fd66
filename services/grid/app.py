"""The grid service's Flask app (gunicorn entry: `services.grid.app:create_app()`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from services.chassis.app import create_app as chassis_app
from services.chassis.runtime import Runtime

from . import api, models
from .api import open311_format
from .settings import GridSettings, personal_data_key
from .usecases.protection import PersonalDataCipher

TITLE = "Grid: grid-based inspection, resolution and information collection"
DESCRIPTION = (
    "Grid cells, inspections (排查), cases (事件) with their lifecycle, information "
    "collection (信息採集) with personal data masked and audited, and an Open311 "
    "GeoReport v2 facade at /open311/v2/."
)


def create_app(config: Mapping[str, Any] | None = None, runtime: Runtime | None = None) -> Flask:
    app = chassis_app(
        "grid",
        config,
        metadata=models.Base.metadata,
        blueprints=api.blueprints(),
        title=TITLE,
        description=DESCRIPTION,
        runtime=runtime,
    )
    runtime = app.extensions["community"]
    key = personal_data_key(runtime.settings, runtime.service_settings(GridSettings))
    app.extensions["grid.cipher"] = PersonalDataCipher(key)
    open311_format.install(app)
    return app
