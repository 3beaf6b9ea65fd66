#!/bin/sh
# `make token`: prints a token for the first administrator (all seven communities),
# signed inside the running gateway container with the stack's own key.
set -eu
project="${COMPOSE_PROJECT:-community-platform}"
podman exec --env JWT_PRIVATE_KEY_PATH=/var/lib/community/keys/jwt-private.pem \
    "${project}_gateway_1" community token --role admin --sub "${ADMIN_SUB:-admin}" --ttl "${TTL:-8h}"
