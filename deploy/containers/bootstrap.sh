#!/bin/sh
# `make bootstrap`: runs the stack's one-shot `bootstrap` service (`community bootstrap`:
# the seven communities' reference data, no demo history; idempotent) on the running
# stack, shows what it did and fails when it fails.
set -eu
env_file="${ENV_FILE:-deploy/.env}"
project="${COMPOSE_PROJECT:-community-platform}"
container="${project}_bootstrap_1"
set -a
# shellcheck disable=SC1090
. "$(realpath "$env_file")"
set +a
if podman container exists "$container"; then
    podman start --attach "$container"
else
    # creates it (podman-compose starts its dependencies again: the migrations, idempotent)
    (cd deploy && podman-compose --project-name "$project" up -d --no-build bootstrap) >/dev/null 2>&1
    status="$(podman wait "$container")"
    podman logs "$container"
    exit "$status"
fi
