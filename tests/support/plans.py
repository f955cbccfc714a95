"""What SQLite's planner does with the statements a piece of code runs.

Production never runs ANALYZE, so a plan read on the test database (no statistics) is the
plan every deployed SQLite database gets, however many rows it holds."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from sqlalchemy import event
from sqlalchemy.engine import Engine


def plans_of(engine: Engine, run: Callable[[], object]) -> list[tuple[str, list[str]]]:
    """Run ``run`` and return (statement, plan lines) for each SELECT, UPDATE or DELETE it
    sent through ``engine``; the plans are read afterwards with the same parameters."""
    sent: list[tuple[str, object]] = []

    def capture(_conn, _cursor, statement, parameters, _context, _many):
        if statement.lstrip().split(None, 1)[0].upper() in ("SELECT", "UPDATE", "DELETE", "WITH"):
            sent.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", capture)
    try:
        run()
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    found = []
    with engine.connect() as connection:
        for statement, parameters in sent:
            rows = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
            found.append((statement, [row[-1] for row in rows]))
    return found


def full_scans(plans: list[tuple[str, list[str]]], tables: Iterable[str]) -> list[str]:
    """Plan lines that read the whole of one of ``tables`` (a SCAN, with or without an
    index: only a SEARCH reads part of a table)."""
    names = tuple(tables)
    return [
        f"{line}  ←  {statement[:160]}"
        for statement, lines in plans
        for line in lines
        if any(line == f"SCAN {n}" or line.startswith(f"SCAN {n} ") for n in names)
    ]
