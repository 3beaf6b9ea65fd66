"""SMS through Alibaba Cloud (SendSms, dysmsapi 2017-05-25) or Tencent Cloud (SendSms 2021-01-11)."""

from __future__ import annotations

import json
import time
import uuid
from datetime import UTC, datetime
from string import Formatter
from urllib.parse import urlsplit

from ...domain import TRIGGERS
from ...settings import NotificationsSettings
from .base import ChannelError, Message, http_json
from .signing import aliyun_signed_query, tencent_authorization


def template_values(message: Message) -> list[str]:
    """The template's parameters in the order they appear in it (Tencent's positional set)."""
    names = (
        [f for _, f, _, _ in Formatter().parse(TRIGGERS[message.trigger].zh) if f]
        if message.trigger in TRIGGERS
        else []
    )
    return [message.params.get(n, "") for n in names] or list(message.params.values())


class AliyunSms:
    name = "sms"

    def __init__(self, settings: NotificationsSettings) -> None:
        self.settings = settings

    def send(self, address: str, message: Message) -> None:
        s = self.settings
        params = {
            "AccessKeyId": s.aliyun_access_key_id,
            "Action": "SendSms",
            "Format": "JSON",
            "PhoneNumbers": address,
            "RegionId": "cn-hangzhou",
            "SignName": s.aliyun_sign_name,
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": str(uuid.uuid4()),
            "SignatureVersion": "1.0",
            "TemplateCode": s.template_of(s.aliyun_template_codes, message.trigger),
            "TemplateParam": json.dumps(message.params, ensure_ascii=False, separators=(",", ":")),
            "Timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": "2017-05-25",
        }
        url = f"{s.aliyun_endpoint.rstrip('/')}/?{aliyun_signed_query(params, s.aliyun_access_key_secret)}"
        answer = http_json(url, timeout=s.timeout_seconds)
        if answer.get("Code") != "OK":
            raise ChannelError(f"Alibaba Cloud SMS refused: {answer.get('Code')}")


class TencentSms:
    name = "sms"

    def __init__(self, settings: NotificationsSettings) -> None:
        self.settings = settings

    def send(self, address: str, message: Message) -> None:
        s = self.settings
        body = json.dumps(
            {
                "PhoneNumberSet": [f"+86{address}"],
                "SmsSdkAppId": s.tencent_sdk_app_id,
                "SignName": s.tencent_sign_name,
                "TemplateId": s.template_of(s.tencent_template_ids, message.trigger),
                "TemplateParamSet": template_values(message),
            },
            ensure_ascii=False,
        )
        host = urlsplit(s.tencent_endpoint).netloc
        timestamp = int(time.time())
        headers = {
            "Authorization": tencent_authorization(
                s.tencent_secret_id,
                s.tencent_secret_key,
                service="sms",
                host=host,
                timestamp=timestamp,
                payload=body,
            ),
            "Content-Type": "application/json; charset=utf-8",
            "Host": host,
            "X-TC-Action": "SendSms",
            "X-TC-Timestamp": str(timestamp),
            "X-TC-Version": "2021-01-11",
            "X-TC-Region": s.tencent_region,
        }
        answer = http_json(s.tencent_endpoint, timeout=s.timeout_seconds, body=body.encode(), headers=headers)
        response = answer.get("Response", {})
        if "Error" in response:
            raise ChannelError(f"Tencent Cloud SMS refused: {response['Error'].get('Code')}")
        codes = [item.get("Code") for item in response.get("SendStatusSet", [])]
        if codes != ["Ok"]:
            raise ChannelError(f"Tencent Cloud SMS refused: {','.join(map(str, codes)) or 'no status'}")
