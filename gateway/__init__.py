"""The API gateway: the one HTTP door to every service, the docs and the web UI."""
