"""Alarm rules and escalation policy as versioned data: read the current, store a new one."""

from __future__ import annotations

from sqlalchemy import select

from services.common.problems import Problem
from services.common.runtime import Runtime

from ..adapters.orm import alarm_rule_sets
from ..domain.alarms import DEFAULT_POLICY
from ..domain.rules import DEFAULT_RULES


def current(runtime: Runtime) -> dict:
    with runtime.db.read() as session:
        row = session.execute(
            select(alarm_rule_sets).order_by(alarm_rule_sets.c.version.desc()).limit(1)
        ).one()
    return dict(row._mapping)


def _check(data: dict) -> list[str]:
    """Every key the code reads must be there, with numbers where numbers are read."""
    problems = []
    rules, policy = data.get("rules"), data.get("policy")
    if not isinstance(rules, dict) or not isinstance(policy, dict):
        return ["data는 {rules, policy} 두 항목이어야 합니다."]
    for group, defaults in DEFAULT_RULES.items():
        for key in defaults:
            value = (rules.get(group) or {}).get(key)
            if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
                problems.append(f"rules.{group}.{key}: 0 이상의 숫자가 필요합니다.")
    for kind in DEFAULT_POLICY:
        steps = (policy.get(kind) or {}).get("steps")
        if not isinstance(steps, list) or not steps:
            problems.append(f"policy.{kind}.steps: 한 단계 이상 필요합니다.")
            continue
        delays = [s.get("after_s") for s in steps if isinstance(s, dict)]
        if len(delays) != len(steps) or delays != sorted(d for d in delays if isinstance(d, int)):
            problems.append(f"policy.{kind}.steps: after_s(초)가 늘어나는 순서여야 합니다.")
        for key in ("repeat_every_s", "max_repeats"):
            if not isinstance(policy[kind].get(key), int) or policy[kind][key] < 0:
                problems.append(f"policy.{kind}.{key}: 0 이상의 정수가 필요합니다.")
    if isinstance(policy.get("suspected"), dict):
        for step in policy["suspected"].get("steps") or []:
            if isinstance(step, dict) and "station" in (step.get("roles") or []):
                problems.append("policy.suspected: 의심 단계에서는 119에 알리지 않습니다.")
    return problems


def replace(runtime: Runtime, data: dict, note: str, by: str) -> dict:
    problems = _check(data)
    if problems:
        raise Problem(422, " ".join(problems), problems=problems)
    with runtime.db.transaction() as session:
        latest = session.scalar(select(alarm_rule_sets.c.version).order_by(
            alarm_rule_sets.c.version.desc()).limit(1))  # fmt: skip
        session.execute(alarm_rule_sets.insert().values(
            version=latest + 1, data=data, note=note, created_by=by))  # fmt: skip
    return current(runtime)
