"""Each service's migrations build exactly the schema its tables declare, on the test
run's database (SQLite, or PostgreSQL under TEST_DATABASE_URL): an index or column
declared in code but never migrated would exist in tests built from metadata and be
missing in every deployed database."""

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from deploy.manage import spec_of
from tests.support.infra import SERVICES


@pytest.mark.parametrize("service", SERVICES)
def test_migrated_schema_matches_the_declared_tables(stack, service):
    engine = sa.create_engine(stack.env[f"{service.upper()}_DATABASE_URL"])
    try:
        with engine.connect() as connection:
            differences = compare_metadata(
                MigrationContext.configure(connection), spec_of(service).metadata
            )
    finally:
        engine.dispose()
    assert differences == []


def test_the_intake_gate_finds_past_places_by_index(stack):
    """The gate runs for every application: a person's past places must be found through
    their applications and an index on placements, never by reading every placement."""
    from services.applicants.adapters.applications import _GATE

    engine = sa.create_engine(stack.env["APPLICANTS_DATABASE_URL"])
    try:
        with engine.connect() as connection:
            if connection.dialect.name != "sqlite":
                pytest.skip("EXPLAIN QUERY PLAN is SQLite's; PostgreSQL plans by statistics")
            compiled = _GATE.compile(dialect=connection.dialect)
            plan = connection.exec_driver_sql(
                "EXPLAIN QUERY PLAN " + str(compiled), tuple("x" for _ in compiled.positiontup)
            ).all()
    finally:
        engine.dispose()
    steps = [row[-1] for row in plan]
    assert not [s for s in steps if s.startswith("SCAN placements")], steps
    assert any("ix_placements_application" in s for s in steps), steps
