"""Alembic migrations per service: each service migrates only its own database.

`location` is the folder of a service's migrations (`deploy.registry.migrations(name)`).
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData, create_engine, pool

from .db import normalize_url


def alembic_config(location: Path | str, database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(location))
    config.set_main_option(
        "sqlalchemy.url", normalize_url(database_url).render_as_string(hide_password=False).replace("%", "%%")
    )
    return config


def upgrade(location: Path | str, database_url: str, revision: str = "head") -> None:
    """Bring a service's database to `revision` (creating the SQLite file if needed)."""
    url = normalize_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(location, database_url), revision)


def downgrade(location: Path | str, database_url: str, revision: str) -> None:
    command.downgrade(alembic_config(location, database_url), revision)


def current_revision(database_url: str) -> str | None:
    engine = create_engine(normalize_url(database_url), poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def head_revision(location: Path | str, database_url: str = "sqlite://") -> str | None:
    return ScriptDirectory.from_config(alembic_config(location, database_url)).get_current_head()


def make_revision(location: Path | str, message: str, database_url: str) -> None:
    """Autogenerate a new revision by comparing `database_url` (at head) with the models."""
    upgrade(location, database_url)
    command.revision(alembic_config(location, database_url), message=message, autogenerate=True)


def run_env(metadata: MetaData) -> None:
    """The body of every service's `migrations/env.py`."""
    from alembic import context

    config = context.config
    url = config.get_main_option("sqlalchemy.url")
    assert url is not None
    is_sqlite = url.startswith("sqlite")
    if context.is_offline_mode():
        context.configure(
            url=url,
            target_metadata=metadata,
            literal_binds=True,
            render_as_batch=is_sqlite,
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(
            connection=connection, target_metadata=metadata, render_as_batch=is_sqlite, compare_type=True
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()
