"""What responses and events show of an application: masked, never the raw data."""

from __future__ import annotations

from typing import Any


def recipient(row: dict[str, Any]) -> dict[str, Any]:
    """The events' recipient object; the phone travels as the stored Fernet token."""
    return {
        "name_masked": row["name_masked"],
        "phone_enc": row["phone_enc"],
        "email_enc": None,
        "kakao": bool(row["kakao"]),
    }


def public_view(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "recruitment_id": row["recruitment_id"],
        "status": row["status"],
        "name_masked": row["name_masked"],
        "rrn_masked": row["rrn_masked"],
        "phone_masked": row["phone_masked"],
        "preferences": list(row["preferences"]),
        "reasons": list(row["reasons"]),
        "rule_version": row["rule_version"],
        "consent_version": row.get("consent_version"),
        "created_at": row["created_at"],
    }


def staff_view(row: dict[str, Any], trail: list[dict] | None = None) -> dict[str, Any]:
    view = public_view(row)
    view.update(
        address_masked=row["address_masked"],
        age=row["age"],
        sex=row["sex"],
        household_size=row["household_size"],
        household_members=row["household_members"],
        property_krw=row["property_krw"],
        monthly_income_krw=row["monthly_income_krw"],
        priority_groups=row["priority_groups"],
        priority=row["priority"],
        past_participations=row["past_participations"],
        eligible_programs=row["eligible_programs"],
        score=row["score"],
        score_items=row["score_items"],
        program_code=row["program_code"],
        waitlist_rank=row["waitlist_rank"],
        updated_at=row["updated_at"],
        history=[
            {k: t[k] for k in ("action", "actor", "at", "before", "after")} for t in trail or []
        ],
    )
    return view


def audit_state(row: dict[str, Any]) -> dict[str, Any]:
    """The part of an application the audit trail records (masked)."""
    return {
        "status": row["status"],
        "program_code": row.get("program_code"),
        "waitlist_rank": row.get("waitlist_rank"),
    }
