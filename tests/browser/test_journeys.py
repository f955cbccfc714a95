"""Each role's main journey in a real browser against `make run`: staff open a
recruitment, an applicant applies on a phone and looks up the result after staff run the
draw; finance post a commitment and see the report move; a wrong role is refused. axe-core
checks every page on the way; screenshots land in test-output/browser/<journey>/."""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta

import pytest

pytestmark = pytest.mark.integration


def _number(text: str) -> int:
    return int(text.replace(",", "").strip())


def test_a_recruitment_from_opening_to_the_applicants_result(visit):
    today, unique = date.today(), uuid.uuid4().hex[:6]
    title = f"브라우저 모집 {unique}"
    staff = visit(journey="staff-recruitment")
    staff.sign_in("staff", "/applicants/recruitments/new")
    staff.check("new-recruitment")
    page = staff.page
    page.get_by_label("모집 이름").fill(title)
    page.get_by_label("연도").fill("2027")
    page.get_by_label("반기").select_option("1")
    page.get_by_label("접수 시작일").fill((today - timedelta(days=1)).isoformat())
    page.get_by_label("접수 마감일").fill((today + timedelta(days=10)).isoformat())
    for field, value in {"quota": "1", "hourly_wage": "10,030", "work_starts": "2027-01-04",
                         "work_ends": "2027-06-30"}.items():  # fmt: skip
        page.locator(f"#{field}_safe").fill(value)
    page.get_by_role("button", name="등록").click()
    page.wait_for_load_state()
    staff.check("opened")
    seed = page.locator("#seed").inner_text()
    assert len(seed) > 20 and re.fullmatch(r"[0-9a-f]{64}", page.locator("#seed-hash").inner_text())
    page.get_by_role("link", name="모집 화면으로").click()
    recruitment_url = page.url

    applicant = visit("phone", journey="applicant")
    applicant.go("/applicants/apply/")
    applicant.page.get_by_role("link", name=title).click()
    applicant.check("form")
    form = applicant.page
    form.get_by_role("button", name="입력 내용 확인").click()  # nothing filled in
    applicant.check("form-errors")
    assert form.title().startswith("오류: ")
    summary = form.locator(".error-summary")
    assert summary.get_by_role("link").count() >= 5
    summary.get_by_role("link").first.click()  # the summary takes the person to the field
    assert form.evaluate("document.activeElement.id") in ("consent", "name")

    phone = f"010-{uuid.uuid4().int % 9000 + 1000}-{uuid.uuid4().int % 9000 + 1000}"
    form.locator("label[for=consent]").click()  # KRDS draws the box on the label
    assert form.get_by_label("위 개인정보 수집·이용에 동의합니다 (필수)").is_checked()
    form.get_by_label("성명").fill("김브라")
    form.get_by_label("주민등록번호").fill("800514-2123456")
    form.get_by_label("주소").fill(f"서울특별시 영등포구 당산로 {unique}")
    form.get_by_label("휴대전화").fill(phone)
    form.get_by_label("가구원 수 (본인 포함)").fill("1")
    form.get_by_label("가구 재산 (원)").fill("30,000,000")
    form.get_by_label("가구 월 소득 (원)").fill("900000")
    form.get_by_label("1지망").select_option("safe")
    form.get_by_role("button", name="입력 내용 확인").click()
    applicant.check("check-answers")
    assert "800514-2******" in form.locator("#answers").inner_text()
    form.get_by_role("button", name="신청서 제출").click()
    form.wait_for_load_state()
    applicant.check("applied")
    number = form.locator("#application-id").inner_text()
    assert "자격 요건을 충족합니다" in form.locator("#status").inner_text()

    staff.page.goto(recruitment_url)
    staff.check("recruitment")
    staff.page.get_by_label("상태").select_option("ineligible")
    staff.page.get_by_role("button", name="거르기").click()  # htmx: the list is replaced in place
    staff.page.wait_for_url("**status=ineligible**")
    assert "해당하는 항목이 없습니다" in staff.page.locator("#applications").inner_text()
    assert staff.page.get_by_label("추첨 시드").count() == 1  # the rest of the page stayed
    staff.page.get_by_label("상태").select_option("")
    staff.page.get_by_role("button", name="거르기").click()
    staff.page.wait_for_function(
        "() => document.querySelectorAll('#applications tbody tr').length == 1"
    )
    assert (
        "김**" in staff.page.locator("table.list").inner_text() or "김*라" in staff.page.content()
    )
    staff.page.get_by_label("추첨 시드").fill(seed)
    staff.page.get_by_role("button", name="추첨 실행").click()
    staff.page.wait_for_load_state()
    staff.check("selection")
    assert "추첨했습니다: 선발 1명" in staff.page.content()

    applicant.go("/applicants/status")
    form.get_by_label("접수번호").fill(number)
    form.get_by_label("휴대전화").fill(phone)
    form.get_by_role("button", name="조회").click()
    applicant.check("result")
    assert "선발되었습니다" in form.locator("#status").inner_text()
    assert not applicant.offline and not staff.offline, applicant.offline + staff.offline


