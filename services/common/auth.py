"""Bearer API tokens with roles, stored hashed; endpoints are closed unless marked."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar
from urllib.parse import quote

from flask import Flask, current_app, g, redirect, request, session
from sqlalchemy import select, update

from .db import Database
from .problems import Problem
from .tables import CommonTables, utcnow
from .web import wants_html

ROLES = ("staff", "finance", "contractor", "device", "admin")
PUBLIC_ENDPOINT_PREFIXES = ("api-docs.", "static", "common_static.")
F = TypeVar("F", bound=Callable)


@dataclass(frozen=True)
class Principal:
    token_id: str
    name: str
    role: str


def public(view: F) -> F:
    """Mark a view (function or MethodView method) as open to anyone."""
    view._public = True  # type: ignore[attr-defined]
    # ...and say so in the OpenAPI document (flask-smorest merges "manual_doc").
    apidoc = getattr(view, "_apidoc", {})
    apidoc.setdefault("manual_doc", {})["security"] = []
    view._apidoc = apidoc  # type: ignore[attr-defined]
    return view


def roles(*allowed: str) -> Callable[[F], F]:
    """Restrict a view to these roles (admin always passes)."""
    unknown = set(allowed) - set(ROLES)
    if unknown:
        raise ValueError(f"unknown roles {unknown}")

    def mark(view: F) -> F:
        view._roles = frozenset(allowed)  # type: ignore[attr-defined]
        return view

    return mark


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class TokenStore:
    def __init__(self, db: Database, tables: CommonTables):
        self.db = db
        self.table = tables.api_tokens

    def issue(self, name: str, role: str, token_id: str | None = None) -> str:
        if role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}")
        token_id = token_id or secrets.token_hex(6)
        secret = secrets.token_urlsafe(32)
        self.store(token_id, name, role, _hash(secret))
        return f"ydp_{token_id}_{secret}"

    def store(self, token_id: str, name: str, role: str, secret_hash: str) -> None:
        with self.db.transaction() as session:
            session.execute(
                self.table.insert().values(
                    id=token_id, name=name, role=role, secret_hash=secret_hash
                )
            )

    def revoke(self, token_id: str) -> bool:
        with self.db.transaction() as session:
            result = session.execute(
                update(self.table)
                .where(self.table.c.id == token_id, self.table.c.revoked_at.is_(None))
                .values(revoked_at=utcnow())
            )
        return result.rowcount == 1

    def list(self) -> list[dict]:
        with self.db.read() as session:
            rows = session.execute(
                select(
                    self.table.c.id,
                    self.table.c.name,
                    self.table.c.role,
                    self.table.c.created_at,
                    self.table.c.revoked_at,
                ).order_by(self.table.c.created_at)
            )
            return [dict(r._mapping) for r in rows]

    def verify(self, token: str) -> Principal | None:
        parts = token.split("_", 2)
        if len(parts) != 3 or parts[0] != "ydp":
            return None
        _, token_id, secret = parts
        with self.db.read() as session:
            row = session.execute(select(self.table).where(self.table.c.id == token_id)).first()
        if row is None or row.revoked_at is not None:
            return None
        if not hmac.compare_digest(row.secret_hash, _hash(secret)):
            return None
        return Principal(row.id, row.name, row.role)


def split_token(token: str) -> tuple[str, str]:
    """(token id, secret hash) of a plaintext token, for copying it into other stores."""
    _, token_id, secret = token.split("_", 2)
    return token_id, _hash(secret)


def view_for(app: Flask, endpoint: str | None):
    view = app.view_functions.get(endpoint or "")
    if view is None:
        return None
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        method = getattr(view_class, request.method.lower(), None)
        if method is not None:
            view = method
    return view


def install_auth(app: Flask, store: TokenStore) -> None:
    @app.before_request
    def _authenticate():
        endpoint = request.endpoint
        if endpoint is None or request.method == "OPTIONS":
            return None  # 404/405 answered by Flask
        if endpoint.startswith(PUBLIC_ENDPOINT_PREFIXES):
            return None
        view = view_for(current_app, endpoint)
        if getattr(view, "_public", False):
            return None
        header = request.headers.get("Authorization", "")
        principal = None
        if header.startswith("Bearer "):
            principal = store.verify(header[len("Bearer ") :].strip())
        elif (person := session.get("user")) is not None:  # signed in at /login
            principal = Principal(f"session:{person['sid']}", person["name"], person["role"])
        if principal is None:
            if wants_html():  # a person: to the sign-in, and back here after
                return redirect(f"/login?next={quote(request.full_path.rstrip('?'))}", 303)
            raise Problem(401, "유효한 API 토큰을 Authorization: Bearer 헤더로 보내 주세요.")
        allowed = getattr(view, "_roles", frozenset())
        if principal.role != "admin" and principal.role not in allowed:
            raise Problem(
                403,
                f"이 작업은 {', '.join(sorted(allowed)) or 'admin'} 역할만 할 수 있습니다 "
                f"(현재 역할: {principal.role}).",
            )
        g.principal = principal
        return None
