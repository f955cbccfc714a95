"""Each applicants event tells the person concerned, in Korean, on their channel."""

import uuid

import pytest
from notify_helpers import apply, recipient, rows_for

from services.common.envelope import Envelope

pytestmark = pytest.mark.integration

WORK = {
    "selection_id": "s1",
    "program_code": "safe",
    "program_name": "안심일자리",
    "fiscal_year": 2023,
    "work_starts": "2023-01-02",
    "work_ends": "2023-06-30",
    "daily_hours": 5,
    "hourly_wage_krw": 9620,
    "working_days": 124,
    "wage_commitment_krw": 5964400,
}
CASES = [
    (
        "applicants.application_rejected",
        {
            "recruitment_title": "2023 안심일자리",
            "reasons": [{"rule": "age", "value": 17, "message": "만 18세 이상이어야 합니다"}],
            "rule_version": 3,
        },
        ["접수되지 않았습니다", "만 18세 이상이어야 합니다"],
    ),
    ("applicants.participant_selected", WORK, ["안심일자리 참여자로 선발", "시급 9,620원"]),
    ("applicants.participant_waitlisted", {"selection_id": "s1", "rank": 4}, ["예비 4번"]),
    (
        "applicants.participant_promoted",
        {**WORK, "replaces_application_id": "a0"},
        ["결원이 생겨 안심일자리", "2023-01-02~2023-06-30"],
    ),
]


@pytest.mark.parametrize(("event_type", "fields", "phrases"), CASES)
def test_person_is_told(stack, notifier_factory, event_type, fields, phrases):
    notifier_factory(NOTIFY_QUIET_HOURS="off")
    payload = {
        "application_id": str(uuid.uuid4()),
        "recruitment_id": str(uuid.uuid4()),
        "recipient": recipient(stack, phone="01080001234", name="김*수"),
        **fields,
    }
    envelope = Envelope(event_type, payload, "applicants")
    assert apply(stack, envelope) == 1
    [delivery] = rows_for(stack, envelope.id)
    assert delivery["channel"] == "sms" and delivery["template"] == event_type.split(".")[1]
    assert "김*수님" in delivery["body"]
    for phrase in phrases:
        assert phrase in delivery["body"]


def test_unknown_version_goes_to_dead_letters_not_retried(stack, notifier_factory):
    from services.common.envelope import InvalidMessage

    notifier_factory(NOTIFY_QUIET_HOURS="off")
    envelope = Envelope("applicants.participant_waitlisted", {"rank": 1}, "applicants", version=2)
    with pytest.raises(InvalidMessage):
        apply(stack, envelope)
    assert rows_for(stack, envelope.id) == []
