"""E-mail over SMTP (smtplib); accepted by the server counts as delivered."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from email.utils import make_msgid

from ...domain.masking import mask
from .base import Message, Permanent, Sent, Transient


class SmtpProvider:
    name = "smtp"

    def __init__(self, conf: dict[str, str], timeout: float):
        self.host = conf["host"]
        self.port = int(conf.get("port", "25"))
        self.sender = conf.get("from", "noreply@ydp.go.kr")
        self.user = conf.get("user")
        self.password = conf.get("password")
        self.starttls = conf.get("starttls", "").lower() in ("1", "true", "yes")
        self.timeout = timeout

    def send(self, message: Message) -> Sent:
        email = EmailMessage()
        email["From"] = self.sender
        email["To"] = message.address
        email["Subject"] = message.subject or "[영등포구] 알림"
        email["Message-ID"] = make_msgid(idstring=message.delivery_id, domain="ydp.go.kr")
        email["X-Delivery-ID"] = message.delivery_id
        email.set_content(message.body)
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    smtp.starttls()
                if self.user:
                    smtp.login(self.user, self.password or "")
                smtp.send_message(email)
        except smtplib.SMTPRecipientsRefused as exc:
            code, text = next(iter(exc.recipients.values()))
            raise _by_code(code, text, message.address) from exc
        except smtplib.SMTPResponseException as exc:
            raise _by_code(exc.smtp_code, exc.smtp_error, message.address) from exc
        except (OSError, smtplib.SMTPException) as exc:
            raise Transient(f"smtp: {type(exc).__name__}: {exc}") from exc
        return Sent(self.name, email["Message-ID"], delivered=True)


def _by_code(code: int, text: bytes | str, address: str | None):
    text = text.decode(errors="replace") if isinstance(text, bytes) else text
    if address:  # servers often echo the address; the reason is stored and shown
        text = text.replace(address, mask(address))
    reason = f"SMTP {code} {text}"
    return Permanent(reason) if 500 <= code < 600 else Transient(reason)
