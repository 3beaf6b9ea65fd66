#!/bin/sh
# Downloads every wheel pinned in deploy/requirements.lock into deploy/wheelhouse/, each
# checked against its hash. Environment markers are dropped for the download so that the
# wheelhouse serves every Python the image may be based on (the install applies them).
set -eu
lock=deploy/requirements.lock
house=deploy/wheelhouse
python="${PYTHON:-python3}"
unmarked="$(mktemp)"
trap 'rm -f "$unmarked"' EXIT
sed -E 's/ ;[^\\]*\\$/ \\/' "$lock" >"$unmarked"
"$python" -m pip download --quiet --disable-pip-version-check --no-deps --only-binary=:all: \
    --require-hashes --dest "$house" -r "$unmarked" \
    ${WHEELHOUSE_PYTHON_VERSION:+--python-version "$WHEELHOUSE_PYTHON_VERSION"} \
    ${WHEELHOUSE_PLATFORM:+--platform "$WHEELHOUSE_PLATFORM"}
echo "$house: $(ls "$house"/*.whl | wc -l) wheels"
