"""Use cases for the eligibility and scoring rule sets (versioned, edited by staff)."""

from __future__ import annotations

from services.common.runtime import Runtime

from ..adapters import audit, rule_sets
from ..domain import commands
from ..domain.model import DomainError
from ..domain.rules import check_rules
from .errors import Invalid, NotFound


def current(runtime: Runtime) -> dict:
    with runtime.db.read() as session:
        return rule_sets.latest_row(session)


def get(runtime: Runtime, version: int) -> dict:
    with runtime.db.read() as session:
        row = rule_sets.get(session, version)
    if row is None:
        raise NotFound(f"규칙 버전 {version}이(가) 없습니다.")
    return row


def replace(runtime: Runtime, cmd: commands.ReplaceRuleSet) -> dict:
    """Store the rules as a new version; earlier decisions keep naming theirs."""
    try:
        data = check_rules(cmd.data)
    except DomainError as exc:
        raise Invalid(str(exc)) from None
    with runtime.db.transaction() as session:
        before = rule_sets.latest_row(session)
        version = rule_sets.add(session, data, cmd.actor, cmd.note)
        audit.record(
            session,
            "rule_set",
            str(version),
            "replaced",
            cmd.actor,
            {"version": before["version"], "data": before["data"]},
            {"version": version, "data": data},
        )
        session.flush()
        return rule_sets.get(session, version)
