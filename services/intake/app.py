"""The intake service's Flask app (gunicorn entry: `services.intake.app:create_app()`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from services.chassis.app import create_app as chassis_app
from services.chassis.runtime import Runtime

from . import api, models

TITLE = "Intake: the one-window service desk (一窗式)"


def create_app(config: Mapping[str, Any] | None = None, runtime: Runtime | None = None) -> Flask:
    return chassis_app(
        "intake",
        config,
        metadata=models.Base.metadata,
        blueprints=api.blueprints(),
        title=TITLE,
        runtime=runtime,
    )
