"""Operations CLI: migrations, demo data, API tokens.

python -m deploy.manage migrate [all|<service>]
python -m deploy.manage seed-demo [all|<service>]
python -m deploy.manage init              # migrate + demo data + demo tokens (make run)
python -m deploy.manage tokens issue --role staff --name 김주무관
python -m deploy.manage tokens revoke <id>
python -m deploy.manage tokens list
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys

from services.common.auth import ROLES, TokenStore, split_token
from services.common.config import SERVICES, ConfigError, load_settings, var_dir
from services.common.migrate import upgrade
from services.common.runtime import Runtime, ServiceSpec


def spec_of(service: str) -> ServiceSpec:
    return importlib.import_module(f"services.{service}.spec").SPEC


def runtime_of(service: str) -> Runtime:
    """The service's full runtime (database and broker), as its app builds it."""
    app = importlib.import_module(f"services.{service}").create_app()
    return app.extensions["runtime"]


def _chosen(name: str) -> tuple[str, ...]:
    if name == "all":
        return SERVICES
    if name not in SERVICES:
        raise SystemExit(f"unknown service {name!r}; one of: all, {', '.join(SERVICES)}")
    return (name,)


def migrate(name: str) -> None:
    for service in _chosen(name):
        upgrade(spec_of(service), load_settings(service).database_url)
        print(f"migrated {service}")


def accounts_store():
    from services.common.accounts import Accounts
    from services.common.db import Database

    return Accounts(Database(load_settings("accounts").database_url))  # creates its table


def demo_users() -> None:
    """One sign-in per role for the demo, beside the tokens: var/demo-users.json (0600)."""
    from services.common.accounts import PEOPLE_ROLES

    path = var_dir() / "demo-users.json"
    if path.exists():
        return
    store = accounts_store()
    users = {role: {"username": f"demo-{role}", "password": store.add(f"demo-{role}", role)}
             for role in PEOPLE_ROLES}  # fmt: skip
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(users, handle, indent=2)
    print(f"demo sign-ins written to {path}")


def seed_demo(name: str) -> None:
    for service in _chosen(name):
        spec = spec_of(service)
        if spec.seed_demo is None:
            continue
        runtime = runtime_of(service)
        loaded = spec.seed_demo(runtime)
        print(f"demo data {service}: {'loaded' if loaded else 'already present'}")


def declare_queues() -> None:
    """Bind every consumer's queues before any service runs, so no event published before
    its consumer's first worker starts is lost (and publishers' kept routing tables,
    services/common/broker.py, are complete from the start)."""
    for service in SERVICES:
        runtime_of(service).declare_queues()


def token_stores() -> list[TokenStore]:
    return [TokenStore(r.db, r.spec.tables) for r in map(runtime_of, SERVICES)]


def issue_token(role: str, name: str) -> str:
    """Issue one token, valid in every service (each keeps its own hashed copy)."""
    stores = token_stores()
    token = stores[0].issue(name, role)
    token_id, secret_hash = split_token(token)
    for store in stores[1:]:
        store.store(token_id, name, role, secret_hash)
    return token


def demo_tokens() -> None:
    path = var_dir() / "demo-tokens.json"
    if path.exists():
        return
    tokens = {role: issue_token(role, f"demo-{role}") for role in ROLES}
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(tokens, handle, indent=2)
    print(f"demo tokens written to {path}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.manage")
    sub = parser.add_subparsers(dest="command", required=True)
    for command in ("migrate", "seed-demo"):
        sub.add_parser(command).add_argument("service", nargs="?", default="all")
    sub.add_parser("declare-queues")
    sub.add_parser("init")
    tokens = sub.add_parser("tokens").add_subparsers(dest="action", required=True)
    issue = tokens.add_parser("issue")
    issue.add_argument("--role", required=True, choices=ROLES)
    issue.add_argument("--name", required=True)
    tokens.add_parser("revoke").add_argument("token_id")
    tokens.add_parser("list")
    people = sub.add_parser("accounts").add_subparsers(dest="action", required=True)
    add = people.add_parser("add")
    add.add_argument("--name", required=True)
    add.add_argument("--role", required=True, choices=("staff", "finance", "contractor", "admin"))
    people.add_parser("migrate")
    args = parser.parse_args(argv)
    try:
        if args.command == "migrate":
            migrate(args.service)
        elif args.command == "seed-demo":
            seed_demo(args.service)
        elif args.command == "declare-queues":
            declare_queues()
        elif args.command == "init":
            migrate("all")
            declare_queues()
            seed_demo("all")
            demo_tokens()
            demo_users()
        elif args.command == "accounts" and args.action == "add":
            password = accounts_store().add(args.name, args.role)
            print(f"{args.name} ({args.role}) 비밀번호: {password}  (한 번만 보입니다)")
        elif args.command == "accounts":  # migrate: the sign-in's one table
            accounts_store()
            print("migrated accounts")
        elif args.action == "issue":
            print(issue_token(args.role, args.name))
        elif args.action == "revoke":
            done = [store.revoke(args.token_id) for store in token_stores()]
            print("revoked" if any(done) else "no such active token")
            return 0 if any(done) else 1
        else:
            for row in token_stores()[0].list():
                state = "revoked" if row["revoked_at"] else "active"
                print(row["id"], row["role"], row["name"], state)
    except ConfigError as exc:
        print(f"설정 오류: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
