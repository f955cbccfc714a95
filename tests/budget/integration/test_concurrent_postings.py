"""Many parallel HTTP clients against a real server: nothing overspent, nothing posted twice.

Runs on whichever database the suite uses (SQLite by default, PostgreSQL with
TEST_DATABASE_URL): the limits are conditional UPDATEs of the balance rows.
"""

from __future__ import annotations

import json
import random
import threading
import urllib.request
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from urllib.error import HTTPError

import pytest
from sqlalchemy import func, select
from werkzeug.serving import make_server

from services.budget.adapters.orm import accounts, commitments, documents, ledger_entries
from services.budget.service_layer.ledger import verify

pytestmark = pytest.mark.integration
POSTERS = 16


@pytest.fixture(scope="module")
def server(stack):
    srv = make_server("127.0.0.1", 0, stack.apps["budget"], threaded=True)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.server_port}/budget/api/v1"
    srv.shutdown()
    thread.join(10)


def post(url: str, body: dict, headers: dict) -> tuple[int, dict]:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", **headers},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
            return response.status, json.load(response)
    except HTTPError as exc:
        return exc.code, json.load(exc)


def ledger_sums(runtime, account_ids):
    e = ledger_entries.c
    with runtime.db.read() as session:
        rows = session.execute(
            select(e.account_id, func.sum(e.d_appropriated), func.sum(e.d_committed),
                   func.sum(e.d_spent), func.count())
            .where(e.account_id.in_(account_ids)).group_by(e.account_id)
        ).all()  # fmt: skip
        heads = session.execute(select(accounts).where(accounts.c.id.in_(account_ids))).all()
    return {r[0]: tuple(int(x) for x in r[1:]) for r in rows}, {h.id: h for h in heads}


def test_parallel_commitments_and_payments_never_overspend(
    stack, server, fresh_year, finance_users
):
    y = fresh_year({"city": 70_000, "district": 30_000})
    runtime = stack.runtime("budget")
    alice, bob = finance_users[0], finance_users[1]

    # 16 posters, 10 commitments of 3,000 each, every request sent twice with its key.
    requests = [(uuid.uuid4().hex, 3_000) for _ in range(POSTERS * 10)]
    jobs = [r for r in requests for _ in range(2)]
    random.Random(7).shuffle(jobs)

    def commit(job):
        key, amount = job
        status, body = post(
            f"{server}/commitments", {"program_id": y.sub_id, "amount_krw": amount},
            {**alice, "Idempotency-Key": key},
        )  # fmt: skip
        return key, status, body

    with ThreadPoolExecutor(POSTERS) as pool:
        results = list(pool.map(commit, jobs))
    assert {s for _k, s, _b in results} <= {201, 409}
    answers: dict[str, set] = {}
    for key, status, body in results:
        answers.setdefault(key, set()).add((status, json.dumps(body, sort_keys=True)))
    assert all(len(a) == 1 for a in answers.values())  # a key always gets one answer
    won = [k for k, a in answers.items() if next(iter(a))[0] == 201]
    # 3,000 splits 2,100 시비 / 900 구비: 33 fit in 70,000 / 30,000, the 34th does not.
    assert len(won) == 33

    with runtime.db.read() as session:
        docs = session.execute(
            select(documents.c.idempotency_key, func.count())
            .where(documents.c.program_id == y.sub_id, documents.c.kind == "commitment")
            .group_by(documents.c.idempotency_key)
        ).all()
    assert len(docs) == 33 and all(n == 1 for _k, n in docs)
    assert {k.split(":", 1)[1] for k, _n in docs} == set(won)

    # Payments: 16 posters pay 1,000 at a time out of five 3,000 commitments (15,000).
    cids = [json.loads(next(iter(answers[k]))[1])["commitment_id"] for k in won[:5]]
    pays = [(uuid.uuid4().hex, cids[i % 5]) for i in range(40)]

    def pay(job):
        key, cid = job
        return post(
            f"{server}/expenditures", {"commitment_id": cid, "amount_krw": 1_000},
            {**bob, "Idempotency-Key": key},
        )[0]  # fmt: skip

    with ThreadPoolExecutor(POSTERS) as pool:
        statuses = Counter(pool.map(pay, pays + pays[:10]))  # ten sent twice
    with runtime.db.read() as session:
        spent = dict(
            session.execute(
                select(commitments.c.id, commitments.c.spent_krw).where(commitments.c.id.in_(cids))
            ).all()
        )
        paid_docs = session.scalar(
            select(func.count()).select_from(documents)
            .where(documents.c.kind == "expenditure", documents.c.commitment_id.in_(cids))
        )  # fmt: skip
    assert spent == {cid: 3_000 for cid in cids}
    assert paid_docs == 15
    assert statuses[201] >= 15 and set(statuses) <= {201, 409}

    # Balances equal the sum of their ledger entries and stay within every limit.
    with runtime.db.read() as session:
        ids = session.scalars(select(accounts.c.id).where(accounts.c.program_id == y.sub_id)).all()
    sums, heads = ledger_sums(runtime, ids)
    total_committed = total_spent = 0
    for account_id in ids:
        h = heads[account_id]
        assert sums[account_id][:3] == (h.appropriated_krw, h.committed_krw, h.spent_krw)
        assert sums[account_id][3] == h.entry_count
        assert 0 <= h.spent_krw <= h.committed_krw <= h.appropriated_krw
        total_committed += h.committed_krw
        total_spent += h.spent_krw
    assert (total_committed, total_spent) == (99_000, 15_000)
    checked, findings = verify(runtime, y.year)
    assert findings == [] and checked > 33


