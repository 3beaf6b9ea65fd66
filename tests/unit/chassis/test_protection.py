"""Personal data at rest: AES-GCM bound to record and field, keyed lookup hashes."""

import pytest

from services.chassis.config import Settings
from services.chassis.protection import MissingKey, PersonalDataCipher, UnreadableSecret, decode_key, new_key
from services.chassis.runtime import Runtime
from services.grid import models
from services.grid.settings import personal_data_cipher
from services.grid.worker import build_worker

KEY = b"k" * 32


def test_encryption_round_trips_and_hides_the_value():
    cipher = PersonalDataCipher(KEY)
    sealed = cipher.encrypt("44030519900101123X", record="p1", field="id_number")
    assert "44030519900101123X" not in sealed and sealed.startswith(f"v2.{cipher.key_id}.")
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
    sealed = personal_data_cipher(settings).encrypt("x", record="p1", field="name")
    assert personal_data_cipher(settings).decrypt(sealed, record="p1", field="name") == "x"
    assert (tmp_path / "keys" / "grid-personal-data.key").stat().st_mode & 0o777 == 0o600


def test_production_without_a_key_refuses_to_start(tmp_path, monkeypatch):
    monkeypatch.delenv("GRID_PERSONAL_DATA_KEY", raising=False)
    settings = Settings.from_env("grid", {"data_dir": tmp_path, "environment": "production"})
    with pytest.raises(MissingKey):
        personal_data_cipher(settings)


def test_a_configured_key_is_used(tmp_path, monkeypatch):
    key = new_key()
    monkeypatch.setenv("GRID_PERSONAL_DATA_KEY", key)
    settings = Settings.from_env("grid", {"data_dir": tmp_path, "environment": "production"})
    assert personal_data_cipher(settings).key_id == PersonalDataCipher(decode_key(key)).key_id


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


def test_a_retired_key_still_decrypts_and_reencrypt_moves_to_the_current_key():
    old = PersonalDataCipher(KEY)
    sealed = old.encrypt("13812345678", record="p1", field="phone")
    rotated = PersonalDataCipher(b"n" * 32, retired=[KEY])
    assert not rotated.is_current(sealed)
    assert rotated.decrypt(sealed, record="p1", field="phone") == "13812345678"
    moved = rotated.reencrypt(sealed, record="p1", field="phone")
    assert rotated.is_current(moved) and moved.split(".")[1] == rotated.key_id != old.key_id
    with pytest.raises(UnreadableSecret):  # the retired key is not needed any more
        old.decrypt(moved, record="p1", field="phone")
    assert PersonalDataCipher(b"n" * 32).decrypt(moved, record="p1", field="phone") == "13812345678"


def test_grid_ciphertexts_from_before_key_ids_still_decrypt():
    legacy = "v1." + PersonalDataCipher(KEY).encrypt("x", record="p1", field="name").split(".", 2)[2]
    assert PersonalDataCipher(b"n" * 32, retired=[KEY]).decrypt(legacy, record="p1", field="name") == "x"


def test_lookups_during_a_rotation_find_hashes_of_either_key():
    rotated = PersonalDataCipher(b"n" * 32, retired=[KEY])
    old_hash = PersonalDataCipher(KEY).lookup_hash("44030519900101123X", kind="id_number")
    assert old_hash in rotated.lookup_hashes("44030519900101123X", kind="id_number")
    assert rotated.lookup_hash("44030519900101123X", kind="id_number") != old_hash
