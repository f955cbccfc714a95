"""What the applicants service is: its tables, API, subscriptions and demo data."""

from pathlib import Path

from services.common.runtime import ServiceSpec

from .adapters.orm import common, metadata
from .api.recruitments import blp as recruitments_blp
from .demo_data import seed_demo

SPEC = ServiceSpec(
    name="applicants",
    title="영등포구 공공일자리 참여자 모집·선발 API",
    metadata=metadata,
    tables=common,
    package_dir=Path(__file__).parent,
    blueprints=(recruitments_blp,),
    subscriptions=(),
    seed_demo=seed_demo,
)
