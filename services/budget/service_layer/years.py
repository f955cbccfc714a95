"""A fiscal year from opening to closing: programs and appropriations, the links from the
other services' programs, commitments that waited for a link, and the year-end 이월.

Every use case is one transaction. Appropriations are ledger entries (``appropriation``,
dated 1 January of the year), so the execution report of a new year is computed from the
ledger alone, as 2022's is.
"""

from __future__ import annotations

import uuid
from datetime import date

import structlog
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from services.common.envelope import Envelope
from services.common.tables import utcnow

from ..adapters import ledger_repo as repo
from ..adapters.orm import (
    accounts,
    commitments,
    documents,
    fiscal_years,
    pending_commitments,
    program_mappings,
    sub_program_sources,
    sub_programs,
    unit_programs,
)
from ..domain.commands import Conflict, NotFound
from ..domain.ledger import Delta
from ..domain.model import SOURCE_NAMES, DomainError, UnknownFiscalYear
from .opening import open_account

log = structlog.get_logger(__name__)
APPROPRIATED = "예산 편성"


# ---- the year and its programs ------------------------------------------------------


def _year(session: Session, year: int, for_update: bool = False):
    query = select(fiscal_years).where(fiscal_years.c.year == year)
    row = session.execute(query.with_for_update() if for_update else query).first()
    if row is None:
        raise UnknownFiscalYear(year)
    return row


def _open_year(session: Session, year: int):
    row = _year(session, year)
    if row.status != "open":
        raise Conflict(f"{year}회계연도는 마감되었습니다.")
    return row


def year_view(session: Session, year: int) -> dict:
    row = _year(session, year)
    counts = {
        kind: session.scalar(
            select(func.count()).select_from(table).where(table.c.fiscal_year == year)
        )
        for kind, table in (("unit_programs", unit_programs), ("sub_programs", sub_programs))
    }
    return {"year": row.year, "status": row.status, "opened_by": row.opened_by,
            "closed_at": row.closed_at, "closed_by": row.closed_by, **counts}  # fmt: skip


def open_year(runtime, year: int, user: str) -> dict:
    """POST /fiscal-years: a new, empty, open year (409 if it exists)."""
    if not 2000 <= year <= 2100:
        raise DomainError(f"회계연도가 올바르지 않습니다: {year}")
    with runtime.db.transaction() as session:
        if session.scalar(select(fiscal_years.c.year).where(fiscal_years.c.year == year)):
            raise Conflict(f"{year}회계연도는 이미 열려 있습니다.")
        session.execute(fiscal_years.insert().values(year=year, status="open", opened_by=user))
        view = year_view(session, year)
    log.info("budget.year_opened", year=year)
    return view


def get_year(runtime, year: int) -> dict:
    with runtime.db.read() as session:
        return year_view(session, year)


def _next_position(session: Session, table, year: int) -> int:
    top = session.scalar(select(func.max(table.c.position)).where(table.c.fiscal_year == year))
    return (top or 0) + 1


def add_unit_program(runtime, year: int, name: str, budget_krw: int, user: str) -> dict:
    """POST /unit-programs: a 단위사업 and its appropriation (one 재원 미구분 balance)."""
    name = name.strip()
    if not name:
        raise DomainError("단위사업명을 입력해 주세요.")
    if budget_krw < 0:
        raise DomainError("예산액은 0원 이상이어야 합니다.")
    with runtime.db.transaction() as session:
        return _add_unit(session, year, name, budget_krw, user)


def _add_unit(session: Session, year: int, name: str, budget_krw: int, user: str) -> dict:
    _open_year(session, year)
    taken = session.scalar(
        select(unit_programs.c.id).where(
            unit_programs.c.fiscal_year == year, unit_programs.c.name == name
        )
    )
    if taken:
        raise Conflict(f"{year}회계연도에 같은 이름의 단위사업이 있습니다: {name}")
    unit_id = str(uuid.uuid4())
    position = _next_position(session, unit_programs, year)
    session.execute(unit_programs.insert().values(
        id=unit_id, fiscal_year=year, position=position, name=name, budget_krw=budget_krw))  # fmt: skip
    open_account(session, year, "unit", unit_id, "unallocated", budget_krw,
                 created_by=user, reason=APPROPRIATED)  # fmt: skip
    return {"id": unit_id, "fiscal_year": year, "position": position, "name": name,
            "budget_krw": budget_krw}  # fmt: skip


