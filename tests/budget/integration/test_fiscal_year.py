"""A fiscal year by API: open it, its programs, links, waiting commitments, year-end 이월."""

from __future__ import annotations

import itertools
import uuid

import pytest
from conftest import unknown_year
from sqlalchemy import select
from test_wage_events import outbox_payloads, selected

from services.budget.adapters import repository
from services.budget.adapters.orm import commitments, documents, pending_commitments
from services.budget.service_layer import events, years

from infra import wait_until

pytestmark = pytest.mark.integration
_years = itertools.count(2071, 2)


def free_year(runtime) -> int:
    """A year that, like the next, nobody opened (the API fuzzer opens random years)."""
    while True:
        year = next(_years)
        with runtime.db.read() as session:
            if not any(repository.fiscal_year_exists(session, y) for y in (year, year + 1)):
                return year


def open_by_api(client, headers, year, section="Ⅱ.2", sources=None) -> dict:
    assert client.post("/budget/api/v1/fiscal-years", json={"year": year},
                       headers=headers).status_code == 201  # fmt: skip
    unit = client.post("/budget/api/v1/unit-programs", json={
        "fiscal_year": year, "name": "일자리 창출 지원", "budget_krw": 5_000_000}, headers=headers)  # fmt: skip
    assert unit.status_code == 201, unit.get_json()
    sub = client.post("/budget/api/v1/sub-programs", json={
        "fiscal_year": year, "section": section, "title": "공공일자리", "team": "일자리창출팀",
        "unit_program_id": unit.get_json()["id"],
        "sources": sources or {"city": 7_000_000, "district": 3_000_000}}, headers=headers)  # fmt: skip
    assert sub.status_code == 201, sub.get_json()
    return {"unit": unit.get_json(), "sub": sub.get_json()}


def report(client, headers, year, as_of=None, by="sub_program") -> dict:
    query = f"fiscal_year={year}&by={by}" + (f"&as_of={as_of}" if as_of else "")
    answer = client.get(f"/budget/api/v1/reports/execution?{query}", headers=headers)
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def test_finance_opens_a_year_with_programs_and_its_report_starts_at_zero(stack, finance_users):
    client, finance = stack.client("budget"), finance_users[0]
    year = free_year(stack.runtime("budget"))
    made = open_by_api(client, finance, year)
    assert made["sub"]["budget_krw"] == 10_000_000
    again = client.post("/budget/api/v1/fiscal-years", json={"year": year}, headers=finance)
    assert again.status_code == 409 and "이미 열려" in again.get_json()["detail"]
    staff = client.post("/budget/api/v1/fiscal-years", json={"year": year + 1},
                        headers=stack.auth("staff"))  # fmt: skip
    assert staff.status_code == 403
    row = report(client, finance, year, f"{year}-03-01")["rows"][0]
    assert (row["budget_krw"], row["committed_krw"], row["executed_krw"], row["balance_krw"]) == (
        10_000_000, 0, 0, 10_000_000)  # fmt: skip
    assert row["rate_pct"] == "0.0" and row["budget_thousand"] == 10_000

    bad = client.post("/budget/api/v1/sub-programs", json={
        "fiscal_year": year, "section": "Ⅱ.3", "title": "x", "sources": {"county": 1}},
        headers=finance)  # fmt: skip
    assert bad.status_code == 422
    dup = client.post("/budget/api/v1/sub-programs", json={
        "fiscal_year": year, "section": "Ⅱ.2", "title": "x", "sources": {"city": 1}},
        headers=finance)  # fmt: skip
    assert dup.status_code == 409 and "Ⅱ.2" in dup.get_json()["detail"]
    missing = unknown_year(stack.runtime("budget"))
    nowhere = client.post("/budget/api/v1/unit-programs", json={
        "fiscal_year": missing, "name": "x", "budget_krw": 1}, headers=finance)  # fmt: skip
    assert nowhere.status_code == 404 and f"{missing}회계연도" in nowhere.get_json()["detail"]
    assert report(client, finance, year)["total"]["budget_krw"] == 10_000_000  # unchanged


