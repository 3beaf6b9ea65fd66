"""One database and one role per service: the container's init script and the local
stack's provisioning, against the real PostgreSQL server."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import sqlalchemy.exc
from sqlalchemy import create_engine, pool, text

from deploy import databases
from deploy.registry import SERVICES
from tests.support import environment

pytestmark = pytest.mark.postgres
INIT_SCRIPT = Path(__file__).resolve().parents[2] / "deploy" / "postgres" / "init-databases.sh"


def scalar(url: str, *statements: str, **params):
    """The first column of the last statement's first row (statements run in one transaction)."""
    engine = create_engine(databases.admin_url(url), poolclass=pool.NullPool)
    try:
        with engine.begin() as connection:
            for sql in statements:
                result = connection.execute(text(sql), params)
            return result.scalar()
    finally:
        engine.dispose()


def as_role(role: str, database: str) -> str:
    return str(
        databases.admin_url(environment.postgres_admin_url())
        .set(username=role, password="unused-with-trust-auth", database=database)
        .render_as_string(hide_password=False)
    )


@pytest.fixture
def prefix():
    environment.need("postgres")
    prefix = f"t_{uuid.uuid4().hex[:8]}_"
    yield prefix
    for service in SERVICES:
        databases.drop(environment.postgres_admin_url(), f"{prefix}{service}")


def assert_isolated(prefix: str) -> None:
    admin = environment.postgres_admin_url()
    for service in SERVICES:
        name = f"{prefix}{service}"
        assert (
            scalar(admin, "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = :n", n=name)
            == name
        )
        assert scalar(as_role(name, name), "SELECT current_database()") == name
        assert (
            scalar(as_role(name, name), "CREATE TABLE probe (id int)", "SELECT count(*) + 1 FROM probe") == 1
        )
        for other in (s for s in SERVICES if s != service):
            with pytest.raises(sqlalchemy.exc.OperationalError, match="permission denied"):
                scalar(as_role(name, f"{prefix}{other}"), "SELECT 1")


def test_init_script_makes_one_isolated_database_per_service_and_can_run_again(prefix):
    if not shutil.which("psql"):
        pytest.fail("psql is needed to run the init script")
    admin = urlsplit(environment.postgres_admin_url())
    env = {
        **os.environ,
        "PGHOST": admin.hostname or "127.0.0.1",
        "PGPORT": str(admin.port or 5432),
        "POSTGRES_USER": admin.username or "postgres",
        "POSTGRES_DB": "postgres",
        "COMMUNITY_DB_PREFIX": prefix,
        **{f"{s.upper()}_DB_PASSWORD": f"it's-{s}-{uuid.uuid4().hex}" for s in SERVICES},
    }
    for _ in range(2):
        result = subprocess.run(
            ["sh", str(INIT_SCRIPT)], env=env, capture_output=True, text=True, timeout=120
        )
        assert result.returncode == 0, result.stderr
    assert result.stdout.count("ready") == len(SERVICES)
    assert_isolated(prefix)


def test_init_script_refuses_to_run_without_a_password(prefix):
    env = {k: v for k, v in os.environ.items() if not k.endswith("_DB_PASSWORD")}
    result = subprocess.run(
        ["sh", str(INIT_SCRIPT)],
        env={**env, "COMMUNITY_DB_PREFIX": prefix},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "set INTAKE_DB_PASSWORD" in result.stderr


def test_stack_provisioning_matches_the_init_script(prefix):
    admin = environment.postgres_admin_url()
    urls = {s: databases.provision(admin, f"{prefix}{s}", f"pw'{s}") for s in SERVICES}
    again = databases.provision(admin, f"{prefix}intake", "pw'intake")
    assert again == urls["intake"]
    assert urlsplit(urls["grid"]).username == f"{prefix}grid"
    assert urlsplit(urls["grid"]).path == f"/{prefix}grid"
    assert_isolated(prefix)
