#!/bin/sh
# Installs what a Debian machine needs to build and run the platform's containers:
# podman with runc (crun refuses hybrid cgroup layouts), netavark with iptables for the
# stack's own network, catatonit for `init: true`, mmdebstrap for base images made from
# Debian packages, podman-compose, and the containers.conf lines that let containers
# start where raising rlimits is refused. Idempotent; run as root.
set -eu
packages="podman runc mmdebstrap podman-compose uidmap slirp4netns netavark aardvark-dns iptables catatonit fuse-overlayfs ca-certificates"
need=""
for package in $packages; do
    dpkg -s "$package" >/dev/null 2>&1 || need="$need $package"
done
if [ -n "$need" ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $need >/dev/null
fi
conf=/etc/containers/containers.conf
if ! grep -qs 'runtime = "runc"' "$conf"; then
    mkdir -p /etc/containers
    cat >>"$conf" <<'CONF'
[containers]
default_ulimits = []

[engine]
runtime = "runc"
CONF
fi
podman --version
