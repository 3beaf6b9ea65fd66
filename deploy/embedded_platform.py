"""The embedded platform once built: service apps, their workers and the gateway in one process."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from services.chassis.app import Runtime


@dataclass
class Platform:
    """The running embedded platform: service apps, their workers and the gateway app."""

    data_dir: Path
    overrides: dict[str, Any] = field(default_factory=dict)
    apps: dict[str, Any] = field(default_factory=dict)
    runtimes: dict[str, Runtime] = field(default_factory=dict)
    workers: dict[str, Any] = field(default_factory=dict)
    gateway: Any = None
    identities: list[dict[str, Any]] = field(default_factory=list)

    def stop(self) -> None:
        for worker in self.workers.values():
            worker.stop(timeout=5)
        for runtime in self.runtimes.values():
            runtime.database.dispose()
