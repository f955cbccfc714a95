"""Engine and transactions for one service's own database (SQLite or PostgreSQL)."""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from sqlalchemy import bindparam, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

AfterCommit = Callable[[Session, list[dict]], None]


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn):
            # Writers take the write lock at BEGIN so concurrent writers queue instead
            # of failing on lock upgrade; readers (WAL) take no lock at all.
            if conn.get_execution_options().get("readonly", False):
                conn.exec_driver_sql("BEGIN")
            else:
                begin_immediate(conn.connection.driver_connection)

        # Let SQLAlchemy, not the driver, issue BEGIN.
        @event.listens_for(engine, "connect")
        def _sqlite_no_autobegin(dbapi_conn, _record):
            dbapi_conn.isolation_level = None

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)


def begin_immediate(raw, timeout: float = 30.0) -> None:
    """Take SQLite's write lock, polling every 0.5–5 ms for up to ``timeout`` seconds.

    SQLite's own busy handler sleeps in steps up to 100 ms, so a writer waiting on another
    for 5 ms could sleep 50–100 ms: the fire path would wait on a bulk worker's nap.
    """
    raw.execute("PRAGMA busy_timeout=0")
    try:
        deadline = time.monotonic() + timeout
        delay = 0.0005
        while True:
            try:
                raw.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
            time.sleep(delay * (0.5 + random.random()))  # noqa: S311 (jitter, not secrets)
            delay = min(delay * 2, 0.005)
    finally:
        raw.execute("PRAGMA busy_timeout=30000")


def execute_all(session: Session, parts: list, then: tuple | None = None):
    """INSERT/UPDATE statements whose results nobody reads — each a statement, or a
    (statement built once with bind parameters, its parameters) pair — in one round trip
    on PostgreSQL (data-modifying CTEs, each run exactly once), one after another
    elsewhere. ``then``, a (query, parameters) pair, is run last in the same round trip
    and its result returned (e.g. ``SELECT … FOR UPDATE`` of the rows to post to next).

    A CTE gets no Python-side column defaults: give every value. Bind parameter names of
    the parts must differ (prefix them per statement)."""
    items = [part if isinstance(part, tuple) else (part, None) for part in parts]
    if then is not None:
        items.append(then)
    if len(items) > 1 and session.get_bind().dialect.name == "postgresql":
        params: dict = {}
        for _, values in items:
            params.update(values or {})
        return session.execute(_composed(tuple(s for s, _ in items)), params or None)
    result = None
    for statement, values in items:
        result = session.execute(statement, values) if values else session.execute(statement)
    return result


def insert_of(table, prefix: str, columns=None):
    """An INSERT built once, every value a bind parameter ``{prefix}_{column}`` (all
    columns, or ``columns``): executing it skips SQLAlchemy's per-call statement building,
    and distinct prefixes let several go in one ``execute_all``."""
    names = columns if columns is not None else [c.name for c in table.c]
    return table.insert().values(
        {n: bindparam(f"{prefix}_{n}", type_=table.c[n].type) for n in names}
    )


@lru_cache(maxsize=64)
def _composed(statements: tuple):
    """Built once per combination of statements (SQLAlchemy then caches its SQL too)."""
    *first, last = statements
    return last.add_cte(*(s.cte(f"w{i}") for i, s in enumerate(first)))


class Database:
    """One service's database: sessions in transactions, then after-commit hooks.

    Code that writes an outbox row appends its envelope to ``session.info["outbox"]``;
    when the transaction commits, every hook gets those envelopes (the relay publishes
    them, with no second read of what this transaction just wrote).
    """

    def __init__(self, url: str):
        self.url = url
        self.engine = make_engine(url)
        self._factory = sessionmaker(self.engine, expire_on_commit=False)
        self._readers = sessionmaker(self.engine.execution_options(readonly=True))
        self.after_commit: list[AfterCommit] = []

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        session = self._factory()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()
        envelopes = list(session.info.get("outbox", ()))
        if envelopes:
            for hook in self.after_commit:
                hook(session, envelopes)

    @contextmanager
    def read(self) -> Iterator[Session]:
        session = self._readers()
        try:
            yield session
        finally:
            session.rollback()
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()
