"""전용·추경 need a second person; the hash chain finds edited and deleted rows."""

from __future__ import annotations

import subprocess
import sys
import uuid
from decimal import Decimal

import pytest
from sqlalchemy import delete, select, update

from services.budget.adapters.orm import accounts, ledger_entries
from services.budget.service_layer.events import check_execution_lag

pytestmark = pytest.mark.integration
API = "/budget/api/v1"


def accounts_of(client, headers, year):
    r = client.get(f"{API}/accounts", query_string={"fiscal_year": year}, headers=headers)
    return {(a["program_kind"], a["source"]): a for a in r.get_json()}


def test_transfer_needs_an_approver_other_than_the_requester(stack, fresh_year, finance_users):
    y = fresh_year({"city": 50_000, "district": 50_000})
    client, alice, bob = stack.client("budget"), *finance_users[:2]
    accts = accounts_of(client, alice, y.year)
    src, dst = accts[("sub", "city")], accts[("sub", "district")]
    t = client.post(
        f"{API}/transfers",
        json={"kind": "transfer", "from_account_id": src["id"], "to_account_id": dst["id"],
              "amount_krw": 20_000, "reason": "전용"},
        headers=alice,
    )  # fmt: skip
    assert t.status_code == 201 and t.get_json()["status"] == "pending"
    tid = t.get_json()["id"]
    assert accounts_of(client, alice, y.year)[("sub", "city")]["appropriated_krw"] == 50_000
    r = client.post(f"{API}/transfers/{tid}/approval", headers=alice)
    assert r.status_code == 403
    r = client.post(f"{API}/transfers/{tid}/approval", headers=bob)
    assert r.status_code == 200 and r.get_json()["decided_by"].startswith("재무2")
    now = accounts_of(client, alice, y.year)
    assert now[("sub", "city")]["appropriated_krw"] == 30_000
    assert now[("sub", "district")]["appropriated_krw"] == 70_000
    assert client.post(f"{API}/transfers/{tid}/approval", headers=bob).status_code == 409


def test_a_transfer_cannot_take_what_is_already_committed(stack, fresh_year, finance_users):
    y = fresh_year({"city": 50_000, "district": 50_000})
    client, alice, bob = stack.client("budget"), *finance_users[:2]
    client.post(
        f"{API}/commitments", json={"program_id": y.sub_id, "amount_krw": 80_000},
        headers={**alice, "Idempotency-Key": uuid.uuid4().hex},
    )  # fmt: skip
    accts = accounts_of(client, alice, y.year)
    t = client.post(
        f"{API}/transfers",
        json={"kind": "amendment", "to_account_id": accts[("sub", "city")]["id"],
              "amount_krw": -10_001, "reason": "감액 추경", "decision_ref": "구의회 의결 제12호"},
        headers=alice,
    ).get_json()  # fmt: skip
    assert t["decision_ref"] == "구의회 의결 제12호"
    r = client.post(f"{API}/transfers/{t['id']}/approval", headers=bob)
    assert r.status_code == 409 and r.get_json()["shortfall_krw"] == 1
    assert accounts_of(client, alice, y.year)[("sub", "city")]["appropriated_krw"] == 50_000


def test_verify_finds_an_edited_and_a_deleted_entry(stack, fresh_year, finance_users):
    y = fresh_year({"district": 100_000})
    client, alice = stack.client("budget"), finance_users[0]
    for amount in (1_000, 2_000, 3_000):
        r = client.post(
            f"{API}/commitments", json={"program_id": y.sub_id, "amount_krw": amount},
            headers={**alice, "Idempotency-Key": uuid.uuid4().hex},
        )  # fmt: skip
        assert r.status_code == 201
    ok = client.get(f"{API}/ledger/verify", query_string={"fiscal_year": y.year}, headers=alice)
    assert ok.get_json()["ok"] is True and ok.get_json()["checked"] == 5
    runtime = stack.runtime("budget")
    acct = accounts_of(client, alice, y.year)[("sub", "district")]["id"]
    e = ledger_entries.c
    with runtime.db.transaction() as session:  # an insider edits an amount with raw SQL
        session.execute(
            update(ledger_entries).where(e.account_id == acct, e.account_seq == 2)
            .values(d_committed=999)
        )  # fmt: skip
    found = client.get(
        f"{API}/ledger/verify", query_string={"fiscal_year": y.year}, headers=alice
    ).get_json()
    assert found["ok"] is False
    assert {
        "account_seq": 2,
        "account_id": acct,
        "problem": "원장 항목 내용이 변경되었습니다.",
    } in found["findings"]
    with runtime.db.transaction() as session:  # ... and deletes the last entry
        session.execute(delete(ledger_entries).where(e.account_id == acct, e.account_seq == 4))
    problems = {
        (f["account_seq"], f["problem"])
        for f in client.get(
            f"{API}/ledger/verify", query_string={"fiscal_year": y.year}, headers=alice
        ).get_json()["findings"]
    }
    assert (None, "잔액의 마지막 해시·건수가 원장과 맞지 않습니다 (삭제 의심).") in problems
    # The command line finds it too (exit status 1).
    env = {**stack.env, "PYTHONPATH": "."}
    proc = subprocess.run(
        [sys.executable, "-m", "services.budget.verify", "--year", str(y.year)],
        capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip
    assert proc.returncode == 1, proc.stderr[-2000:]
    assert "원장 항목 내용이 변경되었습니다." in proc.stdout
    # 2022's demo ledger is untouched.
    assert client.get(
        f"{API}/ledger/verify", query_string={"fiscal_year": 2022}, headers=alice
    ).get_json()["ok"]


def test_the_2022_opening_ledger_verifies(stack, budget_2022):
    with budget_2022.db.read() as session:
        heads = session.execute(select(accounts).where(accounts.c.fiscal_year == 2022)).all()
    assert len(heads) == 9 + 21  # nine 단위사업, 21 sub-program sources
    r = stack.client("budget").get(
        f"{API}/ledger/verify", query_string={"fiscal_year": 2022}, headers=stack.auth("finance")
    )
    assert r.get_json()["ok"] is True


def test_lagging_programs_raise_an_alert_event(stack, budget_2022):
    late = check_execution_lag(
        budget_2022, 2022, __import__("datetime").date(2022, 8, 31), Decimal("60")
    )
    assert [r.label for r in late] == [
        "생활경제안정 및 도시농업 활성화",
        "동물보호 및 가축질병예방",
        "전통시장 경영현대화 지원",
        "기본경비",
    ]
    outbox = budget_2022.spec.tables.outbox
    with budget_2022.db.read() as session:
        rows = session.execute(
            select(outbox.c.envelope).where(outbox.c.type == "budget.execution_lagging")
        ).all()
    payloads = [r.envelope["payload"] for r in rows]
    assert {
        "fiscal_year": 2022, "as_of": "2022-08-31", "unit_program": "기본경비",
        "rate_pct": "43.6", "expected_pct": "60", "recipients_role": "finance",
    }.items() <= next(p for p in payloads if p["unit_program"] == "기본경비").items()  # fmt: skip
