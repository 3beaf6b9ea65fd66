import os

pytest_plugins = ["tests.support.fixtures"]

# The container tier builds images and starts the compose stack (minutes): only when asked,
# by `make test-containers` (which sets this variable), never inside `make test`.
if not os.environ.get("COMMUNITY_CONTAINER_TESTS"):
    collect_ignore = ["containers"]
