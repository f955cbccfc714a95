"""What the budget service is: its tables, API, subscriptions and demo data."""

from pathlib import Path

from services.common.runtime import ServiceSpec

from .adapters.orm import common, metadata

SPEC = ServiceSpec(
    name="budget",
    title="영등포구 일자리경제과 예산 집행 API",
    metadata=metadata,
    tables=common,
    package_dir=Path(__file__).parent,
)
