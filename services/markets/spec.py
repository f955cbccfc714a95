"""What the markets service is: its tables, API, subscriptions and demo data."""

from pathlib import Path

from services.common.runtime import ServiceSpec

from .adapters.orm import common, metadata

SPEC = ServiceSpec(
    name="markets",
    title="영등포구 전통시장 안전관리 API",
    metadata=metadata,
    tables=common,
    package_dir=Path(__file__).parent,
)
