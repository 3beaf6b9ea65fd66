"""The intake migrations build exactly the models' schema and come down cleanly."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, pool

from deploy import registry
from services.chassis import migrations
from services.chassis.db import normalize_url
from services.intake.models import Base


def _diff(url: str) -> list:
    engine = create_engine(normalize_url(url), poolclass=pool.NullPool)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        found = compare_metadata(context, Base.metadata)
    engine.dispose()
    return found


@pytest.mark.postgres
def test_postgres_schema_matches_the_models_and_downgrades(postgres_databases):
    url = postgres_databases.empty("intake_migrations")
    migrations.upgrade(registry.migrations("intake"), url)
    assert _diff(url) == []
    migrations.downgrade(registry.migrations("intake"), url, "base")
    engine = create_engine(normalize_url(url), poolclass=pool.NullPool)
    assert "tickets" not in inspect(engine).get_table_names()
    engine.dispose()


def test_sqlite_schema_matches_the_models(tmp_path):
    url = f"sqlite:///{tmp_path / 'intake.db'}"
    migrations.upgrade(registry.migrations("intake"), url)
    assert _diff(url) == []
