"""Use cases of completion reports: a contractor reports a unit with photos; staff send a
reported unit back with a reason; the order's owner and staff read a photo.

Nothing is stored for a refused report: the photos are checked and cleaned before the
transaction, written to the photo store inside it, and the files it wrote are deleted
again if the transaction does not commit. A contractor reaches only its own orders
(anyone else's answers as one that does not exist).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from services.common.runtime import Runtime
from services.common.tables import utcnow

from ..adapters import completions_repo as repo
from ..adapters import work_orders_repo as orders_repo
from ..adapters.photos import PhotoRefused, clean, photo_store
from ..domain import completions as rules
from ..domain.model import DomainError
from ..domain.work_orders import NotFound
from . import work_orders
from .work_orders import Viewer


@dataclass(frozen=True)
class Upload:
    filename: str
    data: bytes


@dataclass(frozen=True)
class ReportCompletion:
    order_id: str
    unit: str | None
    store_number: int | None
    serial: str
    note: str
    photos: tuple[Upload, ...]


def _check_photos(photos: tuple[Upload, ...]):
    if not photos:
        raise PhotoRefused("사진을 한 장 이상 올려 주세요.")
    if len(photos) > rules.MAX_PHOTOS:
        raise PhotoRefused(f"사진은 한 번에 {rules.MAX_PHOTOS}장까지 올릴 수 있습니다.")
    return [clean(p.data, p.filename) for p in photos]


def report(runtime: Runtime, cmd: ReportCompletion, viewer: Viewer) -> dict:
    """완료 보고: the unit is marked reported with its serial, photos and note."""
    work_orders.detail(runtime, cmd.order_id, viewer)  # someone else's order: 404 first
    rules.check_text(rules.Report(cmd.unit, cmd.store_number, cmd.serial, cmd.note))
    cleaned = _check_photos(cmd.photos)
    store, written = photo_store(runtime), []
    try:
        with runtime.db.transaction() as session:
            order, _row, _names = work_orders.locked(session, cmd.order_id, viewer)
            now = utcnow()
            asked = rules.Report(cmd.unit, cmd.store_number, cmd.serial, cmd.note)
            new, unit = rules.report_unit(order, asked, viewer.account, now)
            owner = repo.serial_owner(session, unit.serial)
            if owner and owner != (order.id, unit.code):
                raise DomainError(
                    f"일련번호 {unit.serial}은(는) 이미 다른 설치 단위에 보고되었습니다. "
                    "기기에 적힌 번호를 다시 확인해 주세요."
                )
            added = {u.store_number for u in new.units} - {u.store_number for u in order.units}
            store_of = orders_repo.store_ids(session, order.market_id, added)
            if added - set(store_of):
                raise DomainError(
                    f"이 시장에 {', '.join(map(str, sorted(added)))}번 점포가 없습니다."
                )
            orders_repo.save(session, order, new, store_of, now)
            report_id = str(uuid.uuid4())
            rows = []
            for position, photo in enumerate(cleaned):
                if store.put(photo.key, photo.data):
                    written.append(photo.key)
                rows.append({"id": str(uuid.uuid4()), "report_id": report_id,
                             "work_order_id": order.id, "position": position,
                             "content_type": photo.content_type, "sha256": photo.sha256,
                             "size_bytes": photo.size, "width": photo.width,
                             "height": photo.height, "storage_key": photo.key,
                             "original_name": photo.original_name or None})  # fmt: skip
            repo.add_report(session, {
                "id": report_id, "work_order_id": order.id, "unit_code": unit.code,
                "store_number": unit.store_number, "serial": unit.serial,
                "note": cmd.note.strip() or None, "reported_by": viewer.account,
                "reported_at": now}, rows)  # fmt: skip
            was = {u.code: u.status for u in order.units}.get(unit.code)  # None: a new unit
            orders_repo.audit(
                session, order.id, viewer.account, "unit_reported",
                {"code": unit.code, "status": was},
                {"code": unit.code, "status": "reported", "serial": unit.serial,
                 "store_number": unit.store_number, "photos": len(rows)}, now,
            )  # fmt: skip
            return work_orders.view(session, order.id)
    except BaseException:
        for key in written:
            store.delete(key)
        raise


def send_back(runtime: Runtime, order_id: str, code: str, reason: str, by: str) -> dict:
    """반려 (staff): the contractor sees the reason and reports the unit again."""
    with runtime.db.transaction() as session:
        order, _row, _names = work_orders.locked(session, order_id)
        now = utcnow()
        new, unit = rules.send_back(order, code, reason, by, now)
        orders_repo.save(session, order, new, {}, now)
        orders_repo.audit(session, order_id, by, "unit_returned",
                          {"code": code, "status": "reported"},
                          {"code": code, "status": "returned", "reason": unit.return_reason},
                          now)  # fmt: skip
        return work_orders.view(session, order_id)


def photo(runtime: Runtime, order_id: str, photo_id: str, viewer: Viewer) -> tuple[bytes, str]:
    """(bytes, content type) of a photo of an order the viewer may see."""
    work_orders.detail(runtime, order_id, viewer)
    with runtime.db.read() as session:
        found = repo.photo(session, order_id, photo_id)
    data = photo_store(runtime).get(found.storage_key) if found else None
    if data is None:
        raise NotFound("사진을 찾을 수 없습니다.")
    return data, found.content_type
