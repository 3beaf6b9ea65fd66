"""The `community` command."""

import jwt
from click.testing import CliRunner

from deploy import cli


def _run(args, data_dir):
    return CliRunner().invoke(
        cli.main, args, env={"COMMUNITY_DATA_DIR": str(data_dir)}, catch_exceptions=False
    )


def test_token_prints_only_a_token_signed_by_the_local_key(tmp_path):
    result = _run(
        ["token", "--role", "committee_member", "--community", "huaguoshan", "--ttl", "8h"], tmp_path
    )
    assert result.exit_code == 0
    token = result.stdout.strip()
    assert "\n" not in token
    public_key = (tmp_path / "keys" / "jwt-public.pem").read_bytes()
    claims = jwt.decode(token, public_key, algorithms=["RS256"], audience="community-platform")
    assert claims["roles"] == ["committee_member"]
    assert claims["communities"] == ["huaguoshan"]
    assert claims["exp"] - claims["iat"] == 8 * 3600


def test_token_defaults_to_every_community_and_takes_extra_claims(tmp_path):
    result = _run(
        [
            "token",
            "--role",
            "department",
            "--department",
            "fire",
            "--claim",
            "provider_id=p-1",
            "--ttl",
            "30m",
        ],
        tmp_path,
    )
    claims = jwt.decode(result.stdout.strip(), options={"verify_signature": False})
    assert len(claims["communities"]) == 7
    assert claims["department"] == "fire" and claims["provider_id"] == "p-1"
    assert claims["exp"] - claims["iat"] == 1800


def test_token_refuses_a_bad_ttl_and_an_unknown_role(tmp_path):
    assert _run(["token", "--role", "committee_member", "--ttl", "soon"], tmp_path).exit_code == 2
    assert _run(["token", "--role", "mayor"], tmp_path).exit_code == 2


def test_migrate_all_creates_every_service_database(tmp_path):
    result = _run(["migrate", "all"], tmp_path)
    assert result.exit_code == 0
    assert sorted(p.name for p in tmp_path.glob("*.db")) == [
        "contracts.db",
        "evaluation.db",
        "governance.db",
        "grid.db",
        "intake.db",
        "notifications.db",
        "subscriptions.db",
    ]


def _reseal(tmp_path, service: str, stored_in_clear: str):
    """`community reseal SERVICE` over a row stored in clear before sealing; the new key's cipher."""
    import sqlite3

    from services.chassis.protection import PersonalDataCipher, decode_key, new_key

    assert _run(["migrate", service], tmp_path).exit_code == 0
    with sqlite3.connect(tmp_path / f"{service}.db") as db:
        db.execute(stored_in_clear)
    key = new_key()
    result = CliRunner().invoke(
        cli.main,
        ["reseal", service],
        env={
            "COMMUNITY_DATA_DIR": str(tmp_path),
            f"{service.upper()}_PERSONAL_DATA_KEY": key,
            "AMQP_URL": "",
        },
        catch_exceptions=False,
    )
    cipher = PersonalDataCipher(decode_key(key))
    assert result.exit_code == 0 and f"1 rows resealed with key {cipher.key_id}" in result.stderr
    return cipher, sqlite3.connect(tmp_path / f"{service}.db")


def test_reseal_seals_an_old_clear_phone_with_the_current_key(tmp_path):
    cipher, db = _reseal(
        tmp_path,
        "intake",
        "INSERT INTO cases (id, number, community, business_type, contact_phone, summary, status, "
        "opened_at, due_at, version) VALUES ('c1', 'IC-2026-000001', 'huaguoshan', 'general', "
        "'13800138000', 'x', 'open', '2026-03-03 01:00:00', '2026-03-10 01:00:00', 1)",
    )
    with db:
        clear, sealed = db.execute("SELECT contact_phone, contact_phone_sealed FROM cases").fetchone()
    assert clear is None and cipher.decrypt(sealed, record="c1", field="contact_phone") == "13800138000"


def test_reseal_seals_a_provider_contact_stored_in_clear_with_the_current_key(tmp_path):
    cipher, db = _reseal(
        tmp_path,
        "contracts",
        "INSERT INTO providers (id, name, uscc, kind, status, contact_name, contact_phone, "
        "created_at, version) VALUES ('p1', '阳光社工', '52440300MJL000001X', 'social_service_agency', "
        "'active', '王小明', '13800138000', '2026-03-03 01:00:00', 1)",
    )
    with db:
        row = db.execute(
            "SELECT contact_name, contact_phone, contact_name_sealed, contact_phone_sealed, "
            "contact_name_masked, contact_phone_masked FROM providers"
        ).fetchone()
    assert row[:2] == (None, None) and row[4:] == ("王**", "138******00")
    assert cipher.decrypt(row[2], record="p1", field="contact_name") == "王小明"
    assert cipher.decrypt(row[3], record="p1", field="contact_phone") == "13800138000"


def _rows(data_dir):
    """Rows per table of every service database (what a second bootstrap must not change)."""
    import sqlite3

    counts = {}
    for path in sorted(data_dir.glob("*.db")):
        with sqlite3.connect(path) as db:
            for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
                counts[f"{path.stem}.{table}"] = db.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
    return counts


def test_bootstrap_loads_the_reference_data_once_and_no_history(tmp_path):
    assert _run(["migrate", "all"], tmp_path).exit_code == 0
    first = _run(["bootstrap"], tmp_path)
    assert first.exit_code == 0, first.output
    assert "evaluation: reference data in place" in first.output
    loaded = _rows(tmp_path)
    assert loaded["intake.business_types"] > 0 and loaded["intake.windows"] > 0
    assert loaded["grid.cells"] == 30 and loaded["contracts.service_packages"] > 0
    assert loaded["intake.tickets"] == 0 and loaded["contracts.tenders"] == 0  # no demo history
    again = _run(["bootstrap"], tmp_path)
    assert again.exit_code == 0 and _rows(tmp_path) == loaded
