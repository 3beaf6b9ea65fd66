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


def metadata(service: str) -> Any:
    return module(service, "models").Base.metadata


def event_catalogue(service: str) -> ModuleType:
    return module(service, "events")
