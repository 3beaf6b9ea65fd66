#!/bin/sh
# One database and one login role per service, each role owning only its database and
# nobody else allowed to connect to it. Run by the postgres image on first start
# (/docker-entrypoint-initdb.d); safe to run again (existing roles get the password).
#   <SERVICE>_DB_PASSWORD  each service's password (required)
#   COMMUNITY_SERVICES     default "intake contracts grid evaluation governance subscriptions notifications"
#   COMMUNITY_DB_PREFIX    prefix of role and database names (default none)
set -eu

services="${COMMUNITY_SERVICES:-intake contracts grid evaluation governance subscriptions notifications}"
prefix="${COMMUNITY_DB_PREFIX:-}"

for service in $services; do
    variable="$(echo "$service" | tr '[:lower:]' '[:upper:]')_DB_PASSWORD"
    eval "password=\${$variable:-}"
    if [ -z "$password" ]; then
        echo "init-databases: set $variable" >&2
        exit 1
    fi
    # The password travels in the environment, not on a command line (ps would show it).
    COMMUNITY_DB_NAME="$prefix$service" COMMUNITY_DB_PASSWORD="$password" \
    psql -v ON_ERROR_STOP=1 --no-psqlrc --quiet \
         --username "${POSTGRES_USER:-postgres}" --dbname "${POSTGRES_DB:-postgres}" <<'SQL'
\getenv name COMMUNITY_DB_NAME
\getenv password COMMUNITY_DB_PASSWORD
SELECT format('CREATE ROLE %I LOGIN', :'name')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'name') \gexec
SELECT format('ALTER ROLE %I WITH LOGIN PASSWORD %L', :'name', :'password') \gexec
SELECT format('CREATE DATABASE %I OWNER %I ENCODING %L TEMPLATE template0', :'name', :'name', 'UTF8')
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'name') \gexec
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', :'name') \gexec
SELECT format('GRANT ALL ON DATABASE %I TO %I', :'name', :'name') \gexec
SQL
    echo "init-databases: $prefix$service ready"
done
