"""Grid settings read once from the environment (beside the chassis settings)."""

from __future__ import annotations

import base64
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from services.chassis.config import Settings

KEY_ENV = "GRID_PERSONAL_DATA_KEY"
SWEEP_ENV = "GRID_OVERDUE_SWEEP_SECONDS"
KEY_FILE = "grid-personal-data.key"


class MissingKey(RuntimeError):
    """No personal-data key outside the embedded mode: refuse to start."""


def overdue_sweep_seconds(settings: Settings) -> float:
    """How often the worker checks for overdue cases (`GRID_OVERDUE_SWEEP_SECONDS`, 60)."""
    value = settings.extra.get("overdue_sweep_seconds") or os.environ.get(SWEEP_ENV) or 60
    return float(value)


@dataclass(frozen=True)
class GridSettings:
    """The personal-data master key (the web app's only; the worker never needs it)."""

    personal_data_key: bytes

    @classmethod
    def from_settings(cls, settings: Settings) -> GridSettings:
        """Read `GRID_PERSONAL_DATA_KEY` (base64 of 32 random bytes) or the test override.

        The embedded mode makes a key under the data folder on first start; any other
        environment must be given one (a lost key makes stored ID numbers unreadable).
        """
        raw = settings.extra.get("personal_data_key") or os.environ.get(KEY_ENV)
        if raw:
            key = _decode(raw)
        elif settings.environment == "embedded":
            key = _local_key(settings.data_dir / "keys" / KEY_FILE)
        else:
            raise MissingKey(f"set {KEY_ENV} (base64 of 32 random bytes) for the grid service")
        return cls(personal_data_key=key)


def _decode(value: str | bytes) -> bytes:
    if isinstance(value, bytes) and len(value) == 32:
        return value
    text = value.decode() if isinstance(value, bytes) else value
    key = base64.urlsafe_b64decode(text.strip() + "=" * (-len(text.strip()) % 4))
    if len(key) < 32:
        raise MissingKey(f"{KEY_ENV} must decode to at least 32 bytes")
    return key


def _local_key(path: Path) -> bytes:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{secrets.token_hex(4)}.tmp")
        tmp.write_bytes(base64.urlsafe_b64encode(secrets.token_bytes(32)))
        tmp.chmod(0o600)
        if path.exists():  # another process won the race
            tmp.unlink()
        else:
            tmp.replace(path)
    return _decode(path.read_bytes().decode())


def new_key() -> str:
    """A fresh key for `GRID_PERSONAL_DATA_KEY`."""
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
