"""Dead-letter store: messages that failed validation or exhausted their retries."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select, update

from .db import Database
from .paging import Page, fetch
from .tables import CommonTables, utcnow


class DeadLetters:
    def __init__(self, db: Database, tables: CommonTables):
        self.db = db
        self.table = tables.dead_letters

    def record(self, data: Any, reason: str, error: str, attempts: int) -> str:
        envelope = data if isinstance(data, dict) else {"raw": repr(data)[:2000]}
        row_id = str(uuid.uuid4())
        with self.db.transaction() as session:
            session.execute(
                self.table.insert().values(
                    id=row_id,
                    message_id=str(envelope.get("id", ""))[:36],
                    type=str(envelope.get("type", "?"))[:120],
                    reason=reason,
                    error=error[:2000],
                    attempts=attempts,
                    envelope=envelope,
                )
            )
        return row_id

    def list(self, include_replayed: bool = False, limit: int = 100) -> list[dict]:
        query = select(self.table).order_by(self.table.c.created_at.desc()).limit(limit)
        if not include_replayed:
            query = query.where(self.table.c.replayed_at.is_(None))
        with self.db.read() as session:
            return [dict(row._mapping) for row in session.execute(query)]

    def page(self, include_replayed: bool = False, page: int = 1, page_size: int = 50) -> Page:
        """One page of the store, newest first (the API's and the staff page's list)."""
        query = select(self.table).order_by(self.table.c.created_at.desc(), self.table.c.id)
        if not include_replayed:
            query = query.where(self.table.c.replayed_at.is_(None))
        with self.db.read() as session:
            return fetch(session, query, page, page_size)

    def get(self, row_id: str) -> dict | None:
        with self.db.read() as session:
            row = session.execute(select(self.table).where(self.table.c.id == row_id)).first()
        return dict(row._mapping) if row else None

    def mark_replayed(self, row_id: str, user: str) -> bool:
        """Claim the row for replay; False if it was already replayed."""
        with self.db.transaction() as session:
            result = session.execute(
                update(self.table)
                .where(self.table.c.id == row_id, self.table.c.replayed_at.is_(None))
                .values(replayed_at=utcnow(), replayed_by=user)
            )
        return result.rowcount == 1

    def unmark_replayed(self, row_id: str) -> None:
        with self.db.transaction() as session:
            session.execute(
                update(self.table)
                .where(self.table.c.id == row_id)
                .values(replayed_at=None, replayed_by=None)
            )
