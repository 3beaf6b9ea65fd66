#!/bin/sh
# `make down`: stops and removes the stack's containers and network; the volumes (the
# databases, the broker's data, the keys) stay for the next `make up`.
set -eu
env_file="${ENV_FILE:-deploy/.env}"
project="${COMPOSE_PROJECT:-community-platform}"
set -a
# shellcheck disable=SC1090
[ -e "$env_file" ] && . "$(realpath "$env_file")"
set +a
(cd deploy && podman-compose --project-name "$project" down) >/dev/null 2>&1
# A container caught restarting by its policy may survive `down`: removed here.
podman ps --all --quiet --filter "label=io.podman.compose.project=$project" | xargs -r podman rm --force >/dev/null
echo "stopped; the volumes are kept (podman volume ls --filter label=io.podman.compose.project=$project)"
