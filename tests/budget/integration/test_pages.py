"""Finance's pages, as a person uses them: forms that post once, refusals shown beside the
field (error summary linked, 422, "오류: " in the title), 303 then a flashed message,
the 4-eyes rule on transfers, the ledger check, and staff kept out of finance forms."""

from __future__ import annotations

import html
import re
import uuid

import pytest
from sqlalchemy import func, select, update

from services.budget.adapters.orm import accounts, documents, ledger_entries, transfers
from services.budget.service_layer.years import close_year

pytestmark = pytest.mark.integration
API = "/budget/api/v1"


def key_of(page) -> str:
    return re.search(r'name="key" value="([^"]+)"', page.get_data(as_text=True)).group(1)


def text(answer) -> str:
    return answer.get_data(as_text=True)


def title(answer) -> str:
    return re.search(r"<title>([^<]*)</title>", text(answer)).group(1)


def error_beside(answer, name: str) -> str:
    """The message beside a field (the one the error summary links to)."""
    page = text(answer)
    assert f'href="#{name}"' in page, re.findall(r'href="#[^"]+"', page)
    return html.unescape(re.search(rf'id="{name}-error">(.*?)</p>', page, re.S).group(1))


def count(stack, table, *where) -> int:
    with stack.runtime("budget").db.read() as session:
        return session.scalar(select(func.count()).select_from(table).where(*where))


def commit(person, y, amount: int, reference: str) -> str:
    """A 지출원인행위 posted from its form; its id."""
    form = person.get(f"/budget/commitments/new?year={y.year}")
    answer = person.post("/budget/commitments/new", {
        "key": key_of(form), "year": y.year, "program_id": y.sub_id, "amount": f"{amount:,}",
        "reference": reference})  # fmt: skip
    assert answer.status_code == 303, re.findall(r"오류: [^<]*", text(answer))
    with person_runtime(person).db.read() as session:
        return session.scalar(select(documents.c.id).where(documents.c.reference == reference))


def person_runtime(person):
    return person.client.application.extensions["runtime"]


def pay(person, commitment_id: str, amount, reference: str = "", key: str | None = None):
    key = key or key_of(person.get(f"/budget/expenditures/new?commitment_id={commitment_id}"))
    return person.post("/budget/expenditures/new", {
        "key": key, "commitment_id": "", "commitment_other": commitment_id,
        "amount": str(amount), "reference": reference})  # fmt: skip


def test_the_start_page_lists_the_finance_pages(people):
    page = text(people("finance", "budget").get("/budget/"))
    for path in ("/budget/report", "/budget/commitments/new", "/budget/commitments",
                 "/budget/expenditures/new", "/budget/transfers/new", "/budget/transfers",
                 "/budget/ledger/check"):  # fmt: skip
        assert f'href="{path}"' in page, path


def test_an_expenditure_from_the_list_posts_once_and_is_refused_over_the_commitment(
    people, fresh_year, stack
):
    alice, bob = people("finance", "budget"), people("finance", "budget")
    y = fresh_year({"city": 700_000, "district": 300_000})
    cid = commit(alice, y, 600_000, f"계약-{uuid.uuid4().hex[:8]}")
    listed = bob.get(f"/budget/commitments?year={y.year}")
    assert f'href="/budget/expenditures/new?commitment_id={cid}"' in text(listed)
    form = bob.get(f"/budget/expenditures/new?commitment_id={cid}")
    assert form.status_code == 200 and f'<option value="{cid}" selected>' in text(form)
    assert "미지급 잔액 600,000원" in text(form)
    key = key_of(form)
    fields = {"key": key, "year": y.year, "commitment_id": cid, "reference": ""}

    bad = bob.post("/budget/expenditures/new", {**fields, "amount": "60만원<b>"})
    assert bad.status_code == 422 and title(bad).startswith("오류: 지출 등록")
    assert "1원 이상의 숫자" in error_beside(bad, "amount")
    assert 'aria-invalid="true"' in text(bad) and "60만원&lt;b&gt;" in text(bad)

    over = bob.post("/budget/expenditures/new", {**fields, "amount": "600,001"})
    assert over.status_code == 422
    assert "지출원인행위 잔액이 부족합니다 (잔액 600,000원)" in error_beside(over, "amount")
    assert key_of(over) != key  # the refusal is that key's answer: the form gets a new one

    reference = f"지급-{uuid.uuid4().hex[:8]}"
    good = {**fields, "key": key_of(over), "amount": "250,000", "reference": reference}
    first = bob.post("/budget/expenditures/new", good)
    again = bob.post("/budget/expenditures/new", good)  # a double click
    assert (first.status_code, again.status_code) == (303, 303)
    assert first.headers["Location"] == again.headers["Location"] == f"/budget/commitments/{cid}"
    assert count(stack, documents, documents.c.reference == reference) == 1
    shown = text(bob.get(first.headers["Location"]))
    assert "지출을 등록했습니다: 250,000원" in shown
    assert "<dt>미지급 잔액</dt><dd>350,000원</dd>" in shown