def test_parallel_payments_releases_and_reversals_on_one_commitment(
    stack, server, fresh_year, finance_users
):
    y = fresh_year({"national": 50_000, "city": 25_000, "district": 25_000})
    runtime = stack.runtime("budget")
    alice, bob = finance_users[0], finance_users[1]
    status, body = post(
        f"{server}/commitments", {"program_id": y.sub_id, "amount_krw": 10_000},
        {**alice, "Idempotency-Key": uuid.uuid4().hex},
    )  # fmt: skip
    assert status == 201
    cid = body["commitment_id"]

    def pay(_i):
        return post(
            f"{server}/expenditures", {"commitment_id": cid, "amount_krw": 999},
            {**bob, "Idempotency-Key": uuid.uuid4().hex},
        )  # fmt: skip

    def release(_i):
        return post(f"{server}/commitments/{cid}/release", {"reason": "해제"}, alice)

    jobs = [pay] * 14 + [release] * 2
    random.Random(3).shuffle(jobs)
    with ThreadPoolExecutor(POSTERS) as pool:
        results = list(pool.map(lambda f: f(0), jobs))
    paid = [b for s, b in results if s == 201 and "expenditure_id" in b]
    # Reverse every payment in parallel, twice each: each is reversed exactly once.
    with ThreadPoolExecutor(POSTERS) as pool:
        reversals = list(pool.map(
            lambda b: post(f"{server}/documents/{b['expenditure_id']}/reversal",
                           {"reason": "정정"}, bob)[0],
            paid + paid,
        ))  # fmt: skip
    assert sorted(reversals).count(201) == len(paid)
    with runtime.db.read() as session:
        c = session.execute(select(commitments).where(commitments.c.id == cid)).one()
        ids = session.scalars(select(accounts.c.id).where(accounts.c.program_id == y.sub_id)).all()
    assert c.spent_krw == 0
    assert c.spent_krw + c.released_krw + c.reversed_krw <= c.amount_krw
    assert len(paid) * 999 + c.released_krw <= 10_000
    sums, heads = ledger_sums(runtime, ids)
    for account_id in ids:
        h = heads[account_id]
        assert sums[account_id][:3] == (h.appropriated_krw, h.committed_krw, h.spent_krw)
        assert 0 <= h.spent_krw <= h.committed_krw <= h.appropriated_krw
    assert sum(heads[i].spent_krw for i in ids) == 0
    assert sum(heads[i].committed_krw for i in ids) == 10_000 - c.released_krw
    assert verify(runtime, y.year)[1] == []
