"""Channel adapters behind one interface: `send(address, message)`, raising `ChannelError`.

Each adapter has a timeout; retries with backoff and dead letters are the dispatcher's
(`usecases/dispatch.py`), the same for every channel. Addresses never appear in errors.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from ...settings import NotificationsSettings
from .base import ChannelError, Message
from .email import SmtpChannel
from .sms import AliyunSms, TencentSms
from .wechat import WeChatTemplates


class Channel(Protocol):
    name: str

    def send(self, address: str, message: Message) -> None: ...


def build_channels(settings: NotificationsSettings) -> Mapping[str, Channel]:
    """The adapters the settings name: e-mail, the chosen SMS provider, WeChat."""
    sms: Channel = TencentSms(settings) if settings.sms_provider == "tencent" else AliyunSms(settings)
    return {"email": SmtpChannel(settings), "sms": sms, "wechat": WeChatTemplates(settings)}


__all__ = ["Channel", "ChannelError", "Message", "build_channels"]