def test_staff_watch_deliveries_and_dead_letters(visit):
    staff = visit(journey="staff-operations")
    staff.sign_in("staff", "/notifications/")
    staff.check("notifications-start")
    staff.page.get_by_role("link", name=re.compile("발송 기록")).click()
    staff.page.wait_for_load_state()
    staff.check("deliveries")
    assert staff.page.locator("table").count() >= 1
    staff.page.get_by_label("상태").select_option(index=1)
    staff.page.get_by_role("button", name=re.compile("거르기|찾기|조회")).first.click()
    staff.page.wait_for_load_state()
    staff.check("deliveries-filtered")
    for service in ("applicants", "budget", "markets", "notifications"):
        assert staff.go(f"/{service}/dead-letters").status == 200
        assert "처리하지 못한 메시지" in staff.page.content()
    assert not staff.offline, staff.offline


def test_finance_post_a_commitment_and_an_expenditure_and_see_the_report_move(visit, add_person):
    finance = visit(journey="finance")
    finance.sign_in("finance", "/budget/")
    finance.check("start")
    page = finance.page
    page.get_by_role("link", name=re.compile("예산현황")).click()
    page.wait_for_load_state()
    finance.check("report")
    page.get_by_label("구분").select_option("sub_program")
    page.get_by_role("button", name="보기").click()
    page.wait_for_load_state()
    before = _number(page.locator("table.report tfoot td").nth(1).inner_text())
    page.get_by_role("link", name="지출원인행위 등록").click()
    finance.check("commitment-form")
    public_jobs = page.locator("#program_id option", has_text="Ⅱ.2 ").first.get_attribute("value")
    page.get_by_label("세부사업").select_option(public_jobs)  # 공공일자리: funds left
    page.get_by_label("금액 (원)").fill("백만 원")
    page.get_by_role("button", name="등록").click()
    finance.check("commitment-error")
    assert page.locator("#amount").get_attribute("aria-invalid") == "true"
    page.get_by_label("금액 (원)").fill("1,000,000")
    reference = f"계약-{uuid.uuid4().hex[:6]}"
    page.get_by_label("참조 (계약번호 등, 선택)").fill(reference)
    page.get_by_role("button", name="등록").click()
    page.wait_for_load_state()
    finance.check("report-after")
    assert "지출원인행위를 등록했습니다" in page.content()
    assert page.get_by_label("구분").input_value() == "sub_program"
    after = _number(page.locator("table.report tfoot td").nth(1).inner_text())
    assert after == before + 1_000  # 천원
    assert not finance.offline, finance.offline
    spent_before = _number(page.locator("table.report tfoot td").nth(2).inner_text())

    payer = visit(journey="finance-payer")  # who commits may not pay: a second person
    payer.sign_in(add_person("finance"), "/budget/commitments?year=2022")
    payer.check("commitments")
    payer.page.get_by_role("link", name=re.compile(f"지출 등록: .*{reference}")).click()
    payer.check("expenditure-form")
    payer.page.get_by_label("지출액 (원)").fill("400,000")
    payer.page.get_by_role("button", name="등록").click()
    payer.page.wait_for_load_state()
    payer.check("commitment")
    assert "400,000" in payer.page.content()
    payer.go("/budget/report?year=2022&by=sub_program")
    spent = _number(payer.page.locator("table.report tfoot td").nth(2).inner_text())
    assert spent == spent_before + 400  # 천원
    assert not payer.offline, payer.offline


