"""People's accounts for signing in (machines keep bearer tokens): argon2 hashes, roles,
and a lockout after repeated wrong passwords. Only the sign-in app reads this store."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError
from sqlalchemy import Column, Integer, MetaData, String, Table, select, update

from .auth import ROLES
from .db import Database
from .tables import UTCDateTime, utcnow

PEOPLE_ROLES = tuple(r for r in ROLES if r != "device")
ROLE_NAMES = {"staff": "직원", "finance": "재무", "contractor": "시공업체", "admin": "관리자"}
MAX_FAILURES = 5
LOCKED_FOR = timedelta(minutes=15)

metadata = MetaData()
accounts = Table(
    "accounts",
    metadata,
    Column("name", String(80), primary_key=True),
    Column("password_hash", String(200), nullable=False),
    Column("role", String(20), nullable=False),
    Column("failures", Integer, nullable=False, default=0),
    Column("locked_until", UTCDateTime, nullable=True),
    Column("created_at", UTCDateTime, nullable=False, default=utcnow),
)
_hasher = PasswordHasher()


class SignInRefused(Exception):
    def __init__(self, message: str, locked: bool = False):
        super().__init__(message)
        self.locked = locked


@dataclass(frozen=True)
class Person:
    name: str
    role: str

    @property
    def role_name(self) -> str:
        return ROLE_NAMES.get(self.role, self.role)


class Accounts:
    def __init__(self, db: Database):
        self.db = db
        metadata.create_all(db.engine)  # one small table; no migrations of its own yet

    def add(self, name: str, role: str, password: str | None = None) -> str:
        """Create an account; returns its password (generated when not given)."""
        if role not in PEOPLE_ROLES:
            raise ValueError(f"role must be one of {', '.join(PEOPLE_ROLES)}")
        if not name.strip() or len(name) > 80:
            raise ValueError("name must be 1–80 characters")
        password = password or secrets.token_urlsafe(12)
        if len(password) < 10:
            raise ValueError("password must be at least 10 characters")
        with self.db.transaction() as session:
            session.execute(accounts.insert().values(
                name=name, password_hash=_hasher.hash(password), role=role, failures=0))  # fmt: skip
        return password

    def sign_in(self, name: str, password: str) -> Person:
        """The person, or SignInRefused with a Korean message that never says which of
        name and password was wrong. A failure is counted (committed) before it is raised."""
        now = utcnow()
        minutes = LOCKED_FOR.seconds // 60
        refusal = None
        with self.db.transaction() as session:
            row = session.execute(select(accounts).where(accounts.c.name == name)).first()
            if row is None:
                _hasher.hash(password)  # the same time as a real check
                refusal = SignInRefused("아이디 또는 비밀번호가 맞지 않습니다.")
            elif row.locked_until is not None and row.locked_until > now:
                refusal = SignInRefused(
                    f"비밀번호를 {MAX_FAILURES}번 틀려 잠시 잠겼습니다. {minutes}분 뒤에 다시 "
                    "시도해 주세요.", locked=True)  # fmt: skip
            elif not _matches(row.password_hash, password):
                failures = row.failures + 1
                locked = now + LOCKED_FOR if failures >= MAX_FAILURES else None
                session.execute(update(accounts).where(accounts.c.name == name).values(
                    failures=0 if locked else failures, locked_until=locked))  # fmt: skip
                refusal = (
                    SignInRefused(f"비밀번호를 {MAX_FAILURES}번 틀려 {minutes}분 동안 "
                                  "잠겼습니다.", locked=True)
                    if locked else SignInRefused("아이디 또는 비밀번호가 맞지 않습니다.")
                )  # fmt: skip
            else:
                session.execute(update(accounts).where(accounts.c.name == name).values(
                    failures=0, locked_until=None))  # fmt: skip
        if refusal is not None:
            raise refusal
        return Person(row.name, row.role)


def _matches(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, InvalidHashError):
        return False