def add_sub_program(runtime, year: int, data: dict, user: str) -> dict:
    """POST /sub-programs: a 세부사업 with its appropriation per 재원 (국비·시비·구비·기금)."""
    with runtime.db.transaction() as session:
        return _add_sub(session, year, data, user)


def _add_sub(session: Session, year: int, data: dict, user: str) -> dict:
    _open_year(session, year)
    sources = {s: int(a) for s, a in data["sources"].items()}
    unknown = set(sources) - set(SOURCE_NAMES)
    if unknown:
        raise DomainError(f"알 수 없는 재원입니다: {', '.join(sorted(unknown))}")
    if not sources or min(sources.values()) < 0:
        raise DomainError("재원별 예산액(0원 이상)을 하나 이상 입력해 주세요.")
    section, title = data["section"].strip(), data["title"].strip()
    if not section or not title:
        raise DomainError("세부사업 코드(절)와 세부사업명을 입력해 주세요.")
    taken = session.scalar(
        select(sub_programs.c.id).where(
            sub_programs.c.fiscal_year == year, sub_programs.c.section == section
        )
    )
    if taken:
        raise Conflict(f"{year}회계연도에 같은 코드의 세부사업이 있습니다: {section}")
    unit_id = data.get("unit_program_id")
    if unit_id and not session.scalar(
        select(unit_programs.c.id).where(
            unit_programs.c.id == unit_id, unit_programs.c.fiscal_year == year
        )
    ):
        raise NotFound("연결할 단위사업이 이 회계연도에 없습니다.")
    sub_id = str(uuid.uuid4())
    position = _next_position(session, sub_programs, year)
    session.execute(sub_programs.insert().values(
        id=sub_id, fiscal_year=year, position=position, section=section, title=title,
        team=data.get("team") or "", unit_program_id=unit_id,
        reported_as_of=date(year, 1, 1), note=data.get("note"),
    ))  # fmt: skip
    for source in (s for s in SOURCE_NAMES if s in sources):
        session.execute(sub_program_sources.insert().values(
            sub_program_id=sub_id, source=source, budget_krw=sources[source],
            reported_executed_krw=0))  # fmt: skip
        open_account(session, year, "sub", sub_id, source, sources[source],
                     created_by=user, reason=APPROPRIATED)  # fmt: skip
    return {"id": sub_id, "fiscal_year": year, "position": position, "section": section,
            "title": title, "team": data.get("team") or "", "unit_program_id": unit_id,
            "budget_krw": sum(sources.values()), "sources": sources}  # fmt: skip


# ---- links from the other services' programs ------------------------------------------


def _link_view(row) -> dict:
    return {"fiscal_year": row.fiscal_year, "program_code": row.program_code,
            "program_name": row.program_name, "sub_program_id": row.sub_program_id,
            "ratio_pct": dict(row.ratio_pct), "version": row.version,
            "updated_by": row.updated_by, "updated_at": row.updated_at}  # fmt: skip


def list_links(runtime, year: int) -> list[dict]:
    with runtime.db.read() as session:
        _year(session, year)
        rows = session.execute(
            select(program_mappings)
            .where(program_mappings.c.fiscal_year == year)
            .order_by(program_mappings.c.program_code)
        )
        return [_link_view(r) for r in rows]


