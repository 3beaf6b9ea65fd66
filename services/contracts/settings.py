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


@dataclass(frozen=True)
class CommitteeRuleSettings:
    """`single_member_communities` (env CONTRACTS_SINGLE_MEMBER_COMMUNITIES, comma-separated):
    the communities that explicitly keep the old rule, where one committee member other
    than the proposer approves for the committee. Everywhere else the committee approves a
    tender or an award only on a passed resolution of a meeting (the governance service)."""

    single_member_communities: tuple[str, ...] = ()


def contracts_settings(settings: Settings) -> ContractsSettings:
    """The service's settings: `Settings.extra[<field>]`, else `OCDS_<FIELD>`, else the default."""
    return read_settings(ContractsSettings, settings, prefix=ENV_PREFIX)
