"""The subscriptions service's own knobs, read with `read_settings` (env `SUBSCRIPTIONS_<FIELD>`).

`ALLOW_HTTP` lets webhook URLs use plain http (embedded mode and tests; production wants
https); `ALLOW_PRIVATE_TARGETS` lets them reach loopback, link-local and private
addresses (never in production: it opens the district network to SSRF). Retries back off
from `RETRY_FIRST_SECONDS` doubling to `RETRY_CAP_SECONDS`, jittered, until the
subscription has failed for `DISABLE_AFTER_HOURS` (72 h: well past the 24 h promised)
and is disabled. A rotated secret stays in force `SECRET_OVERLAP_HOURS` more.
`PERSONAL_DATA_KEY` (and `PERSONAL_DATA_RETIRED_KEYS` during a rotation) seals the
webhook secrets at rest with the chassis cipher.
"""

from __future__ import annotations

from dataclasses import dataclass

from services.chassis.config import Settings
from services.chassis.protection import PersonalDataCipher, load_cipher


@dataclass(frozen=True)
class SubscriptionSettings:
    allow_http: bool = False
    allow_private_targets: bool = False
    retry_first_seconds: float = 5.0
    retry_cap_seconds: float = 3600.0
    disable_after_hours: float = 72.0
    secret_overlap_hours: float = 24.0
    delivery_interval_seconds: float = 1.0
    delivery_timeout_seconds: float = 10.0
    delivery_batch: int = 200


@dataclass(frozen=True)
class BrokerSettings:
    """RabbitMQ's management API for AMQP subscriptions (`SUBSCRIPTIONS_BROKER_API_URL`, e.g.
    `http://rabbitmq:15672`, and its own user and password: a secret of its own)."""

    broker_api_url: str | None = None
    broker_api_user: str = "subscriptions-admin"
    broker_api_password: str | None = None
    broker_vhost: str = "/"


@dataclass(frozen=True)
class SecretSettings:
    personal_data_key: str | None = None
    personal_data_retired_keys: str | None = None


def secret_cipher(settings: Settings, keys: SecretSettings) -> PersonalDataCipher:
    """The cipher that seals webhook secrets (made under the data folder in the embedded mode)."""
    return load_cipher(settings, "subscriptions", keys.personal_data_key, keys.personal_data_retired_keys)
