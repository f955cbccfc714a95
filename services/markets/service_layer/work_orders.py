"""Use cases of work orders (발주): issue, read, amend, cancel, verify a unit.

One transaction each. Issuing asks budget for the funds (``markets.work_order_issued``),
verifying a unit asks it to pay that unit (``markets.installation_completed``), cancelling
lets it release them (``markets.work_order_cancelled``): each event is written in the same
transaction as the change (outbox), and every change is audited (who, when, before, after).

A contractor sees only the orders of its own account; any other order is answered as if it
did not exist (404, never 403: an id tells nothing about someone else's order).
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass

from sqlalchemy.orm import Session

from services.common import paging
from services.common.runtime import Runtime
from services.common.tables import utcnow

from ..adapters import completions_repo
from ..adapters import work_orders_repo as repo
from ..domain import work_orders as rules
from ..domain.model import DomainError
from ..domain.work_orders import Contractor, NotFound, Unit, WorkOrder


@dataclass(frozen=True)
class Viewer:
    """Who asks: a contractor sees only the orders of ``account``; staff see all."""

    account: str
    contractor: bool = False


@dataclass(frozen=True)
class IssueWorkOrder:
    job_id: str
    market_id: str
    fiscal_year: int
    quantity: int
    amount_krw: int
    due_date: object  # datetime.date
    contractor_name: str
    contractor_brn: str
    contractor_account: str
    units: tuple[Unit, ...] = ()


def _stores(session: Session, order: WorkOrder) -> dict[int, str]:
    numbers = {u.store_number for u in order.units}
    found = repo.store_ids(session, order.market_id, numbers)
    missing = sorted(numbers - set(found))
    if missing:
        raise DomainError(
            "이 시장에 등록되지 않은 점포 번호입니다: " + ", ".join(str(n) for n in missing)
        )
    return found


def _locked(session: Session, order_id: str, viewer: Viewer | None = None):
    found = repo.get(session, order_id, for_update=True)
    if found is None or (viewer and viewer.contractor and
                         found[0].contractor.account != viewer.account):  # fmt: skip
        raise NotFound("발주를 찾을 수 없습니다.")
    return found


def issue(runtime: Runtime, cmd: IssueWorkOrder, by: str) -> dict:
    with runtime.db.transaction() as session:
        found = repo.job(session, cmd.job_id)
        if found is None:
            raise DomainError("없는 안전사업입니다. 안전사업 목록의 id를 보내 주세요.")
        job, sites = found
        if repo.market_name(session, cmd.market_id) is None:
            raise DomainError("없는 시장입니다. 시장 목록의 id를 보내 주세요.")
        order = rules.issue(
            WorkOrder(
                id=str(uuid.uuid4()), job_id=job.id, job_code=job.code,
                market_id=cmd.market_id, fiscal_year=cmd.fiscal_year, quantity=cmd.quantity,
                amount_krw=cmd.amount_krw, due_date=cmd.due_date,
                contractor=Contractor(cmd.contractor_name.strip(),
                                      rules.check_brn(cmd.contractor_brn),
                                      cmd.contractor_account.strip()),
                units=cmd.units,
            ),
            sites,
        )  # fmt: skip
        now = utcnow()
        repo.add(session, order, _stores(session, order), by, now)
        repo.audit(session, order.id, by, "issued", None, order.terms(), now)
        view = _view(session, order.id)
        runtime.emit(session, "markets.work_order_issued", {
            "work_order_id": order.id, "job_id": job.id, "job_code": job.code,
            "job_title": job.title, "kind": job.kind, "fiscal_year": order.fiscal_year,
            "market": {"id": order.market_id, "name": view["market"]["name"]},
            "quantity": order.quantity, "amount_krw": order.amount_krw,
            "due_date": order.due_date.isoformat(), "contractor": _contractor(order),
            "issued_by": by,
        })  # fmt: skip
        return view


def _contractor(order: WorkOrder) -> dict:
    c = order.contractor
    return {"name": c.name, "brn": rules.format_brn(c.brn), "account": c.account}


def page(runtime: Runtime, viewer: Viewer, filters: dict, number: int, size: int):
    account = viewer.account if viewer.contractor else None
    with runtime.db.read() as session:
        found = paging.fetch(session, repo.listing(account, **filters), number, size)
    for item in found.items:
        item["status_name"] = rules.ORDER_STATUSES[item["status"]]
        item["commitment_status_name"] = rules.COMMITMENT_STATUSES[item["commitment_status"]]
    return found


def detail(runtime: Runtime, order_id: str, viewer: Viewer) -> dict:
    with runtime.db.read() as session:
        found = repo.get(session, order_id)
        if found is None or (viewer.contractor and found[0].contractor.account != viewer.account):
            raise NotFound("발주를 찾을 수 없습니다.")
        return _view(session, order_id, found)


def view(session: Session, order_id: str, found=None) -> dict:
    """The order as the API and the pages show it (in the caller's transaction)."""
    return _view(session, order_id, found)


def locked(session: Session, order_id: str, viewer: Viewer | None = None):
    """The order, locked for a change, if the viewer may see it (else NotFound)."""
    return _locked(session, order_id, viewer)


def _view(session: Session, order_id: str, found=None) -> dict:
    order, row, store_names = found or repo.get(session, order_id)
    reported = completions_repo.latest(session, order_id)
    none = {"note": None, "photos": [], "reports": 0}
    units = [
        {**asdict(u), "store_name": store_names.get(u.code),
         "status_name": rules.UNIT_STATUSES[u.status],
         "payment_status_name": rules.PAYMENT_STATUSES.get(u.payment_status or ""),
         **reported.get(u.code, none)}
        for u in order.units
    ]  # fmt: skip
    paid = sum(u.amount_krw or 0 for u in order.units if u.payment_status == "paid")
    return {
        "id": order.id, "fiscal_year": order.fiscal_year, "quantity": order.quantity,
        "amount_krw": order.amount_krw, "due_date": order.due_date,
        "job": {"id": order.job_id, "code": order.job_code, "title": row.job_title,
                "kind": row.job_kind},
        "market": {"id": order.market_id, "name": row.market_name},
        "contractor": _contractor(order),
        "status": order.status, "status_name": rules.ORDER_STATUSES[order.status],
        "cancel_reason": order.cancel_reason,
        "commitment": {"status": order.commitment_status,
                       "status_name": rules.COMMITMENT_STATUSES[order.commitment_status],
                       "commitment_id": order.commitment_id,
                       "reason": order.commitment_reason, "split": order.commitment_split},
        "units": units, "verified_units": len(order.verified), "claimed_krw": order.claimed_krw,
        "paid_krw": paid, "issued_by": row.issued_by, "issued_at": row.issued_at,
        "updated_at": row.updated_at, "audit": repo.trail(session, order.id),
    }  # fmt: skip


def _changed(before: dict, after: dict) -> tuple[dict, dict]:
    keys = [k for k in after if before.get(k) != after[k]]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def amend(runtime: Runtime, order_id: str, changes: dict, by: str) -> dict:
    """변경: quantity, amount_krw, due_date, units. Nothing new: nothing written."""
    with runtime.db.transaction() as session:
        order, _row, _names = _locked(session, order_id)
        new = rules.amend(order, changes)
        if new.terms() == order.terms():
            return _view(session, order_id)
        store_of = _stores(session, new) if new.units != order.units else {}
        now = utcnow()
        repo.save(session, order, new, store_of, now)
        repo.audit(session, order_id, by, "amended", *_changed(order.terms(), new.terms()), now)
        return _view(session, order_id)


def cancel(runtime: Runtime, order_id: str, reason: str, by: str) -> dict:
    with runtime.db.transaction() as session:
        order, _row, _names = _locked(session, order_id)
        new = rules.cancel(order, reason)
        now = utcnow()
        repo.save(session, order, new, {}, now)
        repo.audit(session, order_id, by, "cancelled", *_changed(order.terms(), new.terms()), now)
        emit_cancelled(runtime.emit, session, new, by)
        return _view(session, order_id)


def emit_cancelled(emit, session: Session, order: WorkOrder, by: str) -> None:
    """Budget releases what the order holds (or drops its waiting request)."""
    emit(session, "markets.work_order_cancelled", {
        "work_order_id": order.id, "job_code": order.job_code, "fiscal_year": order.fiscal_year,
        "commitment_id": order.commitment_id, "reason": order.cancel_reason, "cancelled_by": by,
    })  # fmt: skip


def verify(runtime: Runtime, order_id: str, code: str, by: str) -> dict:
    """검수: one unit accepted; its price is paid out of the order's commitment."""
    with runtime.db.transaction() as session:
        order, row, names = _locked(session, order_id)
        now = utcnow()
        reported = order.unit(code).status == "reported"
        new, unit = rules.verify_unit(order, code, by, now)
        if (
            row.job_kind == "iot_fire_sensor"
        ):  # a detector counts once its test reached the merchant
            if not repo.test_signal_reached(session, order_id, code):
                raise rules.Conflict(
                    "이 점포의 화재감지기에서 보낸 시험 신호가 상인에게 전달된 기록이 없습니다. "
                    "감지기를 등록하고 시험 신호를 보낸 뒤 전달을 확인하고 검수해 주세요."
                )
        elif not reported:  # an extinguisher, a camera, ...: by its serial and photos
            raise rules.Conflict("업체의 완료 보고(일련번호와 사진)가 있어야 검수할 수 있습니다.")
        repo.save(session, order, new, {}, now)
        envelope = runtime.emit(session, "markets.installation_completed", {
            "work_order_id": order.id, "job_id": order.job_id, "job_code": order.job_code,
            "fiscal_year": order.fiscal_year, "commitment_id": order.commitment_id,
            "market": {"id": order.market_id, "name": row.market_name},
            "contractor": _contractor(order),
            "units": [{"code": unit.code, "store_number": unit.store_number,
                       "store_name": names.get(unit.code), "amount_krw": unit.amount_krw}],
            "amount_krw": unit.amount_krw, "verified_by": by,
        })  # fmt: skip
        repo.set_message(session, order_id, code, envelope.id)
        repo.audit(session, order_id, by, "unit_verified",
                   {"code": code, "status": "pending"},
                   {"code": code, "status": "verified", "amount_krw": unit.amount_krw}, now)  # fmt: skip
        return _view(session, order_id)
