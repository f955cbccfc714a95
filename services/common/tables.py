"""Tables every service database carries: outbox, inbox, dead letters, API tokens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Timestamps stored in UTC and always read back timezone-aware."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None:
            if value.tzinfo is None:
                raise ValueError("naive datetime; use UTC-aware values")
            value = value.astimezone(UTC)
            if dialect.name == "sqlite":
                value = value.replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


@dataclass(frozen=True)
class CommonTables:
    outbox: Table
    inbox: Table
    dead_letters: Table
    api_tokens: Table


def define_common_tables(metadata: MetaData) -> CommonTables:
    outbox = Table(
        "outbox",
        metadata,
        Column("id", String(36), primary_key=True),
        Column("type", String(120), nullable=False),
        Column("version", Integer, nullable=False),
        Column("envelope", JSON, nullable=False),
        Column("created_at", UTCDateTime, nullable=False, default=utcnow),
        Column("published_at", UTCDateTime),
        Column("attempts", Integer, nullable=False, default=0),
        Column("last_error", Text),
    )
    Index("ix_outbox_unpublished", outbox.c.published_at, outbox.c.created_at)
    inbox = Table(
        "inbox",
        metadata,
        Column("message_id", String(36), primary_key=True),
        Column("handler", String(120), primary_key=True),
        Column("type", String(120), nullable=False),
        Column("applied_at", UTCDateTime, nullable=False, default=utcnow),
    )
    Index("ix_inbox_applied_at", inbox.c.applied_at)  # the retention purge's old ids
    dead_letters = Table(
        "dead_letters",
        metadata,
        Column("id", String(36), primary_key=True),
        Column("message_id", String(36), nullable=False, index=True),
        Column("type", String(120), nullable=False),
        Column("handler", String(120)),
        Column("reason", String(20), nullable=False),
        Column("error", Text, nullable=False),
        Column("attempts", Integer, nullable=False),
        Column("envelope", JSON, nullable=False),
        Column("created_at", UTCDateTime, nullable=False, default=utcnow),
        Column("replayed_at", UTCDateTime),
        Column("replayed_by", String(80)),
    )
    api_tokens = Table(
        "api_tokens",
        metadata,
        Column("id", String(16), primary_key=True),
        Column("name", String(80), nullable=False),
        Column("role", String(20), nullable=False),
        Column("secret_hash", String(64), nullable=False),
        Column("created_at", UTCDateTime, nullable=False, default=utcnow),
        Column("revoked_at", UTCDateTime),
    )
    return CommonTables(outbox, inbox, dead_letters, api_tokens)
