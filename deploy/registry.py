"""The services this deployment runs, and their parts found by convention.

`services.<name>.app`, `.worker`, `.models`, `.usecases`, `.events` and `migrations/`:
the chassis knows none of them; whatever runs the platform (the `community` command,
the embedded platform, the local stack, the tests) looks them up here.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType
from typing import Any

SERVICES = ("intake", "contracts", "grid", "evaluation", "governance", "subscriptions", "notifications")


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


def migrations(service: str) -> Path:
    """The folder of the service's Alembic migrations."""
    package = importlib.import_module(f"services.{check(service)}")
    return Path(package.__file__).parent / "migrations"


def consumed(service: str) -> Any:
    """What the service consumes: `usecases.CONSUMED`, collected from its `@consumes` handlers."""
    return module(service, "usecases").CONSUMED


def published_and_consumed() -> tuple[list[tuple[str, Any]], dict[str, dict[str, str]]]:
    """Every service's `PUBLISHES` (as (service, event type) pairs) and consumed patterns (→ why)."""
    published: list[tuple[str, Any]] = []
    purposes: dict[str, dict[str, str]] = {}
    for service in SERVICES:
        published.extend((service, e) for e in event_catalogue(service).PUBLISHES)
        purposes[service] = dict(consumed(service).purposes)
    return published, purposes
