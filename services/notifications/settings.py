"""The notifications service's knobs (env `NOTIFICATIONS_<FIELD>`), read with the chassis' `read_settings`.

Providers' endpoints and keys are settings: a deployment points them at Alibaba Cloud,
Tencent Cloud, the WeChat API and its mail relay; tests point them at local stand-ins.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from services.chassis.config import Settings, read_settings
from services.chassis.protection import PersonalDataCipher, load_cipher


@dataclass(frozen=True)
class NotificationsSettings:
    sms_provider: str = "aliyun"  # aliyun | tencent
    smtp_host: str = "localhost"
    smtp_port: int = 25
    smtp_starttls: bool = False
    smtp_ca_file: str = ""
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_sender: str = "noreply@community.example"
    aliyun_endpoint: str = "https://dysmsapi.aliyuncs.com/"
    aliyun_access_key_id: str = ""
    aliyun_access_key_secret: str = ""
    aliyun_sign_name: str = "社区服务"
    aliyun_template_codes: tuple[str, ...] = ()  # trigger=SMS_code, comma-separated
    tencent_endpoint: str = "https://sms.tencentcloudapi.com/"
    tencent_region: str = "ap-guangzhou"
    tencent_secret_id: str = ""
    tencent_secret_key: str = ""
    tencent_sdk_app_id: str = ""
    tencent_sign_name: str = "社区服务"
    tencent_template_ids: tuple[str, ...] = ()  # trigger=template id, comma-separated
    wechat_endpoint: str = "https://api.weixin.qq.com"
    wechat_app_id: str = ""
    wechat_app_secret: str = ""
    wechat_template_ids: tuple[str, ...] = ()  # trigger=template id, comma-separated
    timeout_seconds: float = 5.0
    max_attempts: int = 5
    retry_first_seconds: float = 2.0
    retry_cap_seconds: float = 300.0
    quiet_start: str = "22:00"
    quiet_end: str = "07:30"
    rate_per_hour: int = 10
    code_ttl_seconds: int = 600
    code_attempts: int = 5
    mean_service_seconds: float = 300.0
    dispatch_seconds: float = 0.2

    def quiet_hours(self) -> tuple[time, time]:
        return time.fromisoformat(self.quiet_start), time.fromisoformat(self.quiet_end)

    def template_of(self, table: tuple[str, ...], trigger: str) -> str:
        pairs = dict(item.split("=", 1) for item in table if "=" in item)
        return pairs.get(trigger, pairs.get("default", ""))


@dataclass(frozen=True)
class PersonalDataSettings:
    """`NOTIFICATIONS_PERSONAL_DATA_KEY` (and `..._RETIRED_KEYS` during a rotation) seal contacts."""

    personal_data_key: str | None = None
    personal_data_retired_keys: str | None = None


def notifications_settings(settings: Settings) -> NotificationsSettings:
    return read_settings(NotificationsSettings, settings)


def personal_data_cipher(settings: Settings, keys: PersonalDataSettings | None = None) -> PersonalDataCipher:
    """The cipher of contact points (mobile numbers, e-mail addresses, WeChat openids)."""
    keys = keys or read_settings(PersonalDataSettings, settings)
    return load_cipher(settings, "notifications", keys.personal_data_key, keys.personal_data_retired_keys)
