"""Tables of the budget database. Money columns are integer KRW (BigInteger)."""

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from services.common.tables import define_common_tables

metadata = MetaData()
common = define_common_tables(metadata)

fiscal_years = Table(
    "fiscal_years",
    metadata,
    Column("year", Integer, primary_key=True, autoincrement=False),
)

# 단위사업: the rows of a fiscal year's 예산현황, in printed order (position).
unit_programs = Table(
    "unit_programs",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("fiscal_year", Integer, ForeignKey("fiscal_years.year"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("name", String(200), nullable=False),
    Column("budget_krw", BigInteger, nullable=False),
    UniqueConstraint("fiscal_year", "position", name="uq_unit_programs_position"),
    UniqueConstraint("fiscal_year", "name", name="uq_unit_programs_name"),
    CheckConstraint("budget_krw >= 0", name="ck_unit_programs_budget"),
)

# 세부사업: one section of a report, linked to a 단위사업 only where the report says so.
sub_programs = Table(
    "sub_programs",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("fiscal_year", Integer, ForeignKey("fiscal_years.year"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("section", String(20), nullable=False),
    Column("title", String(200), nullable=False),
    Column("team", String(80), nullable=False),
    Column("unit_program_id", String(36), ForeignKey("unit_programs.id"), nullable=True),
    Column("reported_as_of", Date, nullable=False),
    Column("note", Text, nullable=True),
    UniqueConstraint("fiscal_year", "position", name="uq_sub_programs_position"),
    UniqueConstraint("fiscal_year", "section", name="uq_sub_programs_section"),
)

# A sub-program's appropriation per funding source, with the executed amount the report
# printed for that source as of sub_programs.reported_as_of.
sub_program_sources = Table(
    "sub_program_sources",
    metadata,
    Column("sub_program_id", String(36), ForeignKey("sub_programs.id"), primary_key=True),
    Column("source", String(10), primary_key=True),
    Column("budget_krw", BigInteger, nullable=False),
    Column("reported_executed_krw", BigInteger, nullable=False),
    CheckConstraint(
        "source IN ('national', 'city', 'district', 'fund')", name="ck_sub_program_sources_source"
    ),
    CheckConstraint(
        "budget_krw >= 0 AND reported_executed_krw >= 0", name="ck_sub_program_sources_amounts"
    ),
)

# 집행액 of a 단위사업 as a report printed it on a date: the opening figure that the
# ledger of commitments and expenditures (a later table) will reconcile against.
reported_execution = Table(
    "reported_execution",
    metadata,
    Column("unit_program_id", String(36), ForeignKey("unit_programs.id"), primary_key=True),
    Column("as_of", Date, primary_key=True),
    Column("executed_krw", BigInteger, nullable=False),
    CheckConstraint("executed_krw >= 0", name="ck_reported_execution_amount"),
)
