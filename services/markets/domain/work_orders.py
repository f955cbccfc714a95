"""Work orders (발주) of safety jobs, from issue to paid units: plain Python.

A work order asks one contractor to install ``quantity`` units (detectors, extinguishers,
cameras) in the stores of one market for ``amount_krw``. Budget commits the amount when the
order is issued (지출원인행위); each unit staff verify is paid out of that commitment. A
unit's price is what is left of the amount shared over the units left, rounded up, so
the units of an order always add up to its amount, also after an amendment.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from stdnum.exceptions import ValidationError as StdnumError
from stdnum.kr import brn

from .model import DomainError

ORDER_STATUSES = {"issued": "발주", "cancelled": "취소"}
COMMITMENT_STATUSES = {
    "requested": "예산 요청 중",
    "waiting": "예산 연결 대기",
    "committed": "지출원인행위 완료",
    "refused": "예산 거절",
}
UNIT_STATUSES = {
    "pending": "보고 전",
    "reported": "완료 보고 (검수 대기)",
    "returned": "반려 (다시 보고)",
    "verified": "검수 완료",
}
PAYMENT_STATUSES = {"requested": "지급 요청", "paid": "지급 완료", "refused": "지급 거절"}
AMENDABLE = ("quantity", "amount_krw", "due_date", "units")
MAX_AMOUNT_KRW = 10**15


class NotFound(DomainError):
    """No such order (or not one the caller may see: the same answer)."""


class Conflict(DomainError):
    """The order's state does not allow it (cancelled, verified already, ...)."""


def check_brn(number: str) -> str:
    """사업자등록번호 (python-stdnum ``kr.brn``), compact: ten digits."""
    try:
        return brn.validate(number)
    except StdnumError:
        raise DomainError("사업자등록번호가 올바르지 않습니다 (예: 134-86-72683).") from None


def format_brn(number: str) -> str:
    return brn.format(number)


@dataclass(frozen=True)
class Contractor:
    name: str
    brn: str  # compact, ten digits
    account: str  # the sign-in or token name of the contractor's account


@dataclass(frozen=True)
class Unit:
    code: str
    store_number: int
    status: str = "pending"
    amount_krw: int | None = None  # this unit's price, fixed when it is verified
    verified_by: str | None = None
    verified_at: datetime | None = None
    payment_status: str | None = None
    expenditure_id: str | None = None
    payment_split: dict[str, int] | None = None
    payment_reason: str | None = None
    # The contractor's completion report (completions.py) and staff's sending it back.
    serial: str | None = None
    reported_by: str | None = None
    reported_at: datetime | None = None
    return_reason: str | None = None
    returned_by: str | None = None
    returned_at: datetime | None = None

    @property
    def verified(self) -> bool:
        return self.status == "verified"


@dataclass(frozen=True)
class WorkOrder:
    id: str
    job_id: str
    job_code: str
    market_id: str
    fiscal_year: int
    quantity: int
    amount_krw: int
    due_date: date
    contractor: Contractor
    units: tuple[Unit, ...] = ()
    status: str = "issued"
    cancel_reason: str | None = None
    commitment_status: str = "requested"
    commitment_id: str | None = None
    commitment_reason: str | None = None
    commitment_split: dict[str, int] | None = None

    @property
    def verified(self) -> tuple[Unit, ...]:
        return tuple(u for u in self.units if u.verified)

    @property
    def claimed_krw(self) -> int:
        return sum(u.amount_krw or 0 for u in self.verified)

    def unit(self, code: str) -> Unit:
        for u in self.units:
            if u.code == code:
                return u
        raise NotFound(f"이 발주에 설치 단위 {code}이(가) 없습니다.")

    def terms(self) -> dict:
        """What an amendment or cancellation changes: the audited before and after."""
        return {
            "quantity": self.quantity,
            "amount_krw": self.amount_krw,
            "due_date": self.due_date.isoformat(),
            "units": [{"code": u.code, "store_number": u.store_number} for u in self.units],
            "status": self.status,
            "cancel_reason": self.cancel_reason,
        }


def _check_terms(order: WorkOrder) -> WorkOrder:
    if order.quantity < 1:
        raise DomainError("수량은 1 이상이어야 합니다.")
    if not 1 <= order.amount_krw <= MAX_AMOUNT_KRW:
        raise DomainError(f"계약금액은 1원 이상 {MAX_AMOUNT_KRW:,}원 이하여야 합니다.")
    codes = [u.code for u in order.units]
    twice = sorted({c for c in codes if codes.count(c) > 1})
    if twice:
        raise DomainError(f"같은 설치 단위를 두 번 넣을 수 없습니다: {', '.join(twice)}")
    if len(order.units) > order.quantity:
        raise DomainError(f"설치 단위({len(order.units)}개)가 수량({order.quantity})보다 많습니다.")
    if not order.fiscal_year <= order.due_date.year <= order.fiscal_year + 1:
        raise DomainError(
            f"납기일은 {order.fiscal_year}년 또는 {order.fiscal_year + 1}년이어야 합니다."
        )
    left = order.quantity - len(order.verified)
    if order.amount_krw - order.claimed_krw < left:
        raise DomainError(
            "계약금액이 너무 적습니다: 검수되지 않은 설치 단위마다 1원 이상이 남아야 합니다 "
            f"(검수된 금액 {order.claimed_krw:,}원)."
        )
    return order


