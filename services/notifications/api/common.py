"""What the resources share: the cipher, the channels, the settings, documented error statuses."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from http import HTTPStatus
from typing import Any

from flask import current_app

from services.chassis.protection import PersonalDataCipher
from services.chassis.web import service_settings

from ..settings import NotificationsSettings
from ..usecases.channels import Channel, Message


def cipher() -> PersonalDataCipher:
    return current_app.extensions["notifications.cipher"]


def settings() -> NotificationsSettings:
    return service_settings(NotificationsSettings)


def send(channel: str, address: str, message: Message) -> None:
    channels: Mapping[str, Channel] = current_app.extensions["notifications.channels"]
    channels[channel].send(address, message)


def errors(blp: Any, *statuses: int) -> Callable[[Any], Any]:
    """Document each error status an operation answers (problem+json)."""

    def decorate(view: Any) -> Any:
        for status in statuses:
            view = blp.alt_response(status, response=HTTPStatus(status).name, success=False)(view)
        return view

    return decorate
