"""Tables of the notifications database."""

from sqlalchemy import Column, Integer, MetaData, String, Table, Text, UniqueConstraint

from services.common.tables import UTCDateTime, define_common_tables, utcnow

metadata = MetaData()
common = define_common_tables(metadata)

deliveries = Table(
    "deliveries",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("message_id", String(36), nullable=False, index=True),
    Column("event_type", String(120), nullable=False),
    Column("recipient", String(200), nullable=False),
    Column("channel", String(20), nullable=False),
    Column("template", String(80), nullable=False),
    Column("template_version", Integer, nullable=False),
    Column("body", Text, nullable=False),
    Column("status", String(20), nullable=False),
    Column("created_at", UTCDateTime, nullable=False, default=utcnow),
    UniqueConstraint("message_id", "recipient", "channel", name="uq_delivery_once"),
)
