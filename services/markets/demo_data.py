"""The 2022 report's markets and market safety jobs as demo data (loaded once)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from services.common.report_data import load

from .domain import commands
from .service_layer.catalogue import register

DEMO_FILE = Path(__file__).parent / "demo" / "markets_2022.toml"

# The report's project codes (as in the TOML file) and the kind of work each one is.
KIND_OF = {
    "iot_fire_detection": "iot_fire_sensor",
    "talking_extinguisher": "talking_extinguisher",
    "wiring_renewal": "wiring",
    "cctv": "cctv",
    "fire_equipment_replacement": "fire_equipment",
    "fire_mutual_insurance": "fire_insurance",
}


def job_code(fiscal_year: int, report_code: str) -> str:
    """Work-order codes stay unique across years: ``2022-iot_fire_detection``."""
    return f"{fiscal_year}-{report_code}"


def demo_commands(
    data: dict[str, Any],
) -> tuple[list[commands.RegisterMarket], list[commands.PlanSafetyJob]]:
    markets = [commands.RegisterMarket(m["name"], m.get("stores")) for m in data["markets"]]
    jobs = [
        commands.PlanSafetyJob(
            code=job_code(data["fiscal_year"], j["code"]),
            kind=KIND_OF[j["code"]],
            title=j["name"],
            status=j["status"],
            sites=tuple(
                commands.Site(s["market"], s.get("units", s.get("stores"))) for s in j["sites"]
            ),
            starts=j.get("start"),
            ends=j.get("end"),
            budget_krw=j["cost_thousand"] * 1000 if "cost_thousand" in j else None,
            funding_ratio_pct=j.get("funding_ratio_pct"),
            market_count=j.get("market_count"),
            total_units=j.get("units"),
        )
        for j in data["safety_jobs"]
    ]
    return markets, jobs


def seed_demo(runtime) -> bool:
    from .demo_stores import seed_stores

    markets, jobs = demo_commands(load(DEMO_FILE))
    added = register(runtime, markets, jobs)
    return bool(seed_stores(runtime)) or added
