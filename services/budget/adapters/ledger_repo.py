"""Ledger persistence: conditional balance updates, chained entries, commitments."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, func, select, update
from sqlalchemy.orm import Session

from ..domain.chain import GENESIS, entry_hash
from ..domain.ledger import Delta, InsufficientFunds, YearClosed
from ..domain.model import DomainError
from .orm import accounts, commitments, documents, ledger_entries, sub_programs, unit_programs


@dataclass(frozen=True)
class Line:
    account_id: str
    kind: str
    delta: Delta
    commitment_id: str | None = None
    reverses_entry_id: str | None = None
    correction: bool = False  # a reversal: allowed on a closed year


def new_account(session: Session, fiscal_year: int, kind: str, program_id: str, source: str):
    account_id = str(uuid.uuid4())
    session.execute(
        accounts.insert().values(
            id=account_id,
            fiscal_year=fiscal_year,
            program_kind=kind,
            program_id=program_id,
            source=source,
            appropriated_krw=0,
            committed_krw=0,
            spent_krw=0,
            entry_count=0,
            last_hash=GENESIS,
        )
    )
    return account_id


def add_document(session: Session, **values) -> str:
    values.setdefault("id", str(uuid.uuid4()))
    session.execute(document_insert(**values))
    return values["id"]


def document_insert(**values):
    return documents.insert().values(**values)


def _apply(session: Session, account_id: str, d: Delta, correction: bool = False):
    """One conditional UPDATE: moves the balance only if every limit still holds (and its
    year is open, unless the line is a correction)."""
    a = accounts.c
    committed = a.committed_krw + d.committed
    spent = a.spent_krw + d.spent
    stmt = (
        update(accounts)
        .where(
            a.id == account_id,
            committed <= a.appropriated_krw + d.appropriated,
            spent <= committed,
            spent >= 0,
            *(() if correction else (a.closed.is_(False),)),
        )
        .values(
            appropriated_krw=a.appropriated_krw + d.appropriated,
            committed_krw=committed,
            spent_krw=spent,
            entry_count=a.entry_count + 1,
        )
        .returning(a.entry_count, a.last_hash)
    )
    return session.execute(stmt).first()


def _refusal(session: Session, account_id: str, d: Delta) -> DomainError:
    row = session.execute(select(accounts).where(accounts.c.id == account_id)).one()
    if row.closed:
        return YearClosed(row.fiscal_year)
    if d.spent > 0:
        return InsufficientFunds(d.spent, row.committed_krw - row.spent_krw, "지출원인행위 잔액")
    need = d.committed if d.committed > 0 else -d.appropriated
    return InsufficientFunds(need, row.appropriated_krw - row.committed_krw)


def post(
    session: Session,
    document_id: str,
    lines: Iterable[Line],
    business_date: date,
    created_by: str,
    created_at: datetime,
    reason: str | None = None,
) -> list[dict]:
    """Write the lines (accounts locked in id order); InsufficientFunds if one cannot."""
    written = []
    for line in sorted(lines, key=lambda ln: ln.account_id):
        head = _apply(session, line.account_id, line.delta, line.correction)
        if head is None:
            raise _refusal(session, line.account_id, line.delta)
        entry = {
            "id": str(uuid.uuid4()),
            "document_id": document_id,
            "account_id": line.account_id,
            "account_seq": head.entry_count,
            "kind": line.kind,
            "d_appropriated": line.delta.appropriated,
            "d_committed": line.delta.committed,
            "d_spent": line.delta.spent,
            "commitment_id": line.commitment_id,
            "reverses_entry_id": line.reverses_entry_id,
            "business_date": business_date,
            "created_at": created_at,
            "created_by": created_by,
            "reason": reason,
            "prev_hash": head.last_hash,
        }
        entry["hash"] = entry_hash(head.last_hash, entry)
        _record(session, entry)
        written.append(entry)
    return written


def _record(session: Session, entry: dict) -> None:
    """Insert the entry and move its balance's chain head: one round trip on PostgreSQL
    (a data-modifying CTE), while the balance row is locked."""
    head = update(accounts).where(accounts.c.id == entry["account_id"])
    head = head.values(last_hash=entry["hash"])
    if session.get_bind().dialect.name == "postgresql":
        session.execute(head.add_cte(ledger_entries.insert().values(**entry).cte("new_entry")))
        return
    session.execute(ledger_entries.insert().values(**entry))
    session.execute(head)


def lock_commitment(session: Session, commitment_id: str, spend=0, release=0, reverse=0) -> bool:
    """Move what is left of a commitment, if it still has enough (row stays locked)."""
    c = commitments.c
    used = c.spent_krw + spend + c.released_krw + release + c.reversed_krw + reverse
    stmt = update(commitments).where(c.id == commitment_id, used <= c.amount_krw)
    if reverse:  # only a commitment nothing has touched can be reversed
        stmt = stmt.where(c.spent_krw == 0, c.released_krw == 0, c.reversed_krw == 0)
    result = session.execute(
        stmt.values(
            spent_krw=c.spent_krw + spend,
            released_krw=c.released_krw + release,
            reversed_krw=c.reversed_krw + reverse,
        )
    )
    return result.rowcount == 1


def outstanding_by_source(session: Session, commitment_id: str) -> dict[str, tuple[str, int]]:
    """source -> (account id, committed − spent) of one commitment, from its entries."""
    e = ledger_entries.c
    rows = session.execute(
        select(accounts.c.source, e.account_id, func.sum(e.d_committed - e.d_spent))
        .join(accounts, accounts.c.id == e.account_id)
        .where(e.commitment_id == commitment_id)
        .group_by(accounts.c.source, e.account_id)
    ).all()
    return {r[0]: (r[1], int(r[2])) for r in rows}


def document(session: Session, document_id: str):
    return session.execute(select(documents).where(documents.c.id == document_id)).first()


def commitment(session: Session, commitment_id: str):
    return session.execute(
        select(commitments, documents.c.fiscal_year, documents.c.created_by)
        .join(documents, documents.c.id == commitments.c.id)
        .where(commitments.c.id == commitment_id)
    ).first()


def entries_of(session: Session, document_id: str) -> list:
    return list(
        session.execute(
            select(ledger_entries, accounts.c.source)
            .join(accounts, accounts.c.id == ledger_entries.c.account_id)
            .where(ledger_entries.c.document_id == document_id)
            .order_by(ledger_entries.c.seq)
        )
    )


def open_commitments_of_application(session: Session, fiscal_year: int, application_id: str):
    c = commitments.c
    return session.scalars(
        select(c.id)
        .join(documents, documents.c.id == c.id)
        .where(
            documents.c.fiscal_year == fiscal_year,
            documents.c.application_id == application_id,
            c.spent_krw + c.released_krw + c.reversed_krw < c.amount_krw,
        )
        .order_by(documents.c.created_at)
    ).all()


def program_accounts(session: Session, program_id: str) -> dict[str, dict]:
    rows = session.execute(select(accounts).where(accounts.c.program_id == program_id))
    return {r.source: dict(r._mapping) for r in rows}


def program_accounts_titled(session: Session, program_id: str) -> tuple[dict[str, dict], str]:
    """The program's balances by source and its title (세부사업명 or 단위사업명), one query."""
    title = func.coalesce(
        select(sub_programs.c.title).where(sub_programs.c.id == program_id).scalar_subquery(),
        select(unit_programs.c.name).where(unit_programs.c.id == program_id).scalar_subquery(),
        "",
    ).label("program_title")
    rows = session.execute(select(accounts, title).where(accounts.c.program_id == program_id)).all()
    found = {r.source: {k: v for k, v in r._mapping.items() if k != "program_title"} for r in rows}
    return found, (rows[0].program_title if rows else "")


def account_rows(session: Session, fiscal_year: int) -> list[dict]:
    rows = session.execute(
        select(accounts)
        .where(accounts.c.fiscal_year == fiscal_year)
        .order_by(accounts.c.program_kind, accounts.c.program_id, accounts.c.source)
    )
    return [dict(r._mapping) for r in rows]


def sums_as_of(session: Session, fiscal_year: int, as_of: date) -> dict[str, tuple[int, int, int]]:
    """account id -> (appropriated, committed, spent) from entries dated on or before
    ``as_of``."""
    e = ledger_entries.c
    rows = session.execute(
        select(e.account_id, func.sum(e.d_appropriated), func.sum(e.d_committed),
               func.sum(e.d_spent))
        .join(accounts, and_(accounts.c.id == e.account_id))
        .where(accounts.c.fiscal_year == fiscal_year, e.business_date <= as_of)
        .group_by(e.account_id)
    ).all()  # fmt: skip
    return {r[0]: (int(r[1]), int(r[2]), int(r[3])) for r in rows}
