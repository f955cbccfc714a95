"""Korean templates (versioned, per-channel variants), masking, the status moves."""

import pytest

from services.notifications.domain import templates
from services.notifications.domain.masking import mask, normalize
from services.notifications.domain.model import IllegalMove, check_move
from services.notifications.domain.sms import message_kind

SELECTED = {
    "name": "홍*동",
    "program_name": "안심일자리",
    "work_starts": "2023-01-02",
    "work_ends": "2023-06-30",
    "daily_hours": 5,
    "hourly_wage_krw": 9620,
}


def test_recruitment_opened_keeps_its_wording():
    text = templates.get("recruitment_opened").render(
        year=2023, half=1, title="안심", total_quota=3, programs=[{"name": "안심", "quota": 3}]
    )
    assert "2023년 상반기 '안심' 모집" in text and "선발인원 3명" in text


def test_channel_variant_and_default():
    template = templates.get("participant_selected")
    sms = template.render("sms", **SELECTED)
    kakao = template.render("kakao", **SELECTED)
    assert sms != kakao
    assert "시급 9,620원" in sms and "시급 9,620원" in kakao
    assert "축하드립니다" in kakao and "축하드립니다" not in sms
    assert message_kind(sms) == "LMS"


def test_missing_value_is_an_error_not_a_blank():
    with pytest.raises(Exception, match="program_name"):
        templates.get("participant_selected").render("sms", name="홍*동")


def test_versions_are_addressable():
    latest = templates.get("alarm_raised")
    assert templates.get("alarm_raised", latest.version) is latest
    with pytest.raises(KeyError):
        templates.get("alarm_raised", 99)


def test_masking():
    assert mask("010-1234-5678") == "010-****-5678"
    assert mask("hong@example.com") == "h***@example.com"
    assert mask("https://119.example/hook?x=1") == "https://119.example/…"
    assert normalize("010-1234-5678") == normalize("01012345678") == "01012345678"
    assert normalize(" Hong@Example.com ") == "hong@example.com"


def test_status_moves():
    check_move("queued", "sent")
    check_move("sent", "delivered")
    with pytest.raises(IllegalMove):
        check_move("delivered", "failed")
    with pytest.raises(IllegalMove):
        check_move("sent", "queued")