def put_link(runtime, year: int, code: str, data: dict, user: str) -> dict:
    """PUT /program-links/{year}/{code}: which 세부사업 (and 재원 ratio) pays a program's
    wages; a new version each time. Commitments that waited for it are applied now."""
    from .events import apply_waiting

    ratio = {s: int(p) for s, p in data["ratio_pct"].items() if int(p)}
    if set(ratio) - set(SOURCE_NAMES) or not ratio or min(ratio.values()) < 0:
        raise DomainError("재원비율은 국비·시비·구비·기금 중 하나 이상, 0 이상의 정수입니다.")
    if sum(ratio.values()) != 100:
        raise DomainError(f"재원비율의 합이 100이어야 합니다 (지금 {sum(ratio.values())}).")
    with runtime.db.transaction() as session:
        _open_year(session, year)
        sub = session.execute(
            select(sub_programs.c.id, sub_programs.c.title).where(
                sub_programs.c.id == data["sub_program_id"], sub_programs.c.fiscal_year == year
            )
        ).first()
        if sub is None:
            raise NotFound(f"{year}회계연도에 그 세부사업이 없습니다.")
        funded = set(repo.program_accounts(session, sub.id))
        if set(ratio) - funded:
            names = ", ".join(SOURCE_NAMES[s] for s in ratio if s not in funded)
            raise DomainError(f"{sub.title}에 예산이 없는 재원입니다: {names}")
        m = program_mappings.c
        old = session.execute(
            select(program_mappings).where(m.fiscal_year == year, m.program_code == code)
        ).first()
        values = {"program_name": data.get("program_name") or (old.program_name if old else code),
                  "sub_program_id": sub.id, "ratio_pct": ratio, "updated_by": user,
                  "updated_at": utcnow()}  # fmt: skip
        if old is None:
            session.execute(program_mappings.insert().values(
                fiscal_year=year, program_code=code, version=1, **values))  # fmt: skip
        else:
            session.execute(update(program_mappings).where(
                m.fiscal_year == year, m.program_code == code).values(
                version=old.version + 1, **values))  # fmt: skip
        row = session.execute(
            select(program_mappings).where(m.fiscal_year == year, m.program_code == code)
        ).one()
        applied = apply_waiting(session, year, code)
        return {**_link_view(row), "applied_waiting": applied}


# ---- commitments that waited ----------------------------------------------------------


def list_waiting(runtime, year: int | None, status: str | None) -> list[dict]:
    p = pending_commitments.c
    query = select(pending_commitments).order_by(p.created_at)
    if year is not None:
        query = query.where(p.fiscal_year == year)
    if status:
        query = query.where(p.status == status)
    with runtime.db.read() as session:
        return [
            {k: v for k, v in r._mapping.items() if k != "envelope"}
            for r in session.execute(query.limit(1000))
        ]


def park(session: Session, envelope: Envelope, payload: dict, reason: str) -> bool:
    """Keep a wage commitment whose year or link is missing; False if kept already."""
    p = pending_commitments.c
    if session.scalar(select(p.message_id).where(p.message_id == envelope.id)):
        return False
    session.execute(pending_commitments.insert().values(
        message_id=envelope.id, event_type=envelope.type, fiscal_year=payload["fiscal_year"],
        program_code=payload["program_code"], application_id=payload["application_id"],
        amount_krw=payload["wage_commitment_krw"], envelope=envelope.to_dict(), reason=reason,
        status="waiting", created_at=utcnow(),
    ))  # fmt: skip
    return True


# ---- year-end --------------------------------------------------------------------------


def _successors(session: Session, year: int, programs: set[str]) -> dict[str, str]:
    """Old program id -> the next year's program: same 세부사업 code (절), else same title;
    단위사업 by name."""
    nxt = year + 1
    old_subs = session.execute(select(sub_programs).where(sub_programs.c.id.in_(programs))).all()
    new_subs = session.execute(select(sub_programs).where(sub_programs.c.fiscal_year == nxt)).all()
    by_section = {s.section: s.id for s in new_subs}
    by_title = {s.title: s.id for s in new_subs}
    found = {}
    for s in old_subs:
        target = by_section.get(s.section) or by_title.get(s.title)
        if target:
            found[s.id] = target
    old_units = session.execute(select(unit_programs).where(unit_programs.c.id.in_(programs))).all()
    new_units = {
        u.name: u.id
        for u in session.execute(select(unit_programs).where(unit_programs.c.fiscal_year == nxt))
    }
    for u in old_units:
        if u.name in new_units:
            found[u.id] = new_units[u.name]
    return found


