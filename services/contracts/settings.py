"""The contracts service's own settings."""

from __future__ import annotations

from dataclasses import dataclass

from services.chassis.config import Settings, read_settings
from services.chassis.protection import PersonalDataCipher, load_cipher

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


@dataclass(frozen=True)
class PersonalDataSettings:
    """The keys of providers' contact persons at rest (the chassis' one scheme,
    `services.chassis.protection`): `CONTRACTS_PERSONAL_DATA_KEY` and
    `CONTRACTS_PERSONAL_DATA_RETIRED_KEYS` (comma-separated, during a rotation)."""

    personal_data_key: str | None = None
    personal_data_retired_keys: str | None = None


def personal_data_cipher(settings: Settings, keys: PersonalDataSettings | None = None) -> PersonalDataCipher:
    """The cipher of contracts' personal data (providers' contact names and phones)."""
    keys = keys or read_settings(PersonalDataSettings, settings)
    return load_cipher(settings, "contracts", keys.personal_data_key, keys.personal_data_retired_keys)


def contracts_settings(settings: Settings) -> ContractsSettings:
    """The service's settings: `Settings.extra[<field>]`, else `OCDS_<FIELD>`, else the default."""
    return read_settings(ContractsSettings, settings, prefix=ENV_PREFIX)
