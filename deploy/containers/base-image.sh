#!/bin/sh
# Makes a base image from Debian bookworm's packages (no image registry needed):
# mmdebstrap writes a minimal root filesystem with the packages below into
# var/containers/<kind>.tar, `podman import` turns it into localhost/community-<kind>-base.
#   python  Python 3.11 with venv: the platform image's base (PYTHON_IMAGE)
#   infra   PostgreSQL 15, RabbitMQ, Redis: deploy/images/*.Containerfile start from it
# Kept when already there (image, then tarball); FORCE=1 makes it again.
set -eu
kind="${1:?usage: base-image.sh python|infra}"
case "$kind" in
    python) packages="python3,python3-venv,python-is-python3,ca-certificates" ;;
    infra) packages="postgresql-15,rabbitmq-server,redis-server,redis-tools,ca-certificates" ;;
    *) echo "base-image.sh: unknown kind '$kind' (python or infra)" >&2; exit 64 ;;
esac
image="localhost/community-$kind-base:bookworm"
folder="${CONTAINERS_DIR:-var/containers}"
tarball="$folder/$kind-base.tar"
if [ "${FORCE:-0}" != 1 ] && podman image exists "$image"; then
    echo "$image: already there"
    exit 0
fi
mkdir -p "$folder"
if [ "${FORCE:-0}" = 1 ] || [ ! -s "$tarball" ]; then
    # the name's ending chooses mmdebstrap's output format: .tar while it is being written too
    mmdebstrap --quiet --variant=minbase --include="$packages" bookworm "$folder/$kind-base.partial.tar"
    mv "$folder/$kind-base.partial.tar" "$tarball"
fi
podman import --quiet --change 'CMD ["/bin/sh"]' "$tarball" "$image" >/dev/null
echo "$image: made from $tarball"
