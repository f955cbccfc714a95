"""The public Korean form: consent, errors linked from a summary and beside each field, a
check of the answers, a confirmation with the 접수번호, and the status lookup."""

import re
from datetime import date

from builders_applicants import application, make_rrn, program
from people import HTML, csrf_of

CURRENT_CONSENT = "2022-1"


def _form(body: dict, consent: str = CURRENT_CONSENT) -> dict:
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
        "consent": consent,
    }
    return data


class Visitor:
    """A browser on the public form: it keeps its cookie and sends each page's token."""

    def __init__(self, stack):
        self.client = stack.client("applicants")
        self.token = ""

    def get(self, path):
        answer = self.client.get(path, headers=HTML)
        page = answer.get_data(as_text=True)
        self.token = csrf_of(page) if 'name="csrf_token"' in page else self.token
        return answer

    def post(self, path, data):
        answer = self.client.post(path, headers=HTML, data={"csrf_token": self.token, **data})
        page = answer.get_data(as_text=True)
        self.token = csrf_of(page) if 'name="csrf_token"' in page else self.token
        return answer

    def apply(self, rid, data):
        """Fill the form, check the answers, submit: the confirmation page."""
        self.get(f"/applicants/apply/{rid}")
        check = self.post(f"/applicants/apply/{rid}", data)
        assert check.status_code == 200, check.get_data(as_text=True)
        sent = self.post(f"/applicants/apply/{rid}", {**data, "action": "submit"})
        assert sent.status_code == 303, sent.get_data(as_text=True)
        return self.get(sent.headers["Location"])


def test_form_is_korean_with_the_consent_and_lists_the_programs(stack, open_recruitment):
    rid, _ = open_recruitment([program(), program("youth", 2, hourly_wage=10766)])
    response = Visitor(stack).get(f"/applicants/apply/{rid}")
    assert response.status_code == 200 and response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert '<html lang="ko">' in html
    assert "주민등록번호" in html and "청년드림나래" in html and "안심일자리" in html
    assert 'name="pref_4"' in html and "한부모가족" in html
    assert "개인정보 수집·이용 동의" in html and f'value="{CURRENT_CONSENT}"' in html
    assert "보유 기간" in html and "동의하지 않을 권리" in html


