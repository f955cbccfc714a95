"""Reading and writing completion reports and the rows of their photos."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from .orm import completion_photos, completion_reports, work_order_units


def serial_owner(session: Session, serial: str) -> tuple[str, str] | None:
    """(order id, unit code) of the unit a serial is reported on, or None."""
    u = work_order_units.c
    row = session.execute(select(u.work_order_id, u.code).where(u.serial == serial)).first()
    return (row.work_order_id, row.code) if row else None


def add_report(session: Session, report: dict, photos: list[dict]) -> None:
    session.execute(completion_reports.insert().values(**report))
    if photos:
        session.execute(completion_photos.insert(), photos)


def latest(session: Session, order_id: str) -> dict[str, dict]:
    """The latest report of each unit of an order, with its photos: {code: {note, photos}}."""
    r, p = completion_reports.c, completion_photos.c
    reports = session.execute(
        select(r.id, r.unit_code, r.note, r.reported_at)
        .where(r.work_order_id == order_id)
        .order_by(r.reported_at, r.id)
    ).all()
    newest = {x.unit_code: x for x in reports}  # the last one of each unit wins
    if not newest:
        return {}
    ids = [x.id for x in newest.values()]
    photos = session.execute(
        select(p.id, p.report_id, p.content_type, p.size_bytes, p.sha256, p.width, p.height)
        .where(p.report_id.in_(ids))
        .order_by(p.report_id, p.position)
    ).all()
    by_report: dict[str, list[dict]] = {}
    for photo in photos:
        by_report.setdefault(photo.report_id, []).append(
            {"id": photo.id, "content_type": photo.content_type, "size_bytes": photo.size_bytes,
             "sha256": photo.sha256, "width": photo.width, "height": photo.height,
             "url": f"/markets/api/v1/work-orders/{order_id}/photos/{photo.id}"}
        )  # fmt: skip
    return {
        code: {"note": x.note, "photos": by_report.get(x.id, []), "reports": sum(
            1 for y in reports if y.unit_code == code)}
        for code, x in newest.items()
    }  # fmt: skip


def photo(session: Session, order_id: str, photo_id: str):
    """(storage key, content type) of one photo of an order, or None."""
    p = completion_photos.c
    return session.execute(
        select(p.storage_key, p.content_type).where(p.id == photo_id, p.work_order_id == order_id)
    ).first()
