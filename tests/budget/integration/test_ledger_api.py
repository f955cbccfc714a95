"""Commitments, expenditures, releases, reversals and their idempotency, over the API."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from services.budget.adapters.orm import commitments, documents, ledger_entries

pytestmark = pytest.mark.integration
API = "/budget/api/v1"


def key() -> dict[str, str]:
    return {"Idempotency-Key": uuid.uuid4().hex}


def balances(client, headers, year, program_id) -> dict[str, dict]:
    r = client.get(f"{API}/accounts", query_string={"fiscal_year": year}, headers=headers)
    assert r.status_code == 200
    return {a["source"]: a for a in r.get_json() if a["program_id"] == program_id}


def commit(client, headers, program_id, amount, k=None, **extra):
    return client.post(
        f"{API}/commitments",
        json={"program_id": program_id, "amount_krw": amount, **extra},
        headers={**headers, **(k or key())},
    )


def test_commitment_reserves_funds_split_by_appropriation(stack, fresh_year, finance_users):
    y = fresh_year({"city": 700_000, "district": 300_000})
    client, alice = stack.client("budget"), finance_users[0]
    r = commit(client, alice, y.sub_id, 100_001, reference="계약 1")
    assert r.status_code == 201, r.get_json()
    body = r.get_json()
    assert body["split"] == {"city": 70_001, "district": 30_000}
    assert body["fiscal_year"] == y.year and body["sub_program_title"] == f"세부-{y.year}"
    b = balances(client, alice, y.year, y.sub_id)
    assert (b["city"]["committed_krw"], b["district"]["committed_krw"]) == (70_001, 30_000)
    assert b["city"]["spent_krw"] == 0


def test_expenditure_consumes_a_commitment_partly_then_wholly(stack, fresh_year, finance_users):
    y = fresh_year({"city": 700_000, "district": 300_000})
    client, alice, bob = stack.client("budget"), *finance_users[:2]
    cid = commit(client, alice, y.sub_id, 10_000).get_json()["commitment_id"]
    pay = {"commitment_id": cid, "amount_krw": 4_001}
    r = client.post(f"{API}/expenditures", json=pay, headers={**bob, **key()})
    assert r.status_code == 201, r.get_json()
    assert r.get_json()["split"] == {"city": 2_801, "district": 1_200}
    r = client.post(
        f"{API}/expenditures", json={**pay, "amount_krw": 5_999}, headers={**bob, **key()}
    )
    assert r.status_code == 201
    detail = client.get(f"{API}/commitments/{cid}", headers=bob).get_json()
    assert detail["outstanding_krw"] == 0 and detail["spent_krw"] == 10_000
    r = client.post(f"{API}/expenditures", json={**pay, "amount_krw": 1}, headers={**bob, **key()})
    assert r.status_code == 409 and r.get_json()["shortfall_krw"] == 1
    b = balances(client, bob, y.year, y.sub_id)
    assert b["city"]["spent_krw"] + b["district"]["spent_krw"] == 10_000


def test_the_committer_cannot_approve_payment_of_that_commitment(stack, fresh_year, finance_users):
    y = fresh_year({"district": 50_000})
    client, alice = stack.client("budget"), finance_users[0]
    cid = commit(client, alice, y.sub_id, 1_000).get_json()["commitment_id"]
    r = client.post(
        f"{API}/expenditures",
        json={"commitment_id": cid, "amount_krw": 1_000},
        headers={**alice, **key()},
    )
    assert r.status_code == 403
    assert "승인할 수 없습니다" in r.get_json()["detail"]


def test_commitment_beyond_the_appropriation_is_refused_with_the_shortfall(
    stack, fresh_year, finance_users
):
    y = fresh_year({"city": 7_000, "district": 3_000})
    client, alice = stack.client("budget"), finance_users[0]
    assert commit(client, alice, y.sub_id, 8_000).status_code == 201
    r = commit(client, alice, y.sub_id, 3_000)
    assert r.status_code == 409
    body = r.get_json()
    assert body["code"] == "insufficient_funds"
    assert (body["requested_krw"], body["available_krw"], body["shortfall_krw"]) == (
        3_000,
        2_000,
        1_000,
    )
    assert "부족" in body["detail"]
    b = balances(client, alice, y.year, y.sub_id)
    assert b["city"]["committed_krw"] + b["district"]["committed_krw"] == 8_000


def test_release_frees_the_unused_part(stack, fresh_year, finance_users):
    y = fresh_year({"district": 10_000})
    client, alice, bob = stack.client("budget"), *finance_users[:2]
    cid = commit(client, alice, y.sub_id, 10_000).get_json()["commitment_id"]
    client.post(
        f"{API}/expenditures", json={"commitment_id": cid, "amount_krw": 2_500},
        headers={**bob, **key()},
    )  # fmt: skip
    r = client.post(f"{API}/commitments/{cid}/release", json={"reason": "계약 변경"}, headers=alice)
    assert r.status_code == 201 and r.get_json()["amount_krw"] == 7_500
    r = client.post(f"{API}/commitments/{cid}/release", json={"reason": "다시"}, headers=alice)
    assert r.status_code == 409
    b = balances(client, alice, y.year, y.sub_id)["district"]
    assert (b["committed_krw"], b["spent_krw"]) == (2_500, 2_500)
    assert commit(client, alice, y.sub_id, 7_500).status_code == 201


def test_corrections_are_reversing_entries_with_user_time_and_reason(
    stack, fresh_year, finance_users
):
    y = fresh_year({"district": 10_000})
    client, alice, bob = stack.client("budget"), *finance_users[:2]
    cid = commit(client, alice, y.sub_id, 6_000).get_json()["commitment_id"]
    eid = client.post(
        f"{API}/expenditures", json={"commitment_id": cid, "amount_krw": 6_000},
        headers={**bob, **key()},
    ).get_json()["expenditure_id"]  # fmt: skip
    r = client.post(f"{API}/documents/{cid}/reversal", json={"reason": "오류"}, headers=alice)
    assert r.status_code == 409  # paid: the payment must be reversed first
    r = client.post(f"{API}/documents/{eid}/reversal", json={"reason": "이중 지급"}, headers=bob)
    assert r.status_code == 201, r.get_json()
    rev = r.get_json()
    again = client.post(f"{API}/documents/{eid}/reversal", json={"reason": "또"}, headers=bob)
    assert again.status_code == 409
    runtime = stack.runtime("budget")
    with runtime.db.read() as session:
        lines = session.execute(
            select(ledger_entries).where(ledger_entries.c.document_id == rev["reversal_id"])
        ).all()
        original = session.execute(
            select(ledger_entries).where(ledger_entries.c.document_id == eid)
        ).all()
    assert len(lines) == len(original) == 1
    line = lines[0]
    assert line.d_spent == -original[0].d_spent == -6_000
    assert line.reverses_entry_id == original[0].id
    assert line.reason == "이중 지급" and line.created_by.startswith("재무2") and line.created_at
    assert original[0].d_spent == 6_000  # the original stays as it was
    b = balances(client, alice, y.year, y.sub_id)["district"]
    assert (b["committed_krw"], b["spent_krw"]) == (6_000, 0)
    assert (
        client.post(
            f"{API}/documents/{cid}/reversal", json={"reason": "취소"}, headers=alice
        ).status_code
        == 201
    )
    b = balances(client, alice, y.year, y.sub_id)["district"]
    assert (b["committed_krw"], b["spent_krw"]) == (0, 0)


class TestIdempotency:
    def test_same_key_same_content_gives_the_first_answer(self, stack, fresh_year, finance_users):
        y = fresh_year({"district": 10_000})
        client, alice = stack.client("budget"), finance_users[0]
        k = key()
        first = commit(client, alice, y.sub_id, 4_000, k)
        second = commit(client, alice, y.sub_id, 4_000, k)
        assert first.status_code == second.status_code == 201
        assert first.get_json() == second.get_json()
        assert second.headers.get("Idempotent-Replayed") == "true"
        assert balances(client, alice, y.year, y.sub_id)["district"]["committed_krw"] == 4_000
        runtime = stack.runtime("budget")
        with runtime.db.read() as session:
            n = session.scalar(
                select(func.count())
                .select_from(commitments)
                .where(commitments.c.program_id == y.sub_id)
            )
        assert n == 1

    def test_same_key_different_content_is_409(self, stack, fresh_year, finance_users):
        y = fresh_year({"district": 10_000})
        client, alice = stack.client("budget"), finance_users[0]
        k = key()
        assert commit(client, alice, y.sub_id, 4_000, k).status_code == 201
        r = commit(client, alice, y.sub_id, 4_001, k)
        assert r.status_code == 409 and "Idempotency-Key" in r.get_json()["detail"]
        assert balances(client, alice, y.year, y.sub_id)["district"]["committed_krw"] == 4_000

    def test_refused_for_lack_of_funds_stays_refused_for_that_key(
        self, stack, fresh_year, finance_users
    ):
        y = fresh_year({"district": 10_000})
        client, alice = stack.client("budget"), finance_users[0]
        k = key()
        first = commit(client, alice, y.sub_id, 12_000, k)
        assert first.status_code == 409
        # Funds appear (추경), yet the key keeps its first answer.
        acct = balances(client, alice, y.year, y.sub_id)["district"]["id"]
        t = client.post(
            f"{API}/transfers",
            json={
                "kind": "amendment",
                "to_account_id": acct,
                "amount_krw": 5_000,
                "reason": "추경",
            },
            headers=alice,
        ).get_json()
        assert (
            client.post(f"{API}/transfers/{t['id']}/approval", headers=finance_users[1]).status_code
            == 200
        )
        again = commit(client, alice, y.sub_id, 12_000, k)
        assert again.status_code == 409 and again.get_json() == first.get_json()
        assert commit(client, alice, y.sub_id, 12_000).status_code == 201  # a new key succeeds

    def test_expenditure_key_replays_and_a_key_is_required(self, stack, fresh_year, finance_users):
        y = fresh_year({"district": 10_000})
        client, alice, bob = stack.client("budget"), *finance_users[:2]
        cid = commit(client, alice, y.sub_id, 5_000).get_json()["commitment_id"]
        k, pay = key(), {"commitment_id": cid, "amount_krw": 3_000}
        a = client.post(f"{API}/expenditures", json=pay, headers={**bob, **k})
        b = client.post(f"{API}/expenditures", json=pay, headers={**bob, **k})
        assert a.status_code == b.status_code == 201 and a.get_json() == b.get_json()
        assert client.get(f"{API}/commitments/{cid}", headers=bob).get_json()["spent_krw"] == 3_000
        r = client.post(f"{API}/expenditures", json=pay, headers=bob)
        assert r.status_code == 428

    def test_idempotency_keys_are_per_endpoint(self, stack, fresh_year, finance_users):
        y = fresh_year({"district": 10_000})
        client, alice, bob = stack.client("budget"), *finance_users[:2]
        k = key()
        cid = commit(client, alice, y.sub_id, 5_000, k).get_json()["commitment_id"]
        r = client.post(
            f"{API}/expenditures", json={"commitment_id": cid, "amount_krw": 1_000},
            headers={**bob, **k},
        )  # fmt: skip
        assert r.status_code == 201
        runtime = stack.runtime("budget")
        with runtime.db.read() as session:
            kinds = session.scalars(
                select(documents.c.kind).where(documents.c.commitment_id == cid)
            ).all()
        assert kinds == ["expenditure"]


def test_posting_needs_the_finance_role(stack, fresh_year):
    y = fresh_year({"district": 10_000})
    r = commit(stack.client("budget"), stack.auth("staff"), y.sub_id, 1)
    assert r.status_code == 403


def test_unknown_program_is_404_and_leaves_the_key_free(stack, finance_users):
    client, alice = stack.client("budget"), finance_users[0]
    k = key()
    assert commit(client, alice, str(uuid.uuid4()), 1_000, k).status_code == 404
    assert commit(client, alice, str(uuid.uuid4()), 1_000, k).status_code == 404


def test_openapi_documents_the_ledger_endpoints(stack):
    r = stack.client("budget").get(f"{API}/openapi.json")
    assert r.status_code == 200
    paths = r.get_json()["paths"]
    for path in ("/commitments", "/expenditures", "/reports/execution", "/ledger/verify",
                 "/transfers/{transfer_id}/approval", "/documents/{document_id}/reversal"):  # fmt: skip
        assert f"/budget/api/v1{path}" in paths, path
