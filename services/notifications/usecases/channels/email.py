"""E-mail over SMTP (standard library), STARTTLS when configured, plain text only."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import make_msgid

from ...settings import NotificationsSettings
from .base import ChannelError, Message


class SmtpChannel:
    name = "email"

    def __init__(self, settings: NotificationsSettings) -> None:
        self.settings = settings

    def send(self, address: str, message: Message) -> None:
        s = self.settings
        mail = EmailMessage()
        mail["From"] = s.smtp_sender
        mail["To"] = address
        mail["Subject"] = message.subject
        mail["Message-ID"] = make_msgid(domain=s.smtp_sender.rsplit("@", 1)[-1])
        mail.set_content(message.text)
        try:
            with smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=s.timeout_seconds) as smtp:
                if s.smtp_starttls:
                    context = ssl.create_default_context(cafile=s.smtp_ca_file or None)
                    smtp.starttls(context=context)
                if s.smtp_user:
                    smtp.login(s.smtp_user, s.smtp_password)
                smtp.send_message(mail)
        except smtplib.SMTPResponseException as exc:
            raise ChannelError(f"SMTP server refused: {exc.smtp_code}") from None
        except (smtplib.SMTPException, OSError) as exc:
            raise ChannelError(f"SMTP failed: {type(exc).__name__}") from None
