"""The 2022 report's public-job programs as demo recruitments (loaded once)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from services.common.report_data import load

from .adapters.orm import recruitments
from .domain import commands, model
from .service_layer.recruitments import open_recruitment

DEMO_FILE = Path(__file__).parent / "demo" / "programs_2022.toml"
DEMO_TITLE = "2022년 공공일자리 참여자 모집"
# The demo draw's seed is public on purpose (a demo has nothing to hide); a real
# recruitment publishes only the hash of a seed kept by staff until the draw.
DEMO_SEED = "ydp-2022-demo-seed"


def demo_command() -> commands.OpenRecruitment:
    data = load(DEMO_FILE)
    # The report prints "1일 3~8시간" for all programs, no per-program figure: the demo
    # uses the upper bound (65세 이상 get the rule set's 3 h/day at selection).
    daily_hours = data["common"]["daily_hours_max"]
    offers = tuple(
        model.ProgramOffer(
            code=p["code"],
            quota=p["quota"],
            hourly_wage=p["hourly_wage_krw"],
            work_starts=p["periods"][0]["start"],
            work_ends=p["periods"][0]["end"],
            daily_hours=daily_hours,
            funding_split=dict(p["funding_ratio_pct"]),
        )
        for p in data["programs"]
    )
    return commands.OpenRecruitment(
        title=DEMO_TITLE,
        year=data["fiscal_year"],
        half=1,
        programs=offers,
        actor="demo",
        seed_hash=model.seed_hash_of(DEMO_SEED),
    )


def seed_demo(runtime) -> bool:
    with runtime.db.read() as session:
        if session.scalar(select(recruitments.c.id).where(recruitments.c.title == DEMO_TITLE)):
            return False
    open_recruitment(runtime, demo_command())
    return True
