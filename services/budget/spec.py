"""What the budget service is: its tables, API, subscriptions and demo data."""

from pathlib import Path

from services.common.runtime import ServiceSpec

from .adapters.orm import common, metadata
from .api.sub_programs import blp as sub_programs_blp
from .api.unit_programs import blp as unit_programs_blp
from .demo_data import seed_demo

SPEC = ServiceSpec(
    name="budget",
    title="영등포구 일자리경제과 예산 집행 API",
    metadata=metadata,
    tables=common,
    package_dir=Path(__file__).parent,
    blueprints=(unit_programs_blp, sub_programs_blp),
    subscriptions=(),
    seed_demo=seed_demo,
)