def _program_titles(session: Session, ids: set[str]) -> dict[str, str]:
    titles = {
        r.id: f"{r.section} {r.title}"
        for r in session.execute(
            select(sub_programs.c.id, sub_programs.c.section, sub_programs.c.title).where(
                sub_programs.c.id.in_(ids)
            )
        )
    }
    titles.update(
        {
            r.id: r.name
            for r in session.execute(
                select(unit_programs.c.id, unit_programs.c.name).where(unit_programs.c.id.in_(ids))
            )
        }
    )
    return titles


def close_year(runtime, year: int, user: str, as_of: date | None = None) -> dict:
    """Close ``year``: carry what is committed but unpaid into ``year + 1`` (이월: out of
    the old year's 지출원인행위, into the new year's 예산 and 지출원인행위, commitment by
    commitment, with their history), then refuse every posting to it but corrections.
    All or nothing: a program with no successor in the next year refuses the whole close."""
    closing_date = as_of or date(year, 12, 31)
    with runtime.db.transaction() as session:
        row = _year(session, year, for_update=True)
        if row.status != "open":
            raise Conflict(f"{year}회계연도는 이미 마감되었습니다.")
        nxt = session.execute(select(fiscal_years).where(fiscal_years.c.year == year + 1)).first()
        c = commitments.c
        open_ones = session.execute(
            select(c.id, c.program_id, documents.c.application_id, documents.c.reference)
            .join(documents, documents.c.id == c.id)
            .where(documents.c.fiscal_year == year,
                   c.spent_krw + c.released_krw + c.reversed_krw < c.amount_krw)
            .order_by(documents.c.created_at)
        ).all()  # fmt: skip
        programs = {o.program_id for o in open_ones}
        if open_ones and (nxt is None or nxt.status != "open"):
            raise Conflict(
                f"미지급 지출원인행위 {len(open_ones)}건을 이월할 {year + 1}회계연도를 먼저 "
                "열어 주세요."
            )
        successors = _successors(session, year, programs) if open_ones else {}
        missing = programs - set(successors)
        if missing:
            names = ", ".join(sorted(_program_titles(session, missing).values()))
            raise Conflict(f"{year + 1}회계연도에 이어받을 사업이 없습니다: {names}")
        carried = [_carry(session, year, o, successors[o.program_id], user, closing_date)
                   for o in open_ones]  # fmt: skip
        now = utcnow()
        session.execute(update(fiscal_years).where(fiscal_years.c.year == year).values(
            status="closed", closed_at=now, closed_by=user))  # fmt: skip
        session.execute(update(accounts).where(accounts.c.fiscal_year == year).values(closed=True))
        total = sum(x["amount_krw"] for x in carried)
        runtime.emit(session, "budget.fiscal_year_closed", {
            "fiscal_year": year, "closed_by": user, "carried_count": len(carried),
            "carried_krw": total, "into_fiscal_year": year + 1 if carried else None,
        })  # fmt: skip
    log.info("budget.year_closed", year=year, carried=len(carried), carried_krw=total)
    return {"fiscal_year": year, "status": "closed", "closed_by": user, "closed_at": now,
            "carried": carried, "carried_count": len(carried), "carried_krw": total}  # fmt: skip