def test_expenditure_refusals_are_shown_beside_the_commitment(people, fresh_year, stack):
    alice, bob = people("finance", "budget"), people("finance", "budget")
    y = fresh_year({"district": 100_000})
    cid = commit(alice, y, 10_000, f"계약-{uuid.uuid4().hex[:8]}")

    own = pay(alice, cid, 1_000)  # the one who committed may not pay it
    assert own.status_code == 422
    assert "지출원인행위를 한 사람은" in error_beside(own, "commitment_other")
    unknown = pay(bob, str(uuid.uuid4()), 1_000)
    assert "찾을 수 없습니다" in error_beside(unknown, "commitment_other")
    form = bob.get(f"/budget/expenditures/new?year={y.year}")
    none = bob.post("/budget/expenditures/new", {"key": key_of(form), "year": y.year,
                                                 "amount": "1,000"})  # fmt: skip
    assert "고르거나 번호를 적어" in error_beside(none, "commitment_id")

    paid = pay(bob, cid, 10_000)
    assert paid.status_code == 303
    close_year(stack.runtime("budget"), y.year, "결산 담당")
    with stack.runtime("budget").db.read() as session:
        expenditure = session.scalar(select(documents.c.id).where(
            documents.c.commitment_id == cid, documents.c.kind == "expenditure"))  # fmt: skip
    form = bob.get(f"/budget/documents/{expenditure}/reversal")
    undone = bob.post(f"/budget/documents/{expenditure}/reversal",
                      {"key": key_of(form), "reason": "이중 지급"})  # fmt: skip
    assert undone.status_code == 303  # a correction: allowed after the year is closed
    closed = pay(bob, cid, 1_000)  # the commitment is open again, its year is not
    assert closed.status_code == 422
    assert "마감되었습니다" in error_beside(closed, "commitment_other")


def test_the_commitments_list_pages_filters_and_shows_what_is_left(people, fresh_year, stack):
    alice, bob = people("finance", "budget"), people("finance", "budget")
    y = fresh_year({"district": 1_000_000})
    tag = uuid.uuid4().hex[:8]
    ids = [commit(alice, y, amount, f"목록-{tag}-{n}") for n, amount in enumerate((100, 200, 300))]
    assert pay(bob, ids[0], 40).status_code == 303
    on_unit = stack.client("budget").post(
        f"{API}/commitments", json={"program_id": y.unit_id, "amount_krw": 5_000},
        headers={**stack.auth("finance"), "Idempotency-Key": uuid.uuid4().hex},
    )  # fmt: skip
    assert on_unit.status_code == 201

    first = bob.get(f"/budget/commitments?year={y.year}&page_size=2")
    assert first.status_code == 200 and "전체 4건 중 1–2번째" in text(first)
    assert 'aria-current="page"' in text(first) and "page=2" in text(first)
    mine = bob.get(f"/budget/commitments?year={y.year}&program_id={y.sub_id}&page_size=2&page=2")
    page = text(mine)
    assert "전체 3건 중 3–3번째" in page and f"목록-{tag}-0" in page
    row = re.search(rf"목록-{tag}-0</td>(.*?)</tr>", page, re.S).group(1)
    figures = re.findall(r'<td class="num">([\d,]+)</td>', row)
    assert figures == ["100", "40", "0", "60"]  # 지출원인행위액, 지출액, 해제·정정액, 미지급 잔액
    assert f'href="/budget/commitments/{ids[0]}/release"' in row

    staff = people("staff", "budget").get(f"/budget/commitments?year={y.year}")
    assert staff.status_code == 200 and f"목록-{tag}-1" in text(staff)
    assert "/release" not in text(staff)  # reading only
    odd = bob.get(f"/budget/commitments?year={y.year}&page=x&page_size=2")  # typed by hand
    assert odd.status_code == 200 and "전체 4건 중 1–2번째" in text(odd)


