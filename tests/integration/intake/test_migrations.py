"""The intake migrations build exactly the models' schema and come down cleanly."""

from __future__ import annotations

import json

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, pool, text

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


def test_existing_tickets_record_their_personal_attributes_and_phone_masks(tmp_path):
    """The upgrade that began sealing: names fixed from the form as it stood, clear phones masked."""
    url = f"sqlite:///{tmp_path / 'intake.db'}"
    migrations.upgrade(registry.migrations("intake"), url, "16259cec89b2")
    engine = create_engine(normalize_url(url), poolclass=pool.NullPool)
    form = '[{"code": "applicant_id", "personal": true}, {"code": "household_size", "personal": false}]'
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO business_types (id, community, code, name_zh, name_en, department, "
                "typical_minutes, needs_follow_up, sla_days, ticket_prefix, attributes, active, version, "
                "created_at) VALUES ('bt1', 'huaguoshan', 'passport', '护照', 'Passport', 'public_security', "
                "10, 0, 3, 'B', :form, 1, 1, '2026-03-03 01:00:00')"
            ),
            {"form": form},
        )
        connection.execute(
            text(
                "INSERT INTO tickets (id, community, local_date, number, business_type, "
                "original_business_type, channel, priority, owner_sub, contact_phone, attributes, status, "
                "queue_key, issued_at, local_hour, transfers, version) VALUES ('t1', 'huaguoshan', "
                "'2026-03-03', 'B001', 'passport', 'passport', 'portal', 0, 'r1', '13800138000', :values, "
                "'waiting', '2026-03-03 01:00:00', '2026-03-03 01:00:00', 9, 0, 1)"
            ),
            {"values": '{"applicant_id": "440305199001011234", "household_size": 2, "gone": "x"}'},
        )
    migrations.upgrade(registry.migrations("intake"), url)
    with engine.connect() as connection:
        row = connection.execute(
            text("SELECT personal_attributes, contact_phone_masked FROM tickets WHERE id = 't1'")
        ).one()
    engine.dispose()
    assert json.loads(row.personal_attributes) == ["applicant_id", "gone"]
    assert row.contact_phone_masked == "138****8000"
