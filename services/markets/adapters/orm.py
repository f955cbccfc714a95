"""Tables of the markets database. Money columns are integer KRW."""

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    UniqueConstraint,
)

from services.common.tables import define_common_tables

metadata = MetaData()
common = define_common_tables(metadata)

# 전통시장 and 상점가; store_count only where a source gives it.
markets = Table(
    "markets",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("name", String(100), nullable=False),
    Column("store_count", Integer, nullable=True),
    UniqueConstraint("name", name="uq_markets_name"),
    CheckConstraint("store_count IS NULL OR store_count >= 0", name="ck_markets_store_count"),
)

# A safety job is a work order: an installation or work a contractor reports as complete.
safety_jobs = Table(
    "safety_jobs",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("code", String(60), nullable=False),
    Column("kind", String(30), nullable=False),
    Column("title", String(200), nullable=False),
    Column("starts", Date, nullable=True),
    Column("ends", Date, nullable=True),
    Column("budget_krw", BigInteger, nullable=True),
    Column("funding_ratio", JSON, nullable=True),  # {"national": 70, "city": 15, ...} in %
    Column("status", String(10), nullable=False),
    Column("market_count", Integer, nullable=True),  # as printed, when not every site is named
    Column("total_units", Integer, nullable=True),
    UniqueConstraint("code", name="uq_safety_jobs_code"),
    CheckConstraint(
        "kind IN ('iot_fire_sensor', 'talking_extinguisher', 'wiring', 'cctv', "
        "'fire_equipment', 'fire_insurance')",
        name="ck_safety_jobs_kind",
    ),
    CheckConstraint("status IN ('planned', 'done')", name="ck_safety_jobs_status"),
    CheckConstraint("budget_krw IS NULL OR budget_krw >= 0", name="ck_safety_jobs_budget"),
)

safety_job_sites = Table(
    "safety_job_sites",
    metadata,
    Column("job_id", String(36), ForeignKey("safety_jobs.id"), primary_key=True),
    Column("market_id", String(36), ForeignKey("markets.id"), primary_key=True),
    Column("units", Integer, nullable=True),
    CheckConstraint("units IS NULL OR units > 0", name="ck_safety_job_sites_units"),
)
