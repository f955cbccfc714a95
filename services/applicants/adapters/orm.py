"""Tables of the applicants database."""

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

from services.common.tables import UTCDateTime, define_common_tables, utcnow

metadata = MetaData()
common = define_common_tables(metadata)

recruitments = Table(
    "recruitments",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("title", String(200), nullable=False),
    Column("year", Integer, nullable=False),
    Column("half", Integer, nullable=False),
    Column("created_by", String(80), nullable=False),
    Column("created_at", UTCDateTime, nullable=False, default=utcnow),
    Column("seed_hash", String(64), nullable=False, server_default=""),
    Column("intake_opens", Date),
    Column("intake_closes", Date),
)

recruitment_programs = Table(
    "recruitment_programs",
    metadata,
    Column("recruitment_id", String(36), ForeignKey("recruitments.id"), primary_key=True),
    Column("code", String(20), primary_key=True),
    Column("quota", Integer, nullable=False),
    Column("hourly_wage", Integer, nullable=False),
    Column("work_starts", Date, nullable=False),
    Column("work_ends", Date, nullable=False),
    Column("daily_hours", Integer, nullable=False, server_default="8"),
    Column("funding_split", JSON),
    Column("senior_cap", Integer),
)

rule_sets = Table(
    "rule_sets",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("data", JSON, nullable=False),
    Column("note", String(200), nullable=False, server_default=""),
    Column("created_by", String(80), nullable=False),
    Column("created_at", UTCDateTime, nullable=False, default=utcnow),
)

# Personal data: *_enc are Fernet tokens, *_masked what responses show, person_key and
# household_key keyed hashes (HMAC-SHA256) for deduplication.
applications = Table(
    "applications",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("recruitment_id", String(36), ForeignKey("recruitments.id"), nullable=False),
    Column("person_key", String(64), nullable=False),
    Column("household_key", String(64), nullable=False, index=True),
    Column("name_enc", Text, nullable=False),
    Column("rrn_enc", Text, nullable=False),
    Column("phone_enc", Text, nullable=False),
    Column("address_enc", Text, nullable=False),
    Column("name_masked", String(40), nullable=False),
    Column("rrn_masked", String(20), nullable=False),
    Column("phone_masked", String(20), nullable=False),
    Column("address_masked", String(200), nullable=False),
    Column("age", Integer, nullable=False),
    Column("sex", String(1), nullable=False),
    Column("household_size", Integer, nullable=False),
    Column("household_members", JSON, nullable=False),
    Column("property_krw", BigInteger, nullable=False),
    Column("monthly_income_krw", BigInteger, nullable=False),
    Column("priority_groups", JSON, nullable=False),
    Column("past_participations", Integer, nullable=False),
    Column("preferences", JSON, nullable=False),
    Column("kakao", Boolean, nullable=False, default=False),
    Column("channel", String(10), nullable=False),
    Column("status", String(20), nullable=False),
    Column("rule_version", Integer, ForeignKey("rule_sets.version"), nullable=False),
    Column("reasons", JSON, nullable=False),
    Column("eligible_programs", JSON, nullable=False),
    Column("priority", Boolean, nullable=False),
    Column("score", Integer, nullable=False),
    Column("score_items", JSON, nullable=False),
    Column("program_code", String(20)),
    Column("waitlist_rank", Integer),
    Column("consent_version", String(20)),  # None: sent through the API by a program
    Column("created_at", UTCDateTime, nullable=False, default=utcnow),
    Column("updated_at", UTCDateTime, nullable=False, default=utcnow),
    UniqueConstraint("recruitment_id", "person_key", name="uq_application_person"),
)
Index("ix_applications_recruitment_status", applications.c.recruitment_id, applications.c.status)
Index("ix_applications_person", applications.c.person_key)

selections = Table(
    "selections",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("recruitment_id", String(36), ForeignKey("recruitments.id"), nullable=False),
    Column("seed", String(200), nullable=False),
    Column("seed_hash", String(64), nullable=False),
    Column("status", String(20), nullable=False),  # published | retracted
    Column("counts", JSON, nullable=False),
    Column("waitlisted", Integer, nullable=False),
    Column("created_by", String(80), nullable=False),
    Column("created_at", UTCDateTime, nullable=False, default=utcnow),
    Column("retracted_by", String(80)),
    Column("retracted_at", UTCDateTime),
    Column("retract_reason", String(500)),
    Index("ix_selections_recruitment", "recruitment_id", "status"),
    # at most one published draw per recruitment
    Index(
        "uq_selections_published",
        "recruitment_id",
        unique=True,
        postgresql_where=text("status = 'published'"),
        sqlite_where=text("status = 'published'"),
    ),
)

# One row per place given: at the draw (kind "drawn") or later (kind "promoted").
placements = Table(
    "placements",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("selection_id", String(36), ForeignKey("selections.id"), nullable=False),
    Column("application_id", String(36), ForeignKey("applications.id"), nullable=False),
    Column("kind", String(10), nullable=False),
    Column("program_code", String(20), nullable=False),
    Column("rank", Integer, nullable=False),
    Column("work_starts", Date, nullable=False),
    Column("work_ends", Date, nullable=False),
    Column("daily_hours", Integer, nullable=False),
    Column("working_days", Integer, nullable=False),
    Column("wage_commitment_krw", BigInteger, nullable=False),
    Column("replaces_application_id", String(36)),
    Column("created_at", UTCDateTime, nullable=False, default=utcnow),
    Index("ix_placements_selection", "selection_id"),
    # the intake gate's past places of a person, and an application's placement
    Index("ix_placements_application", "application_id"),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("entity", String(40), nullable=False),
    Column("entity_id", String(36), nullable=False),
    Column("action", String(40), nullable=False),
    Column("actor", String(80), nullable=False),
    Column("at", UTCDateTime, nullable=False, default=utcnow),
    Column("before", JSON),
    Column("after", JSON),
    Index("ix_audit_entity", "entity", "entity_id"),
)
