"""Demo stores and detectors of the two IoT markets (report Ⅲ.1: 동남상가 56, 삼구시장 54).

The report prints only counts: store names, places and merchants' phones are generated and
marked so (``name_generated``; phones in the unassigned 010-0001/0002-xxxx ranges). Addresses are
left at district level until staff enter the real ones.
"""

from __future__ import annotations

import json
import uuid

from sqlalchemy import select, update

from services.common.config import var_dir
from services.common.pii import PiiVault

from .adapters.orm import devices, markets, stores
from .service_layer.devices import provision

# market → (serial prefix, demo phone prefix: 010-0001-xxxx, 010-0002-xxxx)
IOT_MARKETS = {"동남상가": ("DN", "0100001"), "삼구시장": ("SG", "0100002")}
ADDRESS = "서울특별시 영등포구 (상세 주소 확인 필요)"


def seed_stores(runtime) -> dict[str, str]:
    """Add the stores and one multi-sensor each; returns serial → token for new devices."""
    vault = PiiVault.from_settings(runtime.settings)
    tokens: dict[str, str] = {}
    with runtime.db.transaction() as session:
        rows = session.execute(
            select(markets.c.id, markets.c.name, markets.c.store_count).where(
                markets.c.name.in_(IOT_MARKETS)
            )
        ).all()
        have = set(session.scalars(select(stores.c.market_id)))
        new = []
        for market in rows:
            if market.id in have:
                continue
            session.execute(
                update(markets).where(markets.c.id == market.id).values(
                    address=ADDRESS, association_name=f"{market.name} 상인회",
                    association_phone_enc=vault.encrypt("01000009999"),
                )
            )  # fmt: skip
            for n in range(1, (market.store_count or 0) + 1):
                prefix, phones = IOT_MARKETS[market.name]
                phone = f"{phones}{n:04d}"
                store_id = str(uuid.uuid4())
                session.execute(
                    stores.insert().values(
                        id=store_id, market_id=market.id, number=n,
                        name=f"{n}호 점포", name_generated=True,
                        lane=f"{(n - 1) // 10 + 1}열", floor="1층",
                        map_x=float((n - 1) % 10), map_y=float((n - 1) // 10),
                        merchant_name_masked="점포주", merchant_phone_enc=vault.encrypt(phone),
                        merchant_phone_hash=vault.key("phone", phone), merchant_kakao=False,
                    )
                )  # fmt: skip
                new.append((f"{prefix}-{n:03d}", store_id))
    for serial, store_id in new:
        if runtime_has_device(runtime, serial):
            continue
        tokens[serial] = provision(runtime, serial, store_id, "multi", None)["token"]
    if tokens:
        path = var_dir() / "demo-devices.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        known = json.loads(path.read_text()) if path.exists() else {}
        path.write_text(json.dumps(known | tokens, ensure_ascii=False, indent=1))
        path.chmod(0o600)
    return tokens


def runtime_has_device(runtime, serial: str) -> bool:
    with runtime.db.read() as session:
        return session.scalar(select(devices.c.id).where(devices.c.serial == serial)) is not None
