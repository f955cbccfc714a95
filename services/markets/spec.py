"""What the markets service is: its tables, API, subscriptions and demo data."""

from pathlib import Path

from services.common.runtime import ServiceSpec

from .adapters.orm import common, metadata
from .api.markets import blp as markets_blp
from .api.safety_jobs import blp as safety_jobs_blp
from .demo_data import seed_demo

SPEC = ServiceSpec(
    name="markets",
    title="영등포구 전통시장 안전관리 API",
    metadata=metadata,
    tables=common,
    package_dir=Path(__file__).parent,
    blueprints=(markets_blp, safety_jobs_blp),
    subscriptions=(),
    seed_demo=seed_demo,
    emergency=True,
)
