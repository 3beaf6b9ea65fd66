"""One PostgreSQL database and login role per service on a server we administer.

The same statements as deploy/postgres/init-databases.sh (the container's init script),
for the local stack: each role owns its database and nobody else may connect to it.
"""

from __future__ import annotations

from sqlalchemy import create_engine, pool, text
from sqlalchemy.engine import URL, make_url

# format() takes "any" arguments: the parameters need an explicit type.
_NAME, _PASSWORD = "CAST(:name AS text)", "CAST(:password AS text)"
_ADMIN_STATEMENTS = (
    f"SELECT format('CREATE ROLE %I LOGIN', {_NAME})"
    f" WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {_NAME})",
    f"SELECT format('ALTER ROLE %I WITH LOGIN PASSWORD %L', {_NAME}, {_PASSWORD})",
    f"SELECT format('CREATE DATABASE %I OWNER %I ENCODING %L TEMPLATE template0',"
    f" {_NAME}, {_NAME}, 'UTF8')"
    f" WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = {_NAME})",
    f"SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', {_NAME})",
    f"SELECT format('GRANT ALL ON DATABASE %I TO %I', {_NAME}, {_NAME})",
)


def admin_url(url: str) -> URL:
    return make_url(url).set(drivername="postgresql+psycopg")


def provision(admin: str, name: str, password: str) -> str:
    """Create (or keep) role and database `name`; return the URL the service connects with."""
    engine = create_engine(admin_url(admin), poolclass=pool.NullPool, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            for statement in _ADMIN_STATEMENTS:
                generated = connection.execute(text(statement), {"name": name, "password": password}).scalar()
                if generated:
                    connection.exec_driver_sql(generated)
    finally:
        engine.dispose()
    service_url = make_url(admin).set(
        drivername="postgresql", username=name, password=password, database=name
    )
    return service_url.render_as_string(hide_password=False)


def drop(admin: str, name: str) -> None:
    """Drop database and role `name` (closing its connections first)."""
    engine = create_engine(admin_url(admin), poolclass=pool.NullPool, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            for statement in (
                f"SELECT format('DROP DATABASE IF EXISTS %I WITH (FORCE)', {_NAME})",
                f"SELECT format('DROP ROLE IF EXISTS %I', {_NAME})",
            ):
                connection.exec_driver_sql(connection.execute(text(statement), {"name": name}).scalar())
    finally:
        engine.dispose()
