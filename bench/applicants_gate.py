"""The intake gate with a district's history: one statement per application reads whether
the draw is published, whether this person applied already, their past places and the
rule version. Its cost must not grow with the placements of past years.

    .venv/bin/python bench/applicants_gate.py [PAST]     (default: 10000)

Two databases migrated as deployed, one empty and one holding PAST applications of an
earlier recruitment, each placed by its published draw. 300 gates for people with a past
place (or none, on the empty one), in one transaction, one thread; median of 5 rounds.
Database: a fresh SQLite file, or APPLICANTS_DATABASE_URL's server (two fresh databases
made there, then dropped). Last line: gate with history / gate on an empty database.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

import sqlalchemy as sa  # noqa: E402

from services.applicants.adapters import applications as intake  # noqa: E402
from services.applicants.adapters.orm import (  # noqa: E402
    applications,
    placements,
    recruitments,
    selections,
)
from services.applicants.spec import SPEC  # noqa: E402
from services.common.db import Database  # noqa: E402
from services.common.migrate import upgrade  # noqa: E402

NOW = datetime.now(UTC)


def filled(table: sa.Table, **given):
    """A row giving every NOT NULL column without a default a plausible value."""
    row = dict(given)
    for column in table.c:
        if column.name in row or column.nullable or column.autoincrement is True:
            continue
        if column.name.endswith("_at"):
            row[column.name] = NOW
            continue
        try:
            kind = column.type.python_type
        except NotImplementedError:
            kind = list
        row[column.name] = {str: "x", int: 1, bool: False, date: date(2022, 3, 2)}.get(kind, [])
    return row


def history(url: str, past: int) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(recruitments.insert(), [filled(recruitments, id=r) for r in ("past", "now")])
        if past:
            conn.execute(
                selections.insert(),
                [filled(selections, id="drawn", recruitment_id="past", status="published")],
            )
            conn.execute(
                applications.insert(),
                [filled(applications, id=f"a{i}", recruitment_id="past", person_key=f"p{i}",
                        household_key=f"h{i}", status="selected") for i in range(past)],
            )  # fmt: skip
            conn.execute(
                placements.insert(),
                [filled(placements, selection_id="drawn", application_id=f"a{i}", kind="drawn")
                 for i in range(past)],
            )  # fmt: skip
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("ANALYZE")
    engine.dispose()


def gates(db: Database, past: int, n: int = 300) -> float:
    with db.transaction() as session:
        started = time.perf_counter()
        for i in range(n):
            found = intake.intake_gate(session, "now", f"p{i}")
            assert found.past == (1 if past else 0), found
        return (time.perf_counter() - started) / n * 1000


def databases():
    server = os.environ.get("APPLICANTS_DATABASE_URL", "")
    if not server.startswith("postgresql"):
        var = Path(tempfile.mkdtemp(prefix="bench-gate-"))
        yield from (f"sqlite:///{var}/{name}.db" for name in ("empty", "history"))
        return
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    names = [f"bench_gate_{uuid.uuid4().hex[:8]}_{n}" for n in ("empty", "history")]
    try:
        with admin.connect() as conn:
            for name in names:
                conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        base = sa.engine.make_url(server)
        yield from (base.set(database=n).render_as_string(False) for n in names)
    finally:
        with admin.connect() as conn:
            for name in names:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def main(past: int) -> None:
    urls = databases()
    empty_url, history_url = next(urls), next(urls)
    try:
        measured = {}
        for label, url, count in (("empty", empty_url, 0), ("history", history_url, past)):
            upgrade(SPEC, url)
            history(url, count)
            db = Database(url)
            try:
                gates(db, count)  # warm up
                measured[label] = statistics.median(gates(db, count) for _ in range(5))
            finally:
                db.dispose()
        print(f"database={empty_url.split(':', 1)[0]} past placements={past}")
        print(f"gate, empty database: {measured['empty']:.3f} ms")
        print(f"gate, {past} past placements: {measured['history']:.3f} ms")
        print(f"ratio = {measured['history'] / measured['empty']:.2f}")
    finally:
        urls.close()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10000)
