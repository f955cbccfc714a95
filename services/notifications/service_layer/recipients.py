"""Who a message goes to: people from an event's ``recipient`` objects, staff from config."""

from __future__ import annotations

from cryptography.fernet import InvalidToken

from services.common.envelope import InvalidMessage

from ..adapters.pii import Pii
from ..domain.masking import mask
from ..domain.model import Recipient

CONFIG_CHANNELS = {"email": "email", "sms": "sms", "webhook": "webhook", "kakao": "kakao",
                   "voice": "voice"}  # fmt: skip


def _open(pii: Pii, token: str | None) -> str | None:
    if not token:
        return None
    try:
        return pii.decrypt(token)
    except InvalidToken as exc:  # no retry can decrypt it: dead letter
        raise InvalidMessage("recipient: undecryptable personal data") from exc


def person(pii: Pii, recipient: dict, urgent: bool = False) -> Recipient | None:
    """알림톡 for a phone with KakaoTalk (SMS if not, or if urgent), else e-mail."""
    phone = _open(pii, recipient.get("phone_enc"))
    email = _open(pii, recipient.get("email_enc"))
    if phone:
        channel = "kakao" if recipient.get("kakao") and not urgent else "sms"
        return Recipient(f"h:{pii.hash(phone)}", channel, phone, mask(phone))
    if email:
        return Recipient(f"h:{pii.hash(email)}", "email", email, mask(email))
    return None


def configured(pii: Pii, entry: str) -> Recipient:
    """``email:a@b``, ``sms:010…``, ``webhook:https://…``; anything else is a local name."""
    prefix, _, address = entry.partition(":")
    channel = CONFIG_CHANNELS.get(prefix)
    if channel and address:
        return Recipient(f"h:{pii.hash(address)}", channel, address, mask(address))
    return Recipient(entry, "local", None, entry)
