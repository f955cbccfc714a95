"""Versioned rule sets: the newest version is the current one."""

from __future__ import annotations

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from ..domain.rules import RuleSet
from .orm import rule_sets

_CURRENT = select(rule_sets).order_by(rule_sets.c.version.desc()).limit(1)
_VERSION = select(rule_sets).where(rule_sets.c.version == bindparam("v"))


def current(session: Session) -> RuleSet:
    row = session.execute(_CURRENT).first()
    if row is None:  # the migration stores version 1; a database without it is broken
        raise LookupError("no rule set stored; run the migrations")
    return RuleSet(row.version, row.data)


def get(session: Session, version: int) -> dict | None:
    row = session.execute(_VERSION, {"v": version}).first()
    return dict(row._mapping) if row else None


def latest_row(session: Session) -> dict:
    row = session.execute(select(rule_sets).order_by(rule_sets.c.version.desc()).limit(1)).first()
    return dict(row._mapping)


def add(session: Session, data: dict, actor: str, note: str) -> int:
    version = (session.scalar(select(func.max(rule_sets.c.version))) or 0) + 1
    session.execute(
        rule_sets.insert().values(version=version, data=data, note=note, created_by=actor)
    )
    return version
