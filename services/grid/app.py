"""The grid service's Flask app (gunicorn entry: `services.grid.app:create_app()`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from services.chassis.app import Runtime
from services.chassis.app import create_app as chassis_app

from . import api, models

TITLE = "Grid: grid-based inspection, resolution and information collection"


def create_app(config: Mapping[str, Any] | None = None, runtime: Runtime | None = None) -> Flask:
    return chassis_app("grid", config, metadata=models.Base.metadata, blueprints=api.blueprints(),
                       title=TITLE, runtime=runtime)
