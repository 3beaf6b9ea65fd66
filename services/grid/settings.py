"""The grid service's own knobs, read with the chassis' `read_settings` (env `GRID_<FIELD>`).

`GRID_PERSONAL_DATA_KEY` (base64 of 32 random bytes) keys the encryption of personal data,
`GRID_PERSONAL_DATA_RETIRED_KEYS` (comma-separated) still decrypts during a rotation
(`services.chassis.protection`); `GRID_OVERDUE_SWEEP_SECONDS` is how often the worker
checks for overdue cases.
"""

from __future__ import annotations

from dataclasses import dataclass

from services.chassis.config import Settings, read_settings
from services.chassis.protection import PersonalDataCipher, load_cipher


@dataclass(frozen=True)
class GridSettings:
    """The personal-data master keys (the web app's only; the worker never needs them) and
    the interval of the overdue check."""

    personal_data_key: str | None = None
    personal_data_retired_keys: str | None = None
    overdue_sweep_seconds: float = 60.0


def personal_data_cipher(settings: Settings, grid: GridSettings | None = None) -> PersonalDataCipher:
    """The cipher of grid's personal data, from `GRID_PERSONAL_DATA_KEY` (and retired keys)."""
    grid = grid or read_settings(GridSettings, settings)
    return load_cipher(settings, "grid", grid.personal_data_key, grid.personal_data_retired_keys)
