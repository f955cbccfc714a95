"""Settings parsing and recipient resolution (no database, no broker)."""

import pytest
from cryptography.fernet import Fernet

from services.common.envelope import InvalidMessage
from services.notifications import config
from services.notifications.adapters.pii import Pii
from services.notifications.service_layer.recipients import configured, person

KEY = Fernet.generate_key()
PII = Pii(KEY.decode(), "hash-key")


def enc(value: str) -> str:
    return Fernet(KEY).encrypt(value.encode()).decode()


def test_rate_limits_and_lists_are_parsed():
    settings = config.load(
        {
            "NOTIFY_RATE_NHN_SMS": "10/s:20",
            "NOTIFY_RATE_SMTP": "120/m",
            "NOTIFY_FINANCE_RECIPIENTS": "finance:예산팀, email:a@b.kr ,",
            "NOTIFY_QUIET_HOURS": "off",
        }
    )
    assert settings.rate_limits == {"nhn_sms": (10.0, 20.0), "smtp": (2.0, 2.0)}
    assert settings.finance_recipients == ("finance:예산팀", "email:a@b.kr")
    assert settings.quiet_hours is None
    assert config.load({}).staff_recipients == ("staff:일자리창출팀",)


def test_person_channel_choice():
    phone = {"name_masked": "홍*동", "phone_enc": enc("010-1111-2222"), "kakao": True}
    assert person(PII, phone).channel == "kakao"
    assert person(PII, phone, urgent=True).channel == "sms"
    assert person(PII, {**phone, "kakao": False}).channel == "sms"
    mail = {"name_masked": "홍*동", "phone_enc": None, "email_enc": enc("h@x.kr")}
    assert person(PII, mail).channel == "email"
    assert person(PII, {"name_masked": "홍*동"}) is None
    assert person(PII, phone).key == person(PII, {**phone, "phone_enc": enc("01011112222")}).key


def test_person_key_is_a_keyed_hash_not_the_number():
    phone = {"name_masked": "홍*동", "phone_enc": enc("01011112222")}
    key = person(PII, phone).key
    assert "1111" not in key and key.startswith("h:")
    assert key != person(Pii(KEY.decode(), "other-key"), phone).key


def test_undecryptable_token_is_an_invalid_message():
    with pytest.raises(InvalidMessage):
        person(PII, {"name_masked": "x", "phone_enc": "garbage"})


def test_configured_entries():
    assert configured(PII, "staff:일자리창출팀").channel == "local"
    mail = configured(PII, "email:budget@ydp.go.kr")
    assert (mail.channel, mail.address, mail.masked) == (
        "email",
        "budget@ydp.go.kr",
        "b*****@ydp.go.kr",
    )
    assert configured(PII, "webhook:https://119.example/hook").channel == "webhook"