def test_errors_are_summarised_linked_and_beside_each_field_and_keep_no_rrn(
    stack, open_recruitment, unique
):
    rid, _ = open_recruitment([program()])
    data = _form(application(unique), consent="")
    data.update(rrn="901301-1234560", phone="123", name="")
    visitor = Visitor(stack)
    visitor.get(f"/applicants/apply/{rid}")
    response = visitor.post(f"/applicants/apply/{rid}", data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "<title>오류: " in html
    for field in ("rrn", "phone", "name", "consent"):  # the summary links to each field
        assert f'href="#{field}"' in html and f'id="{field}-error"' in html
        assert re.search(rf'id="{field}"[^>]*aria-describedby="[^"]*{field}-error"', html)
    assert "주민등록번호는 생년월일 6자리" in html and "휴대전화 번호 형식이 아닙니다" in html
    assert "개인정보 수집·이용에 동의해야" in html
    assert "1234560" not in html  # the RRN is never sent back
    assert data["address"] in html  # other input is kept


def test_the_form_needs_its_csrf_token(stack, open_recruitment, unique):
    rid, _ = open_recruitment([program()])
    client = stack.client("applicants")
    refused = client.post(f"/applicants/apply/{rid}", headers=HTML, data=_form(application(unique)))
    assert refused.status_code == 400 and "보안 확인" in refused.get_data(as_text=True)


def test_answers_are_checked_then_submitted_once_with_the_consent_version(
    stack, open_recruitment, unique
):
    rid, _ = open_recruitment([program()])
    body = application(unique, rrn=make_rrn(date(1985, 2, 2), "F"), name="<b>김</b>영희")
    data = _form(body)
    visitor = Visitor(stack)
    visitor.get(f"/applicants/apply/{rid}")
    check = visitor.post(f"/applicants/apply/{rid}", data).get_data(as_text=True)
    assert "입력 내용을 확인해 주세요" in check and "850202-2******" in check
    assert "&lt;b&gt;김&lt;/b&gt;영희" in check and "<b>김</b>" not in check
    assert "50,000,000원" in check
    edit = visitor.post(f"/applicants/apply/{rid}", {**data, "action": "edit"})
    assert edit.status_code == 200 and body["address"] in edit.get_data(as_text=True)

    done = visitor.apply(rid, data)
    html = done.get_data(as_text=True)
    assert done.status_code == 200 and "신청이 접수되었습니다" in html
    assert "자격 요건을 충족합니다" in html and "850202-2******" in html
    application_id = re.search(r'id="application-id">([0-9a-f-]{36})<', html).group(1)
    staff = (
        stack.client("applicants")
        .get(f"/applicants/api/v1/applications/{application_id}", headers=stack.auth("staff"))
        .get_json()
    )
    assert staff["property_krw"] == body["property_krw"]
    assert staff["household_members"] == body["household_members"]
    assert staff["consent_version"] == CURRENT_CONSENT
    again = visitor.post(f"/applicants/apply/{rid}", {**data, "action": "submit"})
    assert again.status_code == 409 and "한 번만 신청" in again.get_data(as_text=True)
    stranger = Visitor(stack).get(f"/applicants/apply/{rid}/applied/{application_id}")
    assert stranger.status_code == 303 and stranger.headers["Location"] == "/applicants/status"


def test_ineligible_form_lists_reasons(stack, open_recruitment, unique):
    rid, _ = open_recruitment([program()])
    body = application(unique, address="경기도 부천시 원미구 1", monthly_income_krw=8_000_000)
    html = Visitor(stack).apply(rid, _form(body)).get_data(as_text=True)
    assert "자격 요건을 충족하지 않습니다" in html
    assert "영등포구 주민만 신청할 수 있습니다" in html and "기준 중위소득" in html


def test_status_lookup_needs_the_number_and_the_phone_of_the_application(
    stack, open_recruitment, unique
):
    rid, _ = open_recruitment([program()])
    body = application(unique)
    html = Visitor(stack).apply(rid, _form(body)).get_data(as_text=True)
    application_id = re.search(r'id="application-id">([0-9a-f-]{36})<', html).group(1)
    visitor = Visitor(stack)
    visitor.get("/applicants/status")
    found = visitor.post("/applicants/status", {"application_id": application_id,
                                                "phone": body["phone"]})  # fmt: skip
    assert found.status_code == 200 and "접수 완료" in found.get_data(as_text=True)
    wrong_phone = visitor.post("/applicants/status", {"application_id": application_id,
                                                      "phone": "010-0000-0000"})  # fmt: skip
    unknown = visitor.post("/applicants/status", {"application_id": "nope",
                                                  "phone": body["phone"]})  # fmt: skip
    for answer in (wrong_phone, unknown):  # the same answer: nothing to enumerate
        page = answer.get_data(as_text=True)
        assert answer.status_code == 422 and "일치하는 신청이 없습니다" in page
        assert application_id[:8] not in page.split("</form>")[-1]
    bad = visitor.post("/applicants/status", {"application_id": "", "phone": "12"})
    page = bad.get_data(as_text=True)
    assert 'href="#application_id"' in page and 'href="#phone"' in page


def test_unknown_recruitment_form_is_a_404_page(stack):
    response = Visitor(stack).get("/applicants/apply/none")
    page = response.get_data(as_text=True)
    assert response.status_code == 404 and "찾을 수 없습니다" in page and "<html" in page


def test_index_links_every_recruitment_to_its_form(stack, open_recruitment, unique):
    rid, _ = open_recruitment([program("safe", 2)])
    response = stack.client("applicants").get("/applicants/apply/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'href="/applicants/apply/{rid}"' in html
    assert f"테스트 모집 {unique}" in html and 'href="/applicants/status"' in html