def test_a_wage_that_came_before_its_link_waits_and_is_applied_once(
    stack, finance_users, worker_factory
):
    runtime, client, finance = stack.runtime("budget"), stack.client("budget"), finance_users[0]
    worker_factory("budget")
    year = free_year(runtime)
    app_id, early_withdrawn = f"app-{uuid.uuid4().hex[:8]}", f"app-{uuid.uuid4().hex[:8]}"
    envelopes = []
    for who in (app_id, early_withdrawn):
        envelope = selected(who, 1_500_000)
        envelope.payload["fiscal_year"] = year
        envelopes.append(envelope.to_dict())
        stack.runtime("applicants").publish(envelope.to_dict())
        stack.runtime("applicants").publish(envelope.to_dict())  # delivered twice
    waiting = wait_until(lambda: len(years.list_waiting(runtime, year, "waiting")) == 2, 30)
    assert waiting
    [refused] = [p for p in outbox_payloads(runtime, "budget.commitment_refused")
                 if p["idempotency_key"] == envelopes[0]["id"]]  # fmt: skip
    assert refused["code"] == "link_missing" and f"{year}회계연도 예산이 아직" in refused["reason"]
    listed = client.get(f"/budget/api/v1/waiting-commitments?fiscal_year={year}", headers=finance)
    assert {w["application_id"] for w in listed.get_json()} == {app_id, early_withdrawn}

    withdrawn = selected(early_withdrawn, 1).to_dict()
    withdrawn.update(type="applicants.participant_withdrawn")
    withdrawn["payload"] = {"application_id": early_withdrawn, "fiscal_year": year,
                            "program_code": "safe", "reason": "취업", "recipient": {}}  # fmt: skip
    stack.runtime("applicants").publish(withdrawn)
    wait_until(lambda: len(years.list_waiting(runtime, year, "cancelled")) == 1, 30)

    made = open_by_api(client, finance, year)
    link = {"sub_program_id": made["sub"]["id"], "ratio_pct": {"city": 70, "district": 30},
            "program_name": "안심일자리"}  # fmt: skip
    put = client.put(f"/budget/api/v1/program-links/{year}/safe", json=link, headers=finance)
    assert put.status_code == 200, put.get_json()
    assert put.get_json()["applied_waiting"] == 1 and put.get_json()["version"] == 1
    again = client.put(f"/budget/api/v1/program-links/{year}/safe", json=link, headers=finance)
    assert again.get_json()["version"] == 2 and again.get_json()["applied_waiting"] == 0
    with runtime.db.transaction() as session:  # a late retry finds nothing left to apply
        assert events.apply_waiting(session, year, "safe") == 0
    with runtime.db.read() as session:
        rows = session.execute(
            select(commitments.c.amount_krw, documents.c.application_id)
            .join(documents, documents.c.id == commitments.c.id)
            .where(documents.c.fiscal_year == year)
        ).all()
        state = session.execute(
            select(pending_commitments.c.application_id, pending_commitments.c.status).where(
                pending_commitments.c.fiscal_year == year
            )
        ).all()
    assert [(r.amount_krw, r.application_id) for r in rows] == [(1_500_000, app_id)]
    assert dict(state) == {app_id: "applied", early_withdrawn: "cancelled"}
    row = report(client, finance, year)["rows"][0]
    assert row["committed_krw"] == 1_500_000 and row["balance_krw"] == 8_500_000

    bad = client.put(f"/budget/api/v1/program-links/{year}/youth",
                     json={**link, "ratio_pct": {"city": 60}}, headers=finance)  # fmt: skip
    assert bad.status_code == 422 and "합이 100" in bad.get_json()["detail"]


def _post(client, headers, path, body):
    return client.post(path, json=body, headers={**headers, "Idempotency-Key": str(uuid.uuid4())})


def test_year_end_carries_unpaid_commitments_into_the_next_year(stack, finance_users):
    runtime, client = stack.runtime("budget"), stack.client("budget")
    committer, payer = finance_users[0], finance_users[1]
    year = free_year(runtime)
    old = open_by_api(client, committer, year)["sub"]
    commit = _post(client, committer, "/budget/api/v1/commitments",
                   {"program_id": old["id"], "amount_krw": 1_000_000})  # fmt: skip
    assert commit.status_code == 201, commit.get_json()
    cid = commit.get_json()["commitment_id"]
    paid = _post(client, payer, "/budget/api/v1/expenditures",
                 {"commitment_id": cid, "amount_krw": 400_000})  # fmt: skip
    assert paid.status_code == 201, paid.get_json()
    before = report(client, committer, year)["total"]

    early = client.post(f"/budget/api/v1/fiscal-years/{year}/closing", json={}, headers=committer)
    assert early.status_code == 409 and f"{year + 1}회계연도를 먼저" in early.get_json()["detail"]
    assert client.post("/budget/api/v1/fiscal-years", json={"year": year + 1},
                       headers=committer).status_code == 201  # fmt: skip
    orphan = client.post(f"/budget/api/v1/fiscal-years/{year}/closing", json={},
                         headers=committer)  # fmt: skip
    assert orphan.status_code == 409 and "공공일자리" in orphan.get_json()["detail"]
    assert report(client, committer, year)["total"] == before  # nothing half-done
    new = client.post("/budget/api/v1/sub-programs", json={
        "fiscal_year": year + 1, "section": "Ⅱ.2", "title": "공공일자리(이어서)",
        "sources": {"city": 2_000_000, "district": 1_000_000}}, headers=committer)  # fmt: skip
    assert new.status_code == 201

    closed = client.post(f"/budget/api/v1/fiscal-years/{year}/closing", json={},
                         headers=committer)  # fmt: skip
    assert closed.status_code == 200, closed.get_json()
    body = closed.get_json()
    assert body["carried_count"] == 1 and body["carried_krw"] == 600_000
    [carried] = body["carried"]
    assert carried["by_source"] == {"city": 420_000, "district": 180_000}

    after = report(client, committer, year)["total"]
    assert after["budget_krw"] == before["budget_krw"]
    assert after["executed_krw"] == before["executed_krw"] == 400_000
    assert after["committed_krw"] == before["committed_krw"] - 600_000 == 400_000
    nxt = report(client, committer, year + 1)["total"]
    assert nxt["budget_krw"] == 3_000_000 + 600_000  # 예산 + 이월액
    assert nxt["committed_krw"] == 600_000 and nxt["executed_krw"] == 0

    late = _post(client, committer, "/budget/api/v1/commitments",
                 {"program_id": old["id"], "amount_krw": 1})  # fmt: skip
    assert late.status_code == 409 and "마감" in late.get_json()["detail"]
    pay_old = _post(client, payer, "/budget/api/v1/expenditures",
                    {"commitment_id": cid, "amount_krw": 1})  # fmt: skip
    assert pay_old.status_code == 409
    pay_new = _post(client, payer, "/budget/api/v1/expenditures",
                    {"commitment_id": carried["carried_to"], "amount_krw": 600_000})  # fmt: skip
    assert pay_new.status_code == 201, pay_new.get_json()
    assert report(client, committer, year + 1)["total"]["executed_krw"] == 600_000
    twice = client.post(f"/budget/api/v1/fiscal-years/{year}/closing", json={},
                        headers=committer)  # fmt: skip
    assert twice.status_code == 409
    state = client.get(f"/budget/api/v1/fiscal-years/{year}", headers=committer).get_json()
    assert state["status"] == "closed" and state["closed_by"]
    verify = client.get(f"/budget/api/v1/ledger/verify?fiscal_year={year}", headers=committer)
    assert verify.status_code == 200 and verify.get_json()["ok"] is True, verify.get_json()


