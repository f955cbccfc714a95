"""Ledger persistence: conditional balance updates, chained entries, commitments."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Integer,
    String,
    Text,
    and_,
    bindparam,
    cast,
    exists,
    false,
    func,
    insert,
    literal_column,
    or_,
    select,
    true,
    union_all,
    update,
)
from sqlalchemy.orm import Session

from services.common.db import execute_all, insert_of
from services.common.tables import utcnow

from ..domain.chain import GENESIS, canonical_around_seq, entry_hash
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
    session.execute(*document_insert(**values))
    return values["id"]


_DOCUMENT = insert_of(documents, "d")
_COMMITMENT = insert_of(commitments, "c")
_ENTRY_COLUMNS = [c.name for c in ledger_entries.c if c.name != "seq"]  # seq: the database's


def document_insert(**values) -> tuple:
    """(INSERT, parameters) of a document, every column given (for ``execute_all``)."""
    row = {c.name: None for c in documents.c} | {"created_at": utcnow()} | values
    return _DOCUMENT, {f"d_{k}": v for k, v in row.items()}


def commitment_insert(**values) -> tuple:
    row = {c.name: None for c in commitments.c}
    row |= {"spent_krw": 0, "released_krw": 0, "reversed_krw": 0} | values
    return _COMMITMENT, {f"c_{k}": v for k, v in row.items()}


# The balance rows a posting moves, locked in id order (no deadlock between postings).
HEADS = (
    select(accounts.c.id, accounts.c.fiscal_year, accounts.c.appropriated_krw,
           accounts.c.committed_krw, accounts.c.spent_krw, accounts.c.entry_count,
           accounts.c.last_hash, accounts.c.closed)
    .where(accounts.c.id.in_(bindparam("head_ids", expanding=True)))
    .order_by(accounts.c.id)
    .with_for_update()
)  # fmt: skip


def heads_of(rows) -> dict[str, dict]:
    return {r.id: dict(r._mapping) for r in rows}


@lru_cache(maxsize=8)
def _line_statements(i: int) -> tuple:
    """The i-th line's balance UPDATE and entry INSERT, built once, with bind parameters
    of their own (``m{i}_*``, ``e{i}_*``) so that several lines go in one statement. The
    UPDATE is still conditional (limits, the head it read): a guard behind the check."""
    a = accounts.c
    new = {n: bindparam(f"m{i}_{n}", type_=BigInteger)
           for n in ("appropriated_krw", "committed_krw", "spent_krw")}  # fmt: skip
    move = (
        update(accounts)
        .where(
            a.id == bindparam(f"m{i}_id", type_=String),
            a.entry_count == bindparam(f"m{i}_prev_count", type_=Integer),
        )
        .values(**new, entry_count=bindparam(f"m{i}_count", type_=Integer),
                last_hash=bindparam(f"m{i}_hash", type_=String))
    )  # fmt: skip
    return move, insert_of(ledger_entries, f"e{i}", _ENTRY_COLUMNS)


def _refusal(head: dict, d: Delta) -> DomainError:
    if d.spent > 0:
        return InsufficientFunds(
            d.spent, head["committed_krw"] - head["spent_krw"], "지출원인행위 잔액"
        )
    need = d.committed if d.committed > 0 else -d.appropriated
    return InsufficientFunds(need, head["appropriated_krw"] - head["committed_krw"])


def post(
    session: Session,
    document_id: str,
    lines: Iterable[Line],
    business_date: date,
    created_by: str,
    created_at: datetime,
    reason: str | None = None,
    before: Iterable[tuple] = (),
) -> None:
    """Write the lines; InsufficientFunds (or YearClosed) if one cannot, before any line
    is written. ``before``: the posting's other writes, (statement, parameters) pairs
    (its document, commitment, idempotent answer, event), written first.

    On PostgreSQL, when each line moves a different balance, the whole posting is one
    statement (``_posting``): it locks the balance rows, checks every limit on the locked
    figures, and writes each balance and its entry, chained with the hash the database
    computes from the head it locked; so a hot balance stays locked for the rest of that
    statement and the commit only. Elsewhere the balances are locked first, checked and
    chained here, and written in one more statement."""
    lines = sorted(lines, key=lambda ln: ln.account_id)
    before = list(before)
    entries = [
        _entry(document_id, ln, business_date, created_at, created_by, reason) for ln in lines
    ]
    distinct = len({ln.account_id for ln in lines}) == len(lines)
    if distinct and session.get_bind().dialect.name == "postgresql":
        _post_in_one_statement(session, lines, entries, before)
        return
    lock = (HEADS, {"head_ids": sorted({ln.account_id for ln in lines})})
    state = heads_of(execute_all(session, before, then=lock))
    writes = []
    for i, (line, entry) in enumerate(zip(lines, entries, strict=True)):
        head = state[line.account_id]
        appropriated, committed, spent = _moved(head, line)
        entry |= {"account_seq": head["entry_count"] + 1, "prev_hash": head["last_hash"]}
        entry["hash"] = entry_hash(head["last_hash"], entry)
        move, insert = _line_statements(i)
        writes.append((move, {
            f"m{i}_id": line.account_id, f"m{i}_prev_count": head["entry_count"],
            f"m{i}_appropriated_krw": appropriated, f"m{i}_committed_krw": committed,
            f"m{i}_spent_krw": spent, f"m{i}_count": entry["account_seq"],
            f"m{i}_hash": entry["hash"],
        }))  # fmt: skip
        writes.append((insert, {f"e{i}_{k}": v for k, v in entry.items()}))
        state[line.account_id] = head | {
            "appropriated_krw": appropriated, "committed_krw": committed, "spent_krw": spent,
            "entry_count": entry["account_seq"], "last_hash": entry["hash"],
        }  # fmt: skip
    if not distinct:  # one row twice: not in one statement
        for statement, params in writes:
            session.execute(statement, params)
    else:
        execute_all(session, writes)


def _entry(document_id, line: Line, business_date, created_at, created_by, reason) -> dict:
    """A line's entry, all but what its balance's head decides (seq, prev_hash, hash)."""
    d = line.delta
    return {
        "id": str(uuid.uuid4()),
        "document_id": document_id,
        "account_id": line.account_id,
        "kind": line.kind,
        "d_appropriated": d.appropriated,
        "d_committed": d.committed,
        "d_spent": d.spent,
        "commitment_id": line.commitment_id,
        "reverses_entry_id": line.reverses_entry_id,
        "business_date": business_date,
        "created_at": created_at,
        "created_by": created_by,
        "reason": reason,
    }


def _moved(head: dict, line: Line) -> tuple[int, int, int]:
    """The balance after the line, or the refusal: a closed year takes corrections only,
    and 0 ≤ 지출 ≤ 지출원인행위 ≤ 예산 always."""
    d = line.delta
    if head["closed"] and not line.correction:
        raise YearClosed(head["fiscal_year"])
    appropriated = head["appropriated_krw"] + d.appropriated
    committed = head["committed_krw"] + d.committed
    spent = head["spent_krw"] + d.spent
    if not 0 <= spent <= committed <= appropriated:
        raise _refusal(head, d)
    return appropriated, committed, spent


def _post_in_one_statement(session: Session, lines: list[Line], entries: list[dict], before):
    params = {"head_ids": [ln.account_id for ln in lines]}
    for _, values in before:
        params.update(values or {})
    for i, (line, entry) in enumerate(zip(lines, entries, strict=True)):
        text_before, text_after = canonical_around_seq(entry)
        params |= {f"e{i}": {k: _plain(v) for k, v in entry.items()},
                   f"l{i}_correction": line.correction,
                   f"l{i}_before": text_before, f"l{i}_after": text_after}  # fmt: skip
    rows = session.execute(_posting(len(lines), tuple(s for s, _ in before)), params).all()
    if rows and rows[0].ok:
        return
    heads = heads_of(rows)  # as locked, nothing written: say why
    for line in lines:
        _moved(heads[line.account_id], line)
    raise AssertionError("the database refused a posting the limits allow")  # not reached


def _plain(value):
    return value.isoformat() if isinstance(value, date) else value  # datetime too


@lru_cache(maxsize=32)
def _posting(n: int, before: tuple):
    """One statement for a posting of ``n`` lines on distinct balances (PostgreSQL), after
    the ``before`` writes: ``h`` locks the balances in id order; ``ok`` is true when every
    line keeps its balance within limits (and the year open, or the line a correction);
    only then ``m{i}`` moves balance i (count + 1, the new hash computed from the locked
    head) and ``e{i}`` inserts its entry with the old and new hash. Answers the locked
    heads and ``ok``: when false, nothing of the lines was written.

    Each line's entry travels as one JSON parameter (``e{i}``, read back as a row of
    ledger_entries): few parameters and a short text keep the statement within what
    psycopg caches (50 parameters, 4 KiB), or every call would parse it again."""
    a = accounts.c
    # The other writes first, then the lock: ``h`` waits on their count (evaluated once,
    # before its scan), so a hot balance is not held while they are written.
    firsts = [
        s.returning(literal_column("1").label("w")).cte(f"w{i}") for i, s in enumerate(before)
    ]
    written = []
    if firsts:
        rows = union_all(*(select(w.c.w) for w in firsts)).subquery()
        written = [select(func.count()).select_from(rows).scalar_subquery() >= literal_column("0")]
    h = (
        select(a.id, a.fiscal_year, a.appropriated_krw, a.committed_krw, a.spent_krw,
               a.entry_count, a.last_hash, a.closed)
        .where(a.id.in_(bindparam("head_ids", expanding=True)), *written)
        .order_by(a.id)
        .with_for_update()
        .cte("h")
        .prefix_with("MATERIALIZED")
    )  # fmt: skip
    one, zero = literal_column("1"), literal_column("0")
    known = [c for c in _ENTRY_COLUMNS if c not in ("account_seq", "prev_hash", "hash")]

    def p(i: int, name: str, type_):
        return bindparam(f"l{i}_{name}", type_=type_)

    def line(i: int):
        """The i-th entry as a row, and the balance it leaves (when ``r.account_id = h.id``)."""
        r = (
            func.json_populate_record(
                literal_column("NULL::ledger_entries"), bindparam(f"e{i}", type_=JSON)
            )
            .table_valued(*known)
            .alias(f"r{i}")
        )
        return r, (h.c.appropriated_krw + r.c.d_appropriated,
                   h.c.committed_krw + r.c.d_committed,
                   h.c.spent_krw + r.c.d_spent)  # fmt: skip

    checks = []
    for i in range(n):
        r, (appropriated, committed, spent) = line(i)
        checks.append(exists(
            select(one).select_from(h.join(r, h.c.id == r.c.account_id)).where(
                or_(h.c.closed.is_(false()), p(i, "correction", Boolean)),
                spent >= zero, spent <= committed, committed <= appropriated,
            ).correlate(None)
        ))  # fmt: skip
    ok = select(and_(*checks).label("ok")).cte("ok")
    writes = []
    for i in range(n):
        r, (appropriated, committed, spent) = line(i)
        seq = h.c.entry_count + one
        chained = func.encode(func.sha256(func.convert_to(
            h.c.last_hash + p(i, "before", Text) + cast(seq, Text) + p(i, "after", Text),
            literal_column("'UTF8'"),
        )), literal_column("'hex'"))  # fmt: skip
        move = (
            update(accounts)
            .where(a.id == h.c.id, h.c.id == r.c.account_id,
                   select(ok.c.ok).scalar_subquery())
            .values(appropriated_krw=appropriated, committed_krw=committed, spent_krw=spent,
                    entry_count=seq, last_hash=chained)
            .returning(a.entry_count, a.last_hash, h.c.last_hash.label("prev_hash"))
            .cte(f"m{i}")
        )  # fmt: skip
        entry = insert(ledger_entries).from_select(
            [*known, "account_seq", "prev_hash", "hash"],
            select(*(r.c[c] for c in known), move.c.entry_count, move.c.prev_hash,
                   move.c.last_hash).select_from(move.join(r, true())),
        )  # fmt: skip
        writes += [move, entry.cte(f"e{i}")]
    return select(*h.c, ok.c.ok).select_from(h.join(ok, true())).add_cte(*firsts, *writes)


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


_TITLED = select(
    accounts.c.id,
    accounts.c.source,
    accounts.c.fiscal_year,
    accounts.c.appropriated_krw,
    func.coalesce(
        select(sub_programs.c.title)
        .where(sub_programs.c.id == bindparam("pid", type_=String))
        .scalar_subquery(),
        select(unit_programs.c.name)
        .where(unit_programs.c.id == bindparam("pid", type_=String))
        .scalar_subquery(),
        "",
    ).label("program_title"),
).where(accounts.c.program_id == bindparam("pid", type_=String))


def program_accounts_titled(session: Session, program_id: str) -> tuple[dict[str, dict], str]:
    """The program's balances by source (id, fiscal year, 예산액: what a commitment plans
    with) and its title (세부사업명 or 단위사업명), one query."""
    rows = session.execute(_TITLED, {"pid": program_id}).all()
    found = {r.source: {k: v for k, v in r._mapping.items() if k != "program_title"} for r in rows}
    return found, (rows[0].program_title if rows else "")


def account_rows(session: Session, fiscal_year: int) -> list[dict]:
    rows = session.execute(
        select(accounts)
        .where(accounts.c.fiscal_year == fiscal_year)
        .order_by(accounts.c.program_kind, accounts.c.program_id, accounts.c.source)
    )
    return [dict(r._mapping) for r in rows]


def sums_as_of(
    session: Session, fiscal_year: int, as_of: date, leave_out: tuple[str, ...] = ()
) -> dict[str, tuple[int, int, int]]:
    """account id -> (appropriated, committed, spent) from entries dated on or before
    ``as_of`` (without the entry kinds in ``leave_out``)."""
    e = ledger_entries.c
    query = (
        select(e.account_id, func.sum(e.d_appropriated), func.sum(e.d_committed),
               func.sum(e.d_spent))
        .join(accounts, and_(accounts.c.id == e.account_id))
        .where(accounts.c.fiscal_year == fiscal_year, e.business_date <= as_of)
        .group_by(e.account_id)
    )  # fmt: skip
    if leave_out:
        query = query.where(e.kind.not_in(leave_out))
    return {r[0]: (int(r[1]), int(r[2]), int(r[3])) for r in session.execute(query).all()}