def test_a_release_is_confirmed_with_its_amount_and_a_reason_once(people, fresh_year, stack):
    alice, bob = people("finance", "budget"), people("finance", "budget")
    y = fresh_year({"district": 100_000})
    cid = commit(alice, y, 10_000, f"해제-{uuid.uuid4().hex[:8]}")
    assert pay(bob, cid, 2_500).status_code == 303
    path = f"/budget/commitments/{cid}/release"
    form = alice.get(path)
    assert form.status_code == 200 and "7,500원 해제" in text(form)
    fields = {"key": key_of(form), "amount": "7500"}

    empty = alice.post(path, {**fields, "reason": "  "})
    assert empty.status_code == 422 and title(empty).startswith("오류: ")
    assert "해제 사유를 적어" in error_beside(empty, "reason")
    reason = "<script>alert('해제')</script> 계약 변경"
    first = alice.post(path, {**fields, "reason": reason})
    again = alice.post(path, {**fields, "reason": reason})  # a double click
    assert (first.status_code, again.status_code) == (303, 303)
    assert count(stack, documents, documents.c.commitment_id == cid,
                 documents.c.kind == "release") == 1  # fmt: skip
    shown = text(alice.get(first.headers["Location"]))
    assert "지출원인행위 잔액 7,500원을 해제했습니다" in shown
    assert "<script>alert" not in shown and "&lt;script&gt;alert(" in shown
    assert "<dt>미지급 잔액</dt><dd>0원</dd>" in shown

    other = commit(alice, y, 5_000, f"해제-{uuid.uuid4().hex[:8]}")
    form = alice.get(f"/budget/commitments/{other}/release")  # shows 5,000
    assert pay(bob, other, 1_000).status_code == 303  # meanwhile
    stale = alice.post(f"/budget/commitments/{other}/release",
                       {"key": key_of(form), "amount": "5000", "reason": "불용"})  # fmt: skip
    assert stale.status_code == 422
    assert "4,000원으로 바뀌었습니다" in error_beside(stale, "commitment")
    assert "4,000원 해제" in text(stale)  # confirm again, on today's figure


def test_a_reversal_needs_a_reason_posts_once_and_is_refused_on_a_paid_commitment(
    people, fresh_year, stack
):
    alice, bob = people("finance", "budget"), people("finance", "budget")
    y = fresh_year({"district": 100_000})
    cid = commit(alice, y, 6_000, f"정정-{uuid.uuid4().hex[:8]}")
    assert pay(bob, cid, 6_000).status_code == 303
    refused = alice.post(f"/budget/documents/{cid}/reversal", {
        "key": key_of(alice.get(f"/budget/documents/{cid}/reversal")), "reason": "오류"})  # fmt: skip
    assert refused.status_code == 422 and title(refused).startswith("오류: 전표 정정")
    assert "지출 또는 해제가 있는" in error_beside(refused, "document")

    with stack.runtime("budget").db.read() as session:
        eid = session.scalar(select(documents.c.id).where(
            documents.c.commitment_id == cid, documents.c.kind == "expenditure"))  # fmt: skip
    path = f"/budget/documents/{eid}/reversal"
    form = bob.get(path)
    assert "6,000원" in text(form) and "지출" in text(form)
    blank = bob.post(path, {"key": key_of(form), "reason": ""})
    assert "정정 사유를 적어" in error_beside(blank, "reason")
    reason = '<img src=x onerror="alert(1)"> 이중 지급'
    first = bob.post(path, {"key": key_of(form), "reason": reason})
    again = bob.post(path, {"key": key_of(form), "reason": reason})
    assert (first.status_code, again.status_code) == (303, 303)
    assert count(stack, documents, documents.c.reverses_document_id == eid) == 1
    shown = text(bob.get(first.headers["Location"]))
    assert "전표를 정정(역분개)했습니다: 지출 6,000원" in shown
    assert "<img src=x" not in shown and "&lt;img src=x" in shown
    assert "이미 정정(역분개)된 전표입니다" in text(bob.get(path))  # no second form
    later = bob.post(path, {"key": uuid.uuid4().hex, "reason": "또"})
    assert "이미 정정(역분개)된 전표입니다" in error_beside(later, "document")


def _option(page, label: str) -> str:
    return re.search(rf'<option value="([0-9a-f-]{{36}})">[^<]*{label}', text(page)).group(1)


def _report_row(person, year: int, label: str) -> list[str]:
    page = text(person.get(f"/budget/report?year={year}&by=source"))
    row = re.search(rf'<th scope="row">{label}</th>(.*?)</tr>', page, re.S).group(1)
    return re.findall(r"<td>([^<]*)</td>", row)


