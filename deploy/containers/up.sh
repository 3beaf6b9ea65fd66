#!/bin/sh
# `make up`: starts the compose stack with podman-compose and returns when the gateway's
# /readyz answers 200. podman-compose starts every container at once (it does not wait on
# depends_on conditions), so this script converges instead: the one-shot jobs (broker
# definitions, keys, migrations) are started again until they exit 0,
# the long-running processes restart by their policy until the broker and the databases
# answer. Hosts with `docker compose` can use `docker compose up -d --wait` instead.
#   ENV_FILE         settings (default deploy/.env, written with new secrets if missing)
#   COMPOSE_PROJECT  project name (default community-platform)
#   UP_TIMEOUT       seconds to wait for ready (default 420)
set -eu
env_file="${ENV_FILE:-deploy/.env}"
project="${COMPOSE_PROJECT:-community-platform}"
[ -e "$env_file" ] || sh deploy/containers/make-env.sh "$env_file"
set -a
# shellcheck disable=SC1090
. "$(realpath "$env_file")"
set +a
jobs="broker-definitions jwt-keys migrate-intake migrate-contracts migrate-grid migrate-evaluation migrate-governance migrate-subscriptions migrate-notifications"
# Every service but those of a profile (bootstrap: `make bootstrap`); podman-compose 1.0
# does not know profiles.
services="$(sed -n '/^services:/,/^volumes:/p' deploy/compose.yaml | grep -E '^  [a-z][a-z-]*:$' | tr -d ' :' | grep -vx bootstrap)"
url="http://127.0.0.1:${GATEWAY_PORT:-8080}"
started=$(date +%s)
deadline=$((started + ${UP_TIMEOUT:-420}))
log="$(mktemp)"
trap 'rm -f "$log"' EXIT

(cd deploy && podman-compose --project-name "$project" up -d --no-build $services) >"$log" 2>&1 || {
    cat "$log" >&2
    exit 1
}
while :; do
    pending=""
    for job in $jobs; do
        container="${project}_${job}_1"
        state="$(podman inspect --format '{{.State.Status}} {{.State.ExitCode}}' "$container" 2>/dev/null || echo missing)"
        case "$state" in
            "exited 0") ;;
            exited*) podman start "$container" >/dev/null 2>&1 || true; pending="$pending $job" ;;
            *) pending="$pending $job" ;;
        esac
    done
    # The gateway is ready while it can route; the platform is up when no service is away.
    if [ -z "$pending" ] && curl -fsS "$url/readyz" 2>/dev/null | grep -q '"services_away": *\[\]'; then
        break
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
        echo "not ready after ${UP_TIMEOUT:-420} s; waiting on:${pending:- the gateway}" >&2
        podman ps --all --filter "label=io.podman.compose.project=$project" \
            --format '{{.Names}}  {{.Status}}' >&2
        exit 1
    fi
    sleep 2
done
echo "ready in $(($(date +%s) - started)) s: $url"
echo "first administrator's token: make token   (or ENV_FILE=$env_file sh deploy/containers/token.sh)"
