"""The grid service's own knobs, read with the chassis' `read_settings` (env `GRID_<FIELD>`).

`GRID_PERSONAL_DATA_KEY` (base64 of 32 random bytes) keys the encryption of personal data;
`GRID_OVERDUE_SWEEP_SECONDS` is how often the worker checks for overdue cases.
"""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass
from pathlib import Path

from services.chassis.config import Settings, read_settings

KEY_ENV = "GRID_PERSONAL_DATA_KEY"
KEY_FILE = "grid-personal-data.key"


class MissingKey(RuntimeError):
    """No personal-data key outside the embedded mode: refuse to start."""


@dataclass(frozen=True)
class GridSettings:
    """The personal-data master key (the web app's only; the worker never needs it) and the
    interval of the overdue check."""

    personal_data_key: str | None = None
    overdue_sweep_seconds: float = 60.0


def personal_data_key(settings: Settings, grid: GridSettings | None = None) -> bytes:
    """The master key: `GRID_PERSONAL_DATA_KEY` (or the test override), decoded.

    The embedded mode makes a key under the data folder on first start; any other
    environment must be given one (a lost key makes stored ID numbers unreadable).
    """
    raw = (grid or read_settings(GridSettings, settings)).personal_data_key
    if raw:
        return _decode(raw)
    if settings.environment == "embedded":
        return _local_key(settings.data_dir / "keys" / KEY_FILE)
    raise MissingKey(f"set {KEY_ENV} (base64 of 32 random bytes) for the grid service")


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