def issue(order: WorkOrder, job_markets: tuple[str, ...]) -> WorkOrder:
    """Check a new order. ``job_markets``: the markets the job names (none: any)."""
    if job_markets and order.market_id not in job_markets:
        raise DomainError("이 안전사업의 대상 시장이 아닙니다.")
    if not order.contractor.name.strip():
        raise DomainError("시공업체명을 입력해 주세요.")
    check_brn(order.contractor.brn)
    if not order.contractor.account.strip():
        raise DomainError("시공업체 계정을 입력해 주세요.")
    return _check_terms(order)


def check_open(order: WorkOrder) -> None:
    if order.status == "cancelled":
        raise Conflict("취소된 발주는 바꿀 수 없습니다.")


def amend(order: WorkOrder, changes: dict) -> WorkOrder:
    """Quantity, amount, due date or units changed; verified units stay as they are."""
    check_open(order)
    unknown = set(changes) - set(AMENDABLE)
    if unknown:
        raise DomainError(f"바꿀 수 없는 항목입니다: {', '.join(sorted(unknown))}")
    values = {k: v for k, v in changes.items() if k != "units"}
    if "units" in changes:
        new = {u.code: u for u in changes["units"]}
        for done in (u for u in order.units if u.status != "pending"):
            kept = new.get(done.code)
            if kept is None or kept.store_number != done.store_number:
                what = "검수된" if done.verified else "완료 보고된"
                raise Conflict(f"{what} 설치 단위 {done.code}은(는) 빼거나 바꿀 수 없습니다.")
        old = {u.code: u for u in order.units}
        values["units"] = tuple(
            old[u.code] if u.code in old and old[u.code].status != "pending" else u
            for u in changes["units"]
        )
    amended = replace(order, **values)
    if amended.quantity < len(order.verified):
        raise DomainError(f"수량은 검수된 설치 단위 수({len(order.verified)}) 이상이어야 합니다.")
    return _check_terms(amended)


def cancel(order: WorkOrder, reason: str) -> WorkOrder:
    check_open(order)
    if not reason.strip():
        raise DomainError("취소 사유를 입력해 주세요.")
    if order.verified:
        raise Conflict(
            "검수된 설치 단위가 있는 발주는 취소할 수 없습니다. 수량을 줄이는 변경으로 처리해 주세요."
        )
    return replace(order, status="cancelled", cancel_reason=reason.strip())


def next_unit_price(order: WorkOrder) -> int:
    """What the next verified unit is paid: the amount left over the units left, rounded
    up (so the earlier units carry the odd won and the last one closes the amount)."""
    left_units = order.quantity - len(order.verified)
    left_krw = order.amount_krw - order.claimed_krw
    if left_units <= 0 or left_krw <= 0:
        raise Conflict("이 발주의 수량이나 금액이 모두 검수되었습니다.")
    return -(-left_krw // left_units)


def verify_unit(order: WorkOrder, code: str, by: str, at: datetime) -> tuple[WorkOrder, Unit]:
    """Staff accept one installed unit: its price is fixed and it can be paid."""
    check_open(order)
    unit = order.unit(code)
    if unit.verified:
        raise Conflict(f"설치 단위 {code}은(는) 이미 검수되었습니다.")
    if unit.status == "returned":
        raise Conflict(
            f"반려한 설치 단위 {code}은(는) 시공업체가 다시 완료 보고한 뒤에 검수할 수 있습니다."
        )
    if order.commitment_status != "committed":
        raise Conflict(
            "예산 지출원인행위가 끝나지 않은 발주는 검수할 수 없습니다 "
            f"(예산 상태: {COMMITMENT_STATUSES[order.commitment_status]})."
        )
    done = replace(unit, status="verified", amount_krw=next_unit_price(order), verified_by=by,
                   verified_at=at, payment_status="requested")  # fmt: skip
    units = tuple(done if u.code == code else u for u in order.units)
    return replace(order, units=units), done


def record_commitment(
    order: WorkOrder, status: str, commitment_id=None, reason=None, split=None
) -> WorkOrder:
    """Budget's answer to the order's request for funds. A late 'waiting' or 'refused'
    never takes back a commitment already recorded (messages may come out of order)."""
    if status not in COMMITMENT_STATUSES:
        raise DomainError(f"알 수 없는 예산 상태입니다: {status}")
    if order.commitment_status == "committed" and status != "committed":
        return order
    return replace(order, commitment_status=status, commitment_id=commitment_id,
                   commitment_reason=reason, commitment_split=split)  # fmt: skip


def record_payment(order: WorkOrder, codes, status: str, expenditure_id=None, split=None,
                   reason=None) -> WorkOrder:  # fmt: skip
    """Budget's answer to the payment of verified units; a payment stays paid."""
    if status not in PAYMENT_STATUSES:
        raise DomainError(f"알 수 없는 지급 상태입니다: {status}")
    wanted = set(codes)
    units = tuple(
        replace(
            u,
            payment_status=status,
            expenditure_id=expenditure_id,
            payment_split=split,
            payment_reason=reason,
        )  # fmt: skip
        if u.code in wanted and u.verified and u.payment_status != "paid"
        else u
        for u in order.units
    )
    return replace(order, units=units)
