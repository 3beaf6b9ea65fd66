"""A real SMTP server for tests (aiosmtpd): every mail it accepts, decoded; STARTTLS if asked."""

from __future__ import annotations

import email
import email.policy
import ssl
import threading
from dataclasses import dataclass
from typing import Any

from aiosmtpd.controller import Controller

from deploy.stack import free_port


@dataclass(frozen=True)
class Mail:
    sender: str
    recipients: tuple[str, ...]
    subject: str
    text: str


class _Handler:
    def __init__(self, box: Mailbox) -> None:
        self.box = box

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's hook
        parsed = email.message_from_bytes(
            envelope.original_content or envelope.content, policy=email.policy.default
        )
        body = parsed.get_body(("plain",))
        text = body.get_content() if body is not None else ""
        with self.box.lock:
            self.box.mails.append(
                Mail(envelope.mail_from, tuple(envelope.rcpt_tos), str(parsed["Subject"]), text.strip())
            )
        return "250 Message accepted for delivery"


class Mailbox:
    """Started on a free loopback port; `mails` is what arrived, in order."""

    def __init__(self, tls_context: ssl.SSLContext | None = None) -> None:
        self.mails: list[Mail] = []
        self.lock = threading.Lock()
        self.port = free_port("127.0.0.1")
        self.controller = Controller(
            _Handler(self),
            hostname="127.0.0.1",
            port=self.port,
            tls_context=tls_context,
            require_starttls=tls_context is not None,
        )

    def __enter__(self) -> Mailbox:
        self.controller.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.controller.stop()

    def to(self, address: str) -> list[Mail]:
        with self.lock:
            return [m for m in self.mails if address in m.recipients]
