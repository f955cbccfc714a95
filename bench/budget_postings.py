"""Budget postings under contention: 16 posters on one hot program, beside a bare baseline.

    TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test \
        .venv/bin/python bench/budget_postings.py [N]

Ours: the full commitment use case (Idempotency-Key row, document, commitment, conditional
UPDATE of the balance, hash-chained ledger entry, outbox row) in one transaction, called
from 16 threads, each with its own session, on one program with one funding source.
Baseline: in the same database and run, one transaction per posting doing only a bare
conditional UPDATE of a balance row plus one INSERT. Relay publishing after commit is
switched off (it measures Redis, not the ledger). Prints measured figures only.
"""

from __future__ import annotations

import os
import statistics
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

import sqlalchemy as sa  # noqa: E402

POSTERS = int(os.environ.get("BENCH_POSTERS", "16"))


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def run(name: str, post, n: int) -> float:
    latencies: list[float] = []
    lock = threading.Lock()

    def one(i: int) -> None:
        start = time.perf_counter()
        post(i)
        took = time.perf_counter() - start
        with lock:
            latencies.append(took)

    began = time.perf_counter()
    with ThreadPoolExecutor(POSTERS) as pool:
        list(pool.map(one, range(n)))
    elapsed = time.perf_counter() - began
    rate = n / elapsed
    print(
        f"{name:<34} n={n:>5}  {rate:8.1f} postings/s  "
        f"p50 {statistics.median(latencies) * 1000:7.2f} ms  p99 {pct(latencies, 0.99) * 1000:7.2f} ms"
    )
    return rate


def main(n: int) -> None:
    admin = os.environ.get("TEST_DATABASE_URL")
    if not admin:
        sys.exit("set TEST_DATABASE_URL to a PostgreSQL URL")
    name = f"bench_budget_{uuid.uuid4().hex[:8]}"
    admin_engine = sa.create_engine(admin, isolation_level="AUTOCOMMIT")
    with admin_engine.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = sa.engine.make_url(admin).set(database=name).render_as_string(False)
    try:
        bench(url, n)
    finally:
        with admin_engine.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin_engine.dispose()


def bench(url: str, n: int) -> None:
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")
    os.environ["BUDGET_DATABASE_URL"] = url
    os.environ.setdefault("APP_ENV", "test")
    from services.budget import create_app
    from services.budget.domain import model
    from services.budget.domain.commands import CommitFunds
    from services.budget.service_layer.idempotency import run_once
    from services.budget.service_layer.postings import commit_in
    from services.budget.service_layer.programs import open_fiscal_year
    from services.budget.spec import SPEC
    from services.common.db import make_engine
    from services.common.migrate import upgrade

    upgrade(SPEC, url)
    runtime = create_app().extensions["runtime"]
    runtime.db.after_commit.clear()  # no broker in the measured path
    unit = model.UnitProgram(str(uuid.uuid4()), 1, "hot", 10**15)
    sub = model.SubProgram(
        str(uuid.uuid4()), 1, "Ⅱ.2", "hot", "team",
        (model.SourceAmount("district", 10**15, 0),), date(2050, 1, 1),
    )  # fmt: skip
    open_fiscal_year(runtime, model.FiscalYearBudget(2050, date(2050, 1, 1), (unit,), (sub,)))

    def ours(i: int) -> None:
        key = uuid.uuid4().hex
        cmd = CommitFunds(sub.id, 1_000 + i, "bench", key)
        status, _body, _replayed = run_once(
            runtime, "commitments", key, {"i": i}, lambda s: commit_in(s, runtime, cmd)
        )
        assert status == 201

    engine = make_engine(url)  # same pool settings as the service's
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "CREATE TABLE bare_balance (id int primary key, committed bigint, appropriated bigint)"
        )
        conn.exec_driver_sql("CREATE TABLE bare_entries (id serial primary key, amount bigint)")
        conn.execute(sa.text("INSERT INTO bare_balance VALUES (1, 0, :a)"), {"a": 10**15})

    def bare(i: int) -> None:
        with engine.begin() as conn:
            done = conn.execute(
                sa.text(
                    "UPDATE bare_balance SET committed = committed + :x "
                    "WHERE id = 1 AND committed + :x <= appropriated"
                ),
                {"x": 1_000 + i},
            )
            assert done.rowcount == 1
            conn.execute(sa.text("INSERT INTO bare_entries (amount) VALUES (:x)"), {"x": 1_000 + i})

    print(f"PostgreSQL {engine.dialect.server_version_info}, {POSTERS} posters, one hot program")
    run("warm-up (ours)", ours, 50)
    run("warm-up (bare)", bare, 50)
    base, mine = [], []
    for _round in range(3):  # interleaved: a shared machine's noise hits both alike
        base.append(run("baseline: UPDATE + INSERT", bare, n))
        mine.append(run("ours: commitment use case", ours, n))
    b, m = statistics.median(base), statistics.median(mine)
    from services.budget.service_layer.ledger import verify

    checked, findings = verify(runtime, 2050)
    print(f"ledger entries checked {checked}, findings {len(findings)}")
    print(f"median of 3 rounds: baseline {b:.1f}/s, ours {m:.1f}/s")
    print(f"ours / baseline = {m / b:.2f}")
    engine.dispose()
    runtime.db.dispose()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