def _xlsx(rows: list[tuple]) -> bytes:
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(
        ("구분", "코드", "사업명", "담당팀", "단위사업", "예산액", "국비", "시비", "구비", "기금")
    )
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _upload(client, headers, year, data: bytes, name="예산.xlsx"):
    import io

    return client.post(
        f"/budget/api/v1/fiscal-years/{year}/programs",
        data={"file": (io.BytesIO(data), name)},
        headers=headers,
        content_type="multipart/form-data",
    )


def test_finance_imports_a_years_programs_from_its_sheet_all_or_nothing(stack, finance_users):
    client, finance = stack.client("budget"), finance_users[0]
    year = free_year(stack.runtime("budget"))
    assert client.post("/budget/api/v1/fiscal-years", json={"year": year},
                       headers=finance).status_code == 201  # fmt: skip
    good = [
        ("단위사업", "", "일자리 창출 지원", "", "", "1,200", None, None, None, None),
        (
            "세부사업",
            "Ⅱ.2",
            "공공일자리",
            "일자리창출팀",
            "일자리 창출 지원",
            None,
            None,
            700,
            300,
            None,
        ),
        ("세부사업", "Ⅱ.4", "청년드림나래", "일자리창출팀", "", None, 500, 500, None, None),
    ]
    broken = [
        *good,
        ("세부사업", "Ⅱ.2", "중복", "", "", None, None, 1, None, None),
        ("사업", "", "x", "", "", None, None, None, None, None),
        ("세부사업", "Ⅱ.5", "음수", "", "", None, "-5", None, None, None),
        ("세부사업", "Ⅱ.6", "없는 단위", "", "없는 단위사업", None, None, 1, None, None),
    ]
    refused = _upload(client, finance, year, _xlsx(broken))
    assert refused.status_code == 422, refused.get_json()
    body = refused.get_json()
    assert "아무것도 가져오지 않았습니다" in body["detail"]
    assert [(e["row"], e["column"]) for e in body["rows"]] == [
        (5, "코드"), (6, "구분"), (7, "국비"), (8, "단위사업")]  # fmt: skip
    assert client.get(f"/budget/api/v1/fiscal-years/{year}", headers=finance).get_json()[
        "sub_programs"] == 0  # fmt: skip

    done = _upload(client, finance, year, _xlsx(good))
    assert done.status_code == 201, done.get_json()
    assert done.get_json() == {"fiscal_year": year, "unit_programs": 1, "sub_programs": 2}
    rows = {r["name"]: r for r in report(client, finance, year)["rows"]}
    assert rows["Ⅱ.2 공공일자리"]["budget_krw"] == 1_000_000
    assert rows["Ⅱ.4 청년드림나래"]["budget_thousand"] == 1_000
    units = report(client, finance, year, by="unit_program")["rows"]
    assert [(u["name"], u["budget_krw"]) for u in units] == [("일자리 창출 지원", 1_200_000)]
    again = _upload(client, finance, year, _xlsx(good[1:2]))  # already there: refused whole
    assert again.status_code == 422 and again.get_json()["rows"][0]["row"] == 2
    csv = "구분,사업명\n세부사업,코드없음\n".encode("cp949")
    assert _upload(client, finance, year, csv, "a.csv").get_json()["rows"][0]["column"] == "코드"
