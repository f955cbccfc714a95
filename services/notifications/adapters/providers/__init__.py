"""Channels as adapters behind one interface: ``send(message) -> Sent``."""

from __future__ import annotations

from .base import Message, Permanent, Provider, ProviderError, Receipt, Sent, Transient
from .local import LocalProvider
from .nhn import NhnAlimTalk, NhnSms
from .smtp import SmtpProvider
from .voice import VoiceCall
from .webhook import WebhookProvider

__all__ = [
    "Message",
    "Permanent",
    "Provider",
    "ProviderError",
    "Receipt",
    "Sent",
    "Transient",
    "build_providers",
]


def build_providers(notify, signing_key: str) -> dict[str, Provider]:
    """One provider per channel; a channel with no configuration records locally."""
    local = LocalProvider()
    providers: dict[str, Provider] = dict.fromkeys(
        ("local", "email", "sms", "kakao", "voice"), local
    )
    if notify.smtp.get("host"):
        providers["email"] = SmtpProvider(notify.smtp, notify.http_timeout)
    if notify.nhn_sms.get("app_key"):
        providers["sms"] = NhnSms(notify.nhn_sms, notify.http_timeout)
    if notify.nhn_alimtalk.get("app_key"):
        providers["kakao"] = NhnAlimTalk(notify.nhn_alimtalk, notify.http_timeout)
    if notify.voice.get("url"):
        providers["voice"] = VoiceCall(notify.voice, notify.http_timeout)
    providers["webhook"] = WebhookProvider(signing_key, notify.http_timeout)
    return providers
