"""Alembic, driven from code: each service keeps its own migrations/ and database."""

from __future__ import annotations

from alembic import command, context
from alembic.config import Config
from sqlalchemy import MetaData, create_engine, pool

from .runtime import ServiceSpec


def alembic_config(spec: ServiceSpec, url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(spec.package_dir / "migrations"))
    cfg.attributes["url"] = url
    return cfg


def upgrade(spec: ServiceSpec, url: str) -> None:
    command.upgrade(alembic_config(spec, url), "head")


def run_env(metadata: MetaData) -> None:
    """Body of every service's migrations/env.py."""
    url = context.config.attributes.get("url")
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=metadata, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()
