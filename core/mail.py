"""Sending one plain-text e-mail through the configured SMTP server (on-call alerts).

The only mail Majakka sends goes to staff, never to the people whose posts it reads, and carries
no post text. A failure raises :class:`MailError` for the caller to record; it never retries
silently.
"""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from core.config import Settings

TIMEOUT_SECONDS = 10


class MailError(RuntimeError):
    """The message could not be handed to the SMTP server."""


def send_mail(settings: Settings, *, to: str, subject: str, body: str) -> None:
    """Hand one message to ``settings.smtp_host``; raises :class:`MailError` if it cannot."""
    if not settings.smtp_host:
        raise MailError("no SMTP server is configured (MAJAKKA_SMTP_HOST)")
    message = EmailMessage()
    message["From"] = settings.smtp_sender
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=TIMEOUT_SECONDS) as server:
            server.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        raise MailError(f"{type(error).__name__}: {error}") from error
