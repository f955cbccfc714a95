"""Intake through the API: decisions stored, events in the outbox, personal data guarded."""

import json
import logging
from datetime import date

from builders_applicants import application, make_rrn, program
from cryptography.fernet import Fernet
from sqlalchemy import select

from services.applicants.adapters.orm import applications
from services.applicants.adapters.pii import PiiVault


def _row(stack, application_id):
    with stack.runtime("applicants").db.read() as session:
        return session.execute(
            select(applications).where(applications.c.id == application_id)
        ).one()


def test_eligible_application_is_stored_masked_and_announced(
    stack, open_recruitment, apply, outbox, unique
):
    rid, _ = open_recruitment([program()])
    body = application(unique, rrn=make_rrn(date(1960, 5, 5), "F"), phone="010-2345-5678")
    response = apply(rid, body)
    assert response.status_code == 201, response.get_json()
    data = response.get_json()
    assert data["status"] == "eligible" and data["reasons"] == []
    assert data["rrn_masked"] == "600505-2******"
    assert data["phone_masked"] == "010-****-5678"
    assert data["name_masked"] == "홍*동"
    assert data["rule_version"] >= 1
    [event] = outbox("applicants.application_received", application_id=data["id"])
    assert set(event) == {
        "application_id", "recruitment_id", "recruitment_title", "preferences", "recipient"
    }  # fmt: skip
    assert event["recruitment_id"] == rid and event["preferences"] == ["safe"]
    assert event["recruitment_title"] == f"테스트 모집 {unique}"
    recipient = event["recipient"]
    assert recipient["name_masked"] == "홍*동" and recipient["email_enc"] is None
    assert recipient["kakao"] is False
    key = stack.runtime("applicants").settings.secret("PII_ENCRYPTION_KEY")
    assert Fernet(key.encode()).decrypt(recipient["phone_enc"].encode()) == b"01023455678"
    assert outbox("applicants.application_rejected", application_id=data["id"]) == []


def test_ineligible_is_a_stored_decision_with_itemised_reasons(
    stack, open_recruitment, apply, outbox, unique
):
    rid, _ = open_recruitment([program()])
    body = application(
        unique, address="서울특별시 마포구 양화로 45", monthly_income_krw=9_000_000,
        property_krw=500_000_000,
    )  # fmt: skip
    response = apply(rid, body)
    assert response.status_code == 201
    data = response.get_json()
    assert data["status"] == "ineligible"
    assert [r["rule"] for r in data["reasons"]] == ["residency", "max_property", "max_income"]
    assert "영등포구 주민" in data["reasons"][0]["message"]
    [event] = outbox("applicants.application_rejected", application_id=data["id"])
    assert event["reasons"] == data["reasons"]
    assert event["rule_version"] == data["rule_version"]
    assert event["recruitment_title"] == f"테스트 모집 {unique}"
    assert set(event["recipient"]) == {"name_masked", "phone_enc", "email_enc", "kakao"}
    assert _row(stack, data["id"]).status == "ineligible"


def test_one_application_per_person_per_recruitment(stack, open_recruitment, apply, unique):
    rid, _ = open_recruitment([program()])
    body = application(unique)
    assert apply(rid, body).status_code == 201
    again = apply(rid, {**body, "address": body["address"] + " 2층", "phone": "010-9999-0000"})
    assert again.status_code == 409
    assert again.mimetype == "application/problem+json"
    assert "한 번만 신청" in again.get_json()["detail"]
    other_rid, _ = open_recruitment([program()], seed=f"other-{unique}")
    assert apply(other_rid, body).status_code == 201


def test_malformed_input_is_a_422_that_never_echoes_the_rrn(stack, open_recruitment, apply, unique):
    rid, _ = open_recruitment([program()])
    good = make_rrn(date(1970, 1, 1))
    bad_rrn = good[:2] + "13" + good[4:]  # month 13
    body = application(unique, rrn=bad_rrn, phone="02-123", preferences=["safe", "safe"])
    del body["name"]
    response = apply(rid, body)
    assert response.status_code == 422
    errors = response.get_json()["errors"]["json"]
    assert errors["name"] == ["필수 항목입니다."]
    assert "주민등록번호" in errors["rrn"][0]
    assert "휴대전화" in errors["phone"][0]
    assert "두 번" in errors["preferences"][0]
    assert bad_rrn.replace("-", "")[6:] not in response.get_data(as_text=True)


