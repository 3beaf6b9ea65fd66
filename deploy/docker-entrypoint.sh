#!/bin/sh
# The image's entrypoint: the command chooses which process of the platform runs.
set -eu

SERVICES="intake contracts grid evaluation governance subscriptions notifications"
GUNICORN_CONF="${GUNICORN_CONF:-/opt/app/deploy/gunicorn.conf.py}"

usage() {
    cat <<USAGE
usage: <image> COMMAND [ARGS]

  web SERVICE          the service's HTTP API (gunicorn; GUNICORN_* variables)
  worker SERVICE       the service's outbox relay, event consumer and periodic tasks
  gateway              the HTTP edge (gunicorn)
  migrate SERVICE|all  apply the service's database migrations, then exit
  community ARGS...    any 'community' command (dlq, events tail, token, broker-definitions, ...)
  help                 this text
  anything else        run as given (e.g. sh)

SERVICE is one of: $SERVICES
USAGE
}

require_service() {
    case " $SERVICES " in
        *" ${1:-} "*) ;;
        *) echo "unknown service '${1:-}'; use one of: $SERVICES" >&2; exit 64 ;;
    esac
}

command="${1:-help}"
case "$command" in
    web)
        require_service "${2:-}"
        export COMMUNITY_PROCESS="${COMMUNITY_PROCESS:-$2-web}"
        exec gunicorn --config "$GUNICORN_CONF" "services.$2.app:create_app()"
        ;;
    worker)
        require_service "${2:-}"
        exec python -m "services.$2.worker"
        ;;
    gateway)
        export COMMUNITY_PROCESS="${COMMUNITY_PROCESS:-gateway}"
        exec gunicorn --config "$GUNICORN_CONF" "gateway.app:create_app()"
        ;;
    migrate)
        if [ "${2:-}" != "all" ]; then require_service "${2:-}"; fi
        exec python -m deploy.cli migrate "$2"
        ;;
    community)
        shift
        exec python -m deploy.cli "$@"
        ;;
    help|-h|--help)
        usage
        ;;
    *)
        exec "$@"
        ;;
esac
