"""Tables of the budget database. Money columns are integer KRW (BigInteger)."""

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
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
    false,
)

from services.common.tables import UTCDateTime, define_common_tables, utcnow

metadata = MetaData()
common = define_common_tables(metadata)

# A fiscal year: open (postings accepted) until finance closes it at year-end.
fiscal_years = Table(
    "fiscal_years",
    metadata,
    Column("year", Integer, primary_key=True, autoincrement=False),
    Column("status", String(10), nullable=False, server_default="open", default="open"),
    Column("opened_by", String(80), nullable=True),
    Column("closed_at", UTCDateTime, nullable=True),
    Column("closed_by", String(80), nullable=True),
    CheckConstraint("status IN ('open', 'closed')", name="ck_fiscal_years_status"),
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

# ---- the ledger ---------------------------------------------------------------------
LEDGER_SOURCES = "('national', 'city', 'district', 'fund', 'unallocated')"

# A balance per (program, funding source): the row every posting updates with a
# conditional UPDATE, so the limits hold under concurrency; it also holds the head of
# that balance's hash chain (entry_count, last_hash). 단위사업 have no printed split:
# their one balance has source 'unallocated' (재원 미구분).
accounts = Table(
    "accounts",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("fiscal_year", Integer, ForeignKey("fiscal_years.year"), nullable=False),
    Column("program_kind", String(10), nullable=False),
    Column("program_id", String(36), nullable=False),
    Column("source", String(12), nullable=False),
    Column("appropriated_krw", BigInteger, nullable=False, default=0),
    Column("committed_krw", BigInteger, nullable=False, default=0),
    Column("spent_krw", BigInteger, nullable=False, default=0),
    Column("entry_count", Integer, nullable=False, default=0),
    Column("last_hash", String(64), nullable=False),
    # Set when its year is closed: the conditional UPDATE then refuses every posting but a
    # correction (역분개), at no extra statement per posting.
    Column("closed", Boolean, nullable=False, default=False, server_default=false()),
    UniqueConstraint("program_id", "source", name="uq_accounts_program_source"),
    CheckConstraint("program_kind IN ('unit', 'sub')", name="ck_accounts_kind"),
    CheckConstraint(f"source IN {LEDGER_SOURCES}", name="ck_accounts_source"),
    CheckConstraint(
        "spent_krw >= 0 AND spent_krw <= committed_krw AND committed_krw <= appropriated_krw",
        name="ck_accounts_limits",
    ),
    # one year's accounts: the execution report's sums, the year's close
    Index("ix_accounts_fiscal_year", "fiscal_year"),
)

# A posting's header (전표): one per commitment, expenditure, release, reversal, transfer.
documents = Table(
    "documents",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("fiscal_year", Integer, ForeignKey("fiscal_years.year"), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("program_id", String(36), nullable=True),
    Column("amount_krw", BigInteger, nullable=False),
    Column("commitment_id", String(36), nullable=True, index=True),
    Column("reverses_document_id", String(36), ForeignKey("documents.id"), unique=True),
    Column("idempotency_key", String(200), nullable=True, unique=True),
    Column("reference", String(200), nullable=True),
    Column("application_id", String(64), nullable=True, index=True),
    Column("business_date", Date, nullable=False),
    Column("created_by", String(80), nullable=False),
    Column("created_at", UTCDateTime, nullable=False, default=utcnow),
    Column("reason", Text, nullable=True),
)

# What is left of each commitment: locked (conditional UPDATE) by every payment,
# release and reversal of it, before the balances.
commitments = Table(
    "commitments",
    metadata,
    Column("id", String(36), ForeignKey("documents.id"), primary_key=True),
    Column("program_id", String(36), nullable=False),
    Column("amount_krw", BigInteger, nullable=False),
    Column("spent_krw", BigInteger, nullable=False, default=0),
    Column("released_krw", BigInteger, nullable=False, default=0),
    Column("reversed_krw", BigInteger, nullable=False, default=0),
    # 이월: the commitment of the previous year this one continues, and the one it went to.
    Column("carried_from", String(36), nullable=True),
    Column("carried_to", String(36), nullable=True),
    CheckConstraint(
        "spent_krw >= 0 AND released_krw >= 0 AND reversed_krw >= 0 "
        "AND spent_krw + released_krw + reversed_krw <= amount_krw",
        name="ck_commitments_limits",
    ),
    Index("ix_commitments_program_id", "program_id"),  # a program's commitments
)

# The ledger: immutable lines; each moves one balance by a signed delta.
ledger_entries = Table(
    "ledger_entries",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("id", String(36), nullable=False, unique=True),
    Column("document_id", String(36), ForeignKey("documents.id"), nullable=False, index=True),
    Column("account_id", String(36), ForeignKey("accounts.id"), nullable=False),
    Column("account_seq", Integer, nullable=False),
    Column("kind", String(20), nullable=False),
    Column("d_appropriated", BigInteger, nullable=False),
    Column("d_committed", BigInteger, nullable=False),
    Column("d_spent", BigInteger, nullable=False),
    Column("commitment_id", String(36), nullable=True, index=True),
    Column("reverses_entry_id", String(36), nullable=True),
    Column("business_date", Date, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("created_by", String(80), nullable=False),
    Column("reason", Text, nullable=True),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    UniqueConstraint("account_id", "account_seq", name="uq_ledger_entries_account_seq"),
)

# Idempotency-Key: the first answer to a key, replayed for the same request.
idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("scope", String(40), primary_key=True),
    Column("key", String(200), primary_key=True),
    Column("request_hash", String(64), nullable=False),
    Column("status_code", Integer, nullable=False),
    Column("response", JSON, nullable=True),
    Column("created_at", UTCDateTime, nullable=False, default=utcnow),
)

# 전용·이용 (transfer) and 추경 (amendment) requests: applied only when someone other
# than the requester approves.
transfers = Table(
    "transfers",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("fiscal_year", Integer, ForeignKey("fiscal_years.year"), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("from_account_id", String(36), ForeignKey("accounts.id"), nullable=True),
    Column("to_account_id", String(36), ForeignKey("accounts.id"), nullable=False),
    Column("amount_krw", BigInteger, nullable=False),
    Column("reason", Text, nullable=False),
    Column("status", String(12), nullable=False),
    Column("requested_by", String(80), nullable=False),
    Column("requested_at", UTCDateTime, nullable=False, default=utcnow),
    Column("decided_by", String(80), nullable=True),
    Column("decided_at", UTCDateTime, nullable=True),
    Column("document_id", String(36), ForeignKey("documents.id"), nullable=True),
    Column("decision_ref", String(200), nullable=True),  # 추경: 의회 의결 등 근거
    CheckConstraint("kind IN ('transfer', 'amendment')", name="ck_transfers_kind"),
    CheckConstraint("status IN ('pending', 'approved', 'rejected')", name="ck_transfers_status"),
)

# Rules as data: which sub-program (and source ratio) pays a recruitment program's wages.
program_mappings = Table(
    "program_mappings",
    metadata,
    Column("fiscal_year", Integer, ForeignKey("fiscal_years.year"), primary_key=True),
    Column("program_code", String(40), primary_key=True),
    Column("program_name", String(200), nullable=False),
    Column("sub_program_id", String(36), ForeignKey("sub_programs.id"), nullable=False),
    Column("ratio_pct", JSON, nullable=False),
    Column("version", Integer, nullable=False, default=1),
    Column("updated_at", UTCDateTime, nullable=True),
    Column("updated_by", String(80), nullable=True),
)

# Wage commitments that came before their year or program link existed: kept, listed for
# finance, and applied once (the envelope id is the idempotency key) when the link exists.
pending_commitments = Table(
    "pending_commitments",
    metadata,
    Column("message_id", String(36), primary_key=True),
    Column("event_type", String(120), nullable=False),
    Column("fiscal_year", Integer, nullable=False),
    Column("program_code", String(40), nullable=False),
    Column("application_id", String(64), nullable=False),
    Column("amount_krw", BigInteger, nullable=False),
    Column("envelope", JSON, nullable=False),
    Column("reason", Text, nullable=False),
    Column("status", String(12), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("resolved_at", UTCDateTime, nullable=True),
    Column("commitment_id", String(36), nullable=True),
    CheckConstraint(
        "status IN ('waiting', 'applied', 'refused', 'cancelled')",
        name="ck_pending_commitments_status",
    ),
    Index("ix_pending_commitments_waiting", "status", "fiscal_year", "program_code"),
)
