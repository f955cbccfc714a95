"""Stores: the list staff read, and the import of a market's stores from CSV or XLSX.

An import is all or nothing: every row is checked first and the errors are reported per
row and column in Korean; only a file without errors is written, in one transaction.
Rows are matched by store number, which survives a change of tenant or sign.
"""

from __future__ import annotations

import uuid

from sqlalchemy import func, select, update

from services.common import upload
from services.common.pii import PiiVault
from services.common.problems import Problem
from services.common.runtime import Runtime
from services.common.tables import utcnow

from ..adapters.orm import markets, stores
from ..domain.stores import StoreRow, check_row

COLUMNS = ("번호", "상호", "통로", "층", "x", "y", "점포주", "휴대전화", "알림톡")


def list_stores(runtime: Runtime, market_id: str, page: int, page_size: int) -> dict:
    with runtime.db.read() as session:
        if session.scalar(select(markets.c.id).where(markets.c.id == market_id)) is None:
            raise Problem(404, "없는 시장입니다.")
        where = stores.c.market_id == market_id
        total = session.scalar(select(func.count()).select_from(stores).where(where))
        rows = session.execute(
            select(stores).where(where).order_by(stores.c.number)
            .limit(page_size).offset((page - 1) * page_size)
        ).all()  # fmt: skip
    vault = PiiVault.from_settings(runtime.settings)
    items = []
    for r in rows:
        phone = vault.decrypt(r.merchant_phone_enc) if r.merchant_phone_enc else None
        items.append({**r._mapping, "merchant_phone_masked": _mask(phone)})
    return {"items": items, "total": total, "page": page, "page_size": page_size}


def _mask(phone: str | None) -> str | None:
    return f"{phone[:3]}-****-{phone[-4:]}" if phone else None


def read_table(filename: str, data: bytes) -> list[dict]:
    return upload.read_table(filename, data, ("번호", "상호"), COLUMNS)


# store column -> the file's column it comes from
COLUMN_OF = {
    "name": "상호", "name_generated": "상호", "lane": "통로", "floor": "층", "map_x": "x",
    "map_y": "y", "merchant_name_masked": "점포주", "merchant_phone_enc": "휴대전화",
    "merchant_phone_hash": "휴대전화", "merchant_kakao": "알림톡",
}  # fmt: skip


def _values(row: StoreRow, vault: PiiVault) -> dict:
    return {
        "name": row.name, "name_generated": False, "lane": row.lane, "floor": row.floor,
        "map_x": row.map_x, "map_y": row.map_y, "merchant_name_masked": row.merchant_masked,
        "merchant_phone_enc": vault.encrypt(row.phone) if row.phone else None,
        "merchant_phone_hash": vault.key("phone", row.phone) if row.phone else None,
        "merchant_kakao": row.kakao,
    }  # fmt: skip


def import_stores(runtime: Runtime, market_id: str, filename: str, data: bytes) -> dict:
    rows = read_table(filename, data)
    checked: list[StoreRow] = []
    errors: list[dict] = []
    seen: set[int] = set()
    for raw in rows:
        line = raw.pop("_line")
        row, row_errors = check_row(raw)
        if row is not None and row.number in seen:
            row_errors.append(
                {"column": "번호", "message": f"{row.number}번이 파일에 두 번 있습니다."}
            )
        errors += [{"row": line, **e} for e in row_errors]
        if row is not None and not row_errors:
            seen.add(row.number)
            checked.append(row)
    if errors:
        raise Problem(
            422, f"{len(errors)}건의 오류가 있어 아무것도 가져오지 않았습니다.", rows=errors
        )
    vault = PiiVault.from_settings(runtime.settings)
    created = updated = 0
    with runtime.db.transaction() as session:
        if session.scalar(select(markets.c.id).where(markets.c.id == market_id)) is None:
            raise Problem(404, "없는 시장입니다.")
        existing = dict(session.execute(
            select(stores.c.number, stores.c.id).where(stores.c.market_id == market_id)).all())  # fmt: skip
        present = set(rows[0]) if rows else set()
        for row in checked:
            values = _values(row, vault)
            if row.number in existing:  # update only the columns the file has
                kept = {k: v for k, v in values.items() if COLUMN_OF[k] in present}
                session.execute(update(stores).where(stores.c.id == existing[row.number])
                                .values({**kept, "updated_at": utcnow()}))  # fmt: skip
                updated += 1
            else:
                session.execute(stores.insert().values(
                    id=str(uuid.uuid4()), market_id=market_id, number=row.number, **values))  # fmt: skip
                created += 1
    return {"created": created, "updated": updated}
