"""The contracts upgrade that began sealing providers' contacts keeps old rows readable, masked."""

from __future__ import annotations

from sqlalchemy import create_engine, pool, text

from deploy import registry
from services.chassis import migrations
from services.chassis.db import normalize_url


def test_existing_provider_contacts_get_their_masks_and_stay_for_the_reseal(tmp_path):
    url = f"sqlite:///{tmp_path / 'contracts.db'}"
    migrations.upgrade(registry.migrations("contracts"), url, "cfade4595900")
    engine = create_engine(normalize_url(url), poolclass=pool.NullPool)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO providers (id, name, uscc, kind, status, contact_name, contact_phone, "
                "created_at, version) VALUES ('p1', '阳光社工', '52440300MJL000001X', "
                "'social_service_agency', 'active', '王小明', '13800138000', '2026-03-03 01:00:00', 1), "
                "('p2', '无联系人', '52440300MJL000002X', 'social_service_agency', 'active', NULL, NULL, "
                "'2026-03-03 01:00:00', 1)"
            )
        )
    migrations.upgrade(registry.migrations("contracts"), url)
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT id, contact_name_masked, contact_phone_masked, contact_name, contact_phone, "
                "contact_name_sealed FROM providers ORDER BY id"
            )
        ).all()
    engine.dispose()
    assert [tuple(row) for row in rows] == [
        ("p1", "王**", "138******00", "王小明", "13800138000", None),  # sealed by `community reseal`
        ("p2", None, None, None, None, None),
    ]
