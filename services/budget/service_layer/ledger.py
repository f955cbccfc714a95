"""Reading the ledger (balances, commitments) and checking its hash chains."""

from __future__ import annotations

from sqlalchemy import select

from ..adapters import ledger_repo as repo
from ..adapters.orm import accounts, ledger_entries
from ..domain.chain import Finding, verify_account
from ..domain.commands import NotFound


def balances(runtime, year: int) -> list[dict]:
    with runtime.db.read() as session:
        return repo.account_rows(session, year)


def commitment(runtime, commitment_id: str) -> dict:
    with runtime.db.read() as session:
        c = repo.commitment(session, commitment_id)
        if c is None:
            raise NotFound("지출원인행위를 찾을 수 없습니다.")
        outstanding = repo.outstanding_by_source(session, commitment_id)
        doc = repo.document(session, commitment_id)
    return {
        "commitment_id": c.id,
        "fiscal_year": c.fiscal_year,
        "program_id": c.program_id,
        "amount_krw": c.amount_krw,
        "spent_krw": c.spent_krw,
        "released_krw": c.released_krw,
        "reversed_krw": c.reversed_krw,
        "outstanding_krw": c.amount_krw - c.spent_krw - c.released_krw - c.reversed_krw,
        "outstanding_by_source": {s: v[1] for s, v in outstanding.items()},
        "application_id": doc.application_id,
        "reference": doc.reference,
        "created_by": c.created_by,
    }


def verify(runtime, year: int | None = None) -> tuple[int, list[Finding]]:
    """(entries checked, findings): every balance's chain against its head."""
    findings: list[Finding] = []
    checked = 0
    with runtime.db.read() as session:
        query = select(accounts).order_by(accounts.c.id)
        if year is not None:
            query = query.where(accounts.c.fiscal_year == year)
        for acct in session.execute(query).all():
            entries = [
                dict(r._mapping)
                for r in session.execute(
                    select(ledger_entries)
                    .where(ledger_entries.c.account_id == acct.id)
                    .order_by(ledger_entries.c.account_seq)
                )
            ]
            checked += len(entries)
            totals = (acct.appropriated_krw, acct.committed_krw, acct.spent_krw)
            findings += verify_account(acct.id, entries, acct.last_hash, acct.entry_count, totals)
    return checked, findings