def test_a_wrong_role_is_refused_with_a_page(visit):
    contractor = visit(journey="wrong-role")
    contractor.sign_in("contractor")
    contractor.check("index")
    answer = contractor.go("/budget/report")
    assert answer.status == 403
    assert "권한이 없습니다" in contractor.page.content()
    nobody = visit(journey="signed-out")
    nobody.go("/applicants/recruitments")
    assert "/login?next=" in nobody.page.url  # sent to sign in, and back after
    nobody.sign_in("staff", "/applicants/recruitments")
    assert nobody.page.url.endswith("/applicants/recruitments")


def _jpeg(tmp_path, name: str):
    from PIL import Image

    path = tmp_path / name
    Image.new("RGB", (640, 480), (200, 60, 40)).save(path, "JPEG")
    return path


def test_a_contractor_reports_from_a_phone_and_staff_send_one_back(visit, system, tmp_path):
    contractor_name = system["users"]["contractor"]["username"]
    staff = visit(journey="staff-work-order")
    staff.sign_in("staff", "/markets/work-orders/new")
    staff.check("work-order-form")
    page = staff.page
    page.get_by_label("안전사업").select_option(label="화재알림시설 설치(IoT 화재감지시스템 구축)")
    page.get_by_label("시장").select_option(label="동남상가")
    page.get_by_label("회계연도").fill("2022")
    page.get_by_label("설치 점포 번호").fill("3, 4")
    page.get_by_label("수량").fill("2")
    page.get_by_label("계약금액 (원)").fill("1,500,000")
    page.get_by_label("납기일").fill("2022-08-31")
    page.get_by_label("시공업체명").fill("(주)영등포안전")
    page.get_by_label("사업자등록번호").fill("134-86-72683")
    page.get_by_label("시공업체 계정 (로그인 아이디)").fill(contractor_name)
    page.get_by_role("button", name="발주").click()
    page.wait_for_load_state()
    staff.check("work-order")
    assert "발주했습니다" in page.content()
    order_url = page.url

    phone = visit("phone", journey="contractor")
    phone.sign_in("contractor", "/markets/contractor/")
    phone.check("orders")
    phone.page.get_by_role("link", name=re.compile("동남상가")).first.click()
    phone.page.wait_for_load_state()
    phone.check("order")
    form = phone.page
    fake = tmp_path / "사진.jpg"
    fake.write_text("this is not a photo")
    form.get_by_label("설치 단위").select_option(index=1)
    form.get_by_label("일련번호").fill(f"IOT-{uuid.uuid4().hex[:8]}")
    form.set_input_files("#photos", str(fake))
    form.get_by_role("button", name="완료 보고 보내기").click()
    form.wait_for_load_state()
    phone.check("report-error")
    assert (
        form.title().startswith("오류: ") and "사진" in form.locator(".error-summary").inner_text()
    )
    form.get_by_label("설치 단위").select_option(index=1)
    form.get_by_label("일련번호").fill(f"IOT-{uuid.uuid4().hex[:8]}")
    form.set_input_files("#photos", str(_jpeg(tmp_path, "installed.jpg")))
    form.get_by_label("메모 (선택)").fill("천장 설치")
    form.get_by_role("button", name="완료 보고 보내기").click()
    form.wait_for_load_state()
    phone.check("reported")
    assert "완료 보고를 보냈습니다" in form.content()
    assert form.locator("img[alt^='단위']").count() == 1

    staff.page.goto(order_url)
    staff.check("work-order-reported")
    assert staff.page.locator("#units img").count() == 1
    staff.page.locator("#units input[name=reason]").first.fill("사진에 감지기가 보이지 않습니다")
    staff.page.get_by_role("button", name=re.compile("돌려보내기")).first.click()
    staff.page.wait_for_load_state()
    assert "돌려보냈습니다" in staff.page.content()
    phone.page.reload()
    phone.check("sent-back")
    assert "사진에 감지기가 보이지 않습니다" in phone.page.content()
    assert not phone.offline and not staff.offline, phone.offline + staff.offline
