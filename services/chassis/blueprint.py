"""The flask-smorest Blueprint every service uses (one schema instance per class)."""

from __future__ import annotations

import threading
from typing import Any

import flask_smorest
import marshmallow as ma
from webargs.flaskparser import FlaskParser


class _SchemaInstanceParser(FlaskParser):
    """webargs makes a new schema instance per request when given a class; keep one."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._instances: dict[type[ma.Schema], ma.Schema] = {}
        self._lock = threading.Lock()

    def _get_schema(self, argmap: Any, req: Any) -> ma.Schema:
        if isinstance(argmap, type) and issubclass(argmap, ma.Schema):
            instance = self._instances.get(argmap)
            if instance is None:
                with self._lock:
                    instance = self._instances.setdefault(argmap, argmap())
            return instance
        return super()._get_schema(argmap, req)


class Blueprint(flask_smorest.Blueprint):
    """flask-smorest's Blueprint; request schemas are instantiated once, not per request."""

    ARGUMENTS_PARSER = _SchemaInstanceParser()
