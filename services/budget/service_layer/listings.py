"""What finance reads in lists: commitments with what is left of them, their documents,
전용·추경 requests, and the balances (과목) to choose from, each named for a person."""

from __future__ import annotations

from sqlalchemy import func, literal, select

from services.common.paging import Page, fetch

from ..adapters.orm import accounts, commitments, documents, sub_programs, transfers, unit_programs
from ..domain.commands import NotFound
from ..domain.model import SOURCE_NAMES

SOURCE_LABELS = {**SOURCE_NAMES, "unallocated": "재원 미구분"}
KIND_NAMES = {
    "commitment": "지출원인행위",
    "expenditure": "지출",
    "release": "해제",
    "reversal": "정정(역분개)",
    "transfer": "전용·이용",
    "amendment": "추경",
}
STATUS_NAMES = {"pending": "승인 대기", "approved": "승인", "rejected": "반려"}
c, d = commitments.c, documents.c


def _titled(base, program_id):
    """(title, base outer-joined to the programs): 세부사업 '절 이름' or 단위사업 이름."""
    sub = sub_programs.c.section + literal(" ") + sub_programs.c.title
    title = func.coalesce(sub, unit_programs.c.name, literal(""))
    joined = base.outerjoin(sub_programs, sub_programs.c.id == program_id).outerjoin(
        unit_programs, unit_programs.c.id == program_id
    )
    return title, joined


def _commitments_query(year: int | None, program_id: str | None, open_only: bool = False):
    title, source = _titled(commitments.join(documents, d.id == c.id), c.program_id)
    outstanding = c.amount_krw - c.spent_krw - c.released_krw - c.reversed_krw
    query = select(
        c.id, c.program_id, title.label("program_title"), d.fiscal_year, d.reference,
        d.business_date, d.created_by, c.amount_krw, c.spent_krw,
        (c.released_krw + c.reversed_krw).label("cancelled_krw"),
        outstanding.label("outstanding_krw"),
    ).select_from(source)  # fmt: skip
    if year is not None:
        query = query.where(d.fiscal_year == year)
    if program_id:
        query = query.where(c.program_id == program_id)
    if open_only:
        query = query.where(outstanding > 0)
    return query.order_by(d.created_at.desc(), c.id)


def commitments_page(runtime, year: int | None, program_id: str | None, page: int,
                     page_size: int) -> Page:  # fmt: skip
    """지출원인행위 newest first: 지출원인행위액, 지출액, 해제·정정액, 미지급 잔액."""
    with runtime.db.read() as session:
        return fetch(session, _commitments_query(year, program_id), page, page_size)


def open_commitments(runtime, year: int, limit: int = 200) -> list[dict]:
    """The newest commitments of a year with something left to pay (for a form's list)."""
    with runtime.db.read() as session:
        rows = session.execute(_commitments_query(year, None, open_only=True).limit(limit))
        return [dict(r._mapping) for r in rows]


def commitment_view(runtime, commitment_id: str) -> dict:
    """One commitment with its figures and every document posted against it."""
    with runtime.db.read() as session:
        row = session.execute(_commitments_query(None, None).where(c.id == commitment_id)).first()
        if row is None:
            raise NotFound("지출원인행위를 찾을 수 없습니다.")
        reversed_ids = select(d.reverses_document_id).where(d.reverses_document_id.is_not(None))
        docs = session.execute(
            select(d.id, d.kind, d.amount_krw, d.business_date, d.created_by, d.reference,
                   d.reason, d.reverses_document_id, d.id.in_(reversed_ids).label("reversed"))
            .where((d.id == commitment_id) | (d.commitment_id == commitment_id))
            .order_by(d.created_at, d.id)
        ).all()  # fmt: skip
    return {**row._mapping, "documents": [dict(r._mapping) for r in docs]}


def document_view(runtime, document_id: str) -> dict:
    """A document (전표) as a person confirms its reversal: what, how much, of what."""
    title, source = _titled(documents, d.program_id)
    with runtime.db.read() as session:
        row = session.execute(
            select(documents, title.label("program_title"))
            .select_from(source)
            .where(d.id == document_id)
        ).first()
        if row is None:
            raise NotFound("전표를 찾을 수 없습니다.")
        reversal = session.scalar(select(d.id).where(d.reverses_document_id == document_id))
    return {**row._mapping, "kind_name": KIND_NAMES.get(row.kind, row.kind),
            "reversed_by": reversal}  # fmt: skip


def account_choices(runtime, year: int) -> list[dict]:
    """A year's balances (과목: 사업 × 재원) with a label and what is free to move."""
    a = accounts.c
    title, source = _titled(accounts, a.program_id)
    with runtime.db.read() as session:
        rows = session.execute(
            select(a.id, a.program_kind, a.source, a.appropriated_krw, a.committed_krw,
                   title.label("program_title"))
            .select_from(source)
            .where(a.fiscal_year == year)
            .order_by(a.program_kind, title, a.source)
        ).all()  # fmt: skip
    return [
        {**r._mapping, "label": f"{r.program_title} · {SOURCE_LABELS.get(r.source, r.source)}",
         "free_krw": r.appropriated_krw - r.committed_krw}
        for r in rows
    ]  # fmt: skip


def account_labels(runtime, ids) -> dict[str, str]:
    """account id -> '사업 · 재원', for the ids asked."""
    ids = sorted({i for i in ids if i})
    if not ids:
        return {}
    a = accounts.c
    title, source = _titled(accounts, a.program_id)
    with runtime.db.read() as session:
        rows = session.execute(
            select(a.id, a.source, title.label("program_title"))
            .select_from(source)
            .where(a.id.in_(ids))
        ).all()
    return {r.id: f"{r.program_title} · {SOURCE_LABELS.get(r.source, r.source)}" for r in rows}


def transfers_page(runtime, status: str | None, year: int | None, page: int,
                   page_size: int) -> Page:  # fmt: skip
    """전용·추경 requests, newest first (``status``: pending, approved, rejected)."""
    t = transfers.c
    query = select(transfers).order_by(t.requested_at.desc(), t.id)
    if status:
        query = query.where(t.status == status)
    if year is not None:
        query = query.where(t.fiscal_year == year)
    with runtime.db.read() as session:
        return fetch(session, query, page, page_size)
