"""The contracts service's own settings."""

from __future__ import annotations

from dataclasses import dataclass

from services.chassis.config import Settings, read_settings

# The variable keeps its published name, OCDS_OCID_PREFIX (docs/operations.md).
ENV_PREFIX = "OCDS"


@dataclass(frozen=True)
class ContractsSettings:
    """`ocid_prefix`: the publisher's OCDS ocid prefix (env OCDS_OCID_PREFIX); replace it by
    the prefix the Open Contracting Partnership registers for the publisher."""

    ocid_prefix: str = "ocds-zsjd01"


def contracts_settings(settings: Settings) -> ContractsSettings:
    """The service's settings: `Settings.extra[<field>]`, else `OCDS_<FIELD>`, else the default."""
    return read_settings(ContractsSettings, settings, prefix=ENV_PREFIX)