def _carry(session: Session, year: int, old, target_program: str, user: str, on: date) -> dict:
    outstanding = repo.outstanding_by_source(session, old.id)  # source -> (account, amount)
    amount = sum(a for _, a in outstanding.values())
    reason = f"{year}회계연도 미지급 지출원인행위 이월"
    # Out of the old year: its 지출원인행위 shrinks by what is unpaid (its 집행액 stays).
    if not repo.lock_commitment(session, old.id, release=amount):
        raise Conflict("이월하는 동안 지출원인행위가 바뀌었습니다. 다시 시도해 주세요.")
    out_doc = repo.add_document(
        session, fiscal_year=year, kind="carry_out", program_id=old.program_id,
        amount_krw=amount, commitment_id=old.id, business_date=on, created_by=user,
        reason=reason,
    )  # fmt: skip
    repo.post(session, out_doc, [
        repo.Line(acct, "carry_out", Delta(committed=-a), commitment_id=old.id)
        for acct, a in outstanding.values() if a
    ], on, user, utcnow(), reason)  # fmt: skip
    # Into the next year: 예산 (이월액) and 지출원인행위 on the successor, per 재원.
    nxt = year + 1
    targets = repo.program_accounts(session, target_program)
    new_id = repo.add_document(
        session, fiscal_year=nxt, kind="commitment", program_id=target_program,
        amount_krw=amount, reference=old.reference, application_id=old.application_id,
        idempotency_key=f"carry:{old.id}", business_date=date(nxt, 1, 1), created_by=user,
        reason=reason,
    )  # fmt: skip
    session.execute(commitments.insert().values(
        id=new_id, program_id=target_program, amount_krw=amount, carried_from=old.id))  # fmt: skip
    session.execute(update(commitments).where(commitments.c.id == old.id).values(
        carried_to=new_id))  # fmt: skip
    lines = []
    for source, (_, a) in outstanding.items():
        if not a:
            continue
        account = targets.get(source, {}).get("id")
        if account is None:
            kind = "unit" if source == "unallocated" else "sub"
            account = repo.new_account(session, nxt, kind, target_program, source)
        lines.append(repo.Line(account, "carry_in", Delta(appropriated=a, committed=a),
                               commitment_id=new_id))  # fmt: skip
    repo.post(session, new_id, lines, date(nxt, 1, 1), user, utcnow(), reason)
    return {"commitment_id": old.id, "carried_to": new_id, "amount_krw": amount,
            "program_id": old.program_id, "to_program_id": target_program,
            "by_source": {s: a for s, (_, a) in outstanding.items() if a}}  # fmt: skip


# ---- import -----------------------------------------------------------------------------


def import_programs(runtime, year: int, filename: str, data: bytes, user: str) -> dict:
    """A year's 단위사업 and 세부사업 from the finance team's CSV/XLSX: all or nothing,
    with every error by row and column in Korean."""
    from services.common.problems import Problem
    from services.common.upload import read_table

    from ..domain.program_import import COLUMNS, REQUIRED, check_rows

    rows, errors = check_rows(read_table(filename, data, REQUIRED, COLUMNS))
    if not rows and not errors:
        raise DomainError("가져올 행이 없습니다.")
    with runtime.db.transaction() as session:
        _open_year(session, year)
        units = {
            r.name: r.id
            for r in session.execute(
                select(unit_programs.c.name, unit_programs.c.id).where(
                    unit_programs.c.fiscal_year == year
                )
            )
        }
        made = {"unit_programs": 0, "sub_programs": 0}
        for row in sorted(rows, key=lambda r: (r.kind != "unit", r.line)):
            try:
                with session.begin_nested():
                    if row.kind == "unit":
                        units[row.name] = _add_unit(session, year, row.name, row.budget_krw,
                                                    user)["id"]  # fmt: skip
                        made["unit_programs"] += 1
                        continue
                    if row.unit_name and row.unit_name not in units:
                        raise NotFound(
                            f"단위사업 '{row.unit_name}'이(가) 파일에도 {year}회계연도에도 없습니다."
                        )
                    _add_sub(session, year, {
                        "section": row.section, "title": row.name, "team": row.team,
                        "unit_program_id": units.get(row.unit_name), "sources": row.sources,
                    }, user)  # fmt: skip
                    made["sub_programs"] += 1
            except DomainError as exc:
                column = "단위사업" if isinstance(exc, NotFound) else "사업명"
                errors.append({"row": row.line, "column": column, "message": str(exc)})
        if errors:  # raised inside the transaction: nothing is kept
            errors.sort(key=lambda e: e["row"])
            raise Problem(
                422, f"{len(errors)}건의 오류가 있어 아무것도 가져오지 않았습니다.", rows=errors
            )
    return {"fiscal_year": year, **made}
