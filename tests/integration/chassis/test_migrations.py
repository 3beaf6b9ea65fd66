"""Every service's migrations apply on SQLite and on PostgreSQL, and go back down."""

import pytest
from sqlalchemy import create_engine, inspect

from deploy import registry
from deploy.registry import SERVICES
from services.chassis import migrations


def _tables(url):
    engine = create_engine(migrations.normalize_url(url))
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def _expected(service):
    return set(registry.metadata(service).tables) | {"alembic_version"}


@pytest.mark.parametrize("service", SERVICES)
def test_migrations_apply_on_sqlite(service, tmp_path):
    url = f"sqlite:///{tmp_path}/{service}.db"
    migrations.upgrade(registry.migrations(service), url)
    assert migrations.current_revision(url) == migrations.head_revision(registry.migrations(service))
    assert _tables(url) == _expected(service)
    migrations.downgrade(registry.migrations(service), url, "base")
    assert _tables(url) == {"alembic_version"}


@pytest.mark.parametrize("service", SERVICES)
def test_migrations_apply_on_postgres(service, postgres_databases):
    url = postgres_databases.empty(f"mig_{service}")
    migrations.upgrade(registry.migrations(service), url)
    assert migrations.current_revision(url) == migrations.head_revision(registry.migrations(service))
    assert _tables(url) == _expected(service)
    migrations.downgrade(registry.migrations(service), url, "base")
    assert _tables(url) == {"alembic_version"}
    migrations.upgrade(registry.migrations(service), url)
    assert _tables(url) == _expected(service)


@pytest.mark.parametrize("service", SERVICES)
def test_models_and_migrations_do_not_drift(service, tmp_path):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    url = f"sqlite:///{tmp_path}/{service}.db"
    migrations.upgrade(registry.migrations(service), url)
    engine = create_engine(url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, registry.metadata(service))
    engine.dispose()
    assert differences == [], f"models changed without a migration: {differences}"
