"""Finds a service's parts by convention (`services.<name>.app`, `.worker`, `.models`)."""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

from services import SERVICES


def check(service: str) -> str:
    if service not in SERVICES:
        raise ValueError(f"unknown service {service!r}; known: {', '.join(SERVICES)}")
    return service


def module(service: str, part: str) -> ModuleType:
    return importlib.import_module(f"services.{check(service)}.{part}")


def optional_module(service: str, part: str) -> ModuleType | None:
    """`services.<service>.<part>`, or None when the service has no such module."""
    name = f"services.{check(service)}.{part}"
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as error:
        if error.name != name:
            raise
        return None


def metadata(service: str) -> Any:
    return module(service, "models").Base.metadata


def event_catalogue(service: str) -> ModuleType:
    return module(service, "events")
