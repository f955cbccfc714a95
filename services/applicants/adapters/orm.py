"""Tables of the applicants database."""

from sqlalchemy import Column, Date, ForeignKey, Integer, MetaData, String, Table

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
)
