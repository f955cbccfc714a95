"""What the applicants service is: its tables, API, subscriptions and demo data."""

from pathlib import Path

from services.common.runtime import ServiceSpec

from .adapters.orm import common, metadata
from .api.applications import blp as applications_blp
from .api.recruitments import blp as recruitments_blp
from .api.rule_sets import blp as rule_sets_blp
from .api.selection import blp as selection_blp
from .demo_data import seed_demo
from .pages import pages

SPEC = ServiceSpec(
    name="applicants",
    title="영등포구 공공일자리 참여자 모집·선발 API",
    metadata=metadata,
    tables=common,
    package_dir=Path(__file__).parent,
    blueprints=(recruitments_blp, applications_blp, selection_blp, rule_sets_blp),
    subscriptions=(),
    seed_demo=seed_demo,
    pages=(pages,),
    page_links=(
        ("모집공고와 신청서 (추첨, 선발, 포기 처리)", "/applicants/recruitments"),
        ("새 모집공고 등록", "/applicants/recruitments/new"),
        ("공개 신청서 화면", "/applicants/apply/"),
    ),
)