def test_a_transfer_approved_by_a_second_finance_person_moves_the_report(people, fresh_year, stack):
    alice, bob = people("finance", "budget"), people("finance", "budget")
    y = fresh_year({"city": 50_000_000, "district": 50_000_000})
    form = alice.get(f"/budget/transfers/new?year={y.year}")
    city, district = _option(form, f"세부-{y.year} · 시비"), _option(form, f"세부-{y.year} · 구비")
    fields = {"key": key_of(form), "year": y.year, "kind": "transfer", "decision_ref": ""}

    bad = alice.post("/budget/transfers/new", {**fields, "from_account_id": city,
                     "to_account_id": city, "amount": "이천만", "reason": ""})  # fmt: skip
    assert bad.status_code == 422 and title(bad).startswith("오류: 전용·이용 요청")
    assert "다른 과목" in error_beside(bad, "to_account_id")
    assert "1원 이상의 숫자" in error_beside(bad, "amount")
    assert "사유를 적어" in error_beside(bad, "reason")

    reason = f"<i>사업 조정</i> {uuid.uuid4().hex[:6]}"
    good = {**fields, "from_account_id": city, "to_account_id": district,
            "amount": "20,000,000", "reason": reason}  # fmt: skip
    first = alice.post("/budget/transfers/new", good)
    again = alice.post("/budget/transfers/new", good)  # a double click
    assert (first.status_code, again.status_code) == (303, 303)
    assert count(stack, transfers, transfers.c.reason == reason) == 1
    listed = alice.get(first.headers["Location"])
    assert "20,000,000원을 요청했습니다" in text(listed)
    assert "&lt;i&gt;사업 조정" in text(listed) and "<i>사업" not in text(listed)
    assert "본인 요청은 다른 재무 담당자가 승인합니다" in text(listed)
    with stack.runtime("budget").db.read() as session:
        tid = session.scalar(select(transfers.c.id).where(transfers.c.reason == reason))

    own = alice.post(f"/budget/transfers/{tid}/approval", {"key": uuid.uuid4().hex,
                     "back": f"/budget/transfers?year={y.year}"})  # fmt: skip
    assert own.status_code == 303 and own.headers["Location"] == f"/budget/transfers?year={y.year}"
    shown = text(alice.get(own.headers["Location"]))
    assert "승인하지 못했습니다: 요청한 사람은 스스로 승인·반려할 수 없습니다." in shown
    assert _report_row(alice, y.year, "시비")[0] == "50,000"  # 천원: nothing moved

    page = bob.get(f"/budget/transfers?year={y.year}")
    assert f'action="/budget/transfers/{tid}/approval"' in text(page)
    decision = {"key": f"{uuid.uuid4().hex}-approval", "back": "//evil.example/"}
    approved = bob.post(f"/budget/transfers/{tid}/approval", decision)
    twice = bob.post(f"/budget/transfers/{tid}/approval", decision)  # a double click
    assert approved.headers["Location"] == "/budget/transfers"  # not elsewhere
    assert twice.status_code == 303
    shown = text(bob.get("/budget/transfers?status=approved"))
    assert "전용·이용 요청을 승인했습니다 (20,000,000원, 예산에 반영)." in shown
    assert "이미 결정된" not in shown  # the second click got the first answer
    assert _report_row(bob, y.year, "시비")[0] == "30,000"
    assert _report_row(bob, y.year, "구비")[0] == "70,000"

    api = stack.client("budget").get(
        f"{API}/transfers", query_string={"status": "approved", "fiscal_year": y.year},
        headers=stack.auth("staff"),
    )  # fmt: skip
    assert api.status_code == 200 and [t["id"] for t in api.get_json()] == [tid]
    assert api.get_json()[0]["decided_by"] == bob.name
    assert '"total": 1' in api.headers["X-Pagination"]


