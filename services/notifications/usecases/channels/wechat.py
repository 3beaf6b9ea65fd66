"""WeChat Official Account template messages, with the access_token cached until it expires."""

from __future__ import annotations

import json
import threading
import time
from urllib.parse import urlencode

from ...settings import NotificationsSettings
from .base import ChannelError, Message, http_json

TOKEN_EXPIRED = (40001, 42001)  # invalid credential / access_token expired: fetch a new one


class WeChatTemplates:
    name = "wechat"

    def __init__(self, settings: NotificationsSettings) -> None:
        self.settings = settings
        self._token: str | None = None
        self._expires = 0.0
        self._lock = threading.Lock()

    def _access_token(self, *, fresh: bool = False) -> str:
        with self._lock:
            if fresh or self._token is None or time.monotonic() >= self._expires:
                s = self.settings
                query = urlencode(
                    {
                        "grant_type": "client_credential",
                        "appid": s.wechat_app_id,
                        "secret": s.wechat_app_secret,
                    }
                )
                answer = http_json(f"{s.wechat_endpoint}/cgi-bin/token?{query}", timeout=s.timeout_seconds)
                if "access_token" not in answer:
                    raise ChannelError(f"WeChat token refused: errcode {answer.get('errcode')}")
                self._token = str(answer["access_token"])
                self._expires = time.monotonic() + int(answer.get("expires_in", 7200)) - 300
            return self._token

    def send(self, address: str, message: Message) -> None:
        s = self.settings
        body = json.dumps(
            {
                "touser": address,
                "template_id": s.template_of(s.wechat_template_ids, message.trigger),
                "data": {k: {"value": v} for k, v in {**message.params, "text": message.text}.items()},
            },
            ensure_ascii=False,
        ).encode()
        for fresh in (False, True):
            token = self._access_token(fresh=fresh)
            url = f"{s.wechat_endpoint}/cgi-bin/message/template/send?access_token={token}"
            answer = http_json(
                url, timeout=s.timeout_seconds, body=body, headers={"Content-Type": "application/json"}
            )
            code = int(answer.get("errcode", 0))
            if code == 0:
                return
            if code not in TOKEN_EXPIRED:
                break
        raise ChannelError(f"WeChat refused: errcode {code}")