def test_preferences_must_be_offered_and_members_must_match(stack, open_recruitment, apply, unique):
    rid, _ = open_recruitment([program()])
    response = apply(rid, application(unique, preferences=["youth"]))
    assert response.status_code == 422
    assert "이 모집에 없는 사업" in response.get_json()["errors"]["json"]["preferences"][0]
    response = apply(rid, application(unique, household_size=3))
    assert response.status_code == 422
    assert "household_members" in response.get_json()["errors"]["json"]


def test_unknown_recruitment_and_closed_intake(stack, open_recruitment, apply, unique):
    assert apply("nope", application(unique)).status_code == 404
    rid, _ = open_recruitment([program()], intake_opens="2020-01-01", intake_closes="2020-01-31")
    response = apply(rid, application(unique))
    assert response.status_code == 409
    assert "접수 기간" in response.get_json()["detail"]


def test_personal_data_is_encrypted_hashed_and_never_logged(
    stack, open_recruitment, apply, unique, caplog
):
    caplog.set_level(logging.DEBUG)
    rid, _ = open_recruitment([program()])
    rrn = make_rrn(date(1975, 7, 7), "M")
    digits = rrn.replace("-", "")
    body = application(unique, rrn=rrn, phone="010-3141-5926")
    data = apply(rid, body).get_json()
    row = _row(stack, data["id"])
    settings = stack.runtime("applicants").settings
    vault = PiiVault.from_settings(settings)
    assert vault.decrypt(row.rrn_enc) == digits
    assert vault.decrypt(row.phone_enc) == "01031415926"
    assert vault.decrypt(row.name_enc) == "홍길동"
    assert row.person_key == vault.key("person", digits) and len(row.person_key) == 64
    stored = json.dumps([str(v) for v in row], ensure_ascii=False)
    for secret in (digits, digits[6:], "01031415926", "3141-5926", "홍길동"):
        assert secret not in stored
        assert secret not in caplog.text
    assert caplog.records  # the requests were logged, without the personal data
    assert row.age == 51 and row.sex == "M"  # at the 2027-03-02 work start


def test_staff_read_an_application_masked_with_its_score_and_history(
    stack, open_recruitment, apply, unique
):
    rid, _ = open_recruitment([program()])
    body = application(unique, priority_groups=["single_parent"], household_size=4,
                       household_members=[{"relation": "자녀", "birth_year": 2010}] * 3)  # fmt: skip
    data = apply(rid, body).get_json()
    client = stack.client("applicants")
    url = f"/applicants/api/v1/applications/{data['id']}"
    assert client.get(url).status_code == 401
    response = client.get(url, headers=stack.auth("staff"))
    assert response.status_code == 200
    staff = response.get_json()
    assert staff["priority"] is True and staff["household_size"] == 4
    assert staff["score"] == sum(i["points"] for i in staff["score_items"])
    assert {i["rule"] for i in staff["score_items"]} >= {"income_pct_of_median", "household_size"}
    assert staff["address_masked"] == "서울특별시 영등포구 ***"
    assert staff["history"][0]["action"] == "received"
    assert staff["history"][0]["after"]["status"] == "eligible"
    text = response.get_data(as_text=True)
    assert body["rrn"][7:] not in text and body["phone"][-9:] not in text


def test_recruitment_shows_terms_and_seed_hash(stack, unique):
    client = stack.client("applicants")
    body = {
        "title": f"시드 없는 모집 {unique}",
        "year": 2027,
        "half": 2,
        "programs": [program(funding_split={"city": 70, "district": 30}, senior_cap=1)],
    }
    created = client.post("/applicants/api/v1/recruitments", json=body, headers=stack.auth("staff"))
    assert created.status_code == 201
    made = created.get_json()
    import hashlib

    assert hashlib.sha256(made["seed"].encode()).hexdigest() == made["seed_hash"]
    shown = client.get(f"/applicants/api/v1/recruitments/{made['id']}").get_json()
    assert "seed" not in shown and shown["seed_hash"] == made["seed_hash"]
    [offer] = shown["programs"]
    assert offer["daily_hours"] == 5 and offer["senior_cap"] == 1
    assert offer["funding_split"] == {"city": 70, "district": 30}
    bad = {**body, "programs": [program(daily_hours=9)]}
    response = client.post("/applicants/api/v1/recruitments", json=bad, headers=stack.auth("staff"))
    assert response.status_code == 422
    assert "3~8시간" in json.dumps(response.get_json(), ensure_ascii=False)
