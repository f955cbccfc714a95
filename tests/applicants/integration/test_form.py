"""The public Korean form: server-rendered, errors next to the fields."""

import re
from datetime import date

from builders_applicants import application, make_rrn, program


def _form(body: dict) -> dict:
    data = {k: str(v) for k, v in body.items() if k in ("name", "rrn", "address", "phone")}
    data |= {
        "household_size": str(body["household_size"]),
        "household_members": "\n".join(
            f"{m['relation']}, {m['birth_year']}" for m in body["household_members"]
        ),
        "property_krw": f"{body['property_krw']:,}",
        "monthly_income_krw": str(body["monthly_income_krw"]),
        "past_participations": "0",
        "pref_1": body["preferences"][0],
    }
    return data


def test_form_is_korean_and_lists_the_programs(stack, open_recruitment):
    rid, _ = open_recruitment([program(), program("youth", 2, hourly_wage=10766)])
    response = stack.client("applicants").get(f"/applicants/apply/{rid}")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert '<html lang="ko">' in html
    assert "주민등록번호" in html and "청년드림나래" in html and "안심일자리" in html
    assert 'name="pref_4"' in html and "한부모가족" in html


def test_invalid_form_shows_korean_errors_next_to_fields_and_keeps_no_rrn(
    stack, open_recruitment, unique
):
    rid, _ = open_recruitment([program()])
    data = _form(application(unique))
    data.update(rrn="901301-1234560", phone="123", name="")
    response = stack.client("applicants").post(f"/applicants/apply/{rid}", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert re.search(r'id="rrn-error"[^>]*>주민등록번호는 생년월일 6자리', html)
    assert re.search(r'id="phone-error"[^>]*>휴대전화 번호 형식이 아닙니다', html)
    assert re.search(r'id="name-error"[^>]*>', html)
    assert "입력값을 확인해 주세요" in html
    assert "1234560" not in html  # the RRN is never sent back
    assert data["address"] in html  # other input is kept


def test_valid_form_is_decided_and_shown(stack, open_recruitment, unique):
    rid, _ = open_recruitment([program()])
    body = application(unique, rrn=make_rrn(date(1985, 2, 2), "F"))
    client = stack.client("applicants")
    response = client.post(f"/applicants/apply/{rid}", data=_form(body))
    assert response.status_code == 201
    html = response.get_data(as_text=True)
    assert "신청이 접수되었습니다" in html and "자격 요건을 충족합니다" in html
    assert "850202-2******" in html
    application_id = re.search(r'id="application-id">([0-9a-f-]{36})<', html).group(1)
    staff = client.get(
        f"/applicants/api/v1/applications/{application_id}", headers=stack.auth("staff")
    ).get_json()
    assert staff["property_krw"] == body["property_krw"]
    assert staff["household_members"] == body["household_members"]
    again = client.post(f"/applicants/apply/{rid}", data=_form(body))
    assert again.status_code == 409
    assert "한 번만 신청" in again.get_data(as_text=True)


def test_ineligible_form_lists_reasons(stack, open_recruitment, unique):
    rid, _ = open_recruitment([program()])
    body = application(unique, address="경기도 부천시 원미구 1", monthly_income_krw=8_000_000)
    response = stack.client("applicants").post(f"/applicants/apply/{rid}", data=_form(body))
    html = response.get_data(as_text=True)
    assert response.status_code == 201
    assert "자격 요건을 충족하지 않습니다" in html
    assert "영등포구 주민만 신청할 수 있습니다" in html and "기준 중위소득" in html


def test_unknown_recruitment_form_is_404(stack):
    response = stack.client("applicants").get("/applicants/apply/none")
    assert response.status_code == 404 and "찾을 수 없습니다" in response.get_data(as_text=True)


def test_index_links_every_recruitment_to_its_form(stack, open_recruitment, unique):
    rid, _ = open_recruitment([program("safe", 2)])
    response = stack.client("applicants").get("/applicants/apply/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'href="/applicants/apply/{rid}"' in html
    assert f"테스트 모집 {unique}" in html