def test_a_rejected_transfer_changes_nothing_and_the_api_lists_by_status(people, fresh_year, stack):
    alice, bob = people("finance", "budget"), people("finance", "budget")
    y = fresh_year({"city": 1_000_000, "district": 1_000_000})
    form = alice.get(f"/budget/transfers/new?year={y.year}")
    city = _option(form, f"세부-{y.year} · 시비")
    amendment = alice.post("/budget/transfers/new", {
        "key": key_of(form), "year": y.year, "kind": "amendment", "from_account_id": "",
        "to_account_id": city, "amount": "-300,000", "reason": "감액 추경",
        "decision_ref": "구의회 의결 제12호"})  # fmt: skip
    assert amendment.status_code == 303
    with stack.runtime("budget").db.read() as session:
        tid = session.scalar(select(transfers.c.id).where(transfers.c.fiscal_year == y.year))
    answer = bob.post(f"/budget/transfers/{tid}/rejection", {"key": uuid.uuid4().hex})
    assert "추경 요청을 반려했습니다." in text(bob.get(answer.headers["Location"]))
    assert _report_row(bob, y.year, "시비")[0] == "1,000"

    client = stack.client("budget")
    for status, expected in (("pending", []), ("rejected", [tid])):
        r = client.get(f"{API}/transfers", query_string={"status": status, "fiscal_year": y.year},
                       headers=stack.auth("finance"))  # fmt: skip
        assert [t["id"] for t in r.get_json()] == expected, status
    paged = client.get(f"{API}/transfers", query_string={"page_size": 1, "page": 1},
                       headers=stack.auth("finance"))  # fmt: skip
    assert paged.status_code == 200 and len(paged.get_json()) == 1
    assert '"page": 1' in paged.headers["X-Pagination"]
    bad = client.get(f"{API}/transfers?status=maybe", headers=stack.auth("finance"))
    assert bad.status_code == 422
    assert client.get(f"{API}/transfers", headers=stack.auth("contractor")).status_code == 403


def test_the_ledger_check_says_no_problem_then_shows_an_edited_entry(people, fresh_year, stack):
    alice = people("finance", "budget")
    y = fresh_year({"district": 100_000})
    commit(alice, y, 1_000, f"검사-{uuid.uuid4().hex[:8]}")
    ok = alice.get(f"/budget/ledger/check?year={y.year}")
    assert ok.status_code == 200 and "이상 없음" in text(ok)
    assert "항목 3건 검사" in text(ok)  # 예산 2 (세부·단위), 지출원인행위 1
    runtime = stack.runtime("budget")
    with runtime.db.transaction() as session:
        account = session.scalar(select(accounts.c.id).where(
            accounts.c.fiscal_year == y.year, accounts.c.program_id == y.sub_id))  # fmt: skip
        session.execute(update(ledger_entries).where(ledger_entries.c.account_id == account,
                        ledger_entries.c.account_seq == 2).values(d_committed=999))  # fmt: skip
    found = text(alice.get(f"/budget/ledger/check?year={y.year}"))
    assert "이상 없음" not in found and "이상 2건" in found  # the entry, and the balance
    row = re.search(r"<tr><th scope=\"row\">([^<]*)</th>\s*<td>2</td>\s*<td>([^<]*)</td>", found)
    assert row.groups() == (f"Ⅱ.2 세부-{y.year} · 구비", "원장 항목 내용이 변경되었습니다.")


def test_staff_read_the_lists_but_are_refused_the_finance_forms(people, fresh_year):
    alice, staff = people("finance", "budget"), people("staff", "budget")
    y = fresh_year({"district": 100_000})
    cid = commit(alice, y, 1_000, f"직원-{uuid.uuid4().hex[:8]}")
    form = alice.get(f"/budget/transfers/new?year={y.year}")
    asked = alice.post("/budget/transfers/new", {
        "key": key_of(form), "year": y.year, "kind": "amendment", "from_account_id": "",
        "to_account_id": _option(form, "구비"), "amount": "5,000", "reason": "증액 추경"})  # fmt: skip
    assert asked.status_code == 303
    for path in ("/budget/expenditures/new", f"/budget/commitments/{cid}/release",
                 f"/budget/documents/{cid}/reversal", f"/budget/transfers/new?year={y.year}",
                 "/budget/ledger/check"):  # fmt: skip
        assert staff.get(path).status_code == 403, path
    refused = staff.post("/budget/expenditures/new", {"key": uuid.uuid4().hex,
                         "commitment_other": cid, "amount": "100"})  # fmt: skip
    assert refused.status_code == 403
    assert staff.post(f"/budget/transfers/{uuid.uuid4()}/approval", {}).status_code == 403
    listed = staff.get(f"/budget/transfers?year={y.year}")
    assert listed.status_code == 200 and "증액 추경" in text(listed)
    assert "/approval" not in text(listed) and "전용·이용 요청</a>" not in text(listed)
    shown = staff.get(f"/budget/commitments/{cid}")
    assert shown.status_code == 200 and "/reversal" not in text(shown)
