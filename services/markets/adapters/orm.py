"""Tables of the markets database. Money columns are integer KRW."""

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from services.common.tables import UTCDateTime, define_common_tables, utcnow

metadata = MetaData()
common = define_common_tables(metadata)

# 전통시장 and 상점가; store_count only where a source gives it.
markets = Table(
    "markets",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("name", String(100), nullable=False),
    Column("store_count", Integer, nullable=True),
    Column("address", String(200), nullable=True),  # for 119: where the market is
    Column("association_name", String(100), nullable=True),  # 상인회
    Column("association_phone_enc", Text, nullable=True),
    Column("escalation_policy", JSON, nullable=True),  # overrides of the rule set's policy
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

# A store's number is its identity: a new tenant or sign changes the name, never the number.
stores = Table(
    "stores",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("market_id", String(36), ForeignKey("markets.id"), nullable=False),
    Column("number", Integer, nullable=False),
    Column("name", String(100), nullable=False),
    Column("name_generated", Boolean, nullable=False, default=False),
    Column("lane", String(40), nullable=True),
    Column("floor", String(20), nullable=True),
    Column("map_x", Float, nullable=True),
    Column("map_y", Float, nullable=True),
    Column("merchant_name_masked", String(40), nullable=True),
    Column("merchant_phone_enc", Text, nullable=True),
    Column("merchant_phone_hash", String(64), nullable=True, index=True),
    Column("merchant_kakao", Boolean, nullable=False, default=False),
    Column("created_at", UTCDateTime, nullable=False, default=utcnow),
    Column("updated_at", UTCDateTime, nullable=True),
    UniqueConstraint("market_id", "number", name="uq_stores_market_number"),
    CheckConstraint("number > 0", name="ck_stores_number"),
)

devices = Table(
    "devices",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("serial", String(60), nullable=False, unique=True),
    Column("store_id", String(36), ForeignKey("stores.id"), nullable=False, index=True),
    Column("kind", String(10), nullable=False),
    Column("installed_at", UTCDateTime, nullable=True),
    Column("token_id", String(16), nullable=True, unique=True),
    Column("token_hash", String(64), nullable=True),
    Column("token_revoked_at", UTCDateTime, nullable=True),
    Column("last_seen_at", UTCDateTime, nullable=True),
    Column("battery_pct", Integer, nullable=True),
    Column("status", String(10), nullable=False, default="online"),
    Column("created_at", UTCDateTime, nullable=False, default=utcnow),
    CheckConstraint("kind IN ('smoke', 'heat', 'flame', 'multi')", name="ck_devices_kind"),
    CheckConstraint("status IN ('online', 'offline')", name="ck_devices_status"),
)

device_readings = Table(
    "device_readings",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("device_id", String(36), ForeignKey("devices.id"), nullable=False),
    Column("ts", UTCDateTime, nullable=False),
    Column("received_at", UTCDateTime, nullable=False, default=utcnow),
    Column("source", String(10), nullable=False),
    Column("smoke", Float, nullable=True),
    Column("temperature_c", Float, nullable=True),
    Column("flame", Boolean, nullable=True),
    Column("battery_pct", Integer, nullable=True),
    Column("test", Boolean, nullable=False, default=False),
    Column("processed_at", UTCDateTime, nullable=True),
    UniqueConstraint("device_id", "ts", name="uq_device_readings_device_ts"),
)
Index(
    "ix_device_readings_unprocessed", device_readings.c.processed_at, device_readings.c.received_at
)

# Versioned alarm rules and the default escalation policy: {"rules": ..., "policy": ...}.
alarm_rule_sets = Table(
    "alarm_rule_sets",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("data", JSON, nullable=False),
    Column("note", String(200), nullable=False, server_default=""),
    Column("created_by", String(80), nullable=False),
    Column("created_at", UTCDateTime, nullable=False, default=utcnow),
)

alarms = Table(
    "alarms",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("device_id", String(36), ForeignKey("devices.id"), nullable=False),
    Column("store_id", String(36), ForeignKey("stores.id"), nullable=False),
    Column("market_id", String(36), ForeignKey("markets.id"), nullable=False, index=True),
    Column("type", String(20), nullable=False),
    Column("stage", String(10), nullable=True),
    Column("severity", String(10), nullable=False),
    Column("status", String(15), nullable=False),
    Column("test", Boolean, nullable=False, default=False),
    Column("rule_version", Integer, ForeignKey("alarm_rule_sets.version"), nullable=False),
    Column("policy", JSON, nullable=False),  # the escalation it follows (copied: auditable)
    Column("started_at", UTCDateTime, nullable=False),
    Column("escalation_started_at", UTCDateTime, nullable=False),
    Column("last_reading_at", UTCDateTime, nullable=True),
    Column("acked_at", UTCDateTime, nullable=True),
    Column("acked_by", String(80), nullable=True),
    Column("cleared_at", UTCDateTime, nullable=True),
    Column("cleared_by", String(80), nullable=True),
    Column("clearance", String(15), nullable=True),
    Column("step", Integer, nullable=True),
    Column("repeat", Integer, nullable=False, default=0),
    Column("next_step_at", UTCDateTime, nullable=True),
    Column("active", Boolean, nullable=True),  # True while active, NULL after: unique below
    UniqueConstraint("device_id", "type", "test", "active", name="uq_alarms_one_active"),
    CheckConstraint("active IS NULL OR active", name="ck_alarms_active_true_or_null"),
)
Index("ix_alarms_next_step", alarms.c.next_step_at)

alarm_timeline = Table(
    "alarm_timeline",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("alarm_id", String(36), ForeignKey("alarms.id"), nullable=False, index=True),
    Column("at", UTCDateTime, nullable=False, default=utcnow),
    Column("kind", String(20), nullable=False),
    Column("message_id", String(36), nullable=True, index=True),  # a notice's envelope id
    Column("detail", JSON, nullable=False),
    # the sweep's recent notices (services/markets/service_layer/sweep.py: unreported)
    Index("ix_alarm_timeline_kind_at", "kind", "at"),
)

maintenance_tickets = Table(
    "maintenance_tickets",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("device_id", String(36), ForeignKey("devices.id"), nullable=False),
    Column("reason", String(200), nullable=False),
    Column("false_alarms", Integer, nullable=False),
    Column("created_at", UTCDateTime, nullable=False, default=utcnow),
    Column("closed_at", UTCDateTime, nullable=True),
)

# 발주: a safety job's work order to one contractor, for units in the stores of one market.
work_orders = Table(
    "work_orders",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("job_id", String(36), ForeignKey("safety_jobs.id"), nullable=False),
    Column("market_id", String(36), ForeignKey("markets.id"), nullable=False),
    Column("fiscal_year", Integer, nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("amount_krw", BigInteger, nullable=False),
    Column("due_date", Date, nullable=False),
    Column("contractor_name", String(100), nullable=False),
    Column("contractor_brn", String(10), nullable=False),  # 사업자등록번호, ten digits
    Column("contractor_account", String(80), nullable=False, index=True),
    Column("status", String(10), nullable=False),
    Column("cancel_reason", Text, nullable=True),
    # Budget's answer to the request for funds (지출원인행위) made when the order is issued.
    Column("commitment_status", String(10), nullable=False),
    Column("commitment_id", String(36), nullable=True),
    Column("commitment_reason", Text, nullable=True),
    Column("commitment_split", JSON, nullable=True),
    Column("issued_by", String(80), nullable=False),
    Column("issued_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    CheckConstraint("quantity > 0", name="ck_work_orders_quantity"),
    CheckConstraint("amount_krw > 0", name="ck_work_orders_amount"),
    CheckConstraint("status IN ('issued', 'cancelled')", name="ck_work_orders_status"),
    CheckConstraint(
        "commitment_status IN ('requested', 'waiting', 'committed', 'refused')",
        name="ck_work_orders_commitment_status",
    ),
)
Index("ix_work_orders_issued_at", work_orders.c.issued_at)

# What an order covers: one row per unit (a detector, an extinguisher, a camera) in a store.
work_order_units = Table(
    "work_order_units",
    metadata,
    Column("work_order_id", String(36), ForeignKey("work_orders.id"), primary_key=True),
    Column("code", String(40), primary_key=True),
    Column("position", Integer, nullable=False),
    Column("store_id", String(36), ForeignKey("stores.id"), nullable=False),
    Column("status", String(10), nullable=False),
    Column("amount_krw", BigInteger, nullable=True),  # its price, fixed when verified
    Column("verified_by", String(80), nullable=True),
    Column("verified_at", UTCDateTime, nullable=True),
    Column("message_id", String(36), nullable=True),  # the installation_completed envelope
    Column("payment_status", String(10), nullable=True),
    Column("expenditure_id", String(36), nullable=True),
    Column("payment_split", JSON, nullable=True),
    Column("payment_reason", Text, nullable=True),
    # The contractor's completion report (the latest one) and staff's sending it back.
    Column("serial", String(80), nullable=True),  # device or extinguisher serial
    Column("reported_by", String(80), nullable=True),
    Column("reported_at", UTCDateTime, nullable=True),
    Column("return_reason", Text, nullable=True),
    Column("returned_by", String(80), nullable=True),
    Column("returned_at", UTCDateTime, nullable=True),
    CheckConstraint(
        "status IN ('pending', 'reported', 'returned', 'verified')",
        name="ck_work_order_units_status",
    ),
    UniqueConstraint("serial", name="uq_work_order_units_serial"),
    CheckConstraint(
        "payment_status IS NULL OR payment_status IN ('requested', 'paid', 'refused')",
        name="ck_work_order_units_payment_status",
    ),
)

# Every change of an order: who, when, what, and the values before and after.
work_order_audit = Table(
    "work_order_audit",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("work_order_id", String(36), ForeignKey("work_orders.id"), nullable=False, index=True),
    Column("at", UTCDateTime, nullable=False),
    Column("actor", String(80), nullable=False),
    Column("action", String(20), nullable=False),
    Column("before_state", JSON, nullable=True),
    Column("after_state", JSON, nullable=True),
)

# Each completion report a contractor sends for a unit (a unit reported again keeps the
# earlier ones); its photos are files in the photo store, named by their SHA-256.
completion_reports = Table(
    "completion_reports",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("work_order_id", String(36), ForeignKey("work_orders.id"), nullable=False),
    Column("unit_code", String(40), nullable=False),
    Column("store_number", Integer, nullable=False),
    Column("serial", String(80), nullable=False),
    Column("note", Text, nullable=True),
    Column("reported_by", String(80), nullable=False),
    Column("reported_at", UTCDateTime, nullable=False),
)
Index("ix_completion_reports_unit", completion_reports.c.work_order_id,
      completion_reports.c.unit_code)  # fmt: skip

completion_photos = Table(
    "completion_photos",
    metadata,
    Column("id", String(36), primary_key=True),
    Column(
        "report_id", String(36), ForeignKey("completion_reports.id"), nullable=False, index=True
    ),  # fmt: skip
    Column("work_order_id", String(36), ForeignKey("work_orders.id"), nullable=False, index=True),
    Column("position", Integer, nullable=False),
    Column("content_type", String(20), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("size_bytes", Integer, nullable=False),
    Column("width", Integer, nullable=False),
    Column("height", Integer, nullable=False),
    Column("storage_key", String(100), nullable=False),
    Column("original_name", String(200), nullable=True),
    CheckConstraint("size_bytes > 0", name="ck_completion_photos_size"),
)
