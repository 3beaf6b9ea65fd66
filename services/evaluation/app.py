"""The evaluation service's Flask app (gunicorn entry: `services.evaluation.app:create_app()`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from services.chassis.app import create_app as chassis_app
from services.chassis.runtime import Runtime

from . import api, models

TITLE = "Evaluation: the annual multi-party performance evaluation"


def create_app(config: Mapping[str, Any] | None = None, runtime: Runtime | None = None) -> Flask:
    """The evaluation service's app (schemes, rounds, metrics) on the chassis."""
    return chassis_app(
        "evaluation",
        config,
        metadata=models.Base.metadata,
        blueprints=api.blueprints(),
        title=TITLE,
        runtime=runtime,
    )
