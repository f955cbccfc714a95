"""A test-only consumer built on services.common, to exercise the emergency lane.

Its bulk handler is deliberately slow; its alarm handler is on the emergency queue.
"""

from __future__ import annotations

import time
from pathlib import Path

from sqlalchemy import Column, MetaData, String, Table

from services.common.messaging import Subscription
from services.common.runtime import ServiceSpec
from services.common.tables import UTCDateTime, define_common_tables, utcnow

metadata = MetaData()
common = define_common_tables(metadata)
effects = Table(
    "probe_effects",
    metadata,
    Column("message_id", String(36), primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("applied_at", UTCDateTime, nullable=False, default=utcnow),
)


def _record(kind: str, delay: float = 0.0):
    def handler(session, envelope):
        time.sleep(delay)
        session.execute(effects.insert().values(message_id=envelope.id, kind=kind))

    return handler


SPEC = ServiceSpec(
    name="probe",
    title="test probe",
    metadata=metadata,
    tables=common,
    package_dir=Path(__file__).parent,
    subscriptions=(
        Subscription("probe.bulk_happened", _record("bulk", 0.05), name="probe.bulk"),
        Subscription("probe.alarm_raised", _record("alarm"), name="probe.alarm", emergency=True),
    ),
)


def create_app(environ=None):
    from services.common.app import create_service_app

    app = create_service_app(SPEC, environ)
    metadata.create_all(app.extensions["runtime"].db.engine)
    return app
