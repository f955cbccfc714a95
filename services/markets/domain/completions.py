"""Completion reports (준공·기성 보고) of work-order units, and staff sending one back.

A contractor reports one unit at a time, from a phone: the store, the serial of the
device or extinguisher, photos and a note. Reporting some units of an order and not the
others is allowed (기성). A unit is named by its code, or by its store alone: then the
store's first unit not yet reported is taken, or a new unit is added to the order while
the order has fewer units than its quantity. A verified unit is never reported again;
a unit sent back (반려) is, and so is a reported unit not yet verified (a correction).

Staff verify a reported unit (``work_orders.verify_unit``; a pending one too, for an
on-site check) or send it back with a reason the contractor reads on their page.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from .model import DomainError
from .work_orders import Conflict, NotFound, Unit, WorkOrder, check_open

MAX_PHOTOS = 5
MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_SERIAL = 80
MAX_NOTE = 1000
MAX_REASON = 1000
REPORTABLE = ("pending", "returned", "reported")


@dataclass(frozen=True)
class Report:
    unit: str | None  # the unit's code; None: the store's next unit
    store_number: int | None
    serial: str
    note: str = ""


def check_text(report: Report) -> Report:
    """The serial and note as stored (stripped), or a Korean refusal."""
    serial, note = report.serial.strip(), report.note.strip()
    if not serial:
        raise DomainError("기기·소화기 일련번호를 입력해 주세요.")
    if len(serial) > MAX_SERIAL or not serial.isprintable():
        raise DomainError(f"일련번호는 {MAX_SERIAL}자 이하의 글자로 적어 주세요.")
    if len(note) > MAX_NOTE:
        raise DomainError(f"메모는 {MAX_NOTE:,}자 이하로 적어 주세요.")
    if report.unit is None and report.store_number is None:
        raise DomainError("설치 단위나 점포 번호를 알려 주세요.")
    return replace(report, serial=serial, note=note)


def _new_code(order: WorkOrder, store_number: int) -> str:
    taken = {u.code for u in order.units}
    code, n = str(store_number), 2
    while code in taken:
        code, n = f"{store_number}-{n}", n + 1
    return code


def pick_unit(order: WorkOrder, report: Report) -> tuple[WorkOrder, Unit]:
    """The unit a report is about (the order gains it if the report names a store with
    no unit left to report and the order has room under its quantity)."""
    check_open(order)
    if report.unit is not None:
        try:
            unit = order.unit(report.unit)
        except NotFound as exc:
            raise DomainError(str(exc)) from None
        if report.store_number is not None and report.store_number != unit.store_number:
            raise DomainError(
                f"설치 단위 {unit.code}은(는) {unit.store_number}번 점포의 것입니다 "
                f"({report.store_number}번이 아닙니다)."
            )
        return order, unit
    store = report.store_number
    for unit in order.units:
        if unit.store_number == store and unit.status in ("pending", "returned"):
            return order, unit
    if len(order.units) >= order.quantity:
        raise DomainError(
            f"발주 수량({order.quantity}개)을 넘습니다: {store}번 점포에 보고할 설치 단위가 "
            "남아 있지 않습니다. 수량을 늘리려면 구청 담당자에게 변경을 요청해 주세요."
        )
    unit = Unit(code=_new_code(order, store), store_number=store)
    return replace(order, units=(*order.units, unit)), unit


def report_unit(order: WorkOrder, report: Report, by: str, at: datetime) -> tuple[WorkOrder, Unit]:
    """The unit marked reported with its serial (the photos are stored beside it)."""
    report = check_text(report)
    order, unit = pick_unit(order, report)
    if unit.verified:
        raise Conflict(f"설치 단위 {unit.code}은(는) 이미 검수되어 다시 보고할 수 없습니다.")
    done = replace(unit, status="reported", serial=report.serial, reported_by=by,
                   reported_at=at, return_reason=None, returned_by=None, returned_at=None)  # fmt: skip
    units = tuple(done if u.code == unit.code else u for u in order.units)
    return replace(order, units=units), done


def send_back(order: WorkOrder, code: str, reason: str, by: str, at: datetime):
    """반려: staff return a reported unit with a reason; the contractor reports it again."""
    check_open(order)
    unit = order.unit(code)
    reason = reason.strip()
    if unit.verified:
        raise Conflict(f"설치 단위 {code}은(는) 이미 검수되어 반려할 수 없습니다.")
    if unit.status != "reported":
        raise Conflict(f"설치 단위 {code}은(는) 완료 보고를 기다리는 중이라 반려할 것이 없습니다.")
    if not reason:
        raise DomainError("반려 사유를 입력해 주세요.")
    if len(reason) > MAX_REASON:
        raise DomainError(f"반려 사유는 {MAX_REASON:,}자 이하로 적어 주세요.")
    back = replace(unit, status="returned", return_reason=reason, returned_by=by, returned_at=at)
    units = tuple(back if u.code == code else u for u in order.units)
    return replace(order, units=units), back
