"""Personal data at rest: AES-GCM bound to record and field, keyed lookup hashes."""

import pytest

from services.chassis.config import Settings
from services.chassis.runtime import Runtime
from services.grid import models
from services.grid.settings import MissingKey, new_key, personal_data_key
from services.grid.usecases.protection import PersonalDataCipher, UnreadableSecret
from services.grid.worker import build_worker

KEY = b"k" * 32


def test_encryption_round_trips_and_hides_the_value():
    cipher = PersonalDataCipher(KEY)
    sealed = cipher.encrypt("44030519900101123X", record="p1", field="id_number")
    assert "44030519900101123X" not in sealed and sealed.startswith("v1.")
    assert cipher.decrypt(sealed, record="p1", field="id_number") == "44030519900101123X"


def test_the_same_value_encrypts_differently_each_time():
    cipher = PersonalDataCipher(KEY)
    first = cipher.encrypt("x", record="p1", field="name")
    assert first != cipher.encrypt("x", record="p1", field="name")


def test_a_ciphertext_copied_to_another_record_or_field_does_not_decrypt():
    cipher = PersonalDataCipher(KEY)
    sealed = cipher.encrypt("13812345678", record="p1", field="phone")
    with pytest.raises(UnreadableSecret):
        cipher.decrypt(sealed, record="p2", field="phone")
    with pytest.raises(UnreadableSecret):
        cipher.decrypt(sealed, record="p1", field="name")


def test_another_key_cannot_decrypt():
    sealed = PersonalDataCipher(KEY).encrypt("x", record="p1", field="name")
    with pytest.raises(UnreadableSecret):
        PersonalDataCipher(b"z" * 32).decrypt(sealed, record="p1", field="name")


def test_lookup_hashes_are_stable_keyed_and_per_kind():
    one, other = PersonalDataCipher(KEY), PersonalDataCipher(b"z" * 32)
    value = "44030519900101123X"
    assert one.lookup_hash(value, kind="id_number") == one.lookup_hash(value, kind="id_number")
    assert one.lookup_hash(value, kind="id_number") != other.lookup_hash(value, kind="id_number")
    assert one.lookup_hash(value, kind="id_number") != one.lookup_hash(value, kind="phone")
    assert value not in one.lookup_hash(value, kind="id_number")


def test_the_embedded_mode_makes_and_keeps_a_local_key(tmp_path):
    settings = Settings.from_env("grid", {"data_dir": tmp_path})
    first = personal_data_key(settings)
    assert len(first) == 32
    assert personal_data_key(settings) == first
    assert (tmp_path / "keys" / "grid-personal-data.key").stat().st_mode & 0o777 == 0o600


def test_production_without_a_key_refuses_to_start(tmp_path, monkeypatch):
    monkeypatch.delenv("GRID_PERSONAL_DATA_KEY", raising=False)
    settings = Settings.from_env("grid", {"data_dir": tmp_path, "environment": "production"})
    with pytest.raises(MissingKey):
        personal_data_key(settings)


def test_a_configured_key_is_used(tmp_path, monkeypatch):
    key = new_key()
    monkeypatch.setenv("GRID_PERSONAL_DATA_KEY", key)
    settings = Settings.from_env("grid", {"data_dir": tmp_path, "environment": "production"})
    assert len(personal_data_key(settings)) == 32


def test_the_worker_starts_without_the_personal_data_key(tmp_path, monkeypatch):
    monkeypatch.delenv("GRID_PERSONAL_DATA_KEY", raising=False)
    settings = Settings.from_env(
        "grid",
        {
            "data_dir": tmp_path,
            "environment": "production",
            "database_url": f"sqlite:///{tmp_path}/g.db",
            "amqp_url": "memory://",
            "overdue_sweep_seconds": 5,
        },
    )
    worker = build_worker(Runtime(settings, models.Base.metadata))
    assert [task.interval_seconds for task in worker.periodic] == [5.0]
