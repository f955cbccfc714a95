"""Tables of the notifications database."""

from sqlalchemy import (
    Boolean,
    Column,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    literal_column,
)

from services.common.tables import UTCDateTime, define_common_tables, utcnow

metadata = MetaData()
common = define_common_tables(metadata)

# One row per (source event, recipient, channel). ``recipient`` is a key, never personal
# data: a configured name (``staff:일자리창출팀``) or the keyed hash of the address.
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
    Column("recipient_masked", String(120)),
    Column("recipient_enc", Text),  # Fernet token of the address (PII_ENCRYPTION_KEY)
    Column("recipient_hash", String(64), index=True),  # HMAC-SHA256(PII_HASH_KEY, address)
    Column("subject", String(200)),
    Column("urgent", Boolean, nullable=False, default=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("reason", Text),
    Column("provider", String(40)),
    Column("provider_message_id", String(120), index=True),
    Column("not_before", UTCDateTime),  # held (quiet hours) until then
    Column("lease_until", UTCDateTime),  # a worker is sending it until then
    Column("fallback_of", String(36)),  # the 알림톡 delivery this SMS replaces
    Column("fallback_body", Text),  # the SMS text to send if this 알림톡 fails
    Column("sent_at", UTCDateTime),
    Column("delivered_at", UTCDateTime),
    Column("failed_at", UTCDateTime),
    Column("acknowledged_at", UTCDateTime),
    Column("updated_at", UTCDateTime),
    UniqueConstraint("message_id", "recipient", "channel", name="uq_delivery_once"),
)
Index("ix_deliveries_due", deliveries.c.status, deliveries.c.not_before)
# Rows that still hold a body or an address: retention blanks them once, then they stay
# out of this index (its query must say the same, with '' as a literal, for PostgreSQL to
# use a partial index).
UNBLANKED = deliveries.c.recipient_enc.is_not(None) | (deliveries.c.body != literal_column("''"))
Index("ix_deliveries_unblanked", deliveries.c.status, deliveries.c.created_at,
      sqlite_where=UNBLANKED, postgresql_where=UNBLANKED)  # fmt: skip
# The receipt poll: one provider's rows still "sent", oldest first.
Index("ix_deliveries_provider_sent", deliveries.c.provider, deliveries.c.status,
      deliveries.c.sent_at)  # fmt: skip
# The delivery log, newest first.
Index("ix_deliveries_created_at", deliveries.c.created_at)
