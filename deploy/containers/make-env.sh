#!/bin/sh
# Writes a compose settings file (default deploy/.env) from deploy/.env.example with every
# empty secret filled with a new random value, for machines that build their own images
# (POSTGRES_IMAGE, RABBITMQ_IMAGE, REDIS_IMAGE: `make infra-images`). Never overwrites.
set -eu
target="${1:-deploy/.env}"
if [ -e "$target" ]; then
    echo "$target: already there, kept" >&2
    exit 0
fi
umask 077
hex() { od -An -tx1 -N24 /dev/urandom | tr -d ' \n'; }
{
    while IFS= read -r line; do
        case "$line" in
            *_PERSONAL_DATA_KEY=) echo "$line$(head -c 32 /dev/urandom | base64)" ;;
            POSTGRES_IMAGE=*|RABBITMQ_IMAGE=*|REDIS_IMAGE=*|COMMUNITY_IMAGE=*) ;;
            *_PASSWORD=) echo "$line$(hex)" ;;
            *) echo "$line" ;;
        esac
    done <deploy/.env.example
    echo
    echo "# Images made on this machine (make image, make infra-images)"
    echo "COMMUNITY_IMAGE=localhost/community-platform:local"
    echo "POSTGRES_IMAGE=localhost/community-postgres:bookworm"
    echo "RABBITMQ_IMAGE=localhost/community-rabbitmq:bookworm"
    echo "REDIS_IMAGE=localhost/community-redis:bookworm"
} >"$target"
echo "$target: written with new secrets (keep it, never commit it)" >&2
